#include "cairn/sources/prometheus.h"

#include "cairn/sources/jsondom.h"
#include "cairn/sources/jsonscan.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_map>

namespace cairn::sources {

namespace {

using json = nlohmann::json;

bool parseSampleValue(std::string_view s, double& out) {
    if (!s.empty() && ((s[0] >= '0' && s[0] <= '9') || s[0] == '-') && jsonNumber(s, out))
        return true;
    if (s == "NaN") {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (s == "+Inf" || s == "Inf") {
        out = std::numeric_limits<double>::infinity();
        return true;
    }
    if (s == "-Inf") {
        out = -std::numeric_limits<double>::infinity();
        return true;
    }
    const char* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, out);
    return ec == std::errc() && p == end;
}

TimeMs secondsToMs(double seconds) {
    return static_cast<TimeMs>(std::llround(seconds * 1000.0));
}

// "1435781430.781" -> 1435781430781 without going through a double; other layouts (exponents,
// more than 3 decimals) fall back to the double path.
bool secondsTextToMs(std::string_view raw, TimeMs& out) {
    const char* p = raw.data();
    const char* const end = p + raw.size();
    bool neg = false;
    if (p < end && *p == '-') {
        neg = true;
        ++p;
    }
    std::int64_t secs = 0;
    const char* digitsStart = p;
    while (p < end && *p >= '0' && *p <= '9' && p - digitsStart < 15)
        secs = secs * 10 + (*p++ - '0');
    if (p == digitsStart)
        return false;
    std::int64_t ms = 0;
    if (p < end && *p == '.') {
        ++p;
        int n = 0;
        while (p < end && *p >= '0' && *p <= '9' && n < 3) {
            ms = ms * 10 + (*p++ - '0');
            ++n;
        }
        for (; n < 3; ++n)
            ms *= 10;
    }
    if (p != end) {
        double d = 0;
        if (!jsonNumber(raw, d) || !std::isfinite(d))
            return false;
        out = secondsToMs(d);
        return true;
    }
    out = (neg ? -1 : 1) * (secs * 1000 + ms);
    return true;
}

// Streaming handler (jsonscan.h) for {"status":..,"data":{"resultType":..,"result":[...]},"warnings":[..]}.
// It keeps a stack of frames that know their role, so each sample costs a few integer compares.
class QueryDecoder {
public:
    enum class Role : unsigned char {
        Root,
        Data,
        Result,
        SeriesObj,
        Metric,
        Values,
        Sample,
        Warnings,
        Other
    };
    struct Frame {
        Role role;
        bool isArray;
        int index = 0;   // arrays: position of the next element
        std::string key; // objects: the current key (only kept where it matters)
    };

    PromQueryResult result;
    std::string status, errorType, errorText, resultType;
    std::string failure; // set on a structural problem

    bool null() { return value(nullptr, nullptr); }
    bool boolean(bool) { return value(nullptr, nullptr); }
    bool number(std::string_view raw) {
        if (m_inSample && m_sampleIndex == 0) { // the hot path: a sample time in float seconds
            if (!secondsTextToMs(raw, m_sampleTime))
                return fail("a sample time is not a number");
            ++m_sampleIndex;
            return true;
        }
        double v = 0;
        if (!jsonNumber(raw, v))
            return fail("malformed number");
        return value(&v, nullptr);
    }
    bool string(std::string_view s) { return value(nullptr, &s); }

    bool key(std::string_view k) {
        Frame& f = m_stack.back();
        switch (f.role) {
        case Role::Root:
        case Role::Data:
        case Role::SeriesObj:
        case Role::Metric:
            f.key.assign(k);
            break;
        default:
            break;
        }
        return true;
    }

    bool startObject() {
        // Samples are not on the stack, so nothing may nest inside one (the fuzzer found that a nested
        // array in a sample ended the enclosing frame and later popped an empty stack).
        if (m_inSample)
            return fail("a sample is not a [time, \"value\"] pair");
        Role role = Role::Other;
        if (m_stack.empty()) {
            role = Role::Root;
        } else {
            const Frame& p = m_stack.back();
            if (p.role == Role::Root && p.key == "data")
                role = Role::Data;
            else if (p.role == Role::Result)
                role = Role::SeriesObj;
            else if (p.role == Role::SeriesObj && p.key == "metric")
                role = Role::Metric;
        }
        if (role == Role::SeriesObj)
            m_current = ts::Series{};
        m_stack.push_back(Frame{role, false, 0, {}});
        return true;
    }

