// cairn-cli bench sources: how fast the connectors decode and fetch.
//  1. Decoding: a Prometheus query_range answer (generated in memory in Prometheus' own layout) decoded
//     with the connector's decoder (jsonscan.h), with the same decoder driven by nlohmann::json::sax_parse,
//     and with sax_parse and a handler that does nothing (the ceiling of any nlohmann SAX decoder); MB/s,
//     median of --repeat runs.
//  2. With --url: fetch and decode --query over [--start, --end) at --step from a real Prometheus;
//     seconds, median of --repeat runs.
#include "args.h"
#include "commands.h"
#include "sourceoptions.h"

#include "cairn/sources/prometheus.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <random>
#include <vector>

namespace cairn::cli {

namespace {

// CPU time of this thread: on a shared, loaded machine it is what the decoder costs, whatever else runs.
double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double medianOf(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// A query_range body laid out as Prometheus writes it: [1700000000,"123.456"] samples, one label set each.
std::string syntheticMatrix(int seriesCount, int points) {
    std::mt19937_64 rng(7);
    std::normal_distribution<double> noise(0, 3);
    std::string body = R"({"status":"success","data":{"resultType":"matrix","result":[)";
    char buf[96];
    for (int s = 0; s < seriesCount; ++s) {
        if (s)
            body += ',';
        std::snprintf(
            buf, sizeof buf,
            R"({"metric":{"__name__":"node_cpu_seconds_total","cpu":"%d","instance":"host-%d:9100",)", s % 64,
            s / 64);
        body += buf;
        body += R"("job":"node","mode":"user"},"values":[)";
        for (int i = 0; i < points; ++i) {
            if (i)
                body += ',';
            const double v = 100 + 20 * std::sin(i / 60.0 + s) + noise(rng);
            std::snprintf(buf, sizeof buf, R"([%lld,"%.6g"])", 1700000000LL + 60LL * i, v);
            body += buf;
        }
        body += "]}";
    }
    body += "]}}";
    return body;
}

// nlohmann's SAX interface with a handler that keeps nothing: what the lexer alone costs.
struct NullSax {
    using json = nlohmann::json;
    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(json::number_integer_t) { return true; }
    bool number_unsigned(json::number_unsigned_t) { return true; }
    bool number_float(json::number_float_t, const json::string_t&) { return true; }
    bool string(json::string_t&) { return true; }
    bool binary(json::binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(json::string_t&) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }
};

} // namespace

int runBenchSources(int argc, char** argv, int first) {
    Args args(argc, argv, first, {"insecure"});
    std::vector<std::string> known = httpOptionNames();
    for (const char* k : {"query", "start", "end", "step", "repeat", "series", "points"})
        known.emplace_back(k);
    if (auto unknown = args.unknown(known); !unknown.empty()) {
        std::fprintf(stderr,
                     "cairn-cli bench sources: unknown option --%s\n"
                     "Usage: cairn-cli bench sources [--series 1000 --points 1440] [--repeat 5]\n"
                     "       [--url URL --query PROMQL --start T --end T --step DUR]\n",
                     unknown.front().c_str());
        return 2;
    }
    const int repeat = std::max(1, std::atoi(args.get("repeat", "5").c_str()));
    const int nSeries = std::max(1, std::atoi(args.get("series", "1000").c_str()));
    const int nPoints = std::max(1, std::atoi(args.get("points", "1440").c_str()));

    const std::string body = syntheticMatrix(nSeries, nPoints);
    struct Decoder {
        const char* name;
        std::function<std::size_t(std::string_view, std::string&)> run; // samples decoded, or an error
    };
    const Decoder decoders[] = {
        {"jsonscan (the connector's decoder)",
         [](std::string_view b, std::string& err) -> std::size_t {
             auto r = sources::decodePrometheusQuery(b);
             return r ? r->samples : (err = r.error().what(), 0);
         }},
        {"nlohmann sax_parse + the same decoder",
         [](std::string_view b, std::string& err) -> std::size_t {
             auto r = sources::decodePrometheusQueryNlohmannSax(b);
             return r ? r->samples : (err = r.error().what(), 0);
         }},
        {"nlohmann sax_parse, do-nothing handler",
         [](std::string_view b, std::string& err) -> std::size_t {
             NullSax sax;
             if (!nlohmann::json::sax_parse(b.begin(), b.end(), &sax))
                 err = "parse error";
             return 0;
         }},
    };
    for (const auto& d : decoders) {
        std::vector<double> secs, cpu;
        std::size_t samples = 0;
        for (int i = 0; i < repeat; ++i) {
            std::string error;
            const auto t0 = std::chrono::steady_clock::now();
            const double c0 = threadCpuSeconds();
            samples = d.run(body, error);
            cpu.push_back(threadCpuSeconds() - c0);
            secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            if (!error.empty()) {
                std::fprintf(stderr, "cairn-cli bench sources: %s: %s\n", d.name, error.c_str());
                return 1;
            }
        }
        const double med = medianOf(secs);
        const double medCpu = medianOf(cpu);
        std::printf(
            "decode prometheus matrix [%s]: %d series x %d points, %.1f MB, median over %d runs: wall "
            "%.3f s = %.0f MB/s; CPU %.3f s = %.0f MB/s (%.1f M samples/s)\n",
            d.name, nSeries, nPoints, body.size() / 1e6, repeat, med, body.size() / 1e6 / med, medCpu,
            body.size() / 1e6 / medCpu, samples / 1e6 / medCpu);
    }

    if (!args.has("url"))
        return 0;
    sources::PrometheusOptions po;
    po.name = "bench";
    po.url = args.get("url", "");
    std::string error;
    if (!httpOptionsFromArgs(args, po.http, error)) {
        std::fprintf(stderr, "cairn-cli bench sources: %s\n", error.c_str());
        return 2;
    }
    TimeRange range{};
    if (!parseCliTime(args.get("start", "now-1d"), range.start, error) ||
        !parseCliTime(args.get("end", "now"), range.end, error)) {
        std::fprintf(stderr, "cairn-cli bench sources: %s\n", error.c_str());
        return 2;
    }
    auto step = parseDuration(args.get("step", "60s"));
    if (!step || *step <= 0) {
        std::fprintf(stderr, "cairn-cli bench sources: --step is not a duration\n");
        return 2;
    }
    const std::string promql = args.get("query", "up");
    sources::PrometheusSource prom(po);
    std::vector<double> secs, cpu;
    std::size_t seriesCount = 0, samples = 0;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = threadCpuSeconds();
        auto r = prom.queryRange(promql, range, *step);
        cpu.push_back(threadCpuSeconds() - c0);
        secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        if (!r) {
            std::fprintf(stderr, "cairn-cli bench sources: %s\n", r.error().what().c_str());
            return 1;
        }
        samples = r->samples;
        seriesCount = r->series.size();
    }
    std::printf("fetch+decode from %s: %zu series, %zu samples, median %.3f s over %d runs (min %.3f s); "
                "client CPU median %.3f s (the rest is the server and the wait)\n",
                sources::redactUrl(po.url).c_str(), seriesCount, samples, medianOf(secs), repeat,
                *std::min_element(secs.begin(), secs.end()), medianOf(cpu));
    return 0;
}

} // namespace cairn::cli
