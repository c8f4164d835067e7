// ScorePipeline: the streaming anomaly score Cairn reports per point for a series (CLI `detect`, the NAB
// benchmark, alert evaluation). One threshold has to work across very different series, so raw surprises
// are turned into self-normalised scores before they are combined:
//   1. raw surprise in [0,1] per point: the larger of the ensemble deviation (seasonal / rolling MAD /
//      change-point; 0.5 at `deviationSigmas`) and the contextual novelty of the ContextDetector (share of
//      never-seen contexts of quantised values, CAD-OSE style);
//   2. likelihood (in the spirit of Numenta's "anomaly likelihood"): the short average of the raw surprise
//      is compared with the distribution (mean and variance, exponentially weighted over `longMemory`
//      points) of that average; the Gaussian tail probability p gives x = -log10(p) and the score
//      x / (x + 5) (p = 1e-5 scores 0.5; never saturates, so one threshold can still rank extremes);
//      optionally the same test runs on a second, longer average (`longWindow`) and the larger score
//      counts (multi-scale: a lasting moderate surprise as well as a short strong one);
//   2b. pattern (once the series has spanned 1.5 days): the same test on a separate, slower channel, the
//      deviation of each point from the learned shape of a day alone (SeasonalDetector::profileDeviation,
//      without the short-memory bias that follows a changed day within a few points): a day whose shape
//      changes while its values stay within the usual range (a plateau, a missing peak, a lower day) is
//      improbable over `patternWindow` points. The channel lags, so it does not repeat an event: after
//      any report it stays silent until its score has fallen below half the fire level;
//   3. extreme: a value beyond the whole range seen so far scores at least `extremeScore` on its own (a
//      quiet series alarms on its first big jolt even when its likelihood history is short), more the
//      further out in sigmas of the series' band (`extremeSigmas`; the sigma is at least
//      `extremeRangeFloor` of the range), so a record by a hair ranks low;
//   4. fire once: after the score reaches `fireLevel`, the next `restPoints` points score 0 — NAB-style
//      scoring (and an operator) rewards the earliest report of an event and charges every repeat.
// Causal, O(1) per point, fixed state (see stateBytes()). Times are UTC milliseconds.
// Thread-safety: one instance per series, used by one thread at a time.
#pragma once

#include "cairn/detect/context.h"
#include "cairn/detect/ensemble.h"

#include <cstdint>

namespace cairn::detect {

struct PipelineConfig {
    EnsembleConfig ensemble;
    ContextConfig context;
    bool surprise = true; // false: report the ensemble's band score unchanged
    // 1. raw surprise
    double deviationSigmas = 3.0; // a deviation of this many sigmas is a raw surprise of 0.5
    double contextWeight = 0.75;  // weight of the contextual novelty in the raw surprise (0 = off)
    // 2. likelihood
    int shortWindow = 8;        // points in the short average of the raw surprise
    double longMemory = 3000.0; // points: memory of the distribution of that average
    double minStd = 0.03;       // floor of its standard deviation (a flat series is not infinitely sure)
    int warmupPoints = 300;     // points before the likelihood is reported (0 before)
    // Second, longer scale of the same test (0 = off): a moderate surprise that lasts (a changed
    // pattern, a slow drift) can be improbable over this many points although no short stretch is.
    // Off by default: on NAB it adds +0.2 at 64 points only (no plateau with extremeSigmas on) and
    // costs about 5% of throughput; kept for parameter studies (bench nab --set longWindow=N).
    int longWindow = 0;
    // 2b. pattern: raw surprise min(1, (d / patternSigmas)^2 / 2) of the profile deviation d (0 = off),
    // averaged over about patternWindow points, judged like the likelihood (same memory and warm-up,
    // counted from the first point with a learned daily profile)
    double patternSigmas = 3.5;
    int patternWindow = 32;
    // 3. extreme
    double extremeScore = 0.6;     // score floor of a value beyond the range seen so far
    int extremeWarmupPoints = 150; // points before a new extreme counts (the range is still being learned)
    double extremeSigmas = 10.0;   // this many band sigmas past the range score halfway from extremeScore
                                   // to 1 (0: measure in units of the range instead)
    // Floor of that band sigma as a share of the range seen so far: in a series whose band is degenerate
    // (mostly one value with bursts, e.g. idle disk writes) a record by a hair is not a jolt of many sigmas.
    double extremeRangeFloor = 0.02;
    // 4. fire once
    double fireLevel = 0.6; // a score at least this high starts a rest period
    int restPoints = 25;    // points after a report that score 0
};

class ScorePipeline {
public:
    explicit ScorePipeline(PipelineConfig config = {});
    // Score in [0,1] for one point (NaN/Inf, duplicate or out-of-order times score 0).
    double update(TimeMs t, double value);
    const Estimate& lastEstimate() const { return m_last; }
    const EnsembleDetector& ensemble() const { return m_ensemble; }
    const ContextDetector& context() const { return m_context; }
    // Why the last score reached 0.5: "likelihood" (the recent surprise is improbable for this series),
    // "pattern" (the recent points depart from the usual shape of a day), "extreme" (beyond the range seen
    // so far), or empty.
    std::string_view lastReason() const { return m_reason; }
    // Raw surprise of the last point in [0,1] (before the likelihood stage).
    double lastRawSurprise() const { return m_raw; }
    // True while the last report's rest period suppresses scores.
    bool resting() const { return m_sinceFire < m_config.restPoints; }
    std::size_t stateBytes() const { return sizeof(*this); }
    void reset();

private:
    // Inline (defined in pipeline.cpp only): per-point helpers, so the shared library inlines them.
    inline double likelihood();
    inline double pattern();
    inline double tailScore(double d, double var) const;
    inline double extreme(double value);

    PipelineConfig m_config;
    EnsembleDetector m_ensemble;
    ContextDetector m_context;
    Estimate m_last;
    std::string_view m_reason;
    double m_longAlpha;  // 1 / longMemory
    double m_shortAlpha; // EWMA weight of the short average
    double m_raw = 0.0;
    double m_short = 0.0; // EWMA of the raw surprise over about shortWindow points
    double m_mean = 0.0;  // long-memory mean and variance of m_short
    double m_var = 0.0;
    double m_slowAlpha;      // EWMA weight of the longer average (longWindow)
    double m_slow = 0.0;     // EWMA of the raw surprise over about longWindow points
    double m_slowMean = 0.0; // long-memory mean and variance of m_slow
    double m_slowVar = 0.0;
    double m_patAlpha;      // EWMA weight of the pattern average (patternWindow)
    double m_patInv;        // 1 / patternSigmas (0 = channel off)
    double m_pat = 0.0;     // EWMA of the pattern surprise
    double m_patMean = 0.0; // long-memory mean and variance of m_pat
    double m_patVar = 0.0;
    std::int64_t m_patN = 0; // points judged on the pattern channel
    bool m_patArmed = true;  // false after a report until the pattern channel calms down
    double m_min = 0.0;      // range of the values seen so far
    double m_max = 0.0;
    std::int64_t m_n = 0;
    std::int64_t m_sinceFire = std::int64_t{1} << 40;
};

} // namespace cairn::detect
