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
    std::vector<Extra> extras;            // drawn as extra lines ("p50", "limit")
    std::string serviceLabel = "service"; // the label a service selection matches ("job" for job services)
    // Job panels (live scrapes of a few seconds): the step follows the range (about 720 points, e.g. 5 s over
    // an hour) and the warm-up history is at most the range itself; otherwise one-minute steps.
    bool adaptiveStep = false;
};

// Service: request rate, latency p95 (with p50), error ratio. Pod: CPU, memory (with limit), disk (with
// capacity), restarts. Host: CPU and memory of every pod on the host, one line per pod.
// A service the inventory knows only as a Prometheus job (node exporter, Prometheus itself) gets up to four
// gauges it exports, well-known ones first (load, memory, processes...), matched on the job label.
std::vector<PanelSpec> panelsFor(const Selection& selection, const Inventory* inventory = nullptr);
std::vector<PanelSpec> jobPanels(const std::vector<std::string>& metrics);

// Label selector for one metric of a selection; serviceLabel names the label a service is matched on.
ts::Selector selectorFor(const Selection& selection, const std::string& metric,
                         const std::string& serviceLabel = "service");

struct ChartsResult {
    std::vector<ChartData> charts;
    QString error; // set when the source failed for every panel
};

// Queries [range.start - warmup, range.end) for every panel, analyses each main series and reports progress.
// Per-panel failures become ChartData::error; a cancelled job returns an empty result.
ChartsResult loadCharts(const Backends& backends, const Selection& selection, TimeRange range, TimeMs warmup,
                        const CancelToken& cancel, const ProgressSink& progress);
// The same over given panels (from panelsFor(selection, &inventory)).
ChartsResult loadCharts(const Backends& backends, const Selection& selection,
                        const std::vector<PanelSpec>& specs, TimeRange range, TimeMs warmup,
                        const CancelToken& cancel, const ProgressSink& progress);

// How much history before the visible range the analysis is given, so the detector has learnt by then.
TimeMs warmupFor(TimeRange range);

} // namespace cairn::ui