    bool endObject() {
        if (m_stack.empty())
            return fail("unbalanced JSON");
        const Role role = m_stack.back().role;
        m_stack.pop_back();
        if (role == Role::SeriesObj) {
            result.samples += m_current.time.size();
            result.series.push_back(std::move(m_current));
        }
        advance();
        return true;
    }

    bool startArray() {
        if (m_inSample)
            return fail("a sample is not a [time, \"value\"] pair");
        Role role = Role::Other;
        if (!m_stack.empty()) {
            const Frame& p = m_stack.back();
            if (p.role == Role::Values)
                role = Role::Sample;
            else if (p.role == Role::Data && p.key == "result")
                role = Role::Result;
            else if (p.role == Role::SeriesObj && p.key == "values")
                role = Role::Values;
            else if (p.role == Role::SeriesObj && p.key == "value")
                role = Role::Sample;
            else if (p.role == Role::Root && p.key == "warnings")
                role = Role::Warnings;
        }
        if (role == Role::Values && m_lastSeriesSize > 0) {
            // Series of one query are alike: reserve what the previous one needed.
            m_current.time.reserve(m_lastSeriesSize);
            m_current.value.reserve(m_lastSeriesSize);
        }
        if (role == Role::Sample) {
            m_sampleIndex = 0;
            m_inSample = true;
            return true; // samples are not pushed on the stack: the hot path stays flat
        }
        m_stack.push_back(Frame{role, true, 0, {}});
        return true;
    }

    bool endArray() {
        if (m_inSample) {
            m_inSample = false;
            if (m_sampleIndex != 2)
                return fail("a sample is not a [time, \"value\"] pair");
            if (!m_current.time.empty() && m_sampleTime <= m_current.time.back())
                return fail("sample times are not increasing");
            m_current.time.push_back(m_sampleTime);
            m_current.value.push_back(m_sampleValue);
            advance();
            return true;
        }
        if (m_stack.empty())
            return fail("unbalanced JSON");
        const Role role = m_stack.back().role;
        m_stack.pop_back();
        if (role == Role::Values)
            m_lastSeriesSize = m_current.time.size();
        advance();
        return true;
    }

    bool fail(std::string why) {
        if (failure.empty())
            failure = std::move(why);
        return false;
    }

    bool finishScalar() {
        if (m_scalar.empty())
            return true;
        if (m_scalar.size() != 2)
            return fail("a scalar result is not a [time, \"value\"] pair");
        if (resultType == "string") {
            result.stringValue = m_scalar[1];
            return true;
        }
        double t = 0, v = 0;
        if (!parseSampleValue(m_scalar[0], t) || !parseSampleValue(m_scalar[1], v))
            return fail("a scalar result is not a [time, \"value\"] pair");
        ts::Series s;
        s.time.push_back(secondsToMs(t));
        s.value.push_back(v);
        result.series.push_back(std::move(s));
        result.samples = 1;
        return true;
    }

private:
    void advance() {
        if (!m_stack.empty() && m_stack.back().isArray)
            ++m_stack.back().index;
    }

    // One scalar JSON value: a number (num set), a string (str set) or anything else (both null).
    bool value(const double* num, const std::string_view* str) {
        if (m_inSample) {
            if (m_sampleIndex == 0) {
                double t = 0;
                if (num)
                    t = *num;
                else if (!str || !parseSampleValue(*str, t))
                    return fail("a sample time is not a number");
                m_sampleTime = secondsToMs(t);
            } else if (m_sampleIndex == 1) {
                if (str) {
                    if (!parseSampleValue(*str, m_sampleValue))
                        return fail("a sample value \"" + std::string(str->substr(0, 40)) +
                                    "\" is not a number");
                } else if (num) {
                    m_sampleValue = *num;
                } else {
                    return fail("a sample value is not a number");
                }
            } else {
                return fail("a sample is not a [time, \"value\"] pair");
            }
            ++m_sampleIndex;
            return true;
        }
        if (m_stack.empty())
            return fail("the answer is not a JSON object");
        Frame& f = m_stack.back();
        switch (f.role) {
        case Role::Metric:
            if (!str)
                return fail("a label value is not a string");
            if (f.key == "__name__")
                m_current.id.metric.assign(*str);
            else
                m_current.id.labels.emplace(f.key, *str);
            break;
        case Role::Root:
            if (str) {
                if (f.key == "status")
                    status.assign(*str);
                else if (f.key == "errorType")
                    errorType.assign(*str);
                else if (f.key == "error")
                    errorText.assign(*str);
            }
            break;
        case Role::Data:
            if (str && f.key == "resultType")
                resultType.assign(*str);
            break;
        case Role::Result:
            // Scalar/string result: [time, "value"] straight inside "result".
            if (num) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.17g", *num);
                m_scalar.emplace_back(buf);
            } else if (str) {
                m_scalar.emplace_back(*str);
            }
            break;
        case Role::Warnings:
            if (str)
                result.warnings.emplace_back(*str);
            break;
        default:
            break;
        }
        advance();
        return true;
    }

