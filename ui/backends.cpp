#include "backends.h"

namespace cairn::ui {

Result<std::vector<ts::Series>> Backends::queryMetrics(const sources::MetricQuery& q,
                                                       const CancelToken& cancel) const {
    if (!metrics)
        return fail(ErrorCode::Unsupported, "No metric source is configured.");
    std::lock_guard lock(*metricsMutex);
    if (cancel.isCancelled())
        return fail(ErrorCode::Cancelled, "The query was cancelled.", q.selector.toString());
    return metrics->query(q, cancel);
}

Result<std::vector<ts::SeriesId>> Backends::listSeries(const ts::Selector& s,
                                                       const CancelToken& cancel) const {
    if (!metrics)
        return fail(ErrorCode::Unsupported, "No metric source is configured.");
    std::lock_guard lock(*metricsMutex);
    if (cancel.isCancelled())
        return fail(ErrorCode::Cancelled, "Listing series was cancelled.", s.toString());
    return metrics->listSeries(s, cancel);
}

} // namespace cairn::ui
