// cairn-cli forecast / bench m4: forecasting many series in the M4 wide CSV layout, and measuring accuracy.
#include "args.h"
#include "commands.h"

#include "cairn/forecast/accuracy.h"
#include "cairn/forecast/forecaster.h"
#include "cairn/forecast/widecsv.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <string>

namespace cairn::cli {

namespace {

bool parseInt(const std::string& s, int& out) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

forecast::ForecastOptions optionsFor(const std::vector<double>& values, int horizon) {
    forecast::ForecastOptions o;
    o.horizon = horizon;
    // A history that never went below zero is taken as a quantity that cannot (counts, bytes, load).
    o.nonNegative = std::all_of(values.begin(), values.end(), [](double v) { return !(v < 0); });
    return o;
}

} // namespace

int runForecast(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    if (auto u = args.unknown({"input", "horizon", "output"}); !u.empty()) {
        std::fprintf(stderr, "cairn-cli forecast: unknown option --%s\n", u.front().c_str());
        return 2;
    }
    std::string missing;
    if (!args.require({"input", "horizon", "output"}, missing)) {
        std::fprintf(stderr,
                     "cairn-cli forecast: missing --%s\n"
                     "usage: cairn-cli forecast --input FILE.csv --horizon H --output OUT.csv\n",
                     missing.c_str());
        return 2;
    }
    int horizon = 0;
    if (!parseInt(*args.get("horizon"), horizon) || horizon < 1 || horizon > 100000) {
        std::fprintf(stderr, "cairn-cli forecast: --horizon must be an integer between 1 and 100000\n");
        return 2;
    }
    auto input = forecast::readWideCsv(*args.get("input"));
    if (!input) {
        std::fprintf(stderr, "cairn-cli forecast: %s\n", input.error().what().c_str());
        return 1;
    }
    std::vector<forecast::NamedSeries> out;
    int failed = 0;
    for (const auto& s : *input) {
        const auto r = forecast::forecastValues(s.values, optionsFor(s.values, horizon));
        if (!r.ok()) {
            std::fprintf(stderr, "cairn-cli forecast: series %s: %s (%s)\n", s.id.c_str(),
                         std::string(forecast::toString(r.status)).c_str(), r.message.c_str());
            ++failed;
            out.push_back({s.id, std::vector<double>(horizon, std::nan(""))});
            continue;
        }
        out.push_back({s.id, r.mean});
    }
    const std::string path = *args.get("output");
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f || !(f << forecast::formatWideCsv(out)) || !f.flush()) {
        std::fprintf(stderr, "cairn-cli forecast: cannot write %s\n", path.c_str());
        return 1;
    }
    std::fprintf(stderr, "cairn-cli forecast: %zu series, %d without a forecast (written as NA)\n",
                 out.size(), failed);
    return 0;
}

int runBenchM4(int argc, char** argv, int first) {
    Args args(argc, argv, first, {"verbose"});
    if (auto u = args.unknown({"train", "test", "limit", "period", "verbose", "combine", "origins", "model"});
        !u.empty()) {
        std::fprintf(stderr, "cairn-cli bench m4: unknown option --%s\n", u.front().c_str());
        return 2;
    }
    std::string missing;
    if (!args.require({"train", "test"}, missing)) {
        std::fprintf(stderr,
                     "cairn-cli bench m4: missing --%s\n"
                     "usage: cairn-cli bench m4 --train TRAIN.csv --test TEST.csv [--limit N]\n",
                     missing.c_str());
        return 2;
    }
    int limit = 0, period = 24;
    if ((args.has("limit") && !parseInt(*args.get("limit"), limit)) ||
        (args.has("period") && !parseInt(*args.get("period"), period)) || limit < 0 || period < 1) {
        std::fprintf(stderr, "cairn-cli bench m4: --limit and --period take positive integers\n");
        return 2;
    }
    int combine = 0, origins = 0;
    if ((args.has("combine") && !parseInt(*args.get("combine"), combine)) ||
        (args.has("origins") && !parseInt(*args.get("origins"), origins))) {
        std::fprintf(stderr, "cairn-cli bench m4: --combine and --origins take positive integers\n");
        return 2;
    }
    auto train = forecast::readWideCsv(*args.get("train"));
    auto test = forecast::readWideCsv(*args.get("test"));
    for (const auto* r : {&train, &test})
        if (!*r) {
            std::fprintf(stderr, "cairn-cli bench m4: %s\n", r->error().what().c_str());
            return 1;
        }
    std::map<std::string, const forecast::NamedSeries*> testById;
    for (const auto& s : *test)
        testById[s.id] = &s;
    double sumSmape = 0, sumMase = 0, sumCov95 = 0, sumCov80 = 0, seconds = 0, cpuSeconds = 0;
    std::size_t points = 0, series = 0, failed = 0;
    std::map<std::string, int> models;
    for (const auto& s : *train) {
        if (limit > 0 && static_cast<int>(series) >= limit)
            break;
        const auto it = testById.find(s.id);
        if (it == testById.end()) {
            std::fprintf(stderr, "cairn-cli bench m4: series %s has no test row\n", s.id.c_str());
            return 1;
        }
        const auto& actual = it->second->values;
        const int h = static_cast<int>(actual.size());
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        auto options = optionsFor(s.values, h);
        if (combine > 0)
            options.combine = combine;
        if (origins > 0)
            options.validationOrigins = origins;
        options.onlyModel = args.get("model", "");
        const auto r = forecast::forecastValues(s.values, options);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        cpuSeconds += static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
        ++series;
        if (!r.ok()) {
            ++failed;
            continue;
        }
        // Set-level averages over all points, as in M4 (every series has the same horizon).
        const double sm = forecast::smape(actual, r.mean);
        const double ms = forecast::mase(s.values, actual, r.mean, period);
        sumSmape += sm * h;
        sumMase += ms * h;
        sumCov95 += forecast::coverage(actual, r.lower95, r.upper95) * h;
        sumCov80 += forecast::coverage(actual, r.lower80, r.upper80) * h;
        points += static_cast<std::size_t>(h);
        ++models[r.model.substr(0, r.model.find('+'))];
        if (args.has("verbose"))
            std::printf("%s\tsMAPE %.3f\tMASE %.3f\t%s\n", s.id.c_str(), sm, ms, r.model.c_str());
    }
    if (points == 0) {
        std::fprintf(stderr, "cairn-cli bench m4: no series could be forecast\n");
        return 1;
    }
    const double sm = sumSmape / static_cast<double>(points);
    const double ms = sumMase / static_cast<double>(points);
    std::printf("series          %zu (%zu failed)\n", series, failed);
    std::printf("sMAPE           %.3f\n", sm);
    std::printf("MASE            %.3f   (m = %d)\n", ms, period);
    std::printf("OWA             %.3f   (vs Naive2 sMAPE 18.383, MASE 2.395)\n",
                forecast::owa(sm, ms, 18.383, 2.395));
    std::printf("coverage 95%%    %.1f%%\n", 100.0 * sumCov95 / static_cast<double>(points));
    std::printf("coverage 80%%    %.1f%%\n", 100.0 * sumCov80 / static_cast<double>(points));
    std::printf(
        "speed           %.0f series/s, %.3f ms per series wall, %.3f ms CPU (fit + forecast, one thread)\n",
        static_cast<double>(series) / seconds, 1000.0 * seconds / static_cast<double>(series),
        1000.0 * cpuSeconds / static_cast<double>(series));
    std::printf("lead model      ");
    for (const auto& [name, count] : models)
        std::printf("%s:%d ", name.c_str(), count);
    std::printf("\n");
    return 0;
}

} // namespace cairn::cli
