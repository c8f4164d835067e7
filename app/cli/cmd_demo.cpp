// cairn-cli demo export: writes a range of the built-in demo environment to files (see
// cairn/demo/exporter.h).
#include "args.h"
#include "commands.h"

#include "cairn/common/time.h"
#include "cairn/demo/demoenvironment.h"
#include "cairn/demo/exporter.h"

#include <charconv>
#include <cstdio>
#include <string>

namespace cairn::cli {

namespace {

void printDemoExportUsage() {
    std::fprintf(
        stderr,
        "Usage: cairn-cli demo export --out DIR [--start T] [--end T] [--seed N] [--now T]\n"
        "  --out DIR    folder to write metrics.csv, logs.log, traces.json, incidents.json into\n"
        "  --start T    first instant (Unix seconds or RFC 3339); default: 24 h before --end\n"
        "  --end T      end of the range, exclusive; default: now\n"
        "  --seed N     demo seed (default 1)\n"
        "  --now T      pin the demo's clock: its 14-day history ends at T (default: the system clock)\n");
}

} // namespace

int runDemoExport(int argc, char** argv, int first) {
    Args args(argc, argv, first, {"help"});
    if (args.has("help")) {
        printDemoExportUsage();
        return 0;
    }
    const auto unknown = args.unknown({"out", "start", "end", "seed", "now", "help"});
    if (!unknown.empty() || !args.positionals().empty()) {
        std::fprintf(stderr, "cairn-cli demo export: unknown argument '%s'\n",
                     unknown.empty() ? args.positionals().front().c_str() : ("--" + unknown.front()).c_str());
        printDemoExportUsage();
        return 2;
    }
    const std::string out = args.get("out", "");
    if (out.empty()) {
        std::fprintf(stderr, "cairn-cli demo export: --out DIR is required\n");
        printDemoExportUsage();
        return 2;
    }
    auto parseOption = [&](const char* name, TimeMs fallback, TimeMs& value) {
        const auto text = args.get(name);
        if (!text) {
            value = fallback;
            return true;
        }
        auto t = parseTime(*text);
        if (!t) {
            std::fprintf(stderr, "cairn-cli demo export: --%s: %s\n", name, t.error().what().c_str());
            return false;
        }
        value = *t;
        return true;
    };

    demo::DemoConfig config;
    if (const auto seed = args.get("seed")) {
        std::uint64_t n = 0;
        auto [p, ec] = std::from_chars(seed->data(), seed->data() + seed->size(), n);
        if (ec != std::errc() || p != seed->data() + seed->size()) {
            std::fprintf(stderr, "cairn-cli demo export: --seed must be a non-negative integer, got '%s'\n",
                         seed->c_str());
            return 2;
        }
        config.seed = n;
    }
    TimeMs now = 0;
    if (!parseOption("now", nowMs(), now))
        return 2;
    if (args.has("now"))
        config.clock = [now] { return now; };
    TimeMs end = 0, start = 0;
    if (!parseOption("end", now, end) || !parseOption("start", end - kDayMs, start))
        return 2;

    demo::DemoEnvironment env(config);
    auto summary = demo::exportDemo(env, {start, end}, out);
    if (!summary) {
        std::fprintf(stderr, "cairn-cli demo export: %s\n", summary.error().what().c_str());
        return 1;
    }
    std::printf(
        "Wrote %zu series (%zu samples), %zu log lines, %zu traces (%zu spans) and %zu incidents for %s to "
        "%s into %s\n",
        summary->series, summary->samples, summary->logLines, summary->traces, summary->spans,
        summary->incidents, formatIso(summary->range.start).c_str(), formatIso(summary->range.end).c_str(),
        out.c_str());
    return 0;
}

} // namespace cairn::cli
