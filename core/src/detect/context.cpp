#include "cairn/detect/context.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace cairn::detect {

ContextDetector::ContextDetector(ContextConfig config)
    : m_config(config) {
    m_config.bins = std::clamp(m_config.bins, 2, 250);
}

void ContextDetector::reset() {
    *this = ContextDetector(m_config);
}

int ContextDetector::quantise(double value) const {
    if (!(m_scale > 0))
        return 0;
    // Values beyond the learned range get bins of their own on either side (0 and bins + 1).
    if (value < m_min)
        return 0;
    if (value > m_max)
        return m_config.bins + 1;
    const int b = static_cast<int>((value - m_min) * m_scale);
    return 1 + std::min(b, m_config.bins - 1);
}

Estimate ContextDetector::update(TimeMs t, double value) {
    Estimate e;
    if (!std::isfinite(value) || (m_count > 0 && t <= m_last))
        return e;
    m_last = t;
    if (m_count == 0)
        m_min = m_max = value;
    ++m_count;
    const int bin = quantise(value);
    if (m_count > 1 && (value < m_min || value > m_max)) {
        // Grow the range with a margin so a slowly rising series does not re-bin on every new record.
        const double margin = 0.1 * std::max(m_max - m_min, 1e-9 * std::fabs(value));
        m_min = std::min(m_min, value < m_min ? value - margin : m_min);
        m_max = std::max(m_max, value > m_max ? value + margin : m_max);
        m_scale = m_config.bins / (m_max - m_min);
    }
    if (m_config.rangeDecay > 0) {
        const double mid = 0.5 * (m_min + m_max);
        m_min += m_config.rangeDecay * (mid - m_min);
        m_max += m_config.rangeDecay * (mid - m_max);
        m_scale = m_max > m_min ? m_config.bins / (m_max - m_min) : 0.0;
    }
    m_recent = (m_recent << 8) | static_cast<std::uint64_t>(bin);

    const int depth = static_cast<int>(std::min<std::int64_t>(m_count, kMaxContext));
    int fresh = 0;
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    const auto context = [&](int l) {
        h = (h ^ (((m_recent >> (8 * l)) & 0xFF) + 1u)) * 0x100000001B3ull;
        h ^= h >> 29;
        const auto idx = static_cast<std::size_t>((h * 0xBF58476D1CE4E5B9ull) >> 51); // 13 bits
        std::uint64_t& word = m_seen[idx >> 6];
        // Whether a context is new is data-dependent: count it without a branch (which would mispredict).
        const int isNew = static_cast<int>((~word >> (idx & 63)) & 1u);
        word |= 1ull << (idx & 63);
        fresh += isNew;
    };
    if (depth == kMaxContext) {
        for (int l = 0; l < kMaxContext; ++l) // the usual case: a fixed count, unrolled
            context(l);
    } else {
        for (int l = 0; l < depth; ++l)
            context(l);
    }
    m_setBits += fresh;
    const double range = m_max - m_min;
    const double width = range / m_config.bins;
    e.expected = m_min + (std::clamp(bin, 1, m_config.bins) - 0.5) * width;
    e.lower = e.expected - 0.5 * width;
    e.upper = e.expected + 0.5 * width;
    e.ready = m_count > m_config.warmupPoints;
    if (e.ready)
        e.score = static_cast<double>(fresh) / depth;
    return e;
}

} // namespace cairn::detect
