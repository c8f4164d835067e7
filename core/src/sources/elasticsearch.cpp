#include "cairn/sources/elasticsearch.h"

#include "cairn/sources/jsondom.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace cairn::sources {

namespace {

using json = nlohmann::json;

// A field by dotted path: a flat key "log.level" first, then nested objects log -> level.
const json* fieldAt(const json& source, const std::string& path) {
    if (path.empty() || !source.is_object())
        return nullptr;
    if (auto it = source.find(path); it != source.end())
        return &*it;
    const json* cur = &source;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        const auto dot = path.find('.', pos);
        const std::string part = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
        if (!cur->is_object())
            return nullptr;
        auto it = cur->find(part);
        if (it == cur->end()) {
            // The rest may be a flat key inside this object ("log": {"level.name": ...}).
            auto flat = cur->find(path.substr(pos));
            return flat == cur->end() ? nullptr : &*flat;
        }
        cur = &*it;
        if (dot == std::string::npos)
            return cur;
        pos = dot + 1;
    }
    return nullptr;
}

std::string text(const json* v) {
    if (!v || v->is_null())
        return {};
    if (v->is_string())
        return v->get<std::string>();
    if (v->is_array() && !v->empty())
        return text(&v->front());
    return v->dump();
}

void flatten(const json& v, const std::string& prefix, std::map<std::string, std::string>& out,
             int depth = 0) {
    if (v.is_object() && depth < 8) {
        for (const auto& [k, child] : v.items())
            flatten(child, prefix.empty() ? k : prefix + "." + k, out, depth + 1);
        return;
    }
    out[prefix] = v.is_string() ? v.get<std::string>() : v.dump();
}

// A document timestamp: epoch milliseconds (number or digits) or an ISO date (zone-less means UTC).
std::optional<TimeMs> parseDocTime(const json* v) {
    if (!v)
        return std::nullopt;
    if (v->is_number_integer() || v->is_number_unsigned())
        return v->get<TimeMs>();
    if (v->is_number_float())
        return int64FromDouble(v->get<double>());
    if (!v->is_string())
        return std::nullopt;
    std::string s = v->get<std::string>();
    if (!s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::stoll(s);
    if (auto t = parseTime(s))
        return *t;
    // "2009-11-15T14:12:12" (no zone): Elasticsearch reads it as UTC.
    if (s.size() >= 19 && s[10] == 'T') {
        std::string spaced = s;
        spaced[10] = ' ';
        if (auto t = parseTime(spaced))
            return *t;
    }
    return std::nullopt;
}

std::vector<std::string> levelSpellings(LogLevel min) {
    static const std::vector<std::pair<LogLevel, std::vector<std::string>>> kNames = {
        {LogLevel::Trace, {"trace", "verbose"}},
        {LogLevel::Debug, {"debug"}},
        {LogLevel::Info, {"info", "information", "notice"}},
        {LogLevel::Warn, {"warn", "warning"}},
        {LogLevel::Error, {"error", "err", "severe"}},
        {LogLevel::Fatal, {"fatal", "critical", "crit", "panic", "emerg", "alert"}},
    };
    std::vector<std::string> out;
    for (const auto& [level, names] : kNames) {
        if (level < min)
            continue;
        for (const auto& n : names) {
            std::string upper = n, title = n;
            std::transform(upper.begin(), upper.end(), upper.begin(),
                           [](unsigned char c) { return std::toupper(c); });
            title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
            out.push_back(n);
            out.push_back(upper);
            out.push_back(title);
        }
    }
    return out;
}

std::string esErrorReason(const std::string& body) {
    try {
        auto j = parseJsonDom<json>(body);
        if (j.is_object() && j.contains("error")) {
            const auto& e = j["error"];
            if (e.is_string())
                return e.get<std::string>();
            std::string type = e.value("type", std::string());
            std::string reason = e.value("reason", std::string());
            if (e.contains("root_cause") && e["root_cause"].is_array() && !e["root_cause"].empty()) {
                const auto& rc = e["root_cause"].front();
                if (reason.empty())
                    reason = rc.value("reason", std::string());
                if (type.empty())
                    type = rc.value("type", std::string());
            }
            return type.empty() ? reason : type + ": " + reason;
        }
    } catch (const std::exception&) {
    }
    std::string snippet = body.substr(0, 160);
    std::replace(snippet.begin(), snippet.end(), '\n', ' ');
    return snippet;
}

} // namespace

