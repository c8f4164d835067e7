// cairn-cli demo export: writes a range of the built-in demo environment to files (see
// cairn/demo/exporter.h).
#include "args.h"
#include "commands.h"

#include "cairn/common/time.h"
#include "cairn/demo/demoenvironment.h"
#include "cairn/demo/exporter.h"
#include "cairn/sources/logsource.h"
#include "cairn/sources/tracesource.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
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

namespace cairn::cli {

// cairn-cli bench demo: the demo environment's generation speed and volumes, on a pinned clock.
int runBenchDemo(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    const auto unknown = args.unknown({"seed", "runs"});
    if (!unknown.empty() || !args.positionals().empty()) {
        std::fprintf(stderr, "Usage: cairn-cli bench demo [--seed N] [--runs N]\n");
        return 2;
    }
    std::uint64_t seed = 1;
    int runs = 5;
    const std::string seedText = args.get("seed", "1");
    const std::string runsText = args.get("runs", "5");
    auto [p1, e1] = std::from_chars(seedText.data(), seedText.data() + seedText.size(), seed);
    auto [p2, e2] = std::from_chars(runsText.data(), runsText.data() + runsText.size(), runs);
    if (e1 != std::errc() || p1 != seedText.data() + seedText.size() || e2 != std::errc() ||
        p2 != runsText.data() + runsText.size() || runs < 1 || runs > 100) {
        std::fprintf(stderr,
                     "cairn-cli bench demo: --seed must be a non-negative integer and --runs 1..100\n");
        return 2;
    }
    using Clock = std::chrono::steady_clock;
    auto seconds = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double>(b - a).count();
    };

    const TimeMs now = nowMs() / kMinuteMs * kMinuteMs;
    demo::DemoConfig config;
    config.seed = seed;
    config.clock = [now] { return now; };
    auto t0 = Clock::now();
    demo::DemoEnvironment env(config);
    const double construct = seconds(t0, Clock::now());
    const TimeRange all = env.dataRange();
    const double days = static_cast<double>(all.duration()) / static_cast<double>(kDayMs);
    const auto& topo = env.topology();
    std::printf(
        "demo environment, seed %llu: %zu services, %zu edges, %zu pods on %zu hosts, %zu incidents\n",
        static_cast<unsigned long long>(seed), topo.services.size(), topo.edges.size(), topo.pods.size(),
        topo.hosts.size(), env.incidents().size());
    std::printf("construction: %.4f s\n", construct);

    std::vector<double> times;
    std::size_t samples = 0;
    for (int r = 0; r < runs; ++r) {
        t0 = Clock::now();
        auto series = env.query({}, all, kMinuteMs);
        times.push_back(seconds(t0, Clock::now()));
        if (!series) {
            std::fprintf(stderr, "cairn-cli bench demo: %s\n", series.error().what().c_str());
            return 1;
        }
        samples = 0;
        for (const auto& s : *series)
            samples += s.size();
    }
    std::sort(times.begin(), times.end());
    std::printf(
        "metrics: %zu series, %zu samples over %.2f days at 1 min; all of them in %.3f s (median of %d, "
        "min %.3f, max %.3f)\n",
        env.seriesIds().size(), samples, days, times[times.size() / 2], runs, times.front(), times.back());

    sources::LogQuery lq;
    lq.range = all;
    lq.limit = 0;
    std::size_t bytes = 0;
    std::map<sources::LogLevel, std::size_t> levels;
    t0 = Clock::now();
    auto lines = env.scanLogs(lq, [&](const sources::LogRecord& r) {
        bytes += r.message.size();
        ++levels[r.level];
        return true;
    });
    const double logSeconds = seconds(t0, Clock::now());
    if (!lines) {
        std::fprintf(stderr, "cairn-cli bench demo: %s\n", lines.error().what().c_str());
        return 1;
    }
    std::printf("logs: %zu lines (%.0f per day; DEBUG %zu, INFO %zu, WARN %zu, ERROR %zu), %.1f MB of text, "
                "scanned in %.2f s\n",
                *lines, static_cast<double>(*lines) / days, levels[sources::LogLevel::Debug],
                levels[sources::LogLevel::Info], levels[sources::LogLevel::Warn],
                levels[sources::LogLevel::Error], static_cast<double>(bytes) / 1e6, logSeconds);

    sources::TraceQuery tq;
    tq.range = all;
    tq.limit = 0;
    t0 = Clock::now();
    auto traces = env.findTraces(tq);
    const double traceSeconds = seconds(t0, Clock::now());
    if (!traces) {
        std::fprintf(stderr, "cairn-cli bench demo: %s\n", traces.error().what().c_str());
        return 1;
    }
    std::size_t spans = 0, errors = 0;
    for (const auto& t : *traces) {
        spans += t.spans.size();
        errors += std::any_of(t.spans.begin(), t.spans.end(), [](const auto& s) { return s.error; }) ? 1 : 0;
    }
    std::printf(
        "traces: %zu (%.2f per minute), %zu spans (%.1f per trace), %zu with errors, generated in %.2f s\n",
        traces->size(), static_cast<double>(traces->size()) / (days * 1440.0), spans,
        static_cast<double>(spans) / static_cast<double>(std::max<std::size_t>(1, traces->size())), errors,
        traceSeconds);
    tq.limit = 100;
    t0 = Clock::now();
    auto recent = env.findTraces(tq);
    std::printf("newest 100 traces: %.4f s\n", seconds(t0, Clock::now()));
    return recent ? 0 : 1;
}

} // namespace cairn::cli
