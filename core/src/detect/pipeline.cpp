#include "cairn/detect/pipeline.h"

#include <algorithm>
#include <cmath>

namespace cairn::detect {

ScorePipeline::ScorePipeline(PipelineConfig config)
    : m_config(config)
    , m_ensemble(config.ensemble) {}

void ScorePipeline::reset() {
    *this = ScorePipeline(m_config);
}

double ScorePipeline::update(TimeMs t, double value) {
    m_last = m_ensemble.update(t, value);
    m_reason = {};
    if (!m_config.surprise)
        return m_last.score;
    const auto& ex = m_ensemble.lastExplanation();
    // Skipped points (NaN/Inf, time not after the previous point) and the learning phase score 0.
    if (!m_last.ready || ex.skipped)
        return 0.0;

    double a = std::min(std::fabs(ex.deviation), m_config.deviationCap);
    a = std::max(a, ex.changeLevel * m_config.ensemble.bandSigmas);
    ++m_n;
    m_smoothed += m_config.smoothing * (a - m_smoothed);

    double score = 0.0;
    const double previousRecord = m_record;
    m_record = std::max(m_record * m_config.recordDecay, m_smoothed);
    if (m_n > m_config.warmupPoints && m_smoothed > m_config.minDeviation) {
        const double ratio = m_smoothed / std::max(previousRecord, 1e-9);
        // Beating the record scores above 0.5 (more for a larger margin); otherwise at most 0.25.
        score = ratio > 1 ? 0.5 + 0.1 * (ratio - 1) / ratio : 0.25 * ratio * ratio;
        if (ratio > 1)
            m_reason = "record";
    }

    if (m_n == 1)
        m_min = m_max = value;
    const double range = m_max - m_min;
    if (m_n > m_config.warmupPoints && range > 0) {
        const double beyond = value > m_max   ? (value - m_max) / range
                              : value < m_min ? (m_min - value) / range
                                              : 0.0;
        if (beyond > 0) {
            const double extreme =
                m_config.extremeScore + (1 - m_config.extremeScore) * beyond / (beyond + 1);
            if (extreme > score) {
                score = extreme;
                m_reason = "extreme";
            }
        }
    }
    m_min = std::min(m_min, value);
    m_max = std::max(m_max, value);

    // One report per event: scores that do not beat the recent high score are halved.
    const double recent = m_recent * m_config.refractoryDecay;
    m_recent = std::max(recent, score);
    if (score <= recent) {
        score *= 0.5;
        m_reason = {};
    }
    return score;
}

} // namespace cairn::detect
