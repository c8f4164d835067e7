// ScorePipeline: the streaming anomaly score Cairn reports per point for a series (CLI `detect`, the NAB
// benchmark, alert evaluation). It post-processes the EnsembleDetector so that one threshold works across
// very different series ("surprise" stage, in the spirit of Numenta's anomaly likelihood):
//   1. the ensemble deviation (sigmas, capped) is smoothed over the last few points;
//   2. it scores high only when it beats the series' own (slowly decaying) record deviation, so a series
//      that is always noisy does not alarm all the time while a quiet one alarms on its first big jolt;
//   3. a value outside the whole range seen so far scores high (a new extreme);
//   4. after a high score, lower ones are damped for a while (one report per event, not one per point).
// Causal, O(1) per point, fixed state. Times are UTC milliseconds.
// Thread-safety: one instance per series, used by one thread at a time.
#pragma once

#include "cairn/detect/ensemble.h"

#include <cstdint>

namespace cairn::detect {

struct PipelineConfig {
    EnsembleConfig ensemble;
    bool surprise = true;           // false: report the ensemble's band score
    double deviationCap = 10.0;     // sigmas; larger deviations all count as this much
    double smoothing = 0.5;         // EWMA weight of the newest deviation
    double recordDecay = 0.9999;    // per point: how fast an old record deviation is forgotten
    double minDeviation = 5.0;      // smoothed deviations below this never score high
    double extremeScore = 0.6;      // score floor of a value outside the range seen so far
    double refractoryDecay = 0.999; // per point: how fast the memory of the last high score fades
    int warmupPoints = 150;         // points before records and extremes are trusted
};

class ScorePipeline {
public:
    explicit ScorePipeline(PipelineConfig config = {});
    // Score in [0,1] for one point (NaN/Inf, duplicate or out-of-order times score 0).
    double update(TimeMs t, double value);
    const Estimate& lastEstimate() const { return m_last; }
    const EnsembleDetector& ensemble() const { return m_ensemble; }
    // Why the last score: "extreme" (new min/max), "record" (record deviation) or empty.
    std::string_view lastReason() const { return m_reason; }
    std::size_t stateBytes() const { return sizeof(*this); }
    void reset();

private:
    PipelineConfig m_config;
    EnsembleDetector m_ensemble;
    Estimate m_last;
    std::string_view m_reason;
    double m_smoothed = 0.0;
    double m_record = 0.0;
    double m_recent = 0.0;
    double m_min = 0.0;
    double m_max = 0.0;
    std::int64_t m_n = 0;
};

} // namespace cairn::detect
