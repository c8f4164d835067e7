// Writes a range of the demo environment to plain files other tools read: metrics.csv
// (series,timestamp,value; series in Prometheus notation, timestamp Unix seconds), logs.log (Loghub-style
// "<Date> <Time> <Level> <Component>: <Content>"), traces.json (a Jaeger query API /api/traces envelope,
// times in microseconds) and incidents.json (the ground truth and events overlapping the range).
// Thread-safety: reads the environment only; safe to run beside other readers.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/demo/demoenvironment.h"

#include <cstddef>
#include <string>

namespace cairn::demo {

struct ExportSummary {
    std::size_t series = 0;
    std::size_t samples = 0;
    std::size_t logLines = 0;
    std::size_t traces = 0;
    std::size_t spans = 0;
    std::size_t incidents = 0;
    TimeRange range; // the part of the requested range the demo had data for
};

// Errors: InvalidArgument for an inverted or empty range or one outside the demo's data; Io when the folder
// cannot be created or a file cannot be written (the message names the path); Cancelled.
Result<ExportSummary> exportDemo(const DemoEnvironment& env, const TimeRange& range,
                                 const std::string& folder, const CancelToken& cancel = {},
                                 const ProgressSink& progress = {});

} // namespace cairn::demo
