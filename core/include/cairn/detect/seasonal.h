// SeasonalDetector: a streaming multi-season baseline (level + daily + weekly profile, Holt-Winters style)
// learned online from the series' own history, giving the expected value and a dynamic band.
// The daily profile has 48 half-hour buckets and the weekly one 168 hourly buckets (linearly interpolated),
// so the state is fixed (about 1.4 KiB) whatever the sampling rate. Points outside the band are learned
// with a small weight (for a bounded time, see SeasonalConfig::anomalyWeight) so incidents do not teach it. A
// season is only used once the series has spanned it and it predicts better than the simpler model (learned,
// not configured per series). Times are UTC milliseconds (slots are UTC time of day / day of week). Causal,
// O(1) per point. Thread-safety: one instance per series, used by one thread at a time.
#pragma once

#include "cairn/detect/detector.h"

#include <array>
#include <cstdint>
#include <limits>

namespace cairn::detect {

struct SeasonalConfig {
    double fastAlpha = 0.05;  // per point: the level of the non-seasonal model (a short EWMA)
    TimeMs levelTau = kDayMs; // time constant of the de-seasonalised level of the seasonal model
    double cycleAlpha = 0.25; // weight of the newest day (week) in the daily (weekly) profile
    double scaleAlpha = 0.01; // per point: how fast the band width follows the residuals
    double biasAlpha = 0.1;   // per point: short memory of the seasonal model's recent error (AR(1)-like)
    double bandSigmas = 3.0;  // half-width of the band in robust standard deviations
    double clipSigmas = 4.0;  // residuals are clipped to this many sigmas before learning (robustness)
    int warmupPoints = 12;    // points before the detector reports (ready = false before)
    // Robust learning: a point outside the band (judged anomalous) teaches the baseline only this much of
    // a normal point, so an incident does not become the new normal and the return to normal is not
    // flagged. Bounded: once points have been outside the band for adoptAfter (net of the time back
    // inside), they count fully again, so a permanent level shift is adopted.
    double anomalyWeight = 0.05;
    TimeMs adoptAfter = 4 * kHourMs;
};

class SeasonalDetector final : public Detector {
public:
    static constexpr int kDailyBuckets = 48;
    static constexpr int kWeeklyBuckets = 168;

    explicit SeasonalDetector(SeasonalConfig config = {});

    std::string_view name() const override { return "seasonal"; }
    Estimate update(TimeMs t, double value) override;
    void reset() override;
    std::size_t stateBytes() const override { return sizeof(*this); }

    // Expected value and band at time t from the current state, without learning (for drawing ahead).
    Estimate expectation(TimeMs t) const;
    // Moves the level by delta (used when a change-point detector confirms a level shift).
    void shiftLevel(double delta);
    // Robust standard deviation of the residuals (the band's unit); 0 before any data.
    double sigma() const;
    bool dailyActive() const { return m_useDaily; }
    bool weeklyActive() const { return m_useWeekly; }
    std::int64_t count() const { return m_count; }
    // True once the detector has seen enough to choose its model (1.5 days spanned or 1000 points).
    bool settled() const { return m_last - m_first >= kDayMs + kDayMs / 2 || m_count >= 1000; }
    void setBandSigmas(double k) { m_config.bandSigmas = k; }
    // Off: update() leaves Estimate::score at 0 (deviation and band are still reported). For callers
    // that score the deviation themselves (the ensemble), this saves an exp per point.
    void setScoring(bool on) { m_scoring = on; }
    // Deviation (sigmas) of the last point from the slow baseline (the slow level, or the seasonal model
    // when a season is in use): what a change-point test should watch, since the fast level absorbs shifts.
    double slowDeviation() const { return m_slowDeviation; }
    // Deviation (sigmas) of the last point from the daily profile alone (slow level + daily profile),
    // without the short-memory bias, in units of that profile's own typical error: a day that departs
    // from the usual shape of a day stays visible here, while the bias follows it within a few points.
    // The level is the one before recent shiftLevel() calls: a confirmed level shift re-levels the
    // baseline at once (so the band stops alarming), but the shape of a day adopts it only over levelTau
    // (a day that jumps to a plateau is a departure from the usual day, not a new normal within minutes).
    // Reported once the series has spanned 1.5 days (the daily profile learns whether or not it is in
    // use: a series whose pattern the simpler model follows well enough still has a shape of a day);
    // NaN before (and for skipped points).
    double profileDeviation() const { return m_profileDeviation; }

private:
    struct Slot {
        int i0;
        int i1;
        float w1;
    };
    static inline Slot slot(TimeMs t, TimeMs period, int buckets);
    // Inline (defined in seasonal.cpp only): per-point helpers, so the shared library inlines them.
    inline Estimate expectationAt(const Slot& daily, const Slot& weekly) const;
    inline double profile(const float* table, const Slot& s) const;
    inline void learn(float* table, const Slot& s, double err, double alpha);
    void updateRates(TimeMs t);

    SeasonalConfig m_config;
    std::array<float, kDailyBuckets> m_daily{};
    std::array<float, kWeeklyBuckets> m_weekly{};
    std::array<float, kDailyBuckets> m_dailyAbs{}; // mean |residual| per half hour: band width by time of day
    double m_level = 0.0;                          // de-seasonalised level (slow)
    double m_fast = 0.0;                           // level of the non-seasonal model (fast)
    double m_bias = 0.0;   // recent mean error of the seasonal model, added to its expectation
    double m_step = 0.0;   // typical sampling interval, ms
    double m_aLevel = 0.0; // per-point learning rates derived from the step (cached)
    double m_aDaily = 0.0;
    double m_aWeekly = 0.0;
    double m_aWeekErr = 0.0;
    TimeMs m_ratesUntil = 0;     // the cached rates hold for times before this (start of the next day)
    double m_errLevel = 0.0;     // mean |x - level|
    double m_errDaily = 0.0;     // mean |x - level - daily|
    double m_errDailyBias = 0.0; // mean |x - level - bias - daily|
    double m_slowDeviation = 0.0;
    double m_shifted = 0.0; // shiftLevel() deltas not yet adopted by the profile deviation (decays)
    double m_profileDeviation = std::numeric_limits<double>::quiet_NaN();
    double m_errFull = 0.0;  // mean |x - level - daily - weekly|
    double m_absScale = 0.0; // mean |residual| of the model in use
    TimeMs m_first = 0;
    TimeMs m_last = 0;
    std::int64_t m_count = 0;
    double m_outsideMs = 0.0; // leaky clock of time spent outside the band (robust learning)
    bool m_scoring = true;
    bool m_useDaily = false;
    bool m_useWeekly = false;
};

// Robust standard deviation from a mean absolute deviation (normal data: sigma = 1.2533 * E|r|).
inline constexpr double kMeanAbsToSigma = 1.2533141373155;

} // namespace cairn::detect
