#include "cairn/sources/traceimport.h"

#include "cairn/sources/jsondom.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <unordered_map>

namespace cairn::sources {

namespace {

using json = nlohmann::json;

std::string lowerHex(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool isHex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

// OTLP/JSON ids are hex, but protobuf's JSON mapping (Tempo, some exporters) writes bytes as base64.
std::string otlpId(const json& v) {
    if (!v.is_string())
        return {};
    std::string s = v.get<std::string>();
    if (s.empty() || isHex(s))
        return lowerHex(s);
    static constexpr std::string_view kB64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string bytes;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : s) {
        if (c == '=')
            break;
        if (c == '-')
            c = '+';
        if (c == '_')
            c = '/';
        const auto pos = kB64.find(c);
        if (pos == std::string_view::npos)
            return lowerHex(s); // not base64 either: keep as given
        buffer = (buffer << 6) | static_cast<unsigned>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char b : bytes) {
        hex += kHex[b >> 4];
        hex += kHex[b & 15];
    }
    return hex;
}

std::string scalarText(const json& v) {
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_null())
        return {};
    return v.dump();
}

std::int64_t toInt(const json& v) {
    if (v.is_number_integer() || v.is_number_unsigned())
        return v.get<std::int64_t>();
    if (v.is_number_float()) {
        // Casting an out-of-range or NaN double is undefined behaviour (found by fuzz_zipkin_json).
        return int64FromDouble(v.get<double>()).value_or(0);
    }
    if (v.is_string()) {
        try {
            return std::stoll(v.get<std::string>());
        } catch (const std::exception&) {
            return 0;
        }
    }
    return 0;
}

SpanKind kindFromText(std::string k) {
    for (auto& c : k)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (k.starts_with("span_kind_"))
        k = k.substr(10);
    if (k == "server")
        return SpanKind::Server;
    if (k == "client")
        return SpanKind::Client;
    if (k == "producer")
        return SpanKind::Producer;
    if (k == "consumer")
        return SpanKind::Consumer;
    if (k == "internal")
        return SpanKind::Internal;
    return SpanKind::Unspecified;
}

// Groups spans by trace id, keeping the order in which traces first appear.
std::vector<Trace> groupSpans(std::vector<Span> spans) {
    std::vector<Trace> out;
    std::unordered_map<std::string, std::size_t> index;
    for (auto& s : spans) {
        auto [it, inserted] = index.try_emplace(s.traceId, out.size());
        if (inserted)
            out.push_back(Trace{s.traceId, {}});
        out[it->second].spans.push_back(std::move(s));
    }
    for (auto& t : out)
        std::stable_sort(t.spans.begin(), t.spans.end(),
                         [](const Span& a, const Span& b) { return a.startUs < b.startUs; });
    return out;
}

Result<json> parseDom(std::string_view text, std::string_view what) {
    try {
        return parseJsonDom<json>(text);
    } catch (const json::exception& e) {
        return fail(ErrorCode::Parse, "The " + std::string(what) + " JSON is malformed (" + e.what() + ").");
    }
}

// ---- Jaeger ----

void jaegerTags(const json& tags, Span& span) {
    if (!tags.is_array())
        return;
    for (const auto& t : tags) {
        if (!t.is_object() || !t.contains("key"))
            continue;
        const std::string key = scalarText(t["key"]);
        const std::string value = t.contains("value") ? scalarText(t["value"]) : std::string();
        if (key == "span.kind")
            span.kind = kindFromText(value);
        else if (key == "error")
            span.error = span.error || value == "true";
        else if (key == "otel.status_code")
            span.error = span.error || value == "ERROR";
        span.tags[key] = value;
    }
}

struct JaegerProcess {
    std::string service;
    std::string host;
};

JaegerProcess jaegerProcess(const json& p) {
    JaegerProcess out;
    if (!p.is_object())
        return out;
    out.service = p.contains("serviceName") ? scalarText(p["serviceName"]) : std::string();
    if (p.contains("tags") && p["tags"].is_array()) {
        for (const auto& t : p["tags"]) {
            const std::string key = t.contains("key") ? scalarText(t["key"]) : std::string();
            if ((key == "hostname" || key == "host.name") && t.contains("value"))
                out.host = scalarText(t["value"]);
            else if ((key == "ip" || key == "host.ip") && out.host.empty() && t.contains("value"))
                out.host = scalarText(t["value"]);
        }
    }
    return out;
}

Result<Span> jaegerSpan(const json& s, const std::map<std::string, JaegerProcess>& processes) {
    if (!s.is_object() || !s.contains("spanID") || !s.contains("traceID"))
        return fail(ErrorCode::Parse, "A Jaeger span lacks traceID or spanID.");
    Span span;
    span.traceId = lowerHex(scalarText(s["traceID"]));
    span.spanId = lowerHex(scalarText(s["spanID"]));
    span.operation = s.contains("operationName") ? scalarText(s["operationName"]) : std::string();
    span.startUs = s.contains("startTime") ? toInt(s["startTime"]) : 0;
    span.durationUs = s.contains("duration") ? toInt(s["duration"]) : 0;
    if (s.contains("references") && s["references"].is_array()) {
        for (const auto& r : s["references"]) {
            if (!r.is_object() || !r.contains("spanID"))
                continue;
            const bool sameTrace =
                !r.contains("traceID") || lowerHex(scalarText(r["traceID"])) == span.traceId;
            const bool childOf = !r.contains("refType") || scalarText(r["refType"]) == "CHILD_OF";
            if (sameTrace && (childOf || span.parentSpanId.empty())) {
                span.parentSpanId = lowerHex(scalarText(r["spanID"]));
                if (childOf)
                    break;
            }
        }
    }
    if (span.parentSpanId.empty() && s.contains("parentSpanID"))
        span.parentSpanId = lowerHex(scalarText(s["parentSpanID"]));
    if (span.parentSpanId.find_first_not_of('0') == std::string::npos)
        span.parentSpanId.clear();
    jaegerTags(s.value("tags", json::array()), span);
    JaegerProcess proc;
    if (s.contains("process"))
        proc = jaegerProcess(s["process"]);
    else if (s.contains("processID")) {
        auto it = processes.find(scalarText(s["processID"]));
        if (it != processes.end())
            proc = it->second;
    }
    span.service = proc.service;
    span.host = proc.host;
    return span;
}

Result<std::vector<Span>> jaegerTraceSpans(const json& t) {
    std::map<std::string, JaegerProcess> processes;
    if (t.contains("processes") && t["processes"].is_object())
        for (const auto& [id, p] : t["processes"].items())
            processes[id] = jaegerProcess(p);
    std::vector<Span> out;
    if (!t.contains("spans") || !t["spans"].is_array())
        return fail(ErrorCode::Parse, "A Jaeger trace has no spans array.");
    for (const auto& s : t["spans"]) {
        auto span = jaegerSpan(s, processes);
        if (!span)
            return std::unexpected(span.error());
        out.push_back(std::move(*span));
    }
    return out;
}

// ---- Zipkin ----

Result<Span> zipkinSpan(const json& s) {
    if (!s.is_object() || !s.contains("traceId") || !s.contains("id"))
        return fail(ErrorCode::Parse, "A Zipkin span lacks traceId or id.");
    Span span;
    span.traceId = lowerHex(scalarText(s["traceId"]));
    span.spanId = lowerHex(scalarText(s["id"]));
    if (s.contains("parentId"))
        span.parentSpanId = lowerHex(scalarText(s["parentId"]));
    span.operation = s.contains("name") ? scalarText(s["name"]) : std::string();
    span.startUs = s.contains("timestamp") ? toInt(s["timestamp"]) : 0;
    span.durationUs = s.contains("duration") ? toInt(s["duration"]) : 0;
    if (s.contains("kind"))
        span.kind = kindFromText(scalarText(s["kind"]));
    if (s.contains("localEndpoint") && s["localEndpoint"].is_object()) {
        const auto& e = s["localEndpoint"];
        span.service = e.contains("serviceName") ? scalarText(e["serviceName"]) : std::string();
        if (e.contains("ipv4"))
            span.host = scalarText(e["ipv4"]);
        else if (e.contains("ipv6"))
            span.host = scalarText(e["ipv6"]);
    }
    if (s.contains("remoteEndpoint") && s["remoteEndpoint"].is_object() &&
        s["remoteEndpoint"].contains("serviceName"))
        span.tags["peer.service"] = scalarText(s["remoteEndpoint"]["serviceName"]);
    if (s.contains("tags") && s["tags"].is_object()) {
        for (const auto& [k, v] : s["tags"].items()) {
            span.tags[k] = scalarText(v);
            if (k == "error")
                span.error = true; // Zipkin marks failures by the presence of an "error" tag
        }
    }
    if (s.contains("shared") && s["shared"].is_boolean() && s["shared"].get<bool>())
        span.tags["zipkin.shared"] = "true";
    return span;
}

// ---- OTLP ----

std::string otlpValue(const json& v) {
    if (!v.is_object() || v.empty())
        return {};
    for (const char* k : {"stringValue", "intValue", "doubleValue"})
        if (v.contains(k))
            return scalarText(v[k]);
    if (v.contains("boolValue"))
        return v["boolValue"].is_boolean() ? (v["boolValue"].get<bool>() ? "true" : "false")
                                           : scalarText(v["boolValue"]);
    if (v.contains("bytesValue"))
        return scalarText(v["bytesValue"]);
    if (v.contains("arrayValue")) {
        std::string out = "[";
        const auto& values = v["arrayValue"].value("values", json::array());
        for (std::size_t i = 0; i < values.size(); ++i)
            out += (i ? "," : "") + otlpValue(values[i]);
        return out + "]";
    }
    return v.begin()->dump();
}

std::map<std::string, std::string> otlpAttributes(const json& attrs) {
    std::map<std::string, std::string> out;
    if (!attrs.is_array())
        return out;
    for (const auto& a : attrs)
        if (a.is_object() && a.contains("key"))
            out[scalarText(a["key"])] = a.contains("value") ? otlpValue(a["value"]) : std::string();
    return out;
}

SpanKind otlpKind(const json& k) {
    if (k.is_number()) {
        switch (k.get<int>()) {
        case 1:
            return SpanKind::Internal;
        case 2:
            return SpanKind::Server;
        case 3:
            return SpanKind::Client;
        case 4:
            return SpanKind::Producer;
        case 5:
            return SpanKind::Consumer;
        default:
            return SpanKind::Unspecified;
        }
    }
    return kindFromText(scalarText(k));
}

} // namespace

