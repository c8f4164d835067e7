// TempoSource: a TraceSource over Grafana Tempo. Native mode uses Tempo's own API (/api/search with tags,
// /api/traces/{id} in OTLP JSON, /api/search/tag/service.name/values); Jaeger mode talks to tempo-query's
// Jaeger-compatible API. Tempo has no dependency API: dependencies() derives service edges from the traces
// of the range (at most 50). Thread-safety: one thread at a time per instance.
#pragma once

#include "cairn/sources/jaeger.h"

#include <memory>

namespace cairn::sources {

class TempoSource : public TraceSource {
public:
    enum class Mode { Native, Jaeger };
    TempoSource(HttpSourceOptions options, Mode mode = Mode::Native);
    ~TempoSource() override;
    std::string name() const override { return m_options.name; }
    Result<std::vector<std::string>> services(const CancelToken& cancel) override;
    Result<std::vector<Trace>> findTraces(const TraceQuery& query, const CancelToken& cancel) override;
    Result<Trace> trace(const std::string& traceId, const CancelToken& cancel) override;
    Result<std::vector<DependencyEdge>> dependencies(const TimeRange& range,
                                                     const CancelToken& cancel) override;

    std::string searchUrl(const TraceQuery& query) const;

private:
    HttpSourceOptions m_options;
    Mode m_mode;
    HttpClient m_http;
    std::unique_ptr<JaegerSource> m_jaeger;
};

} // namespace cairn::sources
