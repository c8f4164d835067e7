#include "cairn/demo/demosources.h"

namespace cairn::demo {

Result<std::vector<ts::SeriesId>> DemoMetricSource::listSeries(const ts::Selector& selector,
                                                               const CancelToken& cancel) {
    if (cancel.isCancelled())
        return fail(ErrorCode::Cancelled, "Listing the series was cancelled.", name());
    std::vector<ts::SeriesId> out;
    for (const auto& id : m_env->seriesIds())
        if (selector.matches(id))
            out.push_back(id);
    return out;
}

Result<std::vector<ts::Series>> DemoMetricSource::query(const sources::MetricQuery& query,
                                                        const CancelToken& cancel) {
    return m_env->query(query.selector, query.range, query.step, cancel);
}

Result<std::size_t> DemoLogSource::scan(const sources::LogQuery& query,
                                        const std::function<bool(const sources::LogRecord&)>& sink,
                                        const CancelToken& cancel) {
    return m_env->scanLogs(query, sink, cancel);
}

Result<std::vector<std::string>> DemoTraceSource::services(const CancelToken& cancel) {
    if (cancel.isCancelled())
        return fail(ErrorCode::Cancelled, "Listing the services was cancelled.", name());
    return m_env->services();
}

Result<std::vector<sources::Trace>> DemoTraceSource::findTraces(const sources::TraceQuery& query,
                                                                const CancelToken& cancel) {
    return m_env->findTraces(query, cancel);
}

Result<sources::Trace> DemoTraceSource::trace(const std::string& traceId, const CancelToken& cancel) {
    if (cancel.isCancelled())
        return fail(ErrorCode::Cancelled, "Fetching the trace was cancelled.", name());
    return m_env->trace(traceId);
}

Result<std::vector<sources::DependencyEdge>> DemoTraceSource::dependencies(const TimeRange& range,
                                                                           const CancelToken& cancel) {
    return m_env->dependencies(range, cancel);
}

} // namespace cairn::demo
