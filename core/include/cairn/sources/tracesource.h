// TraceSource: the contract for tracing back ends (the demo, Jaeger, Zipkin, Tempo, OTLP/Jaeger files).
// Span times are microseconds since the epoch (UTC), as Jaeger, Zipkin and OTLP report them.
// Thread-safety: one worker thread at a time per instance unless the implementation says otherwise.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/common/time.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cairn::sources {

enum class SpanKind { Unspecified, Server, Client, Producer, Consumer, Internal };

struct Span {
    std::string traceId;
    std::string spanId;
    std::string parentSpanId; // empty for a root span
    std::string service;
    std::string operation;
    std::string host;
    TimeUs startUs = 0;
    TimeUs durationUs = 0;
    SpanKind kind = SpanKind::Unspecified;
    bool error = false;
    std::map<std::string, std::string> tags;
};

struct Trace {
    std::string traceId;
    std::vector<Span> spans;
};

struct TraceQuery {
    TimeRange range;       // milliseconds, like every other range
    std::string service;   // empty: any
    std::string operation; // empty: any
    TimeUs minDurationUs = 0;
    bool errorsOnly = false;
    std::size_t limit = 100;
};

struct DependencyEdge {
    std::string parent;
    std::string child;
    std::uint64_t callCount = 0;
    bool operator==(const DependencyEdge&) const = default;
};

class TraceSource {
public:
    virtual ~TraceSource() = default;
    virtual std::string name() const = 0;
    virtual Result<std::vector<std::string>> services(const CancelToken& cancel) = 0;
    virtual Result<std::vector<Trace>> findTraces(const TraceQuery& query, const CancelToken& cancel) = 0;
    virtual Result<Trace> trace(const std::string& traceId, const CancelToken& cancel) = 0;
    virtual Result<std::vector<DependencyEdge>> dependencies(const TimeRange& range,
                                                             const CancelToken& cancel) = 0;
};

} // namespace cairn::sources