    std::vector<Frame> m_stack;
    ts::Series m_current;
    std::size_t m_lastSeriesSize = 0;
    bool m_inSample = false;
    int m_sampleIndex = 0;
    TimeMs m_sampleTime = 0;
    double m_sampleValue = 0;
    std::vector<std::string> m_scalar;
};

std::string formatSeconds(TimeMs ms) {
    char buf[40];
    const bool neg = ms < 0;
    const TimeMs a = neg ? -ms : ms;
    std::snprintf(buf, sizeof buf, "%s%lld.%03lld", neg ? "-" : "", static_cast<long long>(a / 1000),
                  static_cast<long long>(a % 1000));
    return buf;
}

std::string stepText(TimeMs step) {
    if (step % 1000 == 0)
        return std::to_string(step / 1000);
    return formatSeconds(step);
}

std::vector<std::string> stringArray(const json& j) {
    std::vector<std::string> out;
    if (!j.is_array())
        return out;
    for (const auto& v : j)
        if (v.is_string())
            out.push_back(v.get<std::string>());
    return out;
}

std::string str(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    return it->dump();
}

ts::Labels labelsOf(const json& obj) {
    ts::Labels out;
    if (!obj.is_object())
        return out;
    for (const auto& [k, v] : obj.items())
        out[k] = v.is_string() ? v.get<std::string>() : v.dump();
    return out;
}

} // namespace

namespace {

// What both decoders do once the whole body was read: check the status and the result type.
Result<PromQueryResult> finishDecode(QueryDecoder& decoder) {
    if (decoder.status == "error")
        return fail(ErrorCode::InvalidArgument,
                    "Prometheus rejected the query: " +
                        (decoder.errorType.empty() ? std::string() : decoder.errorType + ": ") +
                        decoder.errorText + ".");
    if (decoder.status != "success")
        return fail(ErrorCode::Parse,
                    "The Prometheus answer has no \"status\":\"success\" (is this a Prometheus "
                    "API endpoint?).");
    if (!decoder.finishScalar())
        return fail(ErrorCode::Parse, "The Prometheus answer could not be decoded: " + decoder.failure + ".");
    auto& r = decoder.result;
    if (decoder.resultType == "matrix")
        r.type = PromResultType::Matrix;
    else if (decoder.resultType == "vector")
        r.type = PromResultType::Vector;
    else if (decoder.resultType == "scalar")
        r.type = PromResultType::Scalar;
    else if (decoder.resultType == "string")
        r.type = PromResultType::String;
    else
        return fail(ErrorCode::Parse,
                    "The Prometheus answer has an unknown resultType \"" + decoder.resultType + "\".");
    // cppcheck-suppress returnStdMoveLocal ; r refers into the decoder (not a local): move, not copy
    return std::move(r);
}

Result<PromQueryResult> malformed(const QueryDecoder& decoder, std::size_t offset,
                                  const std::string& reason) {
    const std::string why = !decoder.failure.empty()
                                ? decoder.failure
                                : "malformed JSON at byte " + std::to_string(offset) + " (" + reason + ")";
    return fail(ErrorCode::Parse, "The Prometheus answer could not be decoded: " + why + ".");
}

// nlohmann::json's SAX interface (json_sax_t) driving the same QueryDecoder: no DOM, no per-value allocation
// in the handler (strings and keys are handed over as views of the lexer's buffer; integers are formatted
// into a stack buffer for the decoder, floats come with the lexer's raw text).
class NlohmannSaxAdapter {
public:
    using json = nlohmann::json;
    explicit NlohmannSaxAdapter(QueryDecoder& d)
        : m_d(d) {}

