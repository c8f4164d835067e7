// Jaeger, Zipkin and Tempo trace sources: URL building and answer decoding (formats in traceimport.cpp).
#include "cairn/sources/jaeger.h"
#include "cairn/sources/jsondom.h"
#include "cairn/sources/tempo.h"
#include "cairn/sources/traceimport.h"
#include "cairn/sources/zipkin.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cairn::sources {

namespace {

using json = nlohmann::json;

Result<json> getJson(HttpClient& http, const std::string& url, const std::string& who,
                     const CancelToken& cancel) {
    auto resp = http.get(url, cancel);
    if (!resp)
        return std::unexpected(resp.error());
    try {
        return parseJsonDom<json>(resp->body);
    } catch (const json::exception& e) {
        return fail(ErrorCode::Parse, who + " sent malformed JSON (" + e.what() + ").", redactUrl(url));
    }
}

Result<std::string> getBody(HttpClient& http, const std::string& url, const CancelToken& cancel) {
    auto resp = http.get(url, cancel);
    if (!resp)
        return std::unexpected(resp.error());
    return std::move(resp->body);
}

std::vector<std::string> stringsOf(const json& arr) {
    std::vector<std::string> out;
    if (!arr.is_array())
        return out;
    for (const auto& v : arr) {
        if (v.is_string())
            out.push_back(v.get<std::string>());
        else if (v.is_object() && v.contains("name") && v["name"].is_string())
            out.push_back(v["name"].get<std::string>()); // /api/operations: [{name, spanKind}]
        else if (v.is_object() && v.contains("value") && v["value"].is_string())
            out.push_back(v["value"].get<std::string>()); // Tempo v2 tag values: [{type, value}]
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<DependencyEdge> edgesOf(const json& arr) {
    std::vector<DependencyEdge> out;
    if (!arr.is_array())
        return out;
    for (const auto& e : arr) {
        if (!e.is_object() || !e.contains("parent") || !e.contains("child"))
            continue;
        DependencyEdge d;
        d.parent = e["parent"].is_string() ? e["parent"].get<std::string>() : e["parent"].dump();
        d.child = e["child"].is_string() ? e["child"].get<std::string>() : e["child"].dump();
        // Only a non-negative integer is a call count (casting a negative or huge double is undefined).
        if (e.contains("callCount") && e["callCount"].is_number_unsigned())
            d.callCount = e["callCount"].get<std::uint64_t>();
        out.push_back(std::move(d));
    }
    return out;
}

bool validTraceId(const std::string& id) {
    return !id.empty() && id.size() <= 64 &&
           std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isxdigit(c); });
}

// Keeps the traces that satisfy what the back end could not filter (errors only, duration, limit).
std::vector<Trace> filterTraces(std::vector<Trace> traces, const TraceQuery& q) {
    std::vector<Trace> out;
    for (auto& t : traces) {
        if (q.errorsOnly &&
            std::none_of(t.spans.begin(), t.spans.end(), [](const Span& s) { return s.error; }))
            continue;
        out.push_back(std::move(t));
        if (q.limit > 0 && out.size() >= q.limit)
            break;
    }
    return out;
}

Result<Trace> single(Result<std::vector<Trace>> traces, const std::string& id, const std::string& who) {
    if (!traces)
        return std::unexpected(traces.error());
    for (auto& t : *traces)
        if (t.traceId == id || (t.traceId.size() > id.size() && t.traceId.ends_with(id)) ||
            (id.size() > t.traceId.size() && id.ends_with(t.traceId)))
            // cppcheck-suppress returnStdMoveLocal ; t refers into *traces (not a local): move, not copy
            return std::move(t);
    if (traces->size() == 1)
        // cppcheck-suppress returnStdMoveLocal ; an element of *traces (not a local): move, not copy
        return std::move(traces->front());
    return fail(ErrorCode::NotFound, who + " has no trace " + id + ".");
}

using TraceParser = Result<std::vector<Trace>> (*)(std::string_view);

Result<void> checkRange(const TimeRange& range, const std::string& name) {
    if (!range.valid())
        return fail(ErrorCode::InvalidArgument, "The time range is empty (end is not after start).", name);
    return {};
}

// The search of the back ends that answer with whole traces (Jaeger, Zipkin; Tempo in Jaeger mode): GET the
// search URL, decode the answer with the format's parser naming the source in a decode error, then apply
// what the server could not filter.
Result<std::vector<Trace>> searchAndDecode(HttpClient& http, const std::string& url, const TraceQuery& q,
                                           TraceParser parse, const CancelToken& cancel) {
    auto traces = decodeResponse(getBody(http, url, cancel), http.options().sourceName, redactUrl(url),
                                 [parse](const std::string& body) { return parse(body); });
    if (!traces)
        return std::unexpected(traces.error());
    return filterTraces(std::move(*traces), q);
}

// One trace by id, in the back end's format.
Result<Trace> fetchTrace(HttpClient& http, const std::string& url, const std::string& traceId,
                         TraceParser parse, const CancelToken& cancel) {
    if (!validTraceId(traceId))
        return fail(ErrorCode::InvalidArgument, "'" + traceId + "' is not a trace id (hex digits).");
    auto body = getBody(http, url + traceId, cancel);
    if (!body)
        return std::unexpected(body.error());
    return single(parse(*body), traceId, http.options().sourceName);
}

// Dependency edges of a range from a Jaeger- or Zipkin-style endpoint (endTs + lookback in milliseconds).
Result<std::vector<DependencyEdge>> fetchDependencies(HttpClient& http, const std::string& baseUrl,
                                                      const std::string& name, const TimeRange& range,
                                                      const CancelToken& cancel) {
    if (auto ok = checkRange(range, name); !ok)
        return std::unexpected(ok.error());
    const std::string url =
        baseUrl + "?" +
        formEncode({{"endTs", std::to_string(range.end)}, {"lookback", std::to_string(range.duration())}});
    auto j = getJson(http, url, http.options().sourceName, cancel);
    if (!j)
        return std::unexpected(j.error());
    return edgesOf(j->is_object() ? j->value("data", json::array()) : *j);
}

} // namespace

