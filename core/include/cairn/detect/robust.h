// RollingMadDetector: robust statistics over a short rolling window (median and MAD of the previous
// 31 points; the MAD is refreshed every 8 points) for spikes and dips. The point being scored is not part of
// its own reference window. Fixed state (two small float arrays); O(window) = O(1) work per point, no
// allocation after construction. Times are UTC milliseconds. Thread-safety: one instance per series, used by
// one thread at a time.
#pragma once

#include "cairn/detect/detector.h"

#include <array>
#include <cstdint>

namespace cairn::detect {

class RollingMadDetector final : public Detector {
public:
    static constexpr int kWindow = 31;
    static constexpr int kMadRefresh = 8;

    explicit RollingMadDetector(double bandSigmas = 3.0, int warmupPoints = 8);

    std::string_view name() const override { return "mad"; }
    Estimate update(TimeMs t, double value) override;
    void reset() override;
    std::size_t stateBytes() const override { return sizeof(*this); }

    // Median and robust sigma of the current window (NaN when empty).
    double median() const;
    double sigma() const;
    void setBandSigmas(double k) { m_bandSigmas = k; }
    // Off: update() leaves Estimate::score at 0 (deviation and band are still reported); see
    // SeasonalDetector::setScoring.
    void setScoring(bool on) { m_scoring = on; }

private:
    inline double mad(double med) const; // inline: defined in robust.cpp only

    std::array<float, kWindow> m_ring{}; // arrival order
    // The same values, sorted, in slots 1..m_size; slot 0 holds -inf and every slot after the values +inf
    // (sentinels: the window update and mad() read one or two slots past either end, without branches).
    std::array<float, kWindow + 3> m_sorted{};
    double m_bandSigmas;
    double m_absEwma = 0.0; // mean |x - median|: fallback scale when the MAD is 0 (quantised data)
    double m_mad = 0.0;     // MAD of the window, refreshed every kMadRefresh points (it moves slowly)
    TimeMs m_last = 0;
    std::int32_t m_size = 0;
    std::int32_t m_head = 0;
    std::int32_t m_warmup;
    std::int32_t m_sinceMad = 0;
    bool m_any = false;
    bool m_scoring = true;
};

} // namespace cairn::detect
