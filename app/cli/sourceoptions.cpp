#include "sourceoptions.h"

#include <cstdlib>

namespace cairn::cli {

const std::vector<std::string>& httpOptionNames() {
    static const std::vector<std::string> names = {
        "url",       "timeout", "connect-timeout", "retries", "ca-file", "cert",  "key",      "insecure",
        "token-env", "user",    "password-env",    "org-id",  "header",  "proxy", "max-bytes"};
    return names;
}

bool httpOptionsFromArgs(const Args& args, sources::HttpOptions& out, std::string& error) {
    if (auto v = args.get("timeout")) {
        auto d = parseDuration(*v);
        if (!d || *d <= 0) {
            error = "--timeout: '" + *v + "' is not a duration (e.g. 30s, 2m)";
            return false;
        }
        out.totalTimeoutMs = *d;
    }
    if (auto v = args.get("connect-timeout")) {
        auto d = parseDuration(*v);
        if (!d || *d <= 0) {
            error = "--connect-timeout: '" + *v + "' is not a duration (e.g. 5s)";
            return false;
        }
        out.connectTimeoutMs = *d;
    }
    if (auto v = args.get("retries")) {
        char* end = nullptr;
        const long n = std::strtol(v->c_str(), &end, 10);
        if (v->empty() || *end || n < 0 || n > 20) {
            error = "--retries: '" + *v + "' is not a count between 0 and 20";
            return false;
        }
        out.maxRetries = static_cast<int>(n);
    }
    if (auto v = args.get("max-bytes")) {
        char* end = nullptr;
        const unsigned long long n = std::strtoull(v->c_str(), &end, 10);
        if (v->empty() || *end || n == 0) {
            error = "--max-bytes: '" + *v + "' is not a positive byte count";
            return false;
        }
        out.maxResponseBytes = static_cast<std::size_t>(n);
    }
    out.caFile = args.get("ca-file", out.caFile);
    out.clientCertFile = args.get("cert", out.clientCertFile);
    out.clientKeyFile = args.get("key", out.clientKeyFile);
    out.proxy = args.get("proxy", out.proxy);
    if (args.has("insecure"))
        out.verifyTls = false;
    if (auto v = args.get("token-env")) {
        const char* token = std::getenv(v->c_str());
        if (!token || !*token) {
            error = "--token-env: the environment variable " + *v + " is not set";
            return false;
        }
        out.auth.kind = sources::HttpAuth::Kind::Bearer;
        out.auth.token = token;
    }
    if (auto v = args.get("user")) {
        out.auth.kind = sources::HttpAuth::Kind::Basic;
        out.auth.user = *v;
        if (auto p = args.get("password-env")) {
            const char* pw = std::getenv(p->c_str());
            if (!pw) {
                error = "--password-env: the environment variable " + *p + " is not set";
                return false;
            }
            out.auth.password = pw;
        }
    }
    if (auto v = args.get("org-id"))
        out.headers.emplace_back("X-Scope-OrgID", *v);
    if (auto v = args.get("header")) {
        const auto colon = v->find(':');
        if (colon == std::string::npos || colon == 0) {
            error = "--header: expected \"Name: value\", got '" + *v + "'";
            return false;
        }
        std::string value = v->substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
            value.erase(value.begin());
        out.headers.emplace_back(v->substr(0, colon), value);
    }
    return true;
}

bool parseCliTime(const std::string& text, TimeMs& out, std::string& error) {
    if (text.rfind("now", 0) == 0) {
        const TimeMs now = nowMs();
        if (text == "now") {
            out = now;
            return true;
        }
        if (text.size() > 4 && (text[3] == '-' || text[3] == '+')) {
            auto d = parseDuration(text.substr(4));
            if (d) {
                out = text[3] == '-' ? now - *d : now + *d;
                return true;
            }
        }
        error = "'" + text + "' is not a time (use Unix seconds, RFC 3339, now or now-1h)";
        return false;
    }
    auto t = parseTime(text);
    if (!t) {
        error = t.error().what();
        return false;
    }
    out = *t;
    return true;
}

} // namespace cairn::cli