// ---------------- Jaeger ----------------

JaegerSource::JaegerSource(HttpSourceOptions options)
    : m_options(std::move(options))
    , m_http(namedHttpOptions(m_options, "Jaeger")) {}

Result<std::vector<std::string>> JaegerSource::services(const CancelToken& cancel) {
    auto j = getJson(m_http, joinUrl(m_options.url, "/api/services"), m_http.options().sourceName, cancel);
    if (!j)
        return std::unexpected(j.error());
    return stringsOf(j->is_object() ? j->value("data", json::array()) : json::array());
}

Result<std::vector<std::string>> JaegerSource::operations(const std::string& service,
                                                          const CancelToken& cancel) {
    auto j = getJson(m_http, joinUrl(m_options.url, "/api/services/" + urlEncode(service) + "/operations"),
                     m_http.options().sourceName, cancel);
    if (!j)
        return std::unexpected(j.error());
    return stringsOf(j->is_object() ? j->value("data", json::array()) : json::array());
}

std::string JaegerSource::searchUrl(const TraceQuery& q) const {
    std::vector<std::pair<std::string, std::string>> p = {{"service", q.service}};
    if (!q.operation.empty())
        p.emplace_back("operation", q.operation);
    p.emplace_back("start", std::to_string(q.range.start * 1000));
    p.emplace_back("end", std::to_string(q.range.end * 1000));
    if (q.minDurationUs > 0)
        p.emplace_back("minDuration", std::to_string(q.minDurationUs) + "us");
    if (q.errorsOnly)
        p.emplace_back("tags", "{\"error\":\"true\"}");
    p.emplace_back("limit", std::to_string(q.limit));
    return joinUrl(m_options.url, "/api/traces") + "?" + formEncode(p);
}

