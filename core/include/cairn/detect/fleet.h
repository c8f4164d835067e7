// Fleet scan: the whole anomaly scan of a set of fetched series, as the Anomalies page shows it and
// `cairn-cli bench detect-demo` measures it, in one place:
//   1. every series through analyzeSeries with its tuning (sensitivity, "not an anomaly" feedback), the
//      persistence rule (shorter than `persistFor` and under `immediateSigmas` is suppressed), silences
//      and maintenance windows;
//   2. the group detector over related series (defineGroups / scanGroups) with the same three rules, its
//      band scaled by the group's sensitivity like a single series' band;
//   3. alert correlation of everything raised into alert groups with headlines.
// Suppressed anomalies stay in the result with their reason; they take no part in the correlation.
// Times are UTC milliseconds. Thread-safety: a pure function over its arguments (the tuning is only read).
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/time.h"
#include "cairn/detect/alerts.h"
#include "cairn/detect/correlate.h"
#include "cairn/detect/detector.h"
#include "cairn/timeseries/series.h"

#include <cstddef>
#include <string>
#include <vector>

namespace cairn::detect {

class Tuning;

struct FleetScanOptions {
    // Anomalies are kept when they overlap this range (peak at or after start, start before end); the
    // series may begin earlier so the seasonal baseline has learnt by the start.
    TimeRange window;
    const Tuning* tuning = nullptr; // sensitivities and feedback; nullptr: medium everywhere, no feedback
    std::vector<Silence> silences;  // silences and maintenance windows (recurring ones included)
    TimeMs persistFor = 5 * kMinuteMs;
    double immediateSigmas = 8.0;         // a deviation this large is raised however short
    double groupBandMedium = 5.0;         // group band at medium sensitivity, in sigma-equivalents
    std::vector<Dependency> dependencies; // service graph for the correlation
    bool groups = true;                   // run the group detector
};

struct FleetScan {
    std::vector<Anomaly> anomalies;               // single-series first (input order), then group ones
    std::vector<std::vector<Estimate>> estimates; // per input series: expected value and band per point
    std::vector<AlertGroup> alertGroups;          // correlation of the raised anomalies
    std::vector<int> alertGroupOf;                // per anomaly: 1-based alert group, -1 when not raised
    std::size_t groupAnomalies = 0;               // anomalies from the group detector
    std::size_t suppressed = 0;                   // anomalies listed as suppressed
    std::size_t raised = 0;                       // anomalies in an alert group
    bool complete = true;                         // false when cancelled part-way
};

// Progress: the fraction of series analysed ("analysing series"), then "group detector".
FleetScan scanFleet(const std::vector<ts::Series>& series, const FleetScanOptions& options,
                    const CancelToken& cancel = {}, const ProgressSink& progress = {});

} // namespace cairn::detect