std::string_view toString(TraceFormat format) {
    switch (format) {
    case TraceFormat::Jaeger:
        return "jaeger";
    case TraceFormat::Zipkin:
        return "zipkin";
    case TraceFormat::Otlp:
        return "otlp";
    case TraceFormat::Unknown:
        return "unknown";
    }
    return "unknown";
}

Result<std::vector<Trace>> parseJaegerJson(std::string_view text) {
    auto dom = parseDom(text, "Jaeger");
    if (!dom)
        return std::unexpected(dom.error());
    const json& j = *dom;
    std::vector<Span> spans;
    auto addTrace = [&spans](const json& t) -> Result<void> {
        auto s = jaegerTraceSpans(t);
        if (!s)
            return std::unexpected(s.error());
        for (auto& x : *s)
            spans.push_back(std::move(x));
        return {};
    };
    if (j.is_object() && j.contains("data")) {
        if (j.contains("errors") && j["errors"].is_array() && !j["errors"].empty() &&
            (!j["data"].is_array() || j["data"].empty())) {
            const auto& e = j["errors"].front();
            return fail(ErrorCode::HttpStatus,
                        "Jaeger reported an error: " +
                            (e.is_object() ? scalarText(e.value("msg", json())) : e.dump()) + ".");
        }
        if (!j["data"].is_array() && !j["data"].is_null())
            return fail(ErrorCode::Parse, "The Jaeger answer's \"data\" is not an array of traces.");
        if (j["data"].is_array())
            for (const auto& t : j["data"])
                if (auto r = addTrace(t); !r)
                    return std::unexpected(r.error());
    } else if (j.is_object() && j.contains("spans")) {
        if (auto r = addTrace(j); !r)
            return std::unexpected(r.error());
    } else if (j.is_object() && j.contains("spanID")) {
        auto s = jaegerSpan(j, {});
        if (!s)
            return std::unexpected(s.error());
        spans.push_back(std::move(*s));
    } else if (j.is_array()) {
        for (const auto& t : j)
            if (auto r = addTrace(t); !r)
                return std::unexpected(r.error());
    } else {
        return fail(ErrorCode::Parse, "The JSON is not in a Jaeger trace format (no data, spans or spanID).");
    }
    return groupSpans(std::move(spans));
}