Result<std::vector<Trace>> JaegerSource::findTraces(const TraceQuery& q, const CancelToken& cancel) {
    if (q.service.empty())
        return fail(ErrorCode::InvalidArgument, "Jaeger searches traces of one service: choose a service.",
                    m_options.name);
    if (auto ok = checkRange(q.range, m_options.name); !ok)
        return std::unexpected(ok.error());
    return searchAndDecode(m_http, searchUrl(q), q, parseJaegerJson, cancel);
}

Result<Trace> JaegerSource::trace(const std::string& traceId, const CancelToken& cancel) {
    return fetchTrace(m_http, joinUrl(m_options.url, "/api/traces/"), traceId, parseJaegerJson, cancel);
}

Result<std::vector<DependencyEdge>> JaegerSource::dependencies(const TimeRange& range,
                                                               const CancelToken& cancel) {
    return fetchDependencies(m_http, joinUrl(m_options.url, "/api/dependencies"), m_options.name, range,
                             cancel);
}

// ---------------- Zipkin ----------------

ZipkinSource::ZipkinSource(HttpSourceOptions options)
    : m_options(std::move(options))
    , m_http(namedHttpOptions(m_options, "Zipkin")) {}

Result<std::vector<std::string>> ZipkinSource::services(const CancelToken& cancel) {
    auto j = getJson(m_http, joinUrl(m_options.url, "/api/v2/services"), m_http.options().sourceName, cancel);
    if (!j)
        return std::unexpected(j.error());
    return stringsOf(*j);
}

Result<std::vector<std::string>> ZipkinSource::spanNames(const std::string& service,
                                                         const CancelToken& cancel) {
    auto j = getJson(m_http,
                     joinUrl(m_options.url, "/api/v2/spans") + "?" + formEncode({{"serviceName", service}}),
                     m_http.options().sourceName, cancel);
    if (!j)
        return std::unexpected(j.error());
    return stringsOf(*j);
}

std::string ZipkinSource::searchUrl(const TraceQuery& q) const {
    std::vector<std::pair<std::string, std::string>> p;
    if (!q.service.empty())
        p.emplace_back("serviceName", q.service);
    if (!q.operation.empty())
        p.emplace_back("spanName", q.operation);
    p.emplace_back("endTs", std::to_string(q.range.end));
    p.emplace_back("lookback", std::to_string(q.range.duration()));
    if (q.minDurationUs > 0)
        p.emplace_back("minDuration", std::to_string(q.minDurationUs));
    if (q.errorsOnly)
        p.emplace_back("annotationQuery", "error");
    p.emplace_back("limit", std::to_string(q.limit));
    return joinUrl(m_options.url, "/api/v2/traces") + "?" + formEncode(p);
}

Result<std::vector<Trace>> ZipkinSource::findTraces(const TraceQuery& q, const CancelToken& cancel) {
    if (auto ok = checkRange(q.range, m_options.name); !ok)
        return std::unexpected(ok.error());
    return searchAndDecode(m_http, searchUrl(q), q, parseZipkinJson, cancel);
}

Result<Trace> ZipkinSource::trace(const std::string& traceId, const CancelToken& cancel) {
    return fetchTrace(m_http, joinUrl(m_options.url, "/api/v2/trace/"), traceId, parseZipkinJson, cancel);
}

Result<std::vector<DependencyEdge>> ZipkinSource::dependencies(const TimeRange& range,
                                                               const CancelToken& cancel) {
    return fetchDependencies(m_http, joinUrl(m_options.url, "/api/v2/dependencies"), m_options.name, range,
                             cancel);
}

// ---------------- Tempo ----------------

TempoSource::TempoSource(HttpSourceOptions options, Mode mode)
    : m_options(std::move(options))
    , m_mode(mode)
    , m_http(namedHttpOptions(m_options, "Tempo")) {
    if (m_mode == Mode::Jaeger)
        m_jaeger = std::make_unique<JaegerSource>(m_options);
}

TempoSource::~TempoSource() = default;

