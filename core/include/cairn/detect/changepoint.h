// Change-point (level shift) detection with a two-sided CUSUM on standardised residuals.
// Cusum is the bare statistic (fed z-scores, used by the ensemble on the seasonal residuals);
// CusumDetector is the stand-alone streaming detector over raw values (its own slow mean and scale).
// After an alarm the statistic restarts and the estimated shift is reported so a baseline can re-level.
// Times are UTC milliseconds. Thread-safety: one instance per series, used by one thread at a time.
#pragma once

#include "cairn/detect/detector.h"

#include <cstdint>

namespace cairn::detect {

struct CusumConfig {
    // Residuals of real metrics are autocorrelated, so the allowance and the alarm level are generous.
    double drift = 1.0;      // k: allowance in sigmas (detects shifts of about 2k sigmas fastest)
    double threshold = 12.0; // h: alarm when the cumulative sum passes this many sigmas
    double clipSigmas = 4.0; // one point contributes at most this much (a single spike is no level shift)
};

class Cusum {
public:
    explicit Cusum(CusumConfig config = {})
        : m_config(config) {}
    // Feed one standardised residual; returns true on an alarm (the statistic then restarts).
    bool update(double z);
    // max(S+, S-) / threshold: 1 at the alarm level.
    double level() const;
    // Mean residual (in sigmas, signed) of the run that raised the last alarm.
    double lastShift() const { return m_lastShift; }
    void reset() { *this = Cusum(m_config); }

private:
    CusumConfig m_config;
    double m_pos = 0.0;
    double m_neg = 0.0;
    double m_sumPos = 0.0;
    double m_sumNeg = 0.0;
    std::int32_t m_runPos = 0;
    std::int32_t m_runNeg = 0;
    double m_lastShift = 0.0;
};

class CusumDetector final : public Detector {
public:
    explicit CusumDetector(CusumConfig config = {}, double bandSigmas = 3.0, double alpha = 0.01);

    std::string_view name() const override { return "changepoint"; }
    Estimate update(TimeMs t, double value) override;
    void reset() override;
    std::size_t stateBytes() const override { return sizeof(*this); }
    // Number of level shifts confirmed so far.
    std::int64_t shifts() const { return m_shifts; }

private:
    Cusum m_cusum;
    double m_bandSigmas;
    double m_alpha;
    double m_mean = 0.0;
    double m_abs = 0.0;
    TimeMs m_last = 0;
    std::int64_t m_count = 0;
    std::int64_t m_shifts = 0;
};

} // namespace cairn::detect