Result<std::vector<Trace>> parseZipkinJson(std::string_view text) {
    auto dom = parseDom(text, "Zipkin");
    if (!dom)
        return std::unexpected(dom.error());
    const json& j = *dom;
    std::vector<Span> spans;
    auto add = [&spans](const json& s) -> Result<void> {
        auto span = zipkinSpan(s);
        if (!span)
            return std::unexpected(span.error());
        spans.push_back(std::move(*span));
        return {};
    };
    if (j.is_object()) {
        if (auto r = add(j); !r)
            return std::unexpected(r.error());
    } else if (j.is_array()) {
        for (const auto& item : j) {
            if (item.is_array()) { // /api/v2/traces: a list of traces, each a list of spans
                for (const auto& s : item)
                    if (auto r = add(s); !r)
                        return std::unexpected(r.error());
            } else if (auto r = add(item); !r) {
                return std::unexpected(r.error());
            }
        }
    } else {
        return fail(ErrorCode::Parse, "The JSON is not Zipkin v2 spans (expected an array).");
    }
    return groupSpans(std::move(spans));
}

Result<std::vector<Trace>> parseOtlpJson(std::string_view text) {
    auto dom = parseDom(text, "OTLP");
    if (!dom)
        return std::unexpected(dom.error());
    const json& j = *dom;
    const char* rootKey = j.is_object() && j.contains("resourceSpans") ? "resourceSpans"
                          : j.is_object() && j.contains("batches")     ? "batches"
                                                                       : nullptr;
    if (!rootKey || !j[rootKey].is_array())
        return fail(ErrorCode::Parse, "The JSON is not OTLP traces (no resourceSpans array).");
    std::vector<Span> spans;
    for (const auto& rs : j[rootKey]) {
        const auto resource = otlpAttributes(
            rs.contains("resource") ? rs["resource"].value("attributes", json::array()) : json::array());
        const auto get = [&resource](const char* k) {
            auto it = resource.find(k);
            return it == resource.end() ? std::string() : it->second;
        };
        const std::string service = get("service.name");
        const std::string host = !get("host.name").empty() ? get("host.name") : get("k8s.pod.name");
        for (const char* scopeKey : {"scopeSpans", "instrumentationLibrarySpans"}) {
            if (!rs.contains(scopeKey) || !rs[scopeKey].is_array())
                continue;
            for (const auto& ss : rs[scopeKey]) {
                if (!ss.contains("spans") || !ss["spans"].is_array())
                    continue;
                for (const auto& s : ss["spans"]) {
                    if (!s.is_object() || !s.contains("traceId") || !s.contains("spanId"))
                        return fail(ErrorCode::Parse, "An OTLP span lacks traceId or spanId.");
                    Span span;
                    span.traceId = otlpId(s["traceId"]);
                    span.spanId = otlpId(s["spanId"]);
                    if (s.contains("parentSpanId"))
                        span.parentSpanId = otlpId(s["parentSpanId"]);
                    span.operation = s.contains("name") ? scalarText(s["name"]) : std::string();
                    const std::int64_t startNs =
                        s.contains("startTimeUnixNano") ? toInt(s["startTimeUnixNano"]) : 0;
                    const std::int64_t endNs =
                        s.contains("endTimeUnixNano") ? toInt(s["endTimeUnixNano"]) : startNs;
                    span.startUs = startNs / 1000;
                    span.durationUs = std::max<std::int64_t>(0, (endNs - startNs) / 1000);
                    if (s.contains("kind"))
                        span.kind = otlpKind(s["kind"]);
                    span.service = service;
                    span.host = host;
                    span.tags = otlpAttributes(s.value("attributes", json::array()));
                    if (s.contains("status") && s["status"].is_object() && s["status"].contains("code")) {
                        const auto& c = s["status"]["code"];
                        span.error = (c.is_number() && c.get<int>() == 2) ||
                                     (c.is_string() && c.get<std::string>() == "STATUS_CODE_ERROR");
                        if (span.error && s["status"].contains("message"))
                            span.tags["otel.status_description"] = scalarText(s["status"]["message"]);
                    }
                    if (ss.contains("scope") && ss["scope"].is_object() && ss["scope"].contains("name"))
                        span.tags["otel.scope.name"] = scalarText(ss["scope"]["name"]);
                    spans.push_back(std::move(span));
                }
            }
        }
    }
    return groupSpans(std::move(spans));
}

