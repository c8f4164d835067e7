#include "cairn/detect/ensemble.h"

#include <algorithm>
#include <cmath>

namespace cairn::detect {

EnsembleDetector::EnsembleDetector(EnsembleConfig config)
    : m_config(config)
    , m_seasonal([&] {
        SeasonalConfig s = config.seasonal;
        s.bandSigmas = config.bandSigmas;
        return s;
    }())
    , m_mad(config.bandSigmas)
    , m_cusum(config.cusum) {}

void EnsembleDetector::reset() {
    m_seasonal.reset();
    m_mad.reset();
    m_cusum.reset();
    m_explanation = {};
}

void EnsembleDetector::setBandSigmas(double k) {
    m_config.bandSigmas = k;
    m_seasonal.setBandSigmas(k);
    m_mad.setBandSigmas(k);
}

Estimate EnsembleDetector::update(TimeMs t, double value) {
    const double k = m_config.bandSigmas;
    const bool skipped = !std::isfinite(value) || (m_seasonal.count() > 0 && t <= m_lastTime);
    Estimate s = m_seasonal.update(t, value);
    const Estimate m = m_mad.update(t, value);
    m_explanation = {};
    if (skipped) {
        // NaN/Inf, duplicate or out-of-order time: nothing learned, score 0, band kept.
        if (!m_seasonal.settled() && m.ready) {
            s.expected = m.expected;
            s.lower = m.lower;
            s.upper = m.upper;
        }
        s.score = 0.0;
        s.deviation = 0.0;
        m_explanation.skipped = true;
        return s;
    }
    m_lastTime = t;
    if (!s.ready && !m.ready)
        return s;

    m_explanation.seasonalDeviation = s.deviation;
    m_explanation.madDeviation = m.deviation;
    // A point is only as anomalous as the model that explains it best.
    double z = 0.0;
    std::string_view point = "mad";
    if (s.ready && m.ready) {
        // With a learned daily season the seasonal baseline is the reference (a recent-median check would
        // excuse a day that looks like its own last hours but unlike a normal day); without one, a point
        // is only as anomalous as the model that explains it best.
        z = m_seasonal.dailyActive()                           ? s.deviation
            : std::fabs(s.deviation) <= std::fabs(m.deviation) ? s.deviation
                                                               : m.deviation;
        point = m_seasonal.dailyActive() ? "seasonal" : "mad";
    } else if (s.ready) {
        z = s.deviation;
        point = "seasonal";
    } else {
        z = m.deviation;
    }
    m_explanation.deviation = z;
    double score = scoreFromDeviation(z, k);

    // The CUSUM watches the seasonal residuals once the baseline has chosen its model; earlier residuals
    // are dominated by the model still learning and would raise false level shifts.
    if (s.ready && m_seasonal.settled()) {
        const bool alarm = m_cusum.update(m_seasonal.slowDeviation());
        const double change = alarm ? 1.0 : m_cusum.level();
        m_explanation.changeLevel = change;
        // Below the alarm level the statistic only hints (quadratic ramp); the alarm itself scores high.
        const double changeScore =
            alarm ? scoreFromDeviation(k + 1.1, k) : scoreFromDeviation(k * change * change, k);
        if (alarm) {
            m_explanation.levelShift = true;
            // Re-level the baseline so a new normal stops raising alarms.
            const double sigma = (s.upper - s.lower) / (2.0 * k);
            m_seasonal.shiftLevel(m_cusum.lastShift() * sigma);
        }
        if (changeScore > score) {
            score = changeScore;
            point = "changepoint";
        }
    }
    s.score = score;
    s.deviation = s.ready ? s.deviation : m.deviation;
    if (!s.ready) {
        s.expected = m.expected;
        s.lower = m.lower;
        s.upper = m.upper;
        s.ready = true;
    }
    m_explanation.detector = score >= 0.5 ? point : std::string_view();
    return s;
}

} // namespace cairn::detect
