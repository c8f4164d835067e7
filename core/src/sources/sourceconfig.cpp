#include "cairn/sources/sourceconfig.h"

#include "cairn/sources/jaeger.h"
#include "cairn/sources/prometheus.h"
#include "cairn/sources/tempo.h"
#include "cairn/sources/zipkin.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace cairn::sources {

namespace {

using json = nlohmann::json;

Result<TimeMs> durationField(const json& obj, const char* key, TimeMs fallback, const std::string& where) {
    if (!obj.contains(key))
        return fallback;
    const auto& v = obj[key];
    if (v.is_number()) {
        // A bare number is seconds: at least 1 ms, at most a year (beyond that it is a typo, and the
        // conversion to whole milliseconds would overflow).
        const double ms = std::round(v.get<double>() * 1000.0);
        if (ms >= 1.0 && ms <= 365.0 * 86400.0 * 1000.0)
            return static_cast<TimeMs>(ms);
        return fail(ErrorCode::InvalidArgument,
                    std::string("\"") + key + "\" must be between 0.001 and 31536000 seconds.", where);
    }
    if (v.is_string()) {
        auto d = parseDuration(v.get<std::string>());
        if (d && *d > 0)
            return *d;
    }
    return fail(ErrorCode::InvalidArgument, std::string("\"") + key + "\" is not a duration such as \"30s\".",
                where);
}

std::string stringField(const json& obj, const char* key, const std::string& fallback = {}) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : fallback;
}

template <class T> Result<T> withSource(Result<T> r, const std::string& name) {
    if (!r) {
        auto e = r.error();
        if (e.context.empty())
            e.context = "source '" + name + "'";
        return std::unexpected(e);
    }
    return r;
}

} // namespace

std::string_view toString(SourceKind kind) {
    switch (kind) {
    case SourceKind::Prometheus:
        return "prometheus";
    case SourceKind::Elasticsearch:
        return "elasticsearch";
    case SourceKind::OpenSearch:
        return "opensearch";
    case SourceKind::Jaeger:
        return "jaeger";
    case SourceKind::Zipkin:
        return "zipkin";
    case SourceKind::Tempo:
        return "tempo";
    case SourceKind::Demo:
        return "demo";
    }
    return "unknown";
}

Result<SourceKind> parseSourceKind(std::string_view text) {
    if (text == "prometheus" || text == "thanos" || text == "mimir" || text == "cortex" ||
        text == "victoriametrics")
        return SourceKind::Prometheus;
    if (text == "elasticsearch")
        return SourceKind::Elasticsearch;
    if (text == "opensearch")
        return SourceKind::OpenSearch;
    if (text == "jaeger")
        return SourceKind::Jaeger;
    if (text == "zipkin")
        return SourceKind::Zipkin;
    if (text == "tempo")
        return SourceKind::Tempo;
    if (text == "demo")
        return SourceKind::Demo;
    return fail(ErrorCode::InvalidArgument,
                "Unknown source kind '" + std::string(text) +
                    "' (use prometheus, elasticsearch, opensearch, jaeger, zipkin, tempo or demo).");
}

bool providesMetrics(SourceKind k) {
    return k == SourceKind::Prometheus || k == SourceKind::Demo;
}
bool providesLogs(SourceKind k) {
    return k == SourceKind::Elasticsearch || k == SourceKind::OpenSearch || k == SourceKind::Demo;
}
bool providesTraces(SourceKind k) {
    return k == SourceKind::Jaeger || k == SourceKind::Zipkin || k == SourceKind::Tempo ||
           k == SourceKind::Demo;
}

