// Trace formats: decoding Jaeger JSON, Zipkin v2 JSON and OTLP/JSON into cairn::sources::Trace values, and
// importing trace files in any of them. The same decoders serve the Jaeger, Zipkin and Tempo sources.
// Span times are microseconds since the epoch (UTC); trace and span ids are lower-case hex.
// Thread-safety: pure functions.
#pragma once

#include "cairn/sources/tracesource.h"

#include <string>
#include <string_view>
#include <vector>

namespace cairn::sources {

enum class TraceFormat { Unknown, Jaeger, Zipkin, Otlp };

std::string_view toString(TraceFormat format);

// Jaeger query-API / UI JSON: {"data":[trace...]}, one trace {traceID, spans, processes}, an array of traces,
// or a single span with an embedded "process" (the Elasticsearch-storage variant).
Result<std::vector<Trace>> parseJaegerJson(std::string_view json);
// Zipkin v2: an array of spans (/api/v2/trace/{id}) or an array of arrays of spans (/api/v2/traces), or one
// span.
Result<std::vector<Trace>> parseZipkinJson(std::string_view json);
// OTLP/JSON ExportTraceServiceRequest {"resourceSpans":[...]} (also Tempo's {"batches":[...]}; ids in hex or
// base64, kinds and status codes as numbers or enum names).
Result<std::vector<Trace>> parseOtlpJson(std::string_view json);

// Guesses the format from the JSON's shape.
TraceFormat detectTraceFormat(std::string_view json);
// Reads a file and decodes it in the detected (or given) format. Files above 512 MiB are refused.
Result<std::vector<Trace>> importTraceFile(const std::string& path,
                                           TraceFormat format = TraceFormat::Unknown);

// Edges between services (parent span's service -> child span's service), counted over the traces.
std::vector<DependencyEdge> dependenciesFromTraces(const std::vector<Trace>& traces);

} // namespace cairn::sources
