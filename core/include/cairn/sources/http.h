// HttpClient: the one HTTP client every connector uses (libcurl underneath).
// It reuses connections (one curl handle per client), applies connect and total timeouts, retries
// idempotent requests with exponential backoff and jitter (honouring Retry-After on 429/503), verifies
// TLS by default (custom CA file, client certificate), adds auth (bearer, basic) and custom headers
// (e.g. X-Scope-OrgID for Mimir/Tempo/Loki), uses a proxy, accepts gzip, caps the response size and
// stops when a CancelToken fires. Failures come back as one sentence naming the source, the URL and
// the cause, with code Network, Timeout, HttpStatus, LimitExceeded or Cancelled.
// Durations are milliseconds. Thread-safety: one thread at a time per HttpClient (it owns a curl handle);
// use one client per worker. Distinct clients are independent and safe on different threads.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/common/time.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cairn::sources {

struct HttpAuth {
    enum class Kind { None, Bearer, Basic };
    Kind kind = Kind::None;
    std::string token;    // Bearer
    std::string user;     // Basic
    std::string password; // Basic
};

struct HttpOptions {
    std::string sourceName = "source"; // shown in every error sentence ("prometheus 'prod'")
    TimeMs connectTimeoutMs = 5000;
    TimeMs totalTimeoutMs = 30000;  // per attempt
    int maxRetries = 2;             // extra attempts for idempotent requests
    TimeMs backoffBaseMs = 200;     // first retry waits about this long, then doubles
    TimeMs backoffMaxMs = 5000;     // one wait never exceeds this (unless Retry-After asks)
    TimeMs maxRetryAfterMs = 30000; // a Retry-After longer than this is not waited for
    bool verifyTls = true;          // verify peer certificate and host name
    std::string caFile;             // PEM bundle to trust instead of the system store
    std::string clientCertFile;     // PEM client certificate (mutual TLS)
    std::string clientKeyFile;      // PEM private key of the client certificate
    HttpAuth auth;
    std::vector<std::pair<std::string, std::string>> headers; // sent with every request
    std::string proxy; // e.g. "http://127.0.0.1:3128"; empty: libcurl's default (env)
    std::size_t maxResponseBytes = std::size_t(512) << 20; // decoded body size cap
    // Accept-Encoding (gzip, deflate, br, zstd). Auto: asked for, except from loopback hosts, where a
    // server's compression costs more time than it saves (Prometheus answers 6x slower gzipped).
    enum class Compression { Auto, Always, Never };
    Compression compression = Compression::Auto;
    std::string userAgent = "cairn";
};

// What every HTTP connector is configured with: a name (shown in the UI and in error sentences), the base URL
// and the HTTP options. The trace back ends take it as is; PrometheusOptions and ElasticsearchOptions extend
// it.
struct HttpSourceOptions {
    std::string name;
    std::string url; // base URL, e.g. http://127.0.0.1:9090 or https://mimir/prometheus
    HttpOptions http;
};

// The source's HTTP options with sourceName set to "<kind> source '<name>'" (how errors name it).
HttpOptions namedHttpOptions(const HttpSourceOptions& source, const std::string& kind);

// Decodes a response body, naming the source and the query in any failure. A transport error (the client
// already named the source and the URL) only gets the context; a decode error also gets
// "<sourceName>: " in front ("Prometheus source 'prod': the answer is truncated..."). decode takes a
// std::string_view or what the body holds and returns a Result.
template <class Body, class Decode>
auto decodeResponse(const Result<Body>& body, const std::string& sourceName, const std::string& context,
                    Decode&& decode) -> decltype(decode(*body)) {
    using R = decltype(decode(*body));
    if (!body) {
        Error e = body.error();
        if (!context.empty())
            e.context = context;
        return R(std::unexpect, std::move(e));
    }
    R r = decode(*body);
    if (!r) {
        r.error().message = sourceName + ": " + r.error().message;
        if (!context.empty())
            r.error().context = context;
    }
    return r;
}

struct HttpRequest {
    std::string method = "GET"; // GET, POST, HEAD, DELETE...
    std::string url;
    std::string body;
    std::string contentType; // for POST bodies
    std::vector<std::pair<std::string, std::string>> headers;
    // Safe to send twice. GET/HEAD always are; Prometheus and Elasticsearch searches sent with POST
    // are read-only, so their callers mark them idempotent to get retries.
    bool idempotent = false;
    // Non-2xx answers (after any retries) come back as values instead of errors, for APIs whose
    // error bodies say more than the status (Prometheus, Elasticsearch).
    bool allowErrorStatus = false;
};

struct HttpResponse {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers; // lower-case names, last value wins
    TimeMs elapsedMs = 0;                       // of the final attempt
    int attempts = 0;
    std::string header(const std::string& lowerName) const;
};

// Percent-encodes a query component (RFC 3986 unreserved characters are kept).
std::string urlEncode(std::string_view text);
// "k=v&k2=v2" with both sides encoded.
std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields);
// Joins a base URL ("http://h:9090/prefix/") and a path ("/api/v1/query") with exactly one slash.
std::string joinUrl(std::string_view base, std::string_view path);
// The URL with any user:password@ removed, for messages.
std::string redactUrl(std::string_view url);
// True for 127.0.0.0/8, ::1 and localhost URLs.
bool isLoopbackUrl(std::string_view url);
// Parses a Retry-After value (delta seconds or an HTTP date) into milliseconds from `now`; -1 if invalid.
TimeMs parseRetryAfter(std::string_view value, TimeMs now);

class HttpClient {
public:
    explicit HttpClient(HttpOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;

    const HttpOptions& options() const { return m_options; }

    // Sends the request. A 2xx answer is a value; anything else is an Error (HttpStatus carries the
    // status and the start of the body in its message).
    Result<HttpResponse> send(const HttpRequest& request, const CancelToken& cancel = {});
    Result<HttpResponse> get(const std::string& url, const CancelToken& cancel = {});
    // POST of a form or JSON body marked idempotent (read-only queries).
    Result<HttpResponse> postQuery(const std::string& url, std::string body, std::string contentType,
                                   const CancelToken& cancel = {});
    // The sentence prefix every error of this client starts with: "<source> could not fetch <url>: ".
    std::string errorPrefix(const std::string& url) const;

    // Hooks for tests: how retries sleep (default: cancellable sleep). Receives milliseconds.
    void setSleepFunction(std::function<void(TimeMs, const CancelToken&)> sleep);

private:
    struct Impl;
    HttpOptions m_options;
    std::unique_ptr<Impl> m_impl;
};

} // namespace cairn::sources