Result<std::vector<SourceConfig>> parseSourceConfig(std::string_view text) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {
        return fail(ErrorCode::Parse,
                    std::string("The source configuration is not valid JSON (") + e.what() + ").");
    }
    const json* list = nullptr;
    if (root.is_object() && root.contains("sources"))
        list = &root["sources"];
    else if (root.is_array())
        list = &root;
    if (!list || !list->is_array())
        return fail(ErrorCode::InvalidArgument, "The source configuration needs a \"sources\" array.");
    std::vector<SourceConfig> out;
    std::set<std::string> names;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& s = (*list)[i];
        const std::string where = "sources[" + std::to_string(i) + "]";
        if (!s.is_object())
            return fail(ErrorCode::InvalidArgument, "A source entry is not an object.", where);
        SourceConfig c;
        c.name = stringField(s, "name");
        if (c.name.empty())
            return fail(ErrorCode::InvalidArgument, "A source needs a \"name\".", where);
        if (!names.insert(c.name).second)
            return fail(ErrorCode::InvalidArgument, "Two sources are named '" + c.name + "'.", where);
        const std::string w = "source '" + c.name + "'";
        auto kind = parseSourceKind(stringField(s, "kind"));
        if (!kind)
            return fail(ErrorCode::InvalidArgument, kind.error().message, w);
        c.kind = *kind;
        c.url = stringField(s, "url");
        if (c.kind != SourceKind::Demo) {
            if (c.url.empty())
                return fail(ErrorCode::InvalidArgument,
                            "A " + std::string(toString(c.kind)) + " source needs a \"url\".", w);
            if (!c.url.starts_with("http://") && !c.url.starts_with("https://"))
                return fail(ErrorCode::InvalidArgument, "The url must start with http:// or https://.", w);
        }
        if (s.contains("auth")) {
            const json& a = s["auth"];
            if (!a.is_object())
                return fail(ErrorCode::InvalidArgument, "\"auth\" must be an object.", w);
            for (const char* forbidden : {"password", "token", "bearer_token", "api_key"})
                if (a.contains(forbidden))
                    return fail(
                        ErrorCode::InvalidArgument,
                        std::string("Secrets do not belong in the configuration (\"") + forbidden +
                            "\"): store them in the keyring or the environment and give a reference such as "
                            "\"secret\": \"env:PROM_TOKEN\".",
                        w);
            c.authType = stringField(a, "type", "none");
            if (c.authType != "none" && c.authType != "bearer" && c.authType != "basic")
                return fail(ErrorCode::InvalidArgument, "auth.type must be none, bearer or basic.", w);
            c.user = stringField(a, "user");
            c.secretRef = stringField(a, "secret");
            if (c.authType == "basic" && c.user.empty())
                return fail(ErrorCode::InvalidArgument, "Basic auth needs a \"user\".", w);
            if (c.authType == "bearer" && c.secretRef.empty())
                return fail(ErrorCode::InvalidArgument, "Bearer auth needs a \"secret\" reference.", w);
        }
        if (s.contains("headers")) {
            if (!s["headers"].is_object())
                return fail(ErrorCode::InvalidArgument, "\"headers\" must be an object of strings.", w);
            for (const auto& [k, v] : s["headers"].items()) {
                if (!v.is_string())
                    return fail(ErrorCode::InvalidArgument, "Header '" + k + "' must be a string.", w);
                c.headers.emplace_back(k, v.get<std::string>());
            }
        }
        if (s.contains("tls")) {
            const json& t = s["tls"];
            if (!t.is_object())
                return fail(ErrorCode::InvalidArgument, "\"tls\" must be an object.", w);
            c.caFile = stringField(t, "ca_file");
            c.certFile = stringField(t, "cert_file");
            c.keyFile = stringField(t, "key_file");
            if (t.contains("insecure")) {
                if (!t["insecure"].is_boolean())
                    return fail(ErrorCode::InvalidArgument, "tls.insecure must be true or false.", w);
                c.insecure = t["insecure"].get<bool>();
            }
        }
        c.proxy = stringField(s, "proxy");
        auto timeout = durationField(s, "timeout", c.timeoutMs, w);
        auto connect = durationField(s, "connect_timeout", c.connectTimeoutMs, w);
        auto poll = durationField(s, "poll_interval", c.pollIntervalMs, w);
        if (!timeout)
            return std::unexpected(timeout.error());
        if (!connect)
            return std::unexpected(connect.error());
        if (!poll)
            return std::unexpected(poll.error());
        c.timeoutMs = *timeout;
        c.connectTimeoutMs = *connect;
        c.pollIntervalMs = *poll;
        c.index = stringField(s, "index", c.index);
        if (s.contains("fields")) {
            const json& f = s["fields"];
            if (!f.is_object())
                return fail(ErrorCode::InvalidArgument, "\"fields\" must be an object.", w);
            c.fields.timestamp = stringField(f, "timestamp", c.fields.timestamp);
            c.fields.message = stringField(f, "message", c.fields.message);
            c.fields.level = stringField(f, "level", c.fields.level);
            c.fields.service = stringField(f, "service", c.fields.service);
            c.fields.host = stringField(f, "host", c.fields.host);
        }
        c.mode = stringField(s, "mode", c.mode);
        if (c.kind == SourceKind::Tempo && c.mode != "native" && c.mode != "jaeger")
            return fail(ErrorCode::InvalidArgument, "A tempo source's mode is native or jaeger.", w);
        out.push_back(std::move(c));
    }
    return out;
}

