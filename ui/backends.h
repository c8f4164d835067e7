// Backends: what the app hands the UI — the sources, the analysis function and a clock.
// The UI never constructs sources or detectors itself; app/cairn/main.cpp wires them (demo, Prometheus...).
// Thread-safety: the shared_ptrs are copied into worker jobs; sources documented as "one worker thread at a
// time" are guarded by metricsMutex, which every UI job takes around MetricSource calls.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/common/time.h"
#include "cairn/detect/detector.h"
#include "cairn/sources/logsource.h"
#include "cairn/sources/metricsource.h"
#include "cairn/sources/tracesource.h"
#include "cairn/timeseries/series.h"

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace cairn::ui {

// Findings for one series: per-sample estimates (same length and order as the series) and anomaly spans.
struct SeriesFindings {
    std::vector<detect::Estimate> estimates;
    std::vector<detect::Anomaly> anomalies;
};

// Analyses one series synchronously on a worker thread; must honour the cancel token.
using AnalyzeFn = std::function<Result<SeriesFindings>(const ts::Series&, const CancelToken&)>;

struct Backends {
    std::shared_ptr<sources::MetricSource> metrics;
    std::shared_ptr<sources::LogSource> logs;
    std::shared_ptr<sources::TraceSource> traces;
    AnalyzeFn analyze;                                             // may be empty: charts then show no band
    std::function<TimeMs()> clock = [] { return cairn::nowMs(); }; // "now" for relative ranges and live tail
    std::shared_ptr<std::mutex> metricsMutex = std::make_shared<std::mutex>();
    // Names of the configured sources behind each signal (empty: the demo or a source given on the command
    // line). The window matches them with the SourceMonitor's health to say when a view shows stale data.
    std::string metricsSourceName, logsSourceName, tracesSourceName;

    // Query helper for worker jobs: takes metricsMutex, fails cleanly when there is no metric source.
    Result<std::vector<ts::Series>> queryMetrics(const sources::MetricQuery& q,
                                                 const CancelToken& cancel) const;
    Result<std::vector<ts::SeriesId>> listSeries(const ts::Selector& s, const CancelToken& cancel) const;
};

} // namespace cairn::ui
