// EnsembleDetector: the per-series detector Cairn runs everywhere (charts, alerts, CLI, benchmarks).
// It combines the seasonal baseline (expected value and band), the rolling median/MAD (spikes and dips)
// and a CUSUM on the seasonal residuals (level shifts, which also re-level the baseline) into one score
// in [0,1], and says why: observed vs expected, deviation, which detector fired.
// A point scores high only when neither the seasonal baseline nor the recent median explains it.
// Times are UTC milliseconds. Causal, O(1) per point, fixed state (see stateBytes()).
// Thread-safety: one instance per series, used by one thread at a time.
#pragma once

#include "cairn/detect/changepoint.h"
#include "cairn/detect/robust.h"
#include "cairn/detect/seasonal.h"

namespace cairn::detect {

struct EnsembleConfig {
    double bandSigmas = 3.0;
    SeasonalConfig seasonal;
    CusumConfig cusum;
    // After a confirmed level shift, points keep scoring as the shift while they stay outside the band of
    // the pre-shift baseline, for at most this many points.
    int shiftPersistPoints = 3;
};

// Why the last point scored what it did.
struct PointExplanation {
    std::string_view detector;      // "seasonal", "mad", "changepoint" or empty when nothing fired
    double seasonalDeviation = 0.0; // sigmas from the seasonal baseline
    double madDeviation = 0.0;      // sigmas from the rolling median
    double changeLevel = 0.0;       // CUSUM statistic / alarm level (1 = alarm)
    double deviation = 0.0;         // the deviation the point score was computed from (the smaller one)
    double shiftDeviation = 0.0;    // sigmas from the pre-shift baseline while a level shift is flagged
    bool levelShift = false;        // a level shift was confirmed at this point
    bool skipped = false;           // NaN/Inf value or a time not after the previous point: ignored
};

class EnsembleDetector final : public Detector {
public:
    explicit EnsembleDetector(EnsembleConfig config = {});

    std::string_view name() const override { return "ensemble"; }
    Estimate update(TimeMs t, double value) override;
    void reset() override;
    std::size_t stateBytes() const override { return sizeof(*this); }

    const PointExplanation& lastExplanation() const { return m_explanation; }
    const SeasonalDetector& seasonal() const { return m_seasonal; }
    void setBandSigmas(double k);

private:
    EnsembleConfig m_config;
    SeasonalDetector m_seasonal;
    RollingMadDetector m_mad;
    Cusum m_cusum;
    PointExplanation m_explanation;
    TimeMs m_lastTime = 0;
    double m_shiftOffset = 0.0; // size of the last confirmed shift (value units)
    int m_shiftLeft = 0;        // points the shift run may still last
};

} // namespace cairn::detect
