// cairn-cli sources check --config FILE: tests every configured source and prints its state.
#include "args.h"
#include "commands.h"

#include "cairn/sources/sourceconfig.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace cairn::cli {

int runSourcesCheck(int argc, char** argv, int first) {
    Args args(argc, argv, first, {"json", "help"});
    if (args.has("help") || !args.has("config") ||
        !args.unknown({"config", "json", "help", "only"}).empty()) {
        std::fprintf(stderr,
                     "Usage: cairn-cli sources check --config FILE [--only NAME] [--json]\n"
                     "  Tests each source (version and latency, or the error). Secrets come from env:/file:\n"
                     "  references; keyring: ones are read by the app only. Exit 1 when a source fails.\n");
        return args.has("help") ? 0 : 2;
    }
    auto config = sources::loadSourceConfig(args.get("config", ""));
    if (!config) {
        std::fprintf(stderr, "cairn-cli sources check: %s\n", config.error().what().c_str());
        return 1;
    }
    const std::string only = args.get("only", "");
    nlohmann::json out = nlohmann::json::array();
    int failed = 0, checked = 0;
    if (!args.has("json"))
        std::printf("%-20s %-14s %-7s %-24s %9s  %s\n", "NAME", "KIND", "STATE", "VERSION", "LATENCY",
                    "DETAIL");
    for (const auto& c : *config) {
        if (!only.empty() && c.name != only)
            continue;
        ++checked;
        const auto h = sources::checkSource(c, sources::resolveSecretDefault);
        const bool ok = h.state == sources::SourceState::Ok;
        failed += ok ? 0 : 1;
        if (args.has("json")) {
            nlohmann::json j = {{"name", c.name},
                                {"kind", std::string(sources::toString(c.kind))},
                                {"url", sources::redactUrl(c.url)},
                                {"state", ok ? "ok" : "failed"},
                                {"version", h.version},
                                {"latency_ms", h.latencyMs}};
            if (!ok)
                j["error"] = h.error.what();
            out.push_back(j);
        } else {
            std::printf("%-20s %-14s %-7s %-24s %7lld ms  %s\n", c.name.c_str(),
                        std::string(sources::toString(c.kind)).c_str(), ok ? "ok" : "FAILED",
                        h.version.c_str(), static_cast<long long>(h.latencyMs),
                        ok ? sources::redactUrl(c.url).c_str() : h.error.what().c_str());
        }
    }
    if (args.has("json"))
        std::printf("%s\n", out.dump(2).c_str());
    if (checked == 0) {
        std::fprintf(stderr, "cairn-cli sources check: no source%s in %s\n",
                     only.empty() ? "" : (" named '" + only + "'").c_str(), args.get("config", "").c_str());
        return 1;
    }
    return failed ? 1 : 0;
}

} // namespace cairn::cli
