#include "cairn/sources/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

namespace cairn::sources {

namespace {

void globalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return std::string(s);
}

void defaultSleep(TimeMs ms, const CancelToken& cancel) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!cancel.isCancelled() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min<TimeMs>(ms, 20)));
}

std::string secondsText(TimeMs ms) {
    char buf[32];
    if (ms % 1000 == 0)
        std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(ms / 1000));
    else
        std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
    return buf;
}

// First line or 200 bytes of an error body, printable characters only.
std::string bodySnippet(const std::string& body) {
    std::string out;
    for (char c : body) {
        if (out.size() >= 200) {
            out += "...";
            break;
        }
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (static_cast<unsigned char>(c) < 0x20)
            continue;
        out += c;
    }
    return trim(out);
}

bool isRetryableStatus(long status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
}

} // namespace

std::string HttpResponse::header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

std::string urlEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3 / 2);
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [k, v] : fields) {
        if (!out.empty())
            out += '&';
        out += urlEncode(k);
        out += '=';
        out += urlEncode(v);
    }
    return out;
}

std::string joinUrl(std::string_view base, std::string_view path) {
    std::string out(base);
    while (!out.empty() && out.back() == '/')
        out.pop_back();
    if (path.empty())
        return out;
    if (path.front() != '/')
        out += '/';
    out += path;
    return out;
}

std::string redactUrl(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos)
        return std::string(url);
    const auto hostStart = scheme + 3;
    const auto pathStart = url.find('/', hostStart);
    const auto at = url.substr(0, pathStart).rfind('@');
    if (at == std::string_view::npos || at < hostStart)
        return std::string(url);
    return std::string(url.substr(0, hostStart)) + std::string(url.substr(at + 1));
}

bool isLoopbackUrl(std::string_view url) {
    const auto scheme = url.find("://");
    std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos)
        rest = rest.substr(at + 1);
    std::string host;
    if (rest.starts_with("[")) {
        host = std::string(rest.substr(1, rest.find(']') - 1));
    } else {
        host = lower(rest.substr(0, rest.find(':')));
    }
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