Result<std::vector<SourceConfig>> loadSourceConfig(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(ErrorCode::NotFound, "The source configuration file cannot be opened.", path);
    std::stringstream ss;
    ss << in.rdbuf();
    auto r = parseSourceConfig(ss.str());
    if (!r) {
        auto e = r.error();
        e.context = e.context.empty() ? path : path + ": " + e.context;
        return std::unexpected(e);
    }
    return r;
}

std::string serializeSourceConfig(const std::vector<SourceConfig>& sources) {
    const SourceConfig defaults;
    json list = json::array();
    for (const auto& c : sources) {
        json s = {{"name", c.name}, {"kind", std::string(toString(c.kind))}};
        if (!c.url.empty())
            s["url"] = c.url;
        if (c.authType != "none" || !c.user.empty() || !c.secretRef.empty()) {
            json a = {{"type", c.authType}};
            if (!c.user.empty())
                a["user"] = c.user;
            if (!c.secretRef.empty())
                a["secret"] = c.secretRef;
            s["auth"] = a;
        }
        if (!c.headers.empty()) {
            json h = json::object();
            for (const auto& [k, v] : c.headers)
                h[k] = v;
            s["headers"] = h;
        }
        if (!c.caFile.empty() || !c.certFile.empty() || !c.keyFile.empty() || c.insecure)
            s["tls"] = {{"ca_file", c.caFile},
                        {"cert_file", c.certFile},
                        {"key_file", c.keyFile},
                        {"insecure", c.insecure}};
        if (!c.proxy.empty())
            s["proxy"] = c.proxy;
        s["timeout"] = std::to_string(c.timeoutMs) + "ms";
        s["connect_timeout"] = std::to_string(c.connectTimeoutMs) + "ms";
        s["poll_interval"] = std::to_string(c.pollIntervalMs) + "ms";
        // Written for the kinds that use them, and for any other kind whose file set them (so the
        // file round-trips through parseSourceConfig unchanged).
        if (c.kind == SourceKind::Elasticsearch || c.kind == SourceKind::OpenSearch ||
            c.index != defaults.index || !(c.fields == defaults.fields)) {
            s["index"] = c.index;
            s["fields"] = {{"timestamp", c.fields.timestamp},
                           {"message", c.fields.message},
                           {"level", c.fields.level},
                           {"service", c.fields.service},
                           {"host", c.fields.host}};
        }
        if (c.kind == SourceKind::Tempo || c.mode != defaults.mode)
            s["mode"] = c.mode;
        list.push_back(std::move(s));
    }
    return json{{"sources", list}}.dump(2) + "\n";
}

Result<std::string> resolveSecretDefault(const std::string& ref) {
    if (ref.starts_with("env:")) {
        const char* v = std::getenv(ref.substr(4).c_str());
        if (!v)
            return fail(ErrorCode::NotFound,
                        "The environment variable " + ref.substr(4) + " holding the secret is not set.");
        return std::string(v);
    }
    if (ref.starts_with("file:")) {
        std::ifstream in(ref.substr(5), std::ios::binary);
        if (!in)
            return fail(ErrorCode::NotFound, "The secret file cannot be read.", ref.substr(5));
        std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
            s.pop_back();
        return s;
    }
    if (ref.starts_with("keyring:"))
        return fail(
            ErrorCode::Unsupported,
            "This secret is in the system keyring, which only the Cairn app reads; use env: or file: here.");
    return fail(ErrorCode::InvalidArgument,
                "A secret reference starts with env:, file: or keyring: (got '" + ref + "').");
}

Result<HttpOptions> httpOptionsFor(const SourceConfig& c, const SecretResolver& resolve) {
    HttpOptions h;
    h.sourceName = std::string(toString(c.kind)) + " source '" + c.name + "'";
    h.totalTimeoutMs = c.timeoutMs;
    h.connectTimeoutMs = c.connectTimeoutMs;
    h.caFile = c.caFile;
    h.clientCertFile = c.certFile;
    h.clientKeyFile = c.keyFile;
    h.verifyTls = !c.insecure;
    h.proxy = c.proxy;
    h.headers = c.headers;
    if (c.authType == "none")
        return h;
    std::string secret;
    if (!c.secretRef.empty()) {
        auto s = (resolve ? resolve : SecretResolver(resolveSecretDefault))(c.secretRef);
        if (!s)
            return withSource(Result<HttpOptions>(std::unexpected(s.error())), c.name);
        secret = std::move(*s);
    }
    if (c.authType == "bearer") {
        h.auth.kind = HttpAuth::Kind::Bearer;
        h.auth.token = secret;
    } else {
        h.auth.kind = HttpAuth::Kind::Basic;
        h.auth.user = c.user;
        h.auth.password = secret;
    }
    return h;
}