json buildElasticsearchQuery(const LogQuery& q, const LogFieldMapping& fields) {
    json filter = json::array();
    filter.push_back(
        {{"range",
          {{fields.timestamp, {{"gte", q.range.start}, {"lt", q.range.end}, {"format", "epoch_millis"}}}}}});
    if (!q.service.empty())
        filter.push_back({{"term", {{fields.service, q.service}}}});
    if (!q.host.empty())
        filter.push_back({{"term", {{fields.host, q.host}}}});
    if (!q.contains.empty())
        filter.push_back({{"match_phrase", {{fields.message, q.contains}}}});
    if (q.minLevel > LogLevel::Trace && q.minLevel != LogLevel::Unknown)
        filter.push_back({{"terms", {{fields.level, levelSpellings(q.minLevel)}}}});
    return {{"bool", {{"filter", filter}}}};
}

namespace {

Result<std::vector<LogCountBucket>> decodeBuckets(const json& j) {
    if (!j.is_object() || !j.contains("aggregations") || !j["aggregations"].is_object())
        return fail(ErrorCode::Parse, "The Elasticsearch answer has no aggregations.");
    for (const auto& [name, agg] : j["aggregations"].items()) {
        if (!agg.is_object() || !agg.contains("buckets") || !agg["buckets"].is_array())
            continue;
        std::vector<LogCountBucket> out;
        for (const auto& b : agg["buckets"]) {
            if (!b.is_object() || !b.contains("key") || !b["key"].is_number() || !b.contains("doc_count") ||
                !b["doc_count"].is_number())
                return fail(ErrorCode::Parse, "A date_histogram bucket lacks a numeric key or doc_count.",
                            name);
            // Converting a double outside the target type's range is undefined: check before casting.
            const auto key = int64FromDouble(b["key"].get<double>());
            const json& count = b["doc_count"];
            const double countValue = count.get<double>();
            if (!key || !std::isfinite(countValue) || countValue < 0 || countValue >= 1.8e19)
                return fail(ErrorCode::Parse, "A date_histogram bucket has a key or doc_count out of range.",
                            name);
            out.push_back({*key, count.is_number_unsigned() ? count.get<std::uint64_t>()
                                                            : static_cast<std::uint64_t>(countValue)});
        }
        return out;
    }
    return fail(ErrorCode::Parse, "The Elasticsearch answer has no bucket aggregation.");
}

} // namespace

Result<std::vector<LogCountBucket>> decodeDateHistogram(std::string_view body) {
    try {
        return decodeBuckets(parseJsonDom<json>(body));
    } catch (const json::exception& e) {
        return fail(ErrorCode::Parse,
                    std::string("The Elasticsearch answer is not valid JSON (") + e.what() + ").");
    }
}

ElasticsearchSource::ElasticsearchSource(ElasticsearchOptions options)
    : m_options(std::move(options))
    , m_http(namedHttpOptions(m_options, "Elasticsearch")) {
    if (m_options.pageSize == 0)
        m_options.pageSize = 1000;
}

Result<json> ElasticsearchSource::post(const std::string& path, const json& body, const CancelToken& cancel,
                                       long* status) {
    if (m_options.url.empty())
        return fail(ErrorCode::InvalidArgument, "Elasticsearch source '" + m_options.name + "' has no URL.");
    HttpRequest req;
    req.method = "POST";
    req.url = joinUrl(m_options.url, path);
    req.body = body.dump();
    req.contentType = "application/json";
    req.idempotent = true; // searches and PIT opens only read
    req.allowErrorStatus = true;
    ++m_requests;
    auto resp = m_http.send(req, cancel);
    if (!resp)
        return std::unexpected(resp.error());
    if (status)
        *status = resp->status;
    if (resp->status < 200 || resp->status >= 300)
        return fail(resp->status == 400 ? ErrorCode::InvalidArgument : ErrorCode::HttpStatus,
                    m_http.errorPrefix(req.url) + "the server answered HTTP " + std::to_string(resp->status) +
                        " (" + esErrorReason(resp->body) + ").");
    try {
        return parseJsonDom<json>(resp->body);
    } catch (const json::exception& e) {
        return fail(ErrorCode::Parse,
                    "Elasticsearch source '" + m_options.name + "' sent malformed JSON (" + e.what() + ").",
                    redactUrl(req.url));
    }
}

