// cairn-cli bench nab / bench detect-scale: quality (NAB) and throughput/memory figures of the detector.
#include "args.h"
#include "commands.h"

#include "cairn/detect/nab.h"
#include "cairn/detect/pipeline.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include <cstdlib>
#include <time.h>

namespace cairn::cli {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// CPU time of the calling thread: on a shared machine this, not wall time, says what one core does.
double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Published NAB scores (final_results.json, full 58-file corpus) by detector and profile.
std::map<std::string, std::map<std::string, double>> readPublished(const fs::path& path) {
    std::map<std::string, std::map<std::string, double>> out;
    std::ifstream in(path);
    if (!in)
        return out;
    try {
        const auto j = nlohmann::json::parse(in);
        for (const auto& [det, profiles] : j.items())
            for (const auto& [profile, v] : profiles.items())
                if (v.is_number())
                    out[det][profile] = v.get<double>();
    } catch (const nlohmann::json::exception&) {
        out.clear();
    }
    return out;
}

// derived_subset_scoreboard_42files.csv: detector,standard,reward_low_FP_rate,reward_low_FN_rate
std::map<std::string, std::vector<double>> readSubset(const fs::path& path) {
    std::map<std::string, std::vector<double>> out;
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::vector<std::string> cols;
        std::size_t start = 0;
        for (;;) {
            const auto c = line.find(',', start);
            cols.push_back(line.substr(start, c == std::string::npos ? c : c - start));
            if (c == std::string::npos)
                break;
            start = c + 1;
        }
        if (cols.size() < 4)
            continue;
        std::vector<double> v;
        for (std::size_t i = 1; i < 4; ++i)
            v.push_back(std::strtod(cols[i].c_str(), nullptr));
        out[cols[0]] = v;
    }
    return out;
}

// --set name=value[,name=value...]: one pipeline configuration for the whole corpus, to measure how
// sensitive the result is to each parameter (the defaults are what Cairn ships).
bool applySettings(const std::string& text, detect::PipelineConfig& c) {
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, comma - start);
        start = comma + 1;
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            return false;
        const std::string key = item.substr(0, eq);
        char* end = nullptr;
        const double v = std::strtod(item.c_str() + eq + 1, &end);
        if (end == item.c_str() + eq + 1 || *end != '\0' || !std::isfinite(v))
            return false;
        const std::map<std::string, double*> doubles{{"deviationSigmas", &c.deviationSigmas},
                                                     {"contextWeight", &c.contextWeight},
                                                     {"longMemory", &c.longMemory},
                                                     {"minStd", &c.minStd},
                                                     {"extremeScore", &c.extremeScore},
                                                     {"fireLevel", &c.fireLevel},
                                                     {"bandSigmas", &c.ensemble.bandSigmas},
                                                     {"extremeSigmas", &c.extremeSigmas},
                                                     {"extremeRangeFloor", &c.extremeRangeFloor},
                                                     {"patternSigmas", &c.patternSigmas}};
        const std::map<std::string, int*> ints{{"shortWindow", &c.shortWindow},
                                               {"warmupPoints", &c.warmupPoints},
                                               {"restPoints", &c.restPoints},
                                               {"longWindow", &c.longWindow},
                                               {"extremeWarmupPoints", &c.extremeWarmupPoints},
                                               {"contextBins", &c.context.bins},
                                               {"patternWindow", &c.patternWindow}};
        if (auto d = doubles.find(key); d != doubles.end())
            *d->second = v;
        else if (auto i = ints.find(key); i != ints.end())
            *i->second = static_cast<int>(std::lround(v));
        else
            return false;
    }
    return true;
}

