// cairn-cli query prometheus: PromQL against any Prometheus API server, CSV on stdout.
#include "args.h"
#include "commands.h"
#include "csvout.h"
#include "sourceoptions.h"

#include "cairn/sources/prometheus.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

namespace cairn::cli {

namespace {

void printQueryUsage() {
    std::fprintf(
        stderr,
        "Usage: cairn-cli query prometheus --url URL --query PROMQL --start T [--end T] [--step DUR | "
        "--width PX]\n"
        "       cairn-cli query prometheus --url URL --query PROMQL --time T      (instant query)\n"
        "       cairn-cli query prometheus --url URL --labels | --label-values NAME | --series MATCH |\n"
        "                                 --metadata | --alerts | --rules | --version\n"
        "Times: Unix seconds, RFC 3339, now, now-2h. CSV columns: series,timestamp,value "
        "(timestamp in Unix seconds).\n"
        "HTTP options: --timeout DUR --connect-timeout DUR --retries N --ca-file F --cert F --key F "
        "--insecure\n"
        "              --token-env VAR --user U --password-env VAR --org-id ID --header \"N: v\" "
        "--proxy URL --max-bytes N\n");
}

int printSeriesCsv(const sources::PromQueryResult& r) {
    std::string out = "series,timestamp,value\n";
    for (const auto& s : r.series) {
        const std::string name = csvField(s.id.toString());
        for (std::size_t i = 0; i < s.size(); ++i) {
            out += name;
            out += ',';
            appendUnixSeconds(out, s.time[i]);
            out += ',';
            appendNumber(out, s.value[i]);
            out += '\n';
            if (out.size() > (1 << 20)) {
                std::fwrite(out.data(), 1, out.size(), stdout);
                out.clear();
            }
        }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    for (const auto& w : r.warnings)
        std::fprintf(stderr, "cairn-cli query: warning from the server: %s\n", w.c_str());
    return 0;
}

int fail1(const Error& e) {
    std::fprintf(stderr, "cairn-cli query: %s\n", e.what().c_str());
    return 1;
}

} // namespace

int runQueryPrometheus(int argc, char** argv, int first) {
    const std::vector<std::string> flags = {"insecure", "labels",  "metadata", "alerts",
                                            "rules",    "version", "help"};
    Args args(argc, argv, first, flags);
    if (args.has("help")) {
        printQueryUsage();
        return 0;
    }
    std::vector<std::string> known = httpOptionNames();
    for (const char* k : {"query", "start", "end", "step", "width", "time", "labels", "label-values",
                          "series", "metadata", "alerts", "rules", "version", "name", "help", "metric"})
        known.emplace_back(k);
    if (auto unknown = args.unknown(known); !unknown.empty()) {
        std::fprintf(stderr, "cairn-cli query prometheus: unknown option --%s\n", unknown.front().c_str());
        printQueryUsage();
        return 2;
    }
    if (!args.has("url") || args.get("url", "").empty()) {
        std::fprintf(stderr, "cairn-cli query prometheus: --url is required\n");
        printQueryUsage();
        return 2;
    }
    sources::PrometheusOptions po;
    po.name = args.get("name", "cli");
    po.url = args.get("url", "");
    std::string error;
    if (!httpOptionsFromArgs(args, po.http, error)) {
        std::fprintf(stderr, "cairn-cli query prometheus: %s\n", error.c_str());
        return 2;
    }
    sources::PrometheusSource prom(po);

    if (args.has("version")) {
        auto v = prom.version();
        if (!v)
            return fail1(v.error());
        std::printf("%s\n", v->c_str());
        return 0;
    }
    if (args.has("labels") || args.has("label-values")) {
        auto r = args.has("labels") ? prom.labelNames() : prom.labelValues(args.get("label-values", ""));
        if (!r)
            return fail1(r.error());
        for (const auto& s : *r)
            std::printf("%s\n", s.c_str());
        return 0;
    }
    if (args.has("series")) {
        TimeRange range{};
        if (args.has("start")) {
            if (!parseCliTime(args.get("start", ""), range.start, error) ||
                !parseCliTime(args.get("end", "now"), range.end, error)) {
                std::fprintf(stderr, "cairn-cli query prometheus: %s\n", error.c_str());
                return 2;
            }
        }
        auto r = prom.series({args.get("series", "")}, range);
        if (!r)
            return fail1(r.error());
        for (const auto& id : *r)
            std::printf("%s\n", id.toString().c_str());
        return 0;
    }
    if (args.has("metadata")) {
        auto r = prom.metadata(args.get("metric", ""));
        if (!r)
            return fail1(r.error());
        std::string out = "metric,type,unit,help\n";
        for (const auto& m : *r)
            out += csvField(m.metric) + "," + csvField(m.type) + "," + csvField(m.unit) + "," +
                   csvField(m.help) + "\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
    }
    if (args.has("alerts")) {
        auto r = prom.alerts();
        if (!r)
            return fail1(r.error());
        nlohmann::json arr = nlohmann::json::array();
        for (const auto& a : *r)
            arr.push_back({{"labels", a.labels},
                           {"annotations", a.annotations},
                           {"state", a.state},
                           {"activeAt", a.activeAt},
                           {"value", a.value}});
        std::printf("%s\n", arr.dump(2).c_str());
        return 0;
    }
    if (args.has("rules")) {
        auto r = prom.rules();
        if (!r)
            return fail1(r.error());
        nlohmann::json arr = nlohmann::json::array();
        for (const auto& g : *r) {
            nlohmann::json rules = nlohmann::json::array();
            for (const auto& rule : g.rules)
                rules.push_back({{"name", rule.name},
                                 {"type", rule.type},
                                 {"query", rule.query},
                                 {"health", rule.health},
                                 {"state", rule.state},
                                 {"lastError", rule.lastError}});
            arr.push_back({{"name", g.name}, {"file", g.file}, {"rules", rules}});
        }
        std::printf("%s\n", arr.dump(2).c_str());
        return 0;
    }

    const std::string promql = args.get("query", "");
    if (promql.empty()) {
        std::fprintf(stderr, "cairn-cli query prometheus: --query is required\n");
        printQueryUsage();
        return 2;
    }
    if (args.has("time")) {
        TimeMs at = 0;
        if (!parseCliTime(args.get("time", ""), at, error)) {
            std::fprintf(stderr, "cairn-cli query prometheus: --time: %s\n", error.c_str());
            return 2;
        }
        auto r = prom.queryInstant(promql, at);
        if (!r)
            return fail1(r.error());
        if (r->type == sources::PromResultType::String) {
            std::printf("%s\n", r->stringValue.c_str());
            return 0;
        }
        return printSeriesCsv(*r);
    }
    TimeRange range{};
    if (!args.has("start")) {
        std::fprintf(stderr,
                     "cairn-cli query prometheus: --start is required for a range query (or give --time)\n");
        return 2;
    }
    if (!parseCliTime(args.get("start", ""), range.start, error) ||
        !parseCliTime(args.get("end", "now"), range.end, error)) {
        std::fprintf(stderr, "cairn-cli query prometheus: %s\n", error.c_str());
        return 2;
    }
    if (!range.valid()) {
        std::fprintf(stderr, "cairn-cli query prometheus: --end must be after --start\n");
        return 2;
    }
    TimeMs step = 0;
    if (auto s = args.get("step")) {
        auto d = parseDuration(*s);
        if (!d || *d <= 0) {
            std::fprintf(stderr,
                         "cairn-cli query prometheus: --step: '%s' is not a duration (e.g. 15s, 1m)\n",
                         s->c_str());
            return 2;
        }
        step = *d;
    } else {
        const int width = std::atoi(args.get("width", "1000").c_str());
        if (width <= 0) {
            std::fprintf(stderr, "cairn-cli query prometheus: --width must be a positive pixel count\n");
            return 2;
        }
        step = sources::chooseStep(range, width);
    }
    auto r = prom.queryRange(promql, range, step);
    if (!r)
        return fail1(r.error());
    return printSeriesCsv(*r);
}

} // namespace cairn::cli
