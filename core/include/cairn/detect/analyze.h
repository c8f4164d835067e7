// One-call analysis of a whole series: runs the streaming ensemble detector over it (the same code path
// as live scoring, so backfill equals live) and returns, for every input point, the expected value and
// band (what charts draw) plus the anomalies found, each with an explanation.
// Times are UTC milliseconds. Thread-safety: a pure function; safe to call from several threads at once.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/detect/detector.h"
#include "cairn/timeseries/series.h"

#include <string>
#include <vector>

namespace cairn::detect {

enum class Sensitivity { Low, Medium, High };

// Band half-width in sigmas for a sensitivity: low 4.0, medium 3.0, high 2.5.
double bandSigmasFor(Sensitivity s);
std::string_view toString(Sensitivity s);

struct AnalysisOptions {
    Sensitivity sensitivity = Sensitivity::Medium;
    double bandSigmas = 0.0;     // > 0 overrides the sensitivity (a number per series or service)
    double scoreThreshold = 0.5; // a point is anomalous when its score is at least this
    int minPoints = 1;           // an anomaly needs at least this many anomalous points
    int mergeGapPoints = 2;      // anomalous runs separated by at most this many normal points merge
    std::string unit;            // optional unit for explanations ("ms", "%")
};

struct SeriesAnalysis {
    std::vector<Estimate> points;   // one per input point, same order (skipped points: score 0, band kept)
    std::vector<Anomaly> anomalies; // in time order
    bool complete = true;           // false when the cancel token fired (points then covers a prefix)
    std::size_t skippedPoints = 0;  // NaN/Inf, duplicate or out-of-order timestamps
    std::size_t stateBytes = 0;     // detector state kept for this series
};

// One sentence: "<what> 840 ms vs expected 210 ms (band 150..270 ms), +4.1 sigma; seasonal detector".
std::string explainDeviation(const std::string& what, double observed, double expected, double lower,
                             double upper, double deviation, std::string_view detector,
                             const std::string& unit);

SeriesAnalysis analyzeSeries(const ts::Series& series, const AnalysisOptions& options,
                             const CancelToken& cancel = {});

} // namespace cairn::detect