    bool null() { return m_d.null(); }
    bool boolean(bool b) { return m_d.boolean(b); }
    bool number_integer(json::number_integer_t v) { return integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return integer(v); }
    bool number_float(json::number_float_t, const json::string_t& raw) { return m_d.number(raw); }
    bool string(json::string_t& s) { return m_d.string(s); }
    bool binary(json::binary_t&) { return m_d.fail("binary values are not JSON"); }
    bool start_object(std::size_t) { return m_d.startObject(); }
    bool key(json::string_t& k) { return m_d.key(k); }
    bool end_object() { return m_d.endObject(); }
    bool start_array(std::size_t) { return m_d.startArray(); }
    bool end_array() { return m_d.endArray(); }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
        m_errorOffset = position == 0 ? 0 : position - 1;
        // "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error..." -> from
        // "syntax"
        std::string_view what = ex.what();
        if (const auto colon = what.find(": "); colon != std::string_view::npos)
            what.remove_prefix(colon + 2);
        m_error = std::string(what);
        return false;
    }

    std::size_t errorOffset() const { return m_errorOffset; }
    const std::string& error() const { return m_error; }

private:
    template <class T> bool integer(T v) {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        return m_d.number(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    }

    QueryDecoder& m_d;
    std::size_t m_errorOffset = 0;
    std::string m_error;
};

} // namespace

Result<PromQueryResult> decodePrometheusQuery(std::string_view body) {
    QueryDecoder decoder;
    JsonScanError err;
    if (!scanJson(body, decoder, &err))
        return malformed(decoder, err.offset, err.reason);
    return finishDecode(decoder);
}

Result<PromQueryResult> decodePrometheusQueryNlohmannSax(std::string_view body) {
    QueryDecoder decoder;
    NlohmannSaxAdapter sax(decoder);
    bool ok = false;
    try {
        ok = nlohmann::json::sax_parse(body.begin(), body.end(), &sax, nlohmann::json::input_format_t::json,
                                       true);
    } catch (const nlohmann::json::exception& e) { // not expected from sax_parse; kept at the edge anyway
        return fail(ErrorCode::Parse,
                    std::string("The Prometheus answer could not be decoded: ") + e.what() + ".");
    }
    if (!ok)
        return malformed(decoder, sax.errorOffset(), sax.error());
    return finishDecode(decoder);
}

TimeMs chooseStep(const TimeRange& range, int widthPx, TimeMs minStepMs) {
    static constexpr TimeMs kNice[] = {1 * kSecondMs,  2 * kSecondMs,  5 * kSecondMs,  10 * kSecondMs,
                                       15 * kSecondMs, 30 * kSecondMs, kMinuteMs,      2 * kMinuteMs,
                                       5 * kMinuteMs,  10 * kMinuteMs, 15 * kMinuteMs, 30 * kMinuteMs,
                                       kHourMs,        2 * kHourMs,    3 * kHourMs,    6 * kHourMs,
                                       12 * kHourMs,   kDayMs,         2 * kDayMs,     kWeekMs};
    const TimeMs duration = std::max<TimeMs>(range.duration(), 1);
    const TimeMs raw = (duration + std::max(widthPx, 1) - 1) / std::max(widthPx, 1);
    const TimeMs wanted = std::max(raw, std::max<TimeMs>(minStepMs, 1));
    for (TimeMs s : kNice)
        if (s >= wanted)
            return s;
    return ((wanted + kWeekMs - 1) / kWeekMs) * kWeekMs;
}

std::vector<TimeRange> splitRange(const TimeRange& range, TimeMs step, std::size_t maxPoints) {
    std::vector<TimeRange> out;
    if (!range.valid() || step <= 0 || maxPoints == 0)
        return out;
    const TimeMs span = step * static_cast<TimeMs>(maxPoints);
    for (TimeMs a = range.start; a < range.end; a += span)
        out.push_back({a, std::min(range.end, a + span)});
    return out;
}