TimeMs parseRetryAfter(std::string_view value, TimeMs now) {
    const std::string v = trim(value);
    if (v.empty())
        return -1;
    long long seconds = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
    if (ec == std::errc() && p == v.data() + v.size())
        // Capped at a day: a server cannot stall Cairn longer, nor overflow the multiplication
        // (fuzz_http_helpers).
        return seconds < 0 ? -1 : std::min<long long>(seconds, 86'400) * 1000;
    const time_t when = curl_getdate(v.c_str(), nullptr);
    if (when < 0)
        return -1;
    // Clamp to the year 9999 first: a date far in the future would overflow the milliseconds (found by
    // fuzz_http_helpers under UBSan).
    const TimeMs whenMs = static_cast<TimeMs>(std::min<long long>(when, 253'402'300'799LL)) * 1000;
    return std::max<TimeMs>(0, whenMs - now);
}

struct HttpClient::Impl {
    CURL* curl = nullptr;
    std::function<void(TimeMs, const CancelToken&)> sleep = defaultSleep;
    std::mt19937_64 rng{std::random_device{}()};

    // Per-attempt transfer state, reached from the libcurl callbacks.
    HttpResponse* response = nullptr;
    std::size_t limit = 0;
    bool overLimit = false;
    const CancelToken* cancel = nullptr;

    ~Impl() {
        if (curl)
            curl_easy_cleanup(curl);
    }

    static size_t onWrite(char* data, size_t size, size_t count, void* self) {
        auto* impl = static_cast<Impl*>(self);
        const size_t n = size * count;
        if (impl->response->body.size() + n > impl->limit) {
            impl->overLimit = true;
            return 0; // aborts the transfer with CURLE_WRITE_ERROR
        }
        impl->response->body.append(data, n);
        return n;
    }

    static size_t onHeader(char* data, size_t size, size_t count, void* self) {
        auto* impl = static_cast<Impl*>(self);
        const size_t n = size * count;
        std::string_view line(data, n);
        if (line.starts_with("HTTP/")) {
            impl->response->headers.clear(); // a new response (after 100-continue or a redirect)
            return n;
        }
        const auto colon = line.find(':');
        if (colon != std::string_view::npos)
            impl->response->headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
        return n;
    }

    static int onProgress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
        auto* impl = static_cast<Impl*>(self);
        return impl->cancel && impl->cancel->isCancelled() ? 1 : 0;
    }
};

HttpClient::HttpClient(HttpOptions options)
    : m_options(std::move(options))
    , m_impl(std::make_unique<Impl>()) {
    globalInit();
    m_impl->curl = curl_easy_init();
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

void HttpClient::setSleepFunction(std::function<void(TimeMs, const CancelToken&)> sleep) {
    m_impl->sleep = sleep ? std::move(sleep) : defaultSleep;
}

Result<HttpResponse> HttpClient::get(const std::string& url, const CancelToken& cancel) {
    HttpRequest r;
    r.url = url;
    return send(r, cancel);
}

Result<HttpResponse> HttpClient::postQuery(const std::string& url, std::string body, std::string contentType,
                                           const CancelToken& cancel) {
    HttpRequest r;
    r.method = "POST";
    r.url = url;
    r.body = std::move(body);
    r.contentType = std::move(contentType);
    r.idempotent = true;
    return send(r, cancel);
}

std::string HttpClient::errorPrefix(const std::string& url) const {
    return m_options.sourceName + " could not fetch " + redactUrl(url) + ": ";
}

Result<HttpResponse> HttpClient::send(const HttpRequest& request, const CancelToken& cancel) {
    const std::string who = errorPrefix(request.url);
    CURL* curl = m_impl->curl;
    if (!curl)
        return fail(ErrorCode::Internal, who + "libcurl could not create a handle.");
    if (request.url.empty())
        return fail(ErrorCode::InvalidArgument, m_options.sourceName + " has no URL configured.");

    const bool idempotent = request.idempotent || request.method == "GET" || request.method == "HEAD";
    const int maxAttempts = 1 + (idempotent ? std::max(0, m_options.maxRetries) : 0);

    for (int attempt = 1;; ++attempt) {
        if (cancel.isCancelled())
            return fail(ErrorCode::Cancelled, who + "cancelled.");

        HttpResponse response;
        response.attempts = attempt;
        m_impl->response = &response;
        m_impl->limit = m_options.maxResponseBytes;
        m_impl->overLimit = false;
        m_impl->cancel = &cancel;

        // curl_easy_reset keeps the connection cache, so keep-alive connections are reused.
        curl_easy_reset(curl);
        char errbuf[CURL_ERROR_SIZE] = {0};
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connectTimeoutMs));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.totalTimeoutMs));
        const bool compress =
            m_options.compression == HttpOptions::Compression::Always ||
            (m_options.compression == HttpOptions::Compression::Auto && !isLoopbackUrl(request.url));
        if (compress)
            curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, ""); // every encoding libcurl can decode
        curl_easy_setopt(curl, CURLOPT_USERAGENT, m_options.userAgent.c_str());
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Impl::onWrite);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, m_impl.get());
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Impl::onHeader);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, m_impl.get());
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Impl::onProgress);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, m_impl.get());
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, m_options.verifyTls ? 1L : 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, m_options.verifyTls ? 2L : 0L);
        if (!m_options.caFile.empty())
            curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.caFile.c_str());
        if (!m_options.clientCertFile.empty())
            curl_easy_setopt(curl, CURLOPT_SSLCERT, m_options.clientCertFile.c_str());
        if (!m_options.clientKeyFile.empty())
            curl_easy_setopt(curl, CURLOPT_SSLKEY, m_options.clientKeyFile.c_str());
        if (!m_options.proxy.empty())
            curl_easy_setopt(curl, CURLOPT_PROXY, m_options.proxy.c_str());
        if (m_options.auth.kind == HttpAuth::Kind::Basic) {
            curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
            curl_easy_setopt(curl, CURLOPT_USERNAME, m_options.auth.user.c_str());
            curl_easy_setopt(curl, CURLOPT_PASSWORD, m_options.auth.password.c_str());
        }

        struct curl_slist* headers = nullptr;
        auto addHeader = [&headers](const std::string& line) {
            headers = curl_slist_append(headers, line.c_str());
        };
        if (m_options.auth.kind == HttpAuth::Kind::Bearer)
            addHeader("Authorization: Bearer " + m_options.auth.token);
        for (const auto& [k, v] : m_options.headers)
            addHeader(k + ": " + v);
        for (const auto& [k, v] : request.headers)
            addHeader(k + ": " + v);
        if (!request.contentType.empty())
            addHeader("Content-Type: " + request.contentType);
        addHeader("Expect:"); // no 100-continue round trip for POST bodies
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

        if (request.method == "GET") {
            curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        } else if (request.method == "HEAD") {
            curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
        } else {
            if (request.method == "POST" || !request.body.empty()) {
                curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
                curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                                 static_cast<curl_off_t>(request.body.size()));
            }
            if (request.method != "POST")
                curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        }

        const auto t0 = std::chrono::steady_clock::now();
        const CURLcode rc = curl_easy_perform(curl);
        response.elapsedMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
                .count();
        curl_slist_free_all(headers);
        m_impl->response = nullptr;
        m_impl->cancel = nullptr;

        std::optional<Error> error;
        bool retryable = false;
        TimeMs retryAfter = -1;
        const std::string attemptsText =
            attempt > 1 ? " (after " + std::to_string(attempt) + " attempts)." : std::string(".");

        if (rc == CURLE_OK) {
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
            if (response.status >= 200 && response.status < 300)
                return response;
            std::string sentence = who + "the server answered HTTP " + std::to_string(response.status);
            const std::string snippet = bodySnippet(response.body);
            if (!snippet.empty())
                sentence += " \"" + snippet + "\"";
            if (isRetryableStatus(response.status)) {
                retryable = true;
                retryAfter = parseRetryAfter(response.header("retry-after"), nowMs());
                if (retryAfter > m_options.maxRetryAfterMs) {
                    sentence += " and asked to retry after " + secondsText(retryAfter) +
                                ", longer than the " + secondsText(m_options.maxRetryAfterMs) +
                                " Cairn waits";
                    retryable = false;
                }
            }
            error = Error{ErrorCode::HttpStatus, sentence + attemptsText, {}};
        } else if (rc == CURLE_ABORTED_BY_CALLBACK) {
            return fail(ErrorCode::Cancelled, who + "cancelled.");
        } else if (rc == CURLE_WRITE_ERROR && m_impl->overLimit) {
            return fail(ErrorCode::LimitExceeded,
                        who + "the response is larger than the " +
                            std::to_string(m_options.maxResponseBytes >> 20) + " MiB limit (" +
                            std::to_string(m_options.maxResponseBytes) + " bytes).");
        } else if (rc == CURLE_OPERATION_TIMEDOUT) {
            // A connect timeout is worth retrying (the host may be restarting); a slow answer is not.
            curl_off_t connected = 0;
            curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected);
            const bool duringConnect = connected == 0;
            retryable = duringConnect;
            const std::string what =
                duringConnect ? "no connection within " + secondsText(m_options.connectTimeoutMs)
                              : "no complete answer within " + secondsText(m_options.totalTimeoutMs);
            error = Error{ErrorCode::Timeout, who + what + attemptsText, {}};
        } else {
            std::string cause = errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
            while (!cause.empty() && (cause.back() == '\n' || cause.back() == '.'))
                cause.pop_back();
            if (rc == CURLE_COULDNT_CONNECT) {
                long osErrno = 0;
                curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &osErrno);
                if (osErrno == ECONNREFUSED)
                    cause = "connection refused";
                else if (osErrno == EHOSTUNREACH || osErrno == ENETUNREACH)
                    cause = "host unreachable (" + cause + ")";
            }
            switch (rc) {
            case CURLE_COULDNT_CONNECT:
            case CURLE_COULDNT_RESOLVE_HOST:
            case CURLE_COULDNT_RESOLVE_PROXY:
            case CURLE_GOT_NOTHING:
            case CURLE_SEND_ERROR:
            case CURLE_RECV_ERROR:
            case CURLE_PARTIAL_FILE:
                retryable = true;
                break;
            case CURLE_PEER_FAILED_VERIFICATION:
            case CURLE_SSL_CACERT_BADFILE:
                cause = "the server's TLS certificate is not trusted (" + cause +
                        "); configure its CA file or fix the certificate";
                break;
            case CURLE_SSL_CERTPROBLEM:
                cause = "the client certificate could not be used (" + cause + ")";
                break;
            default:
                break;
            }
            error = Error{ErrorCode::Network, who + cause + attemptsText, {}};
        }

        if (!retryable || attempt >= maxAttempts) {
            if (request.allowErrorStatus && error->code == ErrorCode::HttpStatus)
                return response;
            return std::unexpected(*error);
        }

        TimeMs wait = std::min(m_options.backoffMaxMs, m_options.backoffBaseMs << std::min(attempt - 1, 20));
        // "Equal jitter": half fixed, half random, so a crowd of clients spreads out.
        wait = wait / 2 + static_cast<TimeMs>(std::uniform_int_distribution<TimeMs>(
                              0, std::max<TimeMs>(0, wait / 2))(m_impl->rng));
        if (retryAfter >= 0)
            wait = retryAfter;
        m_impl->sleep(wait, cancel);
    }
}

HttpOptions namedHttpOptions(const HttpSourceOptions& source, const std::string& kind) {
    HttpOptions h = source.http;
    h.sourceName = kind + " source '" + source.name + "'";
    return h;
}

} // namespace cairn::sources