TraceFormat detectTraceFormat(std::string_view text) {
    // Cheap structural sniffing on the first kilobytes: key names differ between the formats.
    const std::string_view head = text.substr(0, 8192);
    if (head.find("\"resourceSpans\"") != std::string_view::npos ||
        head.find("\"batches\"") != std::string_view::npos)
        return TraceFormat::Otlp;
    if (head.find("\"traceID\"") != std::string_view::npos ||
        head.find("\"spanID\"") != std::string_view::npos)
        return TraceFormat::Jaeger;
    if (head.find("\"traceId\"") != std::string_view::npos && head.find("\"id\"") != std::string_view::npos)
        return TraceFormat::Zipkin;
    return TraceFormat::Unknown;
}

Result<std::vector<Trace>> importTraceFile(const std::string& path, TraceFormat format) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(ErrorCode::NotFound, "The trace file cannot be opened.", path);
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(in.tellg());
    if (size > (std::size_t(512) << 20))
        return fail(ErrorCode::LimitExceeded, "The trace file is larger than 512 MiB.", path);
    in.seekg(0);
    std::string text(size, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size)))
        return fail(ErrorCode::Io, "The trace file could not be read.", path);
    if (format == TraceFormat::Unknown)
        format = detectTraceFormat(text);
    Result<std::vector<Trace>> r = fail(ErrorCode::Parse, "");
    switch (format) {
    case TraceFormat::Jaeger:
        r = parseJaegerJson(text);
        break;
    case TraceFormat::Zipkin:
        r = parseZipkinJson(text);
        break;
    case TraceFormat::Otlp:
        r = parseOtlpJson(text);
        break;
    case TraceFormat::Unknown:
        return fail(ErrorCode::Parse, "The file is not Jaeger, Zipkin or OTLP trace JSON.", path);
    }
    if (!r) {
        auto e = r.error();
        e.context = path;
        return std::unexpected(e);
    }
    return r;
}

std::vector<DependencyEdge> dependenciesFromTraces(const std::vector<Trace>& traces) {
    std::map<std::pair<std::string, std::string>, std::uint64_t> counts;
    for (const auto& t : traces) {
        std::unordered_map<std::string, const Span*> byId;
        for (const auto& s : t.spans)
            byId.emplace(s.spanId, &s);
        for (const auto& s : t.spans) {
            if (s.parentSpanId.empty())
                continue;
            auto it = byId.find(s.parentSpanId);
            if (it == byId.end() || it->second->service == s.service || s.service.empty() ||
                it->second->service.empty())
                continue;
            ++counts[{it->second->service, s.service}];
        }
    }
    std::vector<DependencyEdge> out;
    out.reserve(counts.size());
    for (const auto& [k, n] : counts)
        out.push_back({k.first, k.second, n});
    return out;
}

} // namespace cairn::sources
