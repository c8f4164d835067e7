#include "cairn/detect/pipeline.h"

#include <algorithm>
#include <cmath>

namespace cairn::detect {

namespace {

// -log10 of the upper Gaussian tail probability Q(z), for z >= 0.
double minusLog10Tail(double z) {
    if (z < 5.0)
        return -std::log10(std::max(0.5 * std::erfc(z * 0.7071067811865476), 1e-300));
    // Asymptotic expansion Q(z) ~ phi(z) / z * (1 - 1/z^2): erfc underflows far out.
    const double lnQ = -0.5 * z * z - std::log(z * 2.5066282746310002) + std::log1p(-1.0 / (z * z));
    return -lnQ * 0.4342944819032518;
}

} // namespace

ScorePipeline::ScorePipeline(PipelineConfig config)
    : m_config(config)
    , m_ensemble(config.ensemble)
    , m_context(config.context)
    , m_longAlpha(1.0 / std::max(config.longMemory, 1.0))
    , m_shortAlpha(2.0 / (std::max(config.shortWindow, 1) + 1.0))
    , m_slowAlpha(2.0 / (std::max(config.longWindow, 1) + 1.0))
    , m_patAlpha(2.0 / (std::max(config.patternWindow, 1) + 1.0))
    , m_patInv(config.patternSigmas > 0 ? 1.0 / config.patternSigmas : 0.0) {}

void ScorePipeline::reset() {
    *this = ScorePipeline(m_config);
}

double ScorePipeline::tailScore(double d, double var) const {
    if (d <= 0)
        return 0.0;
    var = std::max(var, m_config.minStd * m_config.minStd);
    if (d * d > 4.0 * var) { // z > 2: the exact tail
        const double x = minusLog10Tail(d / std::sqrt(var));
        return x / (x + 5.0);
    }
    // Far below any useful alarm level: a cheap monotone stand-in (continuous at z = 2, where
    // -log10 Q(2) = 1.6430 scores 0.2473) saves sqrt, erfc and log on most points.
    return 0.2473 * 0.25 * d * d / var;
}

double ScorePipeline::likelihood() {
    // Judge each average against the distribution learned before this point, then learn it.
    m_short += m_shortAlpha * (m_raw - m_short);
    const double d = m_short - m_mean;
    const bool judged = m_n > m_config.warmupPoints;
    double score = judged ? tailScore(d, m_var) : 0.0;
    const double a = m_n < m_config.longMemory ? 1.0 / static_cast<double>(m_n) : m_longAlpha;
    m_mean += a * d;
    m_var = (1.0 - a) * (m_var + a * d * d);
    if (m_config.longWindow > 0) {
        m_slow += m_slowAlpha * (m_raw - m_slow);
        const double ds = m_slow - m_slowMean;
        if (judged)
            score = std::max(score, tailScore(ds, m_slowVar));
        m_slowMean += a * ds;
        m_slowVar = (1.0 - a) * (m_slowVar + a * ds * ds);
    }
    return score;
}

double ScorePipeline::pattern() {
    // Judged only once the daily profile exists (the deviation from the shape of a day is reported),
    // with its own count: the channel's memory starts when the profile does.
    const double dev = m_ensemble.seasonal().profileDeviation();
    if (!(m_patInv > 0) || std::isnan(dev))
        return 0.0; // (not judged: does not re-arm the channel either)
    ++m_patN;
    const double u = dev * m_patInv;
    m_pat += m_patAlpha * (std::min(1.0, 0.5 * u * u) - m_pat);
    const double d = m_pat - m_patMean;
    const double score = m_patN > m_config.warmupPoints ? tailScore(d, m_patVar) : 0.0;
    const double a = m_patN < m_config.longMemory ? 1.0 / static_cast<double>(m_patN) : m_longAlpha;
    m_patMean += a * d;
    m_patVar = (1.0 - a) * (m_patVar + a * d * d);
    if (!m_patArmed && score < 0.5 * m_config.fireLevel)
        m_patArmed = true;
    return m_patArmed ? score : 0.0;
}

double ScorePipeline::extreme(double value) {
    // A value beyond the whole range seen so far scores at least extremeScore, more the further out.
    // (beyond: distance past the range, in units of the range)
    double score = 0.0;
    if (m_n == 1)
        m_min = m_max = value;
    const double range = m_max - m_min;
    if (m_n > m_config.extremeWarmupPoints && range > 0) {
        const double beyond = value > m_max   ? (value - m_max) / range
                              : value < m_min ? (m_min - value) / range
                                              : 0.0;
        if (beyond > 0) {
            // How far out, in units of extremeSigmas robust sigmas of the series' own band (a new record
            // by a hair in a noisy series is far less telling than a jolt of many sigmas); the range
            // stands in while there is no band.
            // A degenerate band (a series that mostly sits on one value) would make any excess huge in
            // sigmas: the sigma is at least a small share of the range.
            const double sigma =
                std::max((m_last.upper - m_last.lower) / (2.0 * m_config.ensemble.bandSigmas),
                         m_config.extremeRangeFloor * range);
            const double b = m_config.extremeSigmas > 0 && sigma > 0
                                 ? beyond * range / (m_config.extremeSigmas * sigma)
                                 : beyond;
            score = m_config.extremeScore + (1 - m_config.extremeScore) * b / (b + 1);
        }
    }
    m_min = std::min(m_min, value);
    m_max = std::max(m_max, value);
    return score;
}

double ScorePipeline::update(TimeMs t, double value) {
    m_last = m_ensemble.update(t, value);
    const Estimate c = m_context.update(t, value);
    m_reason = {};
    if (!m_config.surprise)
        return m_last.score;
    const auto& ex = m_ensemble.lastExplanation();
    // Skipped points (NaN/Inf, time not after the previous point) and the learning phase score 0.
    if (!m_last.ready || ex.skipped)
        return 0.0;
    ++m_n;

    const double k = m_config.ensemble.bandSigmas;
    const double z = std::max(std::fabs(ex.deviation), ex.changeLevel * k);
    const double context = c.ready ? m_config.contextWeight * c.score : 0.0;
    m_raw = std::min(1.0, std::max(scoreFromDeviation(z, m_config.deviationSigmas), context));

    const double fromExtreme = extreme(value);
    const double fromLikelihood = likelihood();
    const double fromPattern = pattern();
    double score = fromLikelihood;
    m_reason = "likelihood";
    if (fromPattern > score) {
        score = fromPattern;
        m_reason = "pattern";
    }
    if (fromExtreme > score) {
        score = fromExtreme;
        m_reason = "extreme";
    }

    if (m_sinceFire < m_config.restPoints) {
        ++m_sinceFire;
        score = 0.0;
    } else if (score >= m_config.fireLevel) {
        m_sinceFire = 0;
        // The slow pattern channel lags: it does not report again what was just reported (whichever
        // stage reported it), nor a changed day once per rest period; it waits until it calms down.
        m_patArmed = false;
    }
    if (score < 0.5)
        m_reason = {};
    return score;
}

} // namespace cairn::detect