namespace promql {

std::string duration(TimeMs ms) {
    if (ms <= 0)
        return "0s";
    if (ms % kDayMs == 0)
        return std::to_string(ms / kDayMs) + "d";
    if (ms % kHourMs == 0)
        return std::to_string(ms / kHourMs) + "h";
    if (ms % kMinuteMs == 0)
        return std::to_string(ms / kMinuteMs) + "m";
    if (ms % kSecondMs == 0)
        return std::to_string(ms / kSecondMs) + "s";
    return std::to_string(ms) + "ms";
}

std::string aggregate(std::string_view op, const std::vector<std::string>& by, std::string_view expr) {
    std::string out(op);
    if (!by.empty()) {
        out += " by (";
        for (std::size_t i = 0; i < by.size(); ++i) {
            if (i)
                out += ", ";
            out += by[i];
        }
        out += ')';
    }
    out += " (";
    out += expr;
    out += ')';
    return out;
}

std::string rate(std::string_view selector, TimeMs window) {
    return "rate(" + std::string(selector) + "[" + duration(window) + "])";
}

} // namespace promql

PrometheusSource::PrometheusSource(PrometheusOptions options)
    : m_options(std::move(options))
    , m_http(namedHttpOptions(m_options, "Prometheus")) {}

Result<std::string> PrometheusSource::call(const std::string& path,
                                           const std::vector<std::pair<std::string, std::string>>& params,
                                           const CancelToken& cancel) {
    if (m_options.url.empty())
        return fail(ErrorCode::InvalidArgument, "Prometheus source '" + m_options.name + "' has no URL.");
    HttpRequest req;
    req.url = joinUrl(m_options.url, path);
    req.allowErrorStatus = true;
    // POST keeps long selectors out of the URL; every API server in the family accepts it for reads.
    const bool post = path == "/api/v1/query" || path == "/api/v1/query_range" || path == "/api/v1/series" ||
                      path == "/api/v1/labels";
    if (post) {
        req.method = "POST";
        req.body = formEncode(params);
        req.contentType = "application/x-www-form-urlencoded";
        req.idempotent = true;
    } else if (!params.empty()) {
        req.url += '?';
        req.url += formEncode(params);
    }
    ++m_requests;
    auto resp = m_http.send(req, cancel);
    if (!resp)
        return std::unexpected(resp.error());
    if (resp->status >= 200 && resp->status < 300)
        return std::move(resp->body);
    // Prometheus explains 400/422/503 in a JSON body: {"status":"error","errorType":..,"error":..}.
    std::string sentence =
        m_http.errorPrefix(req.url) + "the server answered HTTP " + std::to_string(resp->status);
    try {
        auto j = parseJsonDom<json>(resp->body);
        if (j.is_object() && j.contains("error"))
            sentence += " (" + str(j, "errorType") + ": " + str(j, "error") + ")";
    } catch (const std::exception&) {
        std::string snippet = resp->body.substr(0, 160);
        std::replace(snippet.begin(), snippet.end(), '\n', ' ');
        if (!snippet.empty())
            sentence += " \"" + snippet + "\"";
    }
    return fail(resp->status == 400 || resp->status == 422 ? ErrorCode::InvalidArgument
                                                           : ErrorCode::HttpStatus,
                sentence + ".");
}

Result<nlohmann::json>
PrometheusSource::callJson(const std::string& path,
                           const std::vector<std::pair<std::string, std::string>>& params,
                           const CancelToken& cancel) {
    auto body = call(path, params, cancel);
    if (!body)
        return std::unexpected(body.error());
    const std::string where = m_options.name + " " + joinUrl(redactUrl(m_options.url), path);
    try {
        json j = parseJsonDom<json>(*body);
        if (!j.is_object() || str(j, "status") != "success")
            return fail(ErrorCode::Parse,
                        "Prometheus source '" + m_options.name + "' answered without \"status\":\"success\".",
                        where);
        return std::move(j["data"]);
    } catch (const json::exception& e) {
        return fail(ErrorCode::Parse,
                    "Prometheus source '" + m_options.name + "' sent malformed JSON (" + e.what() + ").",
                    where);
    }
}

