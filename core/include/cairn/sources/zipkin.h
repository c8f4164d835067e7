// ZipkinSource: a TraceSource over the Zipkin v2 HTTP API (/api/v2/services, /spans, /traces, /trace/{id},
// /dependencies). Span times are microseconds; ranges milliseconds (UTC).
// Thread-safety: one thread at a time per instance.
#pragma once

#include "cairn/sources/jaeger.h"

namespace cairn::sources {

class ZipkinSource : public TraceSource {
public:
    explicit ZipkinSource(HttpSourceOptions options);
    std::string name() const override { return m_options.name; }
    Result<std::vector<std::string>> services(const CancelToken& cancel) override;
    Result<std::vector<std::string>> spanNames(const std::string& service, const CancelToken& cancel = {});
    Result<std::vector<Trace>> findTraces(const TraceQuery& query, const CancelToken& cancel) override;
    Result<Trace> trace(const std::string& traceId, const CancelToken& cancel) override;
    Result<std::vector<DependencyEdge>> dependencies(const TimeRange& range,
                                                     const CancelToken& cancel) override;

    std::string searchUrl(const TraceQuery& query) const;

private:
    HttpSourceOptions m_options;
    HttpClient m_http;
};

} // namespace cairn::sources
