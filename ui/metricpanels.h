// Which charts the Metrics page shows for a selection, and the worker-side loader that queries them and runs
// the analysis. loadCharts() runs on a worker thread (through TaskRunner); it only reads its arguments.
#pragma once

#include "backends.h"
#include "inventory.h"
#include "metricchart.h"

#include <QString>

#include <string>
#include <vector>

namespace cairn::ui {

struct PanelSpec {
    std::string metric; // the analysed metric
    QString title;      // "Latency p95"
    QString unit;       // after scaling: "ms", "%", "GiB", "req/s"
    double scale = 1.0;
    struct Extra {
        std::string metric;
        QString name;
        bool dashed = false;
    };
    std::vector<Extra> extras; // drawn as extra lines ("p50", "limit")
};

// Service: request rate, latency p95 (with p50), error ratio. Pod: CPU, memory (with limit), disk (with
// capacity), restarts. Host: CPU and memory of every pod on the host, one line per pod.
std::vector<PanelSpec> panelsFor(const Selection& selection);

// Label selector for one metric of a selection.
ts::Selector selectorFor(const Selection& selection, const std::string& metric);

struct ChartsResult {
    std::vector<ChartData> charts;
    QString error; // set when the source failed for every panel
};

// Queries [range.start - warmup, range.end) for every panel, analyses each main series and reports progress.
// Per-panel failures become ChartData::error; a cancelled job returns an empty result.
ChartsResult loadCharts(const Backends& backends, const Selection& selection, TimeRange range, TimeMs warmup,
                        const CancelToken& cancel, const ProgressSink& progress);

// How much history before the visible range the analysis is given, so the detector has learnt by then.
TimeMs warmupFor(TimeRange range);

} // namespace cairn::ui