int benchNab(int argc, char** argv, int first) {
    Args args(argc, argv, first, {"raw", "verbose"});
    if (auto u = args.unknown({"data", "raw", "verbose", "set", "dump"}); !u.empty()) {
        std::fprintf(stderr, "cairn-cli bench nab: unknown option --%s\n", u.front().c_str());
        return 2;
    }
    const auto data = args.get("data");
    if (!data || data->empty()) {
        std::fprintf(
            stderr,
            "Usage: cairn-cli bench nab --data DIR [--raw] [--verbose] [--set name=value,...] [--dump DIR]\n"
            "  DIR has data/<category>/*.csv and labels/combined_windows.json (NAB's layout).\n"
            "  --set changes pipeline parameters for the whole corpus (sensitivity studies):\n"
            "  deviationSigmas contextWeight shortWindow longMemory minStd warmupPoints\n"
            "  extremeScore fireLevel restPoints contextBins bandSigmas longWindow\n"
            "  extremeWarmupPoints extremeSigmas extremeRangeFloor patternSigmas patternWindow\n"
            "  --dump DIR writes each file's scores (one per row) into DIR (diagnostics).\n");
        return 2;
    }
    const fs::path root(*data);
    auto windows = detect::nab::readWindows((root / "labels" / "combined_windows.json").string());
    if (!windows) {
        std::fprintf(stderr, "cairn-cli bench nab: %s\n", windows.error().what().c_str());
        return 1;
    }
    std::vector<fs::path> csvs;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root / "data", ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ".csv")
            csvs.push_back(it->path());
    if (ec || csvs.empty()) {
        std::fprintf(stderr, "cairn-cli bench nab: no CSV files under %s\n",
                     (root / "data").string().c_str());
        return 1;
    }
    std::sort(csvs.begin(), csvs.end());

    detect::PipelineConfig config;
    config.surprise = !args.has("raw");
    if (auto set = args.get("set"); set && !applySettings(*set, config)) {
        std::fprintf(stderr, "cairn-cli bench nab: --set expects name=value[,name=value...] with known "
                             "names (see --help)\n");
        return 2;
    }
    std::vector<detect::nab::ScoredFile> files;
    std::size_t points = 0;
    double detectSeconds = 0;
    double detectCpu = 0;
    for (const fs::path& p : csvs) {
        auto csv = detect::nab::readCsv(p.string());
        if (!csv) {
            std::fprintf(stderr, "cairn-cli bench nab: %s\n", csv.error().what().c_str());
            return 1;
        }
        detect::nab::ScoredFile f;
        f.key = fs::relative(p, root / "data").generic_string();
        f.time = csv->time;
        f.score.resize(csv->time.size());
        const auto t0 = Clock::now();
        const double c0 = threadCpuSeconds();
        detect::ScorePipeline pipeline(config);
        for (std::size_t i = 0; i < csv->time.size(); ++i)
            f.score[i] = pipeline.update(csv->time[i], csv->value[i]);
        detectSeconds += seconds(t0, Clock::now());
        detectCpu += threadCpuSeconds() - c0;
        points += csv->time.size();
        if (auto w = windows->find(f.key); w != windows->end())
            f.windows = detect::nab::windowRows(f.time, w->second);
        // --dump DIR (diagnostics): the scores, one per row, into DIR/<category>_<file>.
        if (auto dump = args.get("dump"); dump && !dump->empty()) {
            std::string name = f.key;
            std::replace(name.begin(), name.end(), '/', '_');
            std::FILE* out = std::fopen((fs::path(*dump) / name).string().c_str(), "w");
            if (!out) {
                std::fprintf(stderr, "cairn-cli bench nab: cannot write into %s\n", dump->c_str());
                return 1;
            }
            for (const double s : f.score)
                std::fprintf(out, "%.6f\n", s);
            std::fclose(out);
        }
        files.push_back(std::move(f));
    }

    const auto published = readPublished(root / "published_results" / "final_results.json");
    const auto subset = readSubset(root / "published_results" / "derived_subset_scoreboard_42files.csv");
    std::size_t windowCount = 0;
    for (const auto& f : files)
        windowCount += f.windows.size();
    std::printf("NAB: %zu files, %zu windows, %zu points; detector: Cairn ensemble%s; one configuration, no "
                "labels read "
                "by the detector\n",
                files.size(), windowCount, points, config.surprise ? " + surprise stage" : " (band score)");
    std::printf("detector throughput: %.2f M points/s per core of CPU time (%.2f M/s wall), scoring only\n\n",
                static_cast<double>(points) / detectCpu / 1e6,
                static_cast<double>(points) / detectSeconds / 1e6);
    std::printf("%-20s %10s %10s %10s %8s %8s\n", "profile", "score", "threshold", "raw", "windows",
                "FP rows");
    std::vector<double> ours;
    for (const auto& profile : detect::nab::standardProfiles()) {
        const auto r = detect::nab::scoreCorpus(files, profile);
        ours.push_back(r.normalized);
        std::printf("%-20s %10.2f %10.6f %10.3f %4zu/%-3zu %8zu\n", profile.name.c_str(), r.normalized,
                    r.threshold, r.rawScore, r.detectedWindows, r.windows, r.falsePositiveRows);
        if (args.has("verbose"))
            for (const auto& fr : r.files)
                std::printf("    %-58s %8.3f  windows %zu/%zu  fp rows %zu\n", fr.key.c_str(), fr.score,
                            fr.detectedWindows, fr.windows, fr.fp);
    }

    std::printf("\n%-22s %10s %10s %10s   %s\n", "detector", "standard", "low FP", "low FN", "corpus");
    std::printf("%-22s %10.2f %10.2f %10.2f   %s\n", "Cairn (this run)", ours[0], ours[1], ours[2],
                (std::to_string(files.size()) + " files").c_str());
    std::vector<std::pair<double, std::string>> order;
    for (const auto& [det, prof] : published)
        order.emplace_back(prof.count("standard") ? prof.at("standard") : 0.0, det);
    std::sort(order.rbegin(), order.rend());
    for (const auto& [std_, det] : order) {
        const auto& prof = published.at(det);
        auto get = [&](const char* k) { return prof.count(k) ? prof.at(k) : NAN; };
        std::printf("%-22s %10.2f %10.2f %10.2f   published, 58 files", det.c_str(), get("standard"),
                    get("reward_low_FP_rate"), get("reward_low_FN_rate"));
        if (auto s = subset.find(det); s != subset.end())
            std::printf(";  42-file subset %.2f / %.2f / %.2f", s->second[0], s->second[1], s->second[2]);
        std::printf("\n");
    }
    if (published.empty())
        std::printf("(published table not found under %s/published_results)\n", root.string().c_str());
    return 0;
}