Result<PromQueryResult> PrometheusSource::queryRange(const std::string& promql, const TimeRange& range,
                                                     TimeMs step, const CancelToken& cancel) {
    const std::string ctx = "query: " + promql;
    if (promql.empty())
        return fail(ErrorCode::InvalidArgument, "The PromQL query is empty.", m_options.name);
    if (!range.valid())
        return fail(ErrorCode::InvalidArgument, "The time range is empty (end is not after start).", ctx);
    if (step <= 0)
        return fail(ErrorCode::InvalidArgument, "The step must be positive.", ctx);
    // Align the first evaluation to a multiple of the step: stable points across polls.
    const TimeMs first = ((range.start + step - 1) / step) * step;
    if (first >= range.end)
        return PromQueryResult{PromResultType::Matrix, {}, {}, {}, 0};
    const auto pieces = splitRange({first, range.end}, step, m_options.maxPointsPerSeries);
    if (pieces.size() > 1000)
        return fail(ErrorCode::LimitExceeded,
                    "The query asks for " + std::to_string((range.end - first) / step) +
                        " points per series; choose a coarser step.",
                    ctx);

    PromQueryResult merged;
    std::map<ts::SeriesId, std::size_t> index;
    for (const auto& piece : pieces) {
        if (cancel.isCancelled())
            return fail(ErrorCode::Cancelled, "The query was cancelled.", ctx);
        // Prometheus' end is inclusive; ours is exclusive: stop one millisecond short.
        auto body = call("/api/v1/query_range",
                         {{"query", promql},
                          {"start", formatSeconds(piece.start)},
                          {"end", formatSeconds(piece.end - 1)},
                          {"step", stepText(step)}},
                         cancel);
        auto part = decodeResponse(body, m_http.options().sourceName, ctx, decodePrometheusQuery);
        if (!part)
            return std::unexpected(part.error());
        merged.type = part->type;
        merged.samples += part->samples;
        for (auto& w : part->warnings)
            merged.warnings.push_back(std::move(w));
        if (pieces.size() == 1) {
            merged.series = std::move(part->series);
            break;
        }
        for (auto& s : part->series) {
            auto [it, inserted] = index.try_emplace(s.id, merged.series.size());
            if (inserted) {
                merged.series.push_back(std::move(s));
                continue;
            }
            auto& dst = merged.series[it->second];
            for (std::size_t i = 0; i < s.time.size(); ++i) {
                if (!dst.time.empty() && s.time[i] <= dst.time.back())
                    continue;
                dst.time.push_back(s.time[i]);
                dst.value.push_back(s.value[i]);
            }
        }
    }
    return merged;
}

Result<PromQueryResult> PrometheusSource::queryInstant(const std::string& promql, TimeMs at,
                                                       const CancelToken& cancel) {
    const std::string ctx = "query: " + promql;
    if (promql.empty())
        return fail(ErrorCode::InvalidArgument, "The PromQL query is empty.", m_options.name);
    auto body = call("/api/v1/query", {{"query", promql}, {"time", formatSeconds(at)}}, cancel);
    return decodeResponse(body, m_http.options().sourceName, ctx, decodePrometheusQuery);
}

Result<std::vector<ts::SeriesId>> PrometheusSource::series(const std::vector<std::string>& matchers,
                                                           const TimeRange& range,
                                                           const CancelToken& cancel) {
    std::vector<std::pair<std::string, std::string>> params;
    params.reserve(matchers.size() + 2);
    for (const auto& m : matchers)
        params.emplace_back("match[]", m);
    if (range.valid()) {
        params.emplace_back("start", formatSeconds(range.start));
        params.emplace_back("end", formatSeconds(range.end));
    }
    auto data = callJson("/api/v1/series", params, cancel);
    if (!data)
        return std::unexpected(data.error());
    std::vector<ts::SeriesId> out;
    if (!data->is_array())
        return out;
    for (const auto& item : *data) {
        ts::SeriesId id;
        id.labels = labelsOf(item);
        if (auto it = id.labels.find("__name__"); it != id.labels.end()) {
            id.metric = it->second;
            id.labels.erase(it);
        }
        out.push_back(std::move(id));
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<std::vector<ts::SeriesId>> PrometheusSource::listSeries(const ts::Selector& selector,
                                                               const CancelToken& cancel) {
    const bool empty = selector.metric.empty() && selector.equals.empty();
    const std::string matcher = empty ? std::string("{__name__=~\".+\"}") : selector.toString();
    const TimeMs now = nowMs();
    return series({matcher}, {now - m_options.seriesLookbackMs, now}, cancel);
}

Result<std::vector<ts::Series>> PrometheusSource::query(const MetricQuery& q, const CancelToken& cancel) {
    const bool empty = q.selector.metric.empty() && q.selector.equals.empty();
    if (empty)
        return fail(ErrorCode::InvalidArgument,
                    "Select a metric or a label: Cairn does not fetch every series of "
                    "a Prometheus server at once.",
                    m_options.name);
    const TimeMs step = std::max(q.step, m_options.minStepMs);
    auto r = queryRange(q.selector.toString(), q.range, step, cancel);
    if (!r)
        return std::unexpected(r.error());
    return std::move(r->series);
}

Result<std::vector<std::string>> PrometheusSource::labelNames(const CancelToken& cancel) {
    auto data = callJson("/api/v1/labels", {}, cancel);
    if (!data)
        return std::unexpected(data.error());
    return stringArray(*data);
}

Result<std::vector<std::string>> PrometheusSource::labelValues(const std::string& label,
                                                               const CancelToken& cancel) {
    if (label.empty())
        return fail(ErrorCode::InvalidArgument, "A label name is needed to list its values.", m_options.name);
    auto data = callJson("/api/v1/label/" + urlEncode(label) + "/values", {}, cancel);
    if (!data)
        return std::unexpected(data.error());
    return stringArray(*data);
}

Result<std::vector<PromMetricMetadata>> PrometheusSource::metadata(const std::string& metric,
                                                                   const CancelToken& cancel) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!metric.empty())
        params.emplace_back("metric", metric);
    auto data = callJson("/api/v1/metadata", params, cancel);
    if (!data)
        return std::unexpected(data.error());
    std::vector<PromMetricMetadata> out;
    if (!data->is_object())
        return out;
    for (const auto& [name, entries] : data->items()) {
        if (!entries.is_array() || entries.empty() || !entries.front().is_object())
            continue;
        const auto& e = entries.front();
        out.push_back({name, str(e, "type"), str(e, "help"), str(e, "unit")});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.metric < b.metric; });
    return out;
}

