// PrometheusSource: a MetricSource over the Prometheus HTTP API v1, and so over everything that speaks
// it (Thanos Query, Mimir/Cortex with X-Scope-OrgID, VictoriaMetrics).
// Work is pushed down: PromQL (aggregations, rate) runs on the server; the step is chosen from the
// view width; ranges longer than the server's 11,000-points-per-series limit are split into several
// requests and stitched. Query responses are decoded by a streaming (SAX-style) reader, no JSON DOM,
// straight into ts::Series. Times are UTC milliseconds; Prometheus' float seconds are converted at the edge.
// Thread-safety: one thread at a time per instance (it owns an HttpClient).
#pragma once

#include "cairn/sources/http.h"
#include "cairn/sources/metricsource.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sources {

inline constexpr std::size_t kPrometheusMaxPointsPerSeries = 11000;

enum class PromResultType { Matrix, Vector, Scalar, String };

// A decoded /api/v1/query or /api/v1/query_range answer. Vector results are series of one point;
// a scalar is one series with an empty id.
struct PromQueryResult {
    PromResultType type = PromResultType::Matrix;
    std::vector<ts::Series> series;
    std::string stringValue;           // for resultType "string"
    std::vector<std::string> warnings; // the server's non-fatal warnings
    std::size_t samples = 0;           // total points decoded
};

// Decodes a query or query_range response body (SAX, no DOM). Values "NaN", "+Inf", "-Inf" are kept as
// such. A {"status":"error"} body becomes an error with the server's errorType and message.
// It runs on jsonscan.h's reader, not on nlohmann::json::sax_parse: nlohmann's SAX path cannot reach the
// 200 MB/s target even with a handler that does nothing (about 145 MB/s against this reader's 447 MB/s, CPU
// time on a 33 MB matrix; figures and method in jsonscan.h). decodePrometheusQueryNlohmannSax is that SAX
// decoder, kept to measure it and to cross-check results and errors (tests and the fuzz target run both).
Result<PromQueryResult> decodePrometheusQuery(std::string_view body);
// The same decoding through nlohmann::json::sax_parse (a json_sax_t handler feeding the same state machine).
Result<PromQueryResult> decodePrometheusQueryNlohmannSax(std::string_view body);

struct PromMetricMetadata {
    std::string metric;
    std::string type; // counter, gauge, histogram, summary, unknown...
    std::string help;
    std::string unit;
};

struct PromAlert {
    ts::Labels labels;
    std::map<std::string, std::string> annotations;
    std::string state; // pending, firing
    std::string activeAt;
    std::string value;
};

struct PromRule {
    std::string name;
    std::string query;
    std::string type;   // alerting, recording
    std::string health; // ok, err, unknown
    std::string state;  // alerting rules: inactive, pending, firing
    std::string lastError;
    double durationSeconds = 0;
    ts::Labels labels;
};

struct PromRuleGroup {
    std::string name;
    std::string file;
    double intervalSeconds = 0;
    std::vector<PromRule> rules;
};

// name, url and http (auth, TLS, headers such as X-Scope-OrgID, timeouts) come from HttpSourceOptions.
struct PrometheusOptions : HttpSourceOptions {
    PrometheusOptions() { name = "prometheus"; }
    std::size_t maxPointsPerSeries = kPrometheusMaxPointsPerSeries;
    TimeMs seriesLookbackMs = 6 * kHourMs; // listSeries() looks at this much recent history
    TimeMs minStepMs = kSecondMs;          // never ask for a finer step (e.g. the scrape interval)
};

// A "nice" step (1s, 2s, 5s, 10s, 15s, 30s, 1m, 2m, 5m, 10m, 15m, 30m, 1h, 2h, 3h, 6h, 12h, 1d...) giving
// about one point per pixel of a view `widthPx` wide, never below minStepMs.
TimeMs chooseStep(const TimeRange& range, int widthPx, TimeMs minStepMs = kSecondMs);

// Splits [start, end) evaluated every `step` into pieces of at most maxPoints evaluations each.
// Each piece is a half-open range whose evaluations are exactly the original's within it.
std::vector<TimeRange> splitRange(const TimeRange& range, TimeMs step, std::size_t maxPoints);

// Small PromQL builders so callers push aggregation down rather than fetch raw series.
namespace promql {
// "sum by (job, instance) (expr)"; op is sum, avg, max, min, count, stddev...; by may be empty.
std::string aggregate(std::string_view op, const std::vector<std::string>& by, std::string_view expr);
// "rate(selector[window])" with the window as a Prometheus duration ("5m").
std::string rate(std::string_view selector, TimeMs window);
// A duration in Prometheus notation: 90000 -> "90s", 300000 -> "5m".
std::string duration(TimeMs ms);
} // namespace promql

class PrometheusSource : public MetricSource {
public:
    explicit PrometheusSource(PrometheusOptions options);

    std::string name() const override { return m_options.name; }
    Result<std::vector<ts::SeriesId>> listSeries(const ts::Selector& selector,
                                                 const CancelToken& cancel) override;
    Result<std::vector<ts::Series>> query(const MetricQuery& query, const CancelToken& cancel) override;

    // PromQL over a range, split under the points limit. range is [start, end).
    Result<PromQueryResult> queryRange(const std::string& promql, const TimeRange& range, TimeMs step,
                                       const CancelToken& cancel = {});
    // PromQL at one instant.
    Result<PromQueryResult> queryInstant(const std::string& promql, TimeMs at,
                                         const CancelToken& cancel = {});
    // Series matching any of the selectors in the range.
    Result<std::vector<ts::SeriesId>> series(const std::vector<std::string>& matchers, const TimeRange& range,
                                             const CancelToken& cancel = {});
    Result<std::vector<std::string>> labelNames(const CancelToken& cancel = {});
    Result<std::vector<std::string>> labelValues(const std::string& label, const CancelToken& cancel = {});
    // Metadata of every metric, or of one when `metric` is set.
    Result<std::vector<PromMetricMetadata>> metadata(const std::string& metric = {},
                                                     const CancelToken& cancel = {});
    Result<std::vector<PromAlert>> alerts(const CancelToken& cancel = {});
    Result<std::vector<PromRuleGroup>> rules(const CancelToken& cancel = {});
    // The server's version (from /api/v1/status/buildinfo); "unknown" for servers that lack it.
    Result<std::string> version(const CancelToken& cancel = {});

    // Requests sent so far (for tests and the status line).
    std::size_t requestCount() const { return m_requests; }

private:
    Result<std::string> call(const std::string& path,
                             const std::vector<std::pair<std::string, std::string>>& params,
                             const CancelToken& cancel);
    Result<nlohmann::json> callJson(const std::string& path,
                                    const std::vector<std::pair<std::string, std::string>>& params,
                                    const CancelToken& cancel);

    PrometheusOptions m_options;
    HttpClient m_http;
    std::size_t m_requests = 0;
};

} // namespace cairn::sources