std::string ElasticsearchSource::openPointInTime(const CancelToken& cancel) {
    const std::string keep = "?keep_alive=" + urlEncode(m_options.pointInTimeKeepAlive);
    const std::string index = urlEncode(m_options.index);
    // Elasticsearch: POST /<index>/_pit -> {"id"}; OpenSearch: POST /<index>/_search/point_in_time ->
    // {"pit_id"}.
    if (!m_flavourKnown || !m_openSearch) {
        long status = 0;
        auto r = post("/" + index + "/_pit" + keep, json::object(), cancel, &status);
        if (r && r->is_object() && r->contains("id") && (*r)["id"].is_string()) {
            m_flavourKnown = true;
            m_openSearch = false;
            return (*r)["id"].get<std::string>();
        }
    }
    long status = 0;
    auto r = post("/" + index + "/_search/point_in_time" + keep, json::object(), cancel, &status);
    if (r && r->is_object() && r->contains("pit_id") && (*r)["pit_id"].is_string()) {
        m_flavourKnown = true;
        m_openSearch = true;
        return (*r)["pit_id"].get<std::string>();
    }
    return {};
}

void ElasticsearchSource::closePointInTime(const std::string& id) {
    // Best effort: the keep-alive frees it anyway.
    HttpRequest req;
    req.method = "DELETE";
    req.contentType = "application/json";
    req.allowErrorStatus = true;
    if (m_openSearch) {
        req.url = joinUrl(m_options.url, "/_search/point_in_time");
        req.body = json{{"pit_id", json::array({id})}}.dump();
    } else {
        req.url = joinUrl(m_options.url, "/_pit");
        req.body = json{{"id", id}}.dump();
    }
    ++m_requests;
    (void)m_http.send(req, {});
}

namespace {

// hits.hits of a _search answer, or nullptr when the answer has none.
const json* searchHits(const json& page) {
    if (!page.is_object() || !page.contains("hits") || !page["hits"].is_object() ||
        !page["hits"].contains("hits") || !page["hits"]["hits"].is_array())
        return nullptr;
    return &page["hits"]["hits"];
}

} // namespace

LogRecord logRecordFromHit(const json& hit, const LogFieldMapping& f) {
    LogRecord r;
    if (!hit.is_object())
        return r;
    static const json kEmpty = json::object();
    const json& source = hit.contains("_source") && hit["_source"].is_object() ? hit["_source"] : kEmpty;
    // Sort values of a date field are epoch milliseconds: exact and cheap.
    std::optional<TimeMs> t;
    if (hit.contains("sort") && hit["sort"].is_array() && !hit["sort"].empty() && hit["sort"][0].is_number())
        t = int64FromDouble(hit["sort"][0].get<double>()); // beyond int64 it is no epoch-ms date
    if (!t)
        t = parseDocTime(fieldAt(source, f.timestamp));
    r.time = t.value_or(0);
    r.message = text(fieldAt(source, f.message));
    r.level = parseLogLevel(text(fieldAt(source, f.level)));
    r.service = text(fieldAt(source, f.service));
    r.host = text(fieldAt(source, f.host));
    std::map<std::string, std::string> all;
    flatten(source, "", all);
    for (const auto* mapped : {&f.timestamp, &f.message, &f.level, &f.service, &f.host})
        all.erase(*mapped);
    r.fields = std::move(all);
    if (hit.contains("_id") && hit["_id"].is_string())
        r.fields["_id"] = hit["_id"].get<std::string>();
    if (hit.contains("_index") && hit["_index"].is_string())
        r.fields["_index"] = hit["_index"].get<std::string>();
    return r;
}

Result<std::vector<LogRecord>> decodeSearchHits(std::string_view body, const LogFieldMapping& fields) {
    try {
        const json page = parseJsonDom<json>(body);
        const json* hits = searchHits(page);
        if (!hits)
            return fail(ErrorCode::Parse, "The Elasticsearch answer has no hits.hits array.");
        std::vector<LogRecord> records;
        records.reserve(hits->size());
        for (const auto& hit : *hits)
            records.push_back(logRecordFromHit(hit, fields));
        return records;
    } catch (const json::exception& e) {
        return fail(ErrorCode::Parse,
                    std::string("The Elasticsearch answer is not valid JSON (") + e.what() + ").");
    }
}

