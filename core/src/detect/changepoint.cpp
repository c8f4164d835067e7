#include "cairn/detect/changepoint.h"

#include "cairn/detect/seasonal.h"

#include <algorithm>
#include <cmath>

namespace cairn::detect {

bool Cusum::update(double z) {
    if (!std::isfinite(z))
        return false;
    z = std::clamp(z, -m_config.clipSigmas, m_config.clipSigmas);
    m_pos = std::max(0.0, m_pos + z - m_config.drift);
    m_neg = std::max(0.0, m_neg - z - m_config.drift);
    // Track the residuals of the current excursion so the size of a confirmed shift is known.
    if (m_pos > 0) {
        m_sumPos += z;
        ++m_runPos;
    } else {
        m_sumPos = 0;
        m_runPos = 0;
    }
    if (m_neg > 0) {
        m_sumNeg += z;
        ++m_runNeg;
    } else {
        m_sumNeg = 0;
        m_runNeg = 0;
    }
    if (m_pos > m_config.threshold || m_neg > m_config.threshold) {
        const bool up = m_pos >= m_neg;
        m_lastShift = up ? m_sumPos / std::max(1, m_runPos) : m_sumNeg / std::max(1, m_runNeg);
        m_pos = m_neg = m_sumPos = m_sumNeg = 0;
        m_runPos = m_runNeg = 0;
        return true;
    }
    return false;
}

double Cusum::level() const {
    return std::max(m_pos, m_neg) / m_config.threshold;
}

CusumDetector::CusumDetector(CusumConfig config, double bandSigmas, double alpha)
    : m_cusum(config)
    , m_bandSigmas(bandSigmas)
    , m_alpha(alpha) {}

void CusumDetector::reset() {
    m_cusum.reset();
    m_mean = m_abs = 0.0;
    m_last = 0;
    m_count = m_shifts = 0;
}

Estimate CusumDetector::update(TimeMs t, double value) {
    Estimate e;
    const double sigma = std::max(m_abs * kMeanAbsToSigma, 1e-3 * std::fabs(m_mean) + 1e-9);
    if (m_count > 0) {
        e.expected = m_mean;
        e.lower = m_mean - m_bandSigmas * sigma;
        e.upper = m_mean + m_bandSigmas * sigma;
        e.ready = m_count >= 16;
    }
    if (!std::isfinite(value) || (m_count > 0 && t <= m_last))
        return e;
    m_last = t;
    ++m_count;
    if (m_count == 1) {
        m_mean = value;
        return e;
    }
    const double z = (value - m_mean) / sigma;
    if (e.ready) {
        e.deviation = z;
        const bool alarm = m_cusum.update(z);
        // At the alarm the statistic restarts; report the alarm itself with a full score.
        e.score = alarm ? scoreFromDeviation(2 * m_bandSigmas, m_bandSigmas)
                        : scoreFromDeviation(m_cusum.level() * m_bandSigmas, m_bandSigmas);
        if (alarm) {
            ++m_shifts;
            m_mean += m_cusum.lastShift() * sigma;
            return e;
        }
    }
    const double a = std::max(m_alpha, 1.0 / static_cast<double>(m_count));
    const double limit = e.ready ? 4.0 * sigma : HUGE_VAL;
    m_mean += a * std::clamp(value - m_mean, -limit, limit);
    m_abs += a * (std::min(std::fabs(value - m_mean), limit) - m_abs);
    return e;
}

} // namespace cairn::detect
