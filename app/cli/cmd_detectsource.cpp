// cairn-cli detect --prometheus URL --query Q --start T --end T [--step S]: the source-based variant of
// `detect`. It runs the PromQL on the server (aggregation pushed down), analyses every returned series with
// the detection engine and prints the anomalies as JSON (series, start, end, peak, score, observed,
// expected, lower, upper, detector, explanation). `--source prometheus --url URL` is accepted as a synonym.
#include "args.h"
#include "commands.h"
#include "sourceoptions.h"

#include "cairn/detect/analyze.h"
#include "cairn/sources/prometheus.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cairn::cli {

namespace {

void usage() {
    std::fprintf(
        stderr,
        "Usage: cairn-cli detect --prometheus URL --query PROMQL --start T [--end T] [--step DUR | --width "
        "PX]\n"
        "                        [--sensitivity low|medium|high] [--threshold 0.5] [--min-points 1]\n"
        "       (--source prometheus --url URL is the same as --prometheus URL)\n"
        "  Prints the anomalies as a JSON array: series, start, end, peak (RFC 3339), score, observed,\n"
        "  expected, lower, upper, detector, explanation. HTTP options as for `query prometheus`.\n");
}

nlohmann::json number(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

} // namespace

bool isSourceDetect(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) {
        const char* a = argv[i];
        if (!std::strncmp(a, "--prometheus", 12) || !std::strncmp(a, "--source", 8))
            return true;
    }
    return false;
}

int runDetectSource(int argc, char** argv, int first) {
    Args args(argc, argv, first, {"insecure", "help"});
    if (args.has("help")) {
        usage();
        return 0;
    }
    std::vector<std::string> known = httpOptionNames();
    for (const char* k : {"prometheus", "source", "query", "start", "end", "step", "width", "sensitivity",
                          "threshold", "min-points", "help"})
        known.emplace_back(k);
    if (auto u = args.unknown(known); !u.empty()) {
        std::fprintf(stderr, "cairn-cli detect: unknown option --%s\n", u.front().c_str());
        usage();
        return 2;
    }
    if (args.has("source") && args.get("source", "") != "prometheus") {
        std::fprintf(stderr, "cairn-cli detect: --source supports 'prometheus' (got '%s')\n",
                     args.get("source", "").c_str());
        return 2;
    }
    sources::PrometheusOptions po;
    po.name = "cli";
    po.url = args.has("prometheus") ? args.get("prometheus", "") : args.get("url", "");
    const std::string promql = args.get("query", "");
    if (po.url.empty() || promql.empty() || !args.has("start")) {
        std::fprintf(stderr, "cairn-cli detect: --prometheus URL, --query and --start are required\n");
        usage();
        return 2;
    }
    std::string error;
    if (!httpOptionsFromArgs(args, po.http, error)) {
        std::fprintf(stderr, "cairn-cli detect: %s\n", error.c_str());
        return 2;
    }
    TimeRange range{};
    if (!parseCliTime(args.get("start", ""), range.start, error) ||
        !parseCliTime(args.get("end", "now"), range.end, error)) {
        std::fprintf(stderr, "cairn-cli detect: %s\n", error.c_str());
        return 2;
    }
    if (!range.valid()) {
        std::fprintf(stderr, "cairn-cli detect: --end must be after --start\n");
        return 2;
    }
    TimeMs step = 0;
    if (auto s = args.get("step")) {
        auto d = parseDuration(*s);
        if (!d || *d <= 0) {
            std::fprintf(stderr, "cairn-cli detect: --step: '%s' is not a duration\n", s->c_str());
            return 2;
        }
        step = *d;
    } else {
        step = sources::chooseStep(range, std::max(1, std::atoi(args.get("width", "1000").c_str())));
    }
    detect::AnalysisOptions options;
    const std::string sens = args.get("sensitivity", "medium");
    if (sens == "low")
        options.sensitivity = detect::Sensitivity::Low;
    else if (sens == "high")
        options.sensitivity = detect::Sensitivity::High;
    else if (sens != "medium") {
        std::fprintf(stderr, "cairn-cli detect: --sensitivity must be low, medium or high\n");
        return 2;
    }
    if (auto t = args.get("threshold")) {
        char* end = nullptr;
        options.scoreThreshold = std::strtod(t->c_str(), &end);
        if (t->empty() || *end || !(options.scoreThreshold > 0 && options.scoreThreshold <= 1)) {
            std::fprintf(stderr, "cairn-cli detect: --threshold must be in (0, 1]\n");
            return 2;
        }
    }
    options.minPoints = std::max(1, std::atoi(args.get("min-points", "1").c_str()));

    sources::PrometheusSource prom(po);
    auto result = prom.queryRange(promql, range, step);
    if (!result) {
        std::fprintf(stderr, "cairn-cli detect: %s\n", result.error().what().c_str());
        return 1;
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto& series : result->series) {
        const auto analysis = detect::analyzeSeries(series, options);
        for (const auto& a : analysis.anomalies) {
            out.push_back({{"series", series.id.toString()},
                           {"start", formatIso(a.start)},
                           {"end", formatIso(a.end)},
                           {"peak", formatIso(a.peak)},
                           {"score", number(a.score)},
                           {"observed", number(a.observed)},
                           {"expected", number(a.expected)},
                           {"lower", number(a.lower)},
                           {"upper", number(a.upper)},
                           {"detector", a.detector},
                           {"explanation", a.explanation}});
        }
    }
    std::printf("%s\n", out.dump(2).c_str());
    std::fprintf(stderr, "cairn-cli detect: %zu series, %zu points, %zu anomalies\n", result->series.size(),
                 result->samples, out.size());
    return 0;
}

} // namespace cairn::cli