Result<std::size_t> ElasticsearchSource::scan(const LogQuery& query,
                                              const std::function<bool(const LogRecord&)>& sink,
                                              const CancelToken& cancel) {
    const std::string ctx = "index " + m_options.index;
    if (!query.range.valid())
        return fail(ErrorCode::InvalidArgument, "The time range is empty (end is not after start).", ctx);
    const json dsl = buildElasticsearchQuery(query, m_options.fields);
    std::string pit = m_options.usePointInTime ? openPointInTime(cancel) : std::string();
    m_lastUsedPit = !pit.empty();
    json searchAfter;
    std::size_t delivered = 0;
    Result<std::size_t> outcome = 0;
    for (;;) {
        if (cancel.isCancelled()) {
            outcome = fail(ErrorCode::Cancelled, "The log search was cancelled.", ctx);
            break;
        }
        std::size_t size = m_options.pageSize;
        if (query.limit > 0)
            size = std::min(size, query.limit - delivered);
        json body = {
            {"size", size},
            {"query", dsl},
            {"sort",
             json::array({{{m_options.fields.timestamp, {{"order", "asc"}, {"unmapped_type", "date"}}}}})},
            {"track_total_hits", false}};
        if (!searchAfter.is_null())
            body["search_after"] = searchAfter;
        std::string path = "/" + urlEncode(m_options.index) + "/_search";
        if (!pit.empty()) {
            body["pit"] = {{"id", pit}, {"keep_alive", m_options.pointInTimeKeepAlive}};
            path = "/_search";
        }
        auto page = post(path, body, cancel);
        if (!page) {
            auto e = page.error();
            e.context = ctx;
            outcome = std::unexpected(e);
            break;
        }
        if (page->contains("pit_id") && (*page)["pit_id"].is_string())
            pit = (*page)["pit_id"].get<std::string>(); // the server may hand out a newer id
        const json* hits = searchHits(*page);
        if (!hits) {
            outcome = fail(
                ErrorCode::Parse,
                "Elasticsearch source '" + m_options.name + "' answered a search without hits.hits.", ctx);
            break;
        }
        bool stop = false;
        for (const auto& hit : *hits) {
            LogRecord rec = logRecordFromHit(hit, m_options.fields);
            // The server filtered already; levels are checked again because spellings vary.
            if (query.minLevel > LogLevel::Trace &&
                (rec.level == LogLevel::Unknown || rec.level < query.minLevel))
                continue;
            ++delivered;
            if (!sink(rec) || (query.limit > 0 && delivered >= query.limit)) {
                stop = true;
                break;
            }
        }
        if (stop || hits->size() < size || hits->empty())
            break;
        const json& last = hits->back();
        if (!last.contains("sort") || !last["sort"].is_array()) {
            outcome = fail(ErrorCode::Parse,
                           "Elasticsearch source '" + m_options.name +
                               "' returned hits without sort values; cannot page.",
                           ctx);
            break;
        }
        if (last["sort"] == searchAfter) // a server that ignores search_after would loop forever
            break;
        searchAfter = last["sort"];
    }
    if (!pit.empty())
        closePointInTime(pit);
    if (!outcome)
        return outcome;
    return delivered;
}

Result<std::vector<LogCountBucket>> ElasticsearchSource::histogram(const LogQuery& query, TimeMs interval,
                                                                   const CancelToken& cancel) {
    const std::string ctx = "index " + m_options.index;
    if (!query.range.valid() || interval <= 0)
        return fail(ErrorCode::InvalidArgument,
                    "A histogram needs a non-empty range and a positive interval.", ctx);
    const json body = {
        {"size", 0},
        {"query", buildElasticsearchQuery(query, m_options.fields)},
        {"aggs",
         {{"counts",
           {{"date_histogram",
             {{"field", m_options.fields.timestamp},
              {"fixed_interval", std::to_string(interval) + "ms"},
              {"min_doc_count", 0},
              {"extended_bounds", {{"min", query.range.start}, {"max", query.range.end - 1}}}}}}}}}};
    auto page = post("/" + urlEncode(m_options.index) + "/_search", body, cancel);
    return decodeResponse(page, m_http.options().sourceName, ctx,
                          [](const json& j) { return decodeBuckets(j); });
}

Result<std::string> ElasticsearchSource::version(const CancelToken& cancel) {
    auto resp = m_http.get(joinUrl(m_options.url, "/"), cancel);
    ++m_requests;
    if (!resp)
        return std::unexpected(resp.error());
    try {
        auto j = parseJsonDom<json>(resp->body);
        const auto& v = j.at("version");
        const std::string number = v.value("number", std::string("unknown"));
        m_openSearch = v.value("distribution", std::string()) == "opensearch";
        m_flavourKnown = true;
        return m_openSearch ? "opensearch " + number : number;
    } catch (const std::exception&) {
        return fail(ErrorCode::Parse,
                    "Elasticsearch source '" + m_options.name +
                        "' answered GET / without a version (is this "
                        "Elasticsearch or OpenSearch?).",
                    redactUrl(m_options.url));
    }
}

} // namespace cairn::sources