Result<std::vector<std::string>> TempoSource::services(const CancelToken& cancel) {
    if (m_jaeger)
        return m_jaeger->services(cancel);
    auto j = getJson(m_http, joinUrl(m_options.url, "/api/search/tag/service.name/values"),
                     m_http.options().sourceName, cancel);
    if (!j)
        return std::unexpected(j.error());
    return stringsOf(j->is_object() ? j->value("tagValues", json::array()) : json::array());
}

std::string TempoSource::searchUrl(const TraceQuery& q) const {
    if (m_jaeger)
        return m_jaeger->searchUrl(q);
    std::string tags;
    auto addTag = [&tags](const std::string& k, const std::string& v) {
        if (!tags.empty())
            tags += ' ';
        // logfmt: quote values with spaces or quotes.
        if (v.find_first_of(" \"=") != std::string::npos) {
            std::string quoted = "\"";
            for (char c : v)
                quoted += c == '"' ? std::string("\\\"") : std::string(1, c);
            tags += k + "=" + quoted + "\"";
        } else {
            tags += k + "=" + v;
        }
    };
    if (!q.service.empty())
        addTag("service.name", q.service);
    if (!q.operation.empty())
        addTag("name", q.operation);
    if (q.errorsOnly)
        addTag("error", "true");
    std::vector<std::pair<std::string, std::string>> p;
    if (!tags.empty())
        p.emplace_back("tags", tags);
    if (q.minDurationUs > 0)
        p.emplace_back("minDuration", std::to_string(q.minDurationUs) + "us");
    p.emplace_back("limit", std::to_string(q.limit));
    p.emplace_back("start", std::to_string(q.range.start / 1000));
    p.emplace_back("end", std::to_string((q.range.end + 999) / 1000));
    return joinUrl(m_options.url, "/api/search") + "?" + formEncode(p);
}

Result<std::vector<Trace>> TempoSource::findTraces(const TraceQuery& q, const CancelToken& cancel) {
    if (m_jaeger)
        return m_jaeger->findTraces(q, cancel);
    if (auto ok = checkRange(q.range, m_options.name); !ok)
        return std::unexpected(ok.error());
    auto j = getJson(m_http, searchUrl(q), m_http.options().sourceName, cancel);
    if (!j)
        return std::unexpected(j.error());
    if (!j->is_object() || !j->contains("traces") || !(*j)["traces"].is_array())
        return fail(ErrorCode::Parse,
                    m_http.options().sourceName + " answered a search without a traces array.");
    // The search lists trace summaries; each trace is fetched by id (bounded by the limit).
    std::vector<Trace> out;
    for (const auto& summary : (*j)["traces"]) {
        if (cancel.isCancelled())
            return fail(ErrorCode::Cancelled, "The trace search was cancelled.", m_options.name);
        if (!summary.is_object() || !summary.contains("traceID") || !summary["traceID"].is_string())
            continue;
        auto t = trace(summary["traceID"].get<std::string>(), cancel);
        if (!t)
            return std::unexpected(t.error());
        out.push_back(std::move(*t));
        if (q.limit > 0 && out.size() >= q.limit)
            break;
    }
    return filterTraces(std::move(out), q);
}

Result<Trace> TempoSource::trace(const std::string& traceId, const CancelToken& cancel) {
    if (m_jaeger)
        return m_jaeger->trace(traceId, cancel);
    return fetchTrace(m_http, joinUrl(m_options.url, "/api/traces/"), traceId, parseOtlpJson, cancel);
}

Result<std::vector<DependencyEdge>> TempoSource::dependencies(const TimeRange& range,
                                                              const CancelToken& cancel) {
    if (m_jaeger)
        return m_jaeger->dependencies(range, cancel);
    TraceQuery q;
    q.range = range;
    q.limit = 50;
    auto traces = findTraces(q, cancel);
    if (!traces)
        return std::unexpected(traces.error());
    return dependenciesFromTraces(*traces);
}

} // namespace cairn::sources
