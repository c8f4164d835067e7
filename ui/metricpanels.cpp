#include "metricpanels.h"

#include "cairn/sources/prometheus.h"

#include <algorithm>

namespace cairn::ui {

namespace {
constexpr double kGiB = 1.0 / (1024.0 * 1024.0 * 1024.0);
}

std::vector<PanelSpec> jobPanels(const std::vector<std::string>& metrics) {
    struct Known {
        const char* metric;
        const char* title;
        const char* unit;
        double scale;
    };
    // Gauges of node exporter and Prometheus itself, most telling first. Counters are left out: the
    // selector-based source contract fetches raw samples and a raw counter only ever grows.
    static const Known kKnown[] = {
        {"node_load1", "Load average (1 min)", "", 1.0},
        {"node_memory_MemAvailable_bytes", "Memory available", "GiB", kGiB},
        {"node_procs_running", "Processes running", "count", 1.0},
        {"node_filefd_allocated", "File descriptors", "count", 1.0},
        {"process_resident_memory_bytes", "Resident memory", "GiB", kGiB},
        {"go_goroutines", "Goroutines", "count", 1.0},
        {"prometheus_tsdb_head_series", "Head series", "count", 1.0},
        {"scrape_duration_seconds", "Scrape duration", "ms", 1000.0},
        {"up", "Up", "", 1.0},
    };
    constexpr std::size_t kMaxPanels = 4;
    std::vector<PanelSpec> out;
    auto has = [&](const std::string& m) { return std::binary_search(metrics.begin(), metrics.end(), m); };
    for (const auto& k : kKnown)
        if (out.size() < kMaxPanels && has(k.metric))
            out.push_back({k.metric,
                           QString::fromLatin1(k.title),
                           QString::fromLatin1(k.unit),
                           k.scale,
                           {},
                           "job",
                           true});
    for (const auto& m : metrics) {
        if (out.size() >= kMaxPanels)
            break;
        const bool counterLike = m.ends_with("_total") || m.ends_with("_bucket") || m.ends_with("_sum") ||
                                 m.ends_with("_count") || m.ends_with("_created");
        const bool taken =
            std::any_of(out.begin(), out.end(), [&](const PanelSpec& p) { return p.metric == m; });
        if (!counterLike && !taken)
            out.push_back({m, QString::fromStdString(m), QString(), 1.0, {}, "job", true});
    }
    return out;
}

std::vector<PanelSpec> panelsFor(const Selection& selection, const Inventory* inventory) {
    using K = Selection::Kind;
    if (inventory && selection.kind == K::Service)
        if (auto it = inventory->jobMetrics.find(selection.service); it != inventory->jobMetrics.end())
            return jobPanels(it->second);
    switch (selection.kind) {
    case K::Service:
        return {
            {"request_rate", QStringLiteral("Request rate"), QStringLiteral("req/s"), 1.0, {}},
            {"latency_p95_ms",
             QStringLiteral("Latency p95"),
             QStringLiteral("ms"),
             1.0,
             {{"latency_p50_ms", QStringLiteral("p50"), false}}},
            {"error_ratio", QStringLiteral("Error ratio"), QStringLiteral("%"), 100.0, {}},
        };
    case K::Pod:
        return {
            {"cpu_usage_ratio", QStringLiteral("CPU usage"), QStringLiteral("%"), 100.0, {}},
            {"memory_used_bytes",
             QStringLiteral("Memory used"),
             QStringLiteral("GiB"),
             kGiB,
             {{"memory_limit_bytes", QStringLiteral("limit"), true}}},
            {"disk_used_bytes",
             QStringLiteral("Disk used"),
             QStringLiteral("GiB"),
             kGiB,
             {{"disk_capacity_bytes", QStringLiteral("capacity"), true}}},
            {"restarts_total", QStringLiteral("Restarts"), QStringLiteral("count"), 1.0, {}},
        };
    case K::Host:
        return {
            {"cpu_usage_ratio", QStringLiteral("CPU usage by pod"), QStringLiteral("%"), 100.0, {}},
            {"memory_used_bytes", QStringLiteral("Memory used by pod"), QStringLiteral("GiB"), kGiB, {}},
        };
    case K::None:
        break;
    }
    return {};
}

ts::Selector selectorFor(const Selection& selection, const std::string& metric,
                         const std::string& serviceLabel) {
    ts::Selector s;
    s.metric = metric;
    using K = Selection::Kind;
    switch (selection.kind) {
    case K::Service:
        s.equals[serviceLabel] = selection.service;
        break;
    case K::Pod:
        s.equals["service"] = selection.service;
        s.equals["pod"] = selection.pod;
        break;
    case K::Host:
        s.equals["host"] = selection.host;
        break;
    case K::None:
        break;
    }
    return s;
}

TimeMs warmupFor(TimeRange range) {
    // A week before the range: the seasonal detector knows the daily and weekly shape by the range start.
    // Ranges of two weeks or more start at the beginning of a typical retention anyway.
    return range.duration() >= 2 * kWeekMs ? 0 : kWeekMs;
}

ChartsResult loadCharts(const Backends& backends, const Selection& selection, TimeRange range, TimeMs warmup,
                        const CancelToken& cancel, const ProgressSink& progress) {
    return loadCharts(backends, selection, panelsFor(selection), range, warmup, cancel, progress);
}

ChartsResult loadCharts(const Backends& backends, const Selection& selection,
                        const std::vector<PanelSpec>& specs, TimeRange range, TimeMs warmup,
                        const CancelToken& cancel, const ProgressSink& progress) {
    ChartsResult out;
    int failures = 0;
    QString lastError;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (cancel.isCancelled())
            return {};
        const auto& spec = specs[i];
        reportProgress(progress, static_cast<double>(i) / static_cast<double>(specs.size()), spec.metric);
        ChartData chart;
        chart.title = spec.title;
        chart.unit = spec.unit;
        chart.scale = spec.scale;

        const TimeMs specWarmup = spec.adaptiveStep ? std::min(std::max<TimeMs>(0, warmup), range.duration())
                                                    : std::max<TimeMs>(0, warmup);
        const TimeRange queryRange{range.start - specWarmup, range.end};
        const TimeMs step = spec.adaptiveStep ? sources::chooseStep(range, 720, kSecondMs) : kMinuteMs;
        auto fetch = [&](const std::string& metric) {
            return backends.queryMetrics(
                {selectorFor(selection, metric, spec.serviceLabel), queryRange, step}, cancel);
        };
        auto main = fetch(spec.metric);
        if (!main) {
            if (main.error().code == ErrorCode::Cancelled)
                return {};
            chart.error = QString::fromStdString(main.error().what());
            lastError = chart.error;
            ++failures;
            out.charts.push_back(std::move(chart));
            continue;
        }
        auto series = std::move(*main);
        std::sort(series.begin(), series.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
        if (series.empty()) {
            chart.error = QStringLiteral("no data for %1")
                              .arg(QString::fromStdString(
                                  selectorFor(selection, spec.metric, spec.serviceLabel).toString()));
            out.charts.push_back(std::move(chart));
            continue;
        }
        if (selection.kind == Selection::Kind::Host) {
            // One line per pod; the first is "main" but nothing is analysed.
            for (std::size_t k = 0; k < series.size(); ++k) {
                ChartLine line{std::move(series[k]), {}, false};
                line.name = QString::fromStdString(line.series.id.label("pod"));
                if (k == 0)
                    chart.main = std::move(line);
                else
                    chart.extras.push_back(std::move(line));
            }
            out.charts.push_back(std::move(chart));
            continue;
        }
        chart.main = {std::move(series.front()), QStringLiteral("observed"), false};
        for (const auto& extra : spec.extras) {
            auto e = fetch(extra.metric);
            if (e && !e->empty())
                chart.extras.push_back({std::move(e->front()), extra.name, extra.dashed});
        }
        if (backends.analyze && !chart.main.series.empty()) {
            reportProgress(progress, (static_cast<double>(i) + 0.5) / static_cast<double>(specs.size()),
                           "analysing " + spec.metric);
            auto findings = backends.analyze(chart.main.series, cancel);
            if (findings) {
                if (findings->estimates.size() == chart.main.series.size())
                    chart.estimates = std::move(findings->estimates);
                chart.anomalies = std::move(findings->anomalies);
            } else if (findings.error().code != ErrorCode::Cancelled) {
                chart.error =
                    QStringLiteral("analysis failed: ") + QString::fromStdString(findings.error().what());
            }
        }
        out.charts.push_back(std::move(chart));
    }
    if (failures > 0 && failures == static_cast<int>(specs.size()))
        out.error = lastError;
    reportProgress(progress, 1.0, "done");
    return out;
}

} // namespace cairn::ui
