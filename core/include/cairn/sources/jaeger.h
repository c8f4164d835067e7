// JaegerSource: a TraceSource over the Jaeger query HTTP API (/api/services, /api/traces, /api/dependencies),
// also what Tempo exposes through tempo-query. Trace search needs a service (as in Jaeger's UI).
// Span times are microseconds; ranges milliseconds (UTC). Thread-safety: one thread at a time per instance.
#pragma once

#include "cairn/sources/http.h"
#include "cairn/sources/tracesource.h"

#include <string>
#include <vector>

namespace cairn::sources {

class JaegerSource : public TraceSource {
public:
    explicit JaegerSource(HttpSourceOptions options); // url: e.g. http://jaeger-query:16686
    std::string name() const override { return m_options.name; }
    Result<std::vector<std::string>> services(const CancelToken& cancel) override;
    Result<std::vector<std::string>> operations(const std::string& service, const CancelToken& cancel = {});
    Result<std::vector<Trace>> findTraces(const TraceQuery& query, const CancelToken& cancel) override;
    Result<Trace> trace(const std::string& traceId, const CancelToken& cancel) override;
    Result<std::vector<DependencyEdge>> dependencies(const TimeRange& range,
                                                     const CancelToken& cancel) override;

    // The URL findTraces() asks (for tests and "show query").
    std::string searchUrl(const TraceQuery& query) const;

private:
    HttpSourceOptions m_options;
    HttpClient m_http;
};

} // namespace cairn::sources