Result<std::vector<PromAlert>> PrometheusSource::alerts(const CancelToken& cancel) {
    auto data = callJson("/api/v1/alerts", {}, cancel);
    if (!data)
        return std::unexpected(data.error());
    std::vector<PromAlert> out;
    if (!data->is_object() || !data->contains("alerts") || !(*data)["alerts"].is_array())
        return out;
    for (const auto& a : (*data)["alerts"]) {
        PromAlert alert;
        alert.labels = labelsOf(a.value("labels", json::object()));
        for (const auto& [k, v] : labelsOf(a.value("annotations", json::object())))
            alert.annotations[k] = v;
        alert.state = str(a, "state");
        alert.activeAt = str(a, "activeAt");
        alert.value = str(a, "value");
        out.push_back(std::move(alert));
    }
    return out;
}

Result<std::vector<PromRuleGroup>> PrometheusSource::rules(const CancelToken& cancel) {
    auto data = callJson("/api/v1/rules", {}, cancel);
    if (!data)
        return std::unexpected(data.error());
    std::vector<PromRuleGroup> out;
    if (!data->is_object() || !data->contains("groups") || !(*data)["groups"].is_array())
        return out;
    for (const auto& g : (*data)["groups"]) {
        PromRuleGroup group;
        group.name = str(g, "name");
        group.file = str(g, "file");
        if (g.contains("interval") && g["interval"].is_number())
            group.intervalSeconds = g["interval"].get<double>();
        if (g.contains("rules") && g["rules"].is_array()) {
            for (const auto& r : g["rules"]) {
                PromRule rule;
                rule.name = str(r, "name");
                rule.query = str(r, "query");
                rule.type = str(r, "type");
                rule.health = str(r, "health");
                rule.state = str(r, "state");
                rule.lastError = str(r, "lastError");
                if (r.contains("duration") && r["duration"].is_number())
                    rule.durationSeconds = r["duration"].get<double>();
                rule.labels = labelsOf(r.value("labels", json::object()));
                group.rules.push_back(std::move(rule));
            }
        }
        out.push_back(std::move(group));
    }
    return out;
}

Result<std::string> PrometheusSource::version(const CancelToken& cancel) {
    auto data = callJson("/api/v1/status/buildinfo", {}, cancel);
    if (data)
        return data->is_object() && data->contains("version") ? str(*data, "version")
                                                              : std::string("unknown");
    // Thanos and some proxies have no buildinfo: fall back to a cheap query that proves the API works.
    if (data.error().code != ErrorCode::HttpStatus)
        return std::unexpected(data.error());
    auto probe = queryInstant("1", nowMs(), cancel);
    if (!probe)
        return std::unexpected(probe.error());
    return std::string("unknown");
}

} // namespace cairn::sources