Result<std::unique_ptr<MetricSource>> makeMetricSource(const SourceConfig& c, const SecretResolver& resolve) {
    if (c.kind != SourceKind::Prometheus)
        return fail(ErrorCode::Unsupported, "Source '" + c.name + "' (" + std::string(toString(c.kind)) +
                                                ") does not provide metrics through a connector.");
    auto http = httpOptionsFor(c, resolve);
    if (!http)
        return std::unexpected(http.error());
    PrometheusOptions o;
    o.name = c.name;
    o.url = c.url;
    o.http = *http;
    return std::make_unique<PrometheusSource>(o);
}

Result<std::unique_ptr<LogSource>> makeLogSource(const SourceConfig& c, const SecretResolver& resolve) {
    if (c.kind != SourceKind::Elasticsearch && c.kind != SourceKind::OpenSearch)
        return fail(ErrorCode::Unsupported, "Source '" + c.name + "' (" + std::string(toString(c.kind)) +
                                                ") does not provide logs through a connector.");
    auto http = httpOptionsFor(c, resolve);
    if (!http)
        return std::unexpected(http.error());
    ElasticsearchOptions o;
    o.name = c.name;
    o.url = c.url;
    o.index = c.index;
    o.fields = c.fields;
    o.http = *http;
    return std::make_unique<ElasticsearchSource>(o);
}

Result<std::unique_ptr<TraceSource>> makeTraceSource(const SourceConfig& c, const SecretResolver& resolve) {
    if (c.kind != SourceKind::Jaeger && c.kind != SourceKind::Zipkin && c.kind != SourceKind::Tempo)
        return fail(ErrorCode::Unsupported, "Source '" + c.name + "' (" + std::string(toString(c.kind)) +
                                                ") does not provide traces through a connector.");
    auto http = httpOptionsFor(c, resolve);
    if (!http)
        return std::unexpected(http.error());
    TraceBackendOptions o;
    o.name = c.name;
    o.url = c.url;
    o.http = *http;
    if (c.kind == SourceKind::Jaeger)
        return std::make_unique<JaegerSource>(o);
    if (c.kind == SourceKind::Zipkin)
        return std::make_unique<ZipkinSource>(o);
    return std::make_unique<TempoSource>(o, c.mode == "jaeger" ? TempoSource::Mode::Jaeger
                                                               : TempoSource::Mode::Native);
}

SourceHealth checkSource(const SourceConfig& c, const SecretResolver& resolve, const CancelToken& cancel) {
    SourceHealth h;
    if (c.kind == SourceKind::Demo) {
        h.state = SourceState::Ok;
        h.version = "built-in";
        return h;
    }
    auto http = httpOptionsFor(c, resolve);
    if (!http) {
        h.error = http.error();
        return h;
    }
    // A health check should answer fast: at most one retry.
    http->maxRetries = std::min(http->maxRetries, 1);
    const auto t0 = std::chrono::steady_clock::now();
    Result<std::string> version = std::string();
    switch (c.kind) {
    case SourceKind::Prometheus: {
        PrometheusOptions o;
        o.name = c.name;
        o.url = c.url;
        o.http = *http;
        version = PrometheusSource(o).version(cancel);
        break;
    }
    case SourceKind::Elasticsearch:
    case SourceKind::OpenSearch: {
        ElasticsearchOptions o;
        o.name = c.name;
        o.url = c.url;
        o.http = *http;
        version = ElasticsearchSource(o).version(cancel);
        break;
    }
    case SourceKind::Jaeger:
    case SourceKind::Zipkin:
    case SourceKind::Tempo: {
        TraceBackendOptions o;
        o.name = c.name;
        o.url = c.url;
        o.http = *http;
        std::unique_ptr<TraceSource> src;
        if (c.kind == SourceKind::Jaeger)
            src = std::make_unique<JaegerSource>(o);
        else if (c.kind == SourceKind::Zipkin)
            src = std::make_unique<ZipkinSource>(o);
        else
            src = std::make_unique<TempoSource>(o, c.mode == "jaeger" ? TempoSource::Mode::Jaeger
                                                                      : TempoSource::Mode::Native);
        auto services = src->services(cancel);
        if (!services)
            version = std::unexpected(services.error());
        else
            version = std::string("unknown (") + std::to_string(services->size()) + " services)";
        break;
    }
    case SourceKind::Demo:
        break;
    }
    h.latencyMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    if (!version) {
        h.error = version.error();
        return h;
    }
    h.state = SourceState::Ok;
    h.version = *version;
    return h;
}

} // namespace cairn::sources
