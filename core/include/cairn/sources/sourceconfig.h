// Source configuration: the JSON file (or settings blob) listing the data sources a user connected, how to
// build a connector from an entry, and a health check per source (version, latency or the error).
//
// {"sources": [{"name": "prod", "kind": "prometheus", "url": "https://prom:9090",
//               "auth": {"type": "bearer", "secret": "env:PROM_TOKEN"},          // or basic + user
//               "headers": {"X-Scope-OrgID": "team-a"},
//               "tls": {"ca_file": "...", "cert_file": "...", "key_file": "...", "insecure": false},
//               "proxy": "", "timeout": "30s", "connect_timeout": "5s", "poll_interval": "30s",
//               "index": "logs-*", "fields": {"timestamp": "@timestamp", "message": "message", "level":
//               "log.level",
//                                            "service": "service.name", "host": "host.name"},
//               "mode": "native" | "jaeger"}]}                                     // tempo only
// kind: prometheus (also thanos, mimir, victoriametrics), elasticsearch, opensearch, jaeger, zipkin, tempo,
// demo. Secrets never appear in the file: "secret" is a reference ("env:VAR", "file:/path", "keyring:<id>");
// a literal "password" or "token" is rejected. keyring: references are resolved by the app (QtKeychain).
// Durations are milliseconds in the structs. Thread-safety: values and pure functions; checkSource blocks.
#pragma once

#include "cairn/sources/elasticsearch.h"
#include "cairn/sources/http.h"
#include "cairn/sources/logsource.h"
#include "cairn/sources/metricsource.h"
#include "cairn/sources/tracesource.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cairn::sources {

enum class SourceKind { Prometheus, Elasticsearch, OpenSearch, Jaeger, Zipkin, Tempo, Demo };

std::string_view toString(SourceKind kind);
Result<SourceKind> parseSourceKind(std::string_view text);
// What a kind provides.
bool providesMetrics(SourceKind kind);
bool providesLogs(SourceKind kind);
bool providesTraces(SourceKind kind);

struct SourceConfig {
    std::string name;
    SourceKind kind = SourceKind::Prometheus;
    std::string url;
    std::string authType = "none"; // none, bearer, basic
    std::string user;              // basic
    std::string secretRef;         // "env:VAR", "file:/path" or "keyring:<id>"; empty: no secret
    std::vector<std::pair<std::string, std::string>> headers;
    std::string caFile, certFile, keyFile;
    bool insecure = false;
    std::string proxy;
    TimeMs timeoutMs = 30000;
    TimeMs connectTimeoutMs = 5000;
    TimeMs pollIntervalMs = 30000;
    std::string index = "logs-*"; // elasticsearch / opensearch
    LogFieldMapping fields;       // elasticsearch / opensearch
    std::string mode = "native";  // tempo: native or jaeger
    bool operator==(const SourceConfig&) const = default;
};

Result<std::vector<SourceConfig>> parseSourceConfig(std::string_view json);
Result<std::vector<SourceConfig>> loadSourceConfig(const std::string& path);
// The JSON text of a list of sources (round-trips through parseSourceConfig).
std::string serializeSourceConfig(const std::vector<SourceConfig>& sources);

// Turns a secret reference into the secret. The default resolves env: and file: and refuses keyring:.
using SecretResolver = std::function<Result<std::string>(const std::string& ref)>;
Result<std::string> resolveSecretDefault(const std::string& ref);

// HTTP options for a source (auth resolved through the resolver).
Result<HttpOptions> httpOptionsFor(const SourceConfig& config, const SecretResolver& resolve);

// Connectors for a configured source; Unsupported when the kind does not provide that signal (or is the
// demo, which the app builds itself).
Result<std::unique_ptr<MetricSource>> makeMetricSource(const SourceConfig& config,
                                                       const SecretResolver& resolve);
Result<std::unique_ptr<LogSource>> makeLogSource(const SourceConfig& config, const SecretResolver& resolve);
Result<std::unique_ptr<TraceSource>> makeTraceSource(const SourceConfig& config,
                                                     const SecretResolver& resolve);

enum class SourceState { Ok, Failed };

struct SourceHealth {
    SourceState state = SourceState::Failed;
    std::string version;  // the server's version when it tells ("2.42.0", "8.11.1", "unknown")
    TimeMs latencyMs = 0; // of the check request
    Error error;          // when Failed
};

// Asks the source something cheap that proves it works (Prometheus buildinfo, Elasticsearch GET /, Jaeger and
// Tempo services, Zipkin services). Blocks up to the source's timeouts.
SourceHealth checkSource(const SourceConfig& config, const SecretResolver& resolve,
                         const CancelToken& cancel = {});

} // namespace cairn::sources
