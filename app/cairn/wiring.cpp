#include "wiring.h"

#include "cairn/demo/demosources.h"
#include "cairn/detect/analyze.h"

namespace cairn::app {

namespace {

std::string unitFor(const std::string& metric) {
    if (metric.ends_with("_ms"))
        return "ms";
    if (metric.ends_with("_bytes"))
        return "bytes";
    if (metric == "request_rate")
        return "req/s";
    return {};
}

} // namespace

ui::AnalyzeFn detectorAnalysis() {
    return [](const ts::Series& series, const CancelToken& cancel) -> Result<ui::SeriesFindings> {
        detect::AnalysisOptions options;
        options.unit = unitFor(series.id.metric);
        auto analysis = detect::analyzeSeries(series, options, cancel);
        if (!analysis.complete || cancel.isCancelled())
            return fail(ErrorCode::Cancelled, "The analysis was cancelled.", series.id.toString());
        return ui::SeriesFindings{std::move(analysis.points), std::move(analysis.anomalies)};
    };
}

ui::Backends makeDemoBackends(std::uint64_t seed) {
    demo::DemoConfig config;
    config.seed = seed;
    auto env = std::make_shared<demo::DemoEnvironment>(config);
    ui::Backends b;
    b.metrics = std::make_shared<demo::DemoMetricSource>(env);
    b.logs = std::make_shared<demo::DemoLogSource>(env);
    b.traces = std::make_shared<demo::DemoTraceSource>(env);
    b.analyze = detectorAnalysis();
    b.clock = [env] { return env->now(); };
    return b;
}

} // namespace cairn::app