// Synthetic one-week, one-minute series: daily and weekly seasons, noise, a few spikes and a level shift.
std::vector<std::vector<double>> makePool(int count, int points) {
    std::vector<std::vector<double>> pool;
    std::mt19937 rng(12345);
    std::normal_distribution<double> noise(0.0, 1.0);
    const double twoPi = 6.283185307179586;
    for (int s = 0; s < count; ++s) {
        std::vector<double> v(static_cast<std::size_t>(points));
        const double amp = 5 + s % 17;
        for (int i = 0; i < points; ++i) {
            const double day = static_cast<double>(i % 1440) / 1440.0;
            const double week = static_cast<double>(i % 10080) / 10080.0;
            v[static_cast<std::size_t>(i)] =
                100 + amp * std::sin(twoPi * day) + 3 * std::sin(twoPi * week) + noise(rng) * (1 + s % 3);
        }
        for (int k = 0; k < 3; ++k)
            v[static_cast<std::size_t>(rng() % static_cast<unsigned>(points))] += 40;
        for (int i = points * 2 / 3; i < points; ++i)
            v[static_cast<std::size_t>(i)] += (s % 4 == 0) ? 15 : 0;
        pool.push_back(std::move(v));
    }
    return pool;
}

int benchScale(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    if (auto u = args.unknown({"series", "points", "threads", "runs"}); !u.empty()) {
        std::fprintf(stderr, "cairn-cli bench detect-scale: unknown option --%s\n", u.front().c_str());
        return 2;
    }
    const int series = std::atoi(args.get("series", "10000").c_str());
    const int points = std::atoi(args.get("points", "10080").c_str());
    // Default: one worker per core of this machine (per-series state is independent).
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int threads = std::atoi(args.get("threads", std::to_string(cores)).c_str());
    const int runs = std::atoi(args.get("runs", "1").c_str());
    if (series <= 0 || points <= 0 || threads <= 0 || threads > 256 || runs <= 0 || runs > 20) {
        std::fprintf(stderr, "Usage: cairn-cli bench detect-scale [--series 10000] [--points 10080] "
                             "[--threads CORES] [--runs 1]\n");
        return 2;
    }
    const TimeMs start = 1'700'000'000'000 - 1'700'000'000'000 % kWeekMs;
    const auto pool = makePool(64, points);
    std::printf("detect-scale: %d series x %d points (1-minute samples), %d threads, ensemble + surprise "
                "stage (ScorePipeline)\n",
                series, points, threads);

    // 1) Single-core replay throughput.
    {
        const int n = std::min(series, 200);
        double sink = 0;
        const auto t0 = Clock::now();
        const double c0 = threadCpuSeconds();
        for (int s = 0; s < n; ++s) {
            detect::ScorePipeline p;
            const auto& v = pool[static_cast<std::size_t>(s) % pool.size()];
            for (int i = 0; i < points; ++i)
                sink += p.update(start + i * kMinuteMs, v[static_cast<std::size_t>(i)]);
        }
        const double secs = seconds(t0, Clock::now());
        const double cpu = threadCpuSeconds() - c0;
        std::printf("single core replay: %.2f M points/s/core by CPU time, %.2f M/s by wall time (%d series, "
                    "checksum %.3f)\n",
                    static_cast<double>(n) * points / cpu / 1e6, static_cast<double>(n) * points / secs / 1e6,
                    n, sink);
    }
    // 2) The whole fleet on `threads` threads, `runs` times (the median is the figure to quote).
    std::vector<double> walls;
    for (int run = 0; run < runs; ++run) {
        std::vector<double> sinks(static_cast<std::size_t>(threads), 0.0);
        std::vector<double> cpus(static_cast<std::size_t>(threads), 0.0);
        const auto t0 = Clock::now();
        std::vector<std::thread> workers;
        for (int w = 0; w < threads; ++w)
            workers.emplace_back([&, w] {
                const double c0 = threadCpuSeconds();
                double sink = 0;
                for (int s = w; s < series; s += threads) {
                    detect::ScorePipeline p;
                    const auto& v = pool[static_cast<std::size_t>(s) % pool.size()];
                    const double offset = s % 97;
                    for (int i = 0; i < points; ++i)
                        sink += p.update(start + i * kMinuteMs, v[static_cast<std::size_t>(i)] + offset);
                }
                sinks[static_cast<std::size_t>(w)] = sink;
                cpus[static_cast<std::size_t>(w)] = threadCpuSeconds() - c0;
            });
        for (auto& t : workers)
            t.join();
        const double secs = seconds(t0, Clock::now());
        double busiest = 0;
        double cpu = 0;
        for (double c : cpus) {
            busiest = std::max(busiest, c);
            cpu += c;
        }
        const double total = static_cast<double>(series) * points;
        walls.push_back(secs);
        std::printf("fleet run %d: %d x %d points: wall %.2f s on %d threads (%d cores here), CPU %.2f s "
                    "(busiest thread %.2f s), %.2f M points/s/core by CPU time, %.2f M points/s by wall "
                    "time\n",
                    run + 1, series, points, secs, threads, cores, cpu, busiest, total / cpu / 1e6,
                    total / secs / 1e6);
    }
    std::sort(walls.begin(), walls.end());
    double load[3] = {0, 0, 0};
    const bool haveLoad = getloadavg(load, 3) == 3;
    std::printf("fleet wall time: median %.2f s of %d run(s) (min %.2f, max %.2f)", walls[walls.size() / 2],
                runs, walls.front(), walls.back());
    if (haveLoad)
        std::printf("; load average %.2f %.2f %.2f (other processes share these cores)", load[0], load[1],
                    load[2]);
    std::printf("\n");
    detect::ScorePipeline p;
    std::printf("state per series: %zu bytes (ScorePipeline; ensemble %zu: seasonal %zu, rolling MAD %zu; "
                "context %zu)\n",
                p.stateBytes(), p.ensemble().stateBytes(), p.ensemble().seasonal().stateBytes(),
                sizeof(detect::RollingMadDetector), p.context().stateBytes());
    return 0;
}

} // namespace

int runBenchNab(int argc, char** argv, int first) {
    return benchNab(argc, argv, first);
}

int runBenchDetectScale(int argc, char** argv, int first) {
    return benchScale(argc, argv, first);
}

} // namespace cairn::cli
