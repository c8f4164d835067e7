// ElasticsearchSource: a LogSource over the Elasticsearch / OpenSearch search API.
// Filters run on the server (query DSL: time range, service, host, text, levels); pages are fetched in
// time order with search_after, inside a point in time when the server offers one (Elasticsearch 7.10+,
// OpenSearch 2.4+), so a long scan sees one consistent snapshot. Counts over time come from a
// date_histogram aggregation, not from fetching documents. Field names are configurable (ECS defaults).
// Times are UTC milliseconds. Thread-safety: one thread at a time per instance (it owns an HttpClient).
#pragma once

#include "cairn/sources/http.h"
#include "cairn/sources/logsource.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cairn::sources {

// Where each LogRecord field lives in a document's _source (dotted paths; nested objects or flat keys).
struct LogFieldMapping {
    std::string timestamp = "@timestamp";
    std::string message = "message";
    std::string level = "log.level";
    std::string service = "service.name";
    std::string host = "host.name";
    bool operator==(const LogFieldMapping&) const = default;
};

// name, url (e.g. https://es.example:9200) and http come from HttpSourceOptions.
struct ElasticsearchOptions : HttpSourceOptions {
    ElasticsearchOptions() { name = "elasticsearch"; }
    std::string index = "logs-*"; // index, alias, data stream or pattern
    LogFieldMapping fields;
    std::size_t pageSize = 1000; // documents per request (search_after page)
    bool usePointInTime = true;  // falls back to plain search_after when the server has no PIT
    std::string pointInTimeKeepAlive = "2m";
};

struct LogCountBucket {
    TimeMs start = 0;
    std::uint64_t count = 0;
    bool operator==(const LogCountBucket&) const = default;
};

// The request body for one page (exposed for tests and for "show query" in the UI).
nlohmann::json buildElasticsearchQuery(const LogQuery& query, const LogFieldMapping& fields);
// Decodes the buckets of the first aggregation holding "buckets" in a _search answer.
Result<std::vector<LogCountBucket>> decodeDateHistogram(std::string_view body);
// One search hit as a LogRecord: time from the hit's first sort value (epoch ms) or the mapped timestamp
// field, the mapped fields, and every other _source field flattened to dotted keys (plus _id, _index).
// Never fails: missing or mistyped fields are left empty (time 0).
LogRecord logRecordFromHit(const nlohmann::json& hit, const LogFieldMapping& fields);
// The records of one _search answer (hits.hits), in server order. A body that is not JSON or has no
// hits.hits array is a Parse error.
Result<std::vector<LogRecord>> decodeSearchHits(std::string_view body, const LogFieldMapping& fields);

class ElasticsearchSource : public LogSource {
public:
    explicit ElasticsearchSource(ElasticsearchOptions options);

    std::string name() const override { return m_options.name; }
    Result<std::size_t> scan(const LogQuery& query, const std::function<bool(const LogRecord&)>& sink,
                             const CancelToken& cancel) override;

    // Document counts per `interval` over query.range (empty buckets included).
    Result<std::vector<LogCountBucket>> histogram(const LogQuery& query, TimeMs interval,
                                                  const CancelToken& cancel = {});
    // "8.11.1" or "opensearch 2.11.0", from GET /.
    Result<std::string> version(const CancelToken& cancel = {});

    // Whether the last scan used a point in time (for tests and the status line).
    bool lastScanUsedPointInTime() const { return m_lastUsedPit; }
    std::size_t requestCount() const { return m_requests; }

private:
    Result<nlohmann::json> post(const std::string& path, const nlohmann::json& body,
                                const CancelToken& cancel, long* status = nullptr);
    std::string openPointInTime(const CancelToken& cancel);
    void closePointInTime(const std::string& id);

    ElasticsearchOptions m_options;
    HttpClient m_http;
    bool m_openSearch = false;
    bool m_flavourKnown = false;
    bool m_lastUsedPit = false;
    std::size_t m_requests = 0;
};

} // namespace cairn::sources
