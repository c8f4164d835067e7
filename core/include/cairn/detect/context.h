// ContextDetector: a contextual novelty detector in the spirit of CAD OSE (Smirnov's "contextual anomaly
// detector"): values are quantised into bins learned from the series' own range, the last few bins form
// contexts (sequences of length 1..kMaxContext ending at the current point), and the surprise of a point is
// the share of its contexts never seen before. Seen contexts live in a fixed-size bit set (a one-hash Bloom
// filter of kBits bits), so the state stays fixed whatever the series length; once the set fills up, old
// patterns stay "seen" (the detector gets more tolerant, never noisier).
// Only the surprise is reported (score in [0,1]); expected value and band are those of the bin's centre.
// Times are UTC milliseconds. Causal, O(kMaxContext) = O(1) per point.
// Thread-safety: one instance per series, used by one thread at a time.
#pragma once

#include "cairn/detect/detector.h"

#include <array>
#include <cstdint>

namespace cairn::detect {

struct ContextConfig {
    int bins = 12;           // value levels across the learned range
    int warmupPoints = 64;   // points that only learn the range (score 0)
    double rangeDecay = 0.0; // per point: how fast an unused part of the range is forgotten (0 = never)
};

class ContextDetector final : public Detector {
public:
    static constexpr int kMaxContext = 6;
    static constexpr int kBits = 8192;

    explicit ContextDetector(ContextConfig config = {});

    std::string_view name() const override { return "context"; }
    Estimate update(TimeMs t, double value) override;
    void reset() override;
    std::size_t stateBytes() const override { return sizeof(*this); }

    // Share of the bit set in use (0..1): how much the detector has memorised.
    double fill() const { return static_cast<double>(m_setBits) / kBits; }

private:
    inline int quantise(double value) const; // inline: per-point helper, defined in context.cpp

    ContextConfig m_config;
    std::array<std::uint64_t, kBits / 64> m_seen{};
    std::uint64_t m_recent = 0; // the last bins, one byte each, newest in the low byte
    double m_min = 0.0;
    double m_max = 0.0;
    double m_scale = 0.0; // bins / (m_max - m_min), cached
    TimeMs m_last = 0;
    std::int64_t m_count = 0;
    std::int32_t m_setBits = 0;
};

} // namespace cairn::detect
