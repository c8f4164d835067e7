// cairn-cli log commands: `logs parse` (template mining of one file or stdin to CSV),
// `bench loghub` (grouping accuracy on the Loghub 2k samples) and `bench logs-throughput`.
#include "args.h"
#include "commands.h"

#include "cairn/common/csv.h"
#include "cairn/logs/logformat.h"
#include "cairn/logs/loghub.h"
#include "cairn/logs/templateminer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace cairn::cli {

namespace {

using Clock = std::chrono::steady_clock;

// CPU time of the calling thread in seconds: the one-core figure even when other processes share the
// machine (wall-clock rates are printed next to it).
double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

bool parseMinerOptions(const Args& args, logs::MinerOptions& o, const char* cmd) {
    try {
        if (auto s = args.get("siblings"))
            o.siblings = std::size_t(std::stoul(*s));
        if (auto d = args.get("depth"))
            o.depth = std::size_t(std::stoul(*d));
    } catch (const std::exception&) {
        std::fprintf(stderr, "cairn-cli %s: --siblings and --depth take integers\n", cmd);
        return false;
    }
    return true;
}

} // namespace

int runBenchLoghub(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    if (auto u = args.unknown({"data", "siblings", "depth", "verbose"}); !u.empty()) {
        std::fprintf(stderr, "cairn-cli bench loghub: unknown option --%s\n", u.front().c_str());
        return 2;
    }
    std::string missing;
    if (!args.require({"data"}, missing)) {
        std::fprintf(stderr, "cairn-cli bench loghub: --data DIR is required (the Loghub folder with "
                             "drain_benchmark_settings.json)\n");
        return 2;
    }
    const std::string dir = *args.get("data");
    logs::MinerOptions options;
    if (!parseMinerOptions(args, options, "bench loghub"))
        return 2;
    auto formats = logs::loadLoghubFormats(dir + "/drain_benchmark_settings.json");
    if (!formats) {
        std::fprintf(stderr, "cairn-cli bench loghub: %s\n", formats.error().what().c_str());
        return 1;
    }
    // Published grouping accuracy (Zhu et al., ICSE 2019, Drain tuned per system) for comparison.
    std::map<std::string, std::string> published;
    {
        std::ifstream in(dir + "/published_results/icse2019_zhu_et_al_parsing_accuracy_GA_loghub2k.csv");
        std::string header, line;
        if (std::getline(in, header)) {
            const auto cols = logs::splitCsvRecord(header);
            while (std::getline(in, line)) {
                const auto f = logs::splitCsvRecord(line);
                if (!f.empty() && f[0] == "Drain")
                    for (std::size_t i = 1; i < f.size() && i < cols.size(); ++i)
                        published[cols[i]] = f[i];
            }
        }
    }
    std::vector<std::string> systems;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        const std::string s = e.path().filename().string();
        if (e.is_directory() && std::filesystem::exists(e.path() / (s + "_2k.log")) &&
            std::filesystem::exists(e.path() / (s + "_2k.log_structured.csv")))
            systems.push_back(s);
    }
    std::sort(systems.begin(), systems.end());
    if (systems.empty()) {
        std::fprintf(stderr, "cairn-cli bench loghub: no <S>/<S>_2k.log with a structured CSV in %s\n",
                     dir.c_str());
        return 1;
    }
    std::printf("%-12s %6s %9s %9s %9s %10s %12s\n", "system", "lines", "unmatched", "templates", "GA",
                "Drain(pub)", "lines/s");
    double sumGa = 0, sumPub = 0;
    std::size_t nPub = 0, totalLines = 0;
    double totalSeconds = 0;
    const bool verbose = args.has("verbose");
    for (const auto& s : systems) {
        auto sample = logs::loadLoghubSample(dir, s);
        if (!sample) {
            std::fprintf(stderr, "cairn-cli bench loghub: %s\n", sample.error().what().c_str());
            return 1;
        }
        auto fit = formats->find(s);
        auto format = logs::LogFormat::compile(fit == formats->end() ? std::string() : fit->second);
        if (!format) {
            std::fprintf(stderr, "cairn-cli bench loghub: %s: %s\n", s.c_str(),
                         format.error().what().c_str());
            return 1;
        }
        // Median of several runs for the speed figure; accuracy is deterministic.
        std::vector<double> seconds;
        std::vector<std::uint64_t> predicted;
        std::size_t unmatched = 0, templates = 0;
        for (int run = 0; run < 5; ++run) {
            logs::TemplateMiner miner(options);
            logs::ParsedLine parsed;
            std::vector<std::uint64_t> ids(sample->lines.size());
            unmatched = 0;
            const double c0 = threadCpuSeconds();
            for (std::size_t i = 0; i < sample->lines.size(); ++i) {
                format->match(sample->lines[i], parsed);
                unmatched += parsed.matched ? 0 : 1;
                ids[i] = miner.add(parsed.message).id;
            }
            for (auto& id : ids) {
                id = miner.resolve(logs::TemplateId(id));
            }
            seconds.push_back(std::max(threadCpuSeconds() - c0, 1e-9));
            predicted = std::move(ids);
            templates = miner.size();
            if (verbose && run == 0) {
                for (const auto* t : miner.templates())
                    std::printf("    T%u %llu %s\n", t->id, static_cast<unsigned long long>(t->count),
                                t->text().c_str());
            }
        }
        std::sort(seconds.begin(), seconds.end());
        const double med = seconds[seconds.size() / 2];
        const double ga = logs::groupingAccuracy(predicted, sample->truth);
        sumGa += ga;
        totalLines += sample->lines.size();
        totalSeconds += med;
        std::string pub = "-";
        if (auto p = published.find(s); p != published.end()) {
            pub = p->second;
            sumPub += std::atof(pub.c_str());
            ++nPub;
        }
        std::printf("%-12s %6zu %9zu %9zu %9.4f %10s %12.0f\n", s.c_str(), sample->lines.size(), unmatched,
                    templates, ga, pub.c_str(), double(sample->lines.size()) / med);
    }
    std::printf("%-12s %6zu %9s %9s %9.4f %10.4f %12.0f\n", "average", totalLines, "", "",
                sumGa / double(systems.size()), nPub == systems.size() ? sumPub / double(nPub) : 0.0,
                double(totalLines) / totalSeconds);
    std::printf(
        "(GA: grouping accuracy as in logpai/logparser; Drain(pub): Zhu et al. ICSE 2019, Drain tuned "
        "per system; lines/s: per CPU-second of one thread, median of 5 runs, format parse + template "
        "mining)\n");
    return 0;
}

} // namespace cairn::cli

namespace cairn::cli {

int runLogsParse(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    if (auto u = args.unknown({"input", "log-format", "output", "siblings", "depth", "templates"});
        !u.empty()) {
        std::fprintf(stderr, "cairn-cli logs parse: unknown option --%s\n", u.front().c_str());
        return 2;
    }
    std::string missing;
    if (!args.require({"input", "output"}, missing)) {
        std::fprintf(stderr,
                     "cairn-cli logs parse: --%s is required (usage: logs parse --input FILE|- "
                     "--log-format 'FORMAT' --output OUT.csv [--templates OUT.json])\n",
                     missing.c_str());
        return 2;
    }
    logs::MinerOptions options;
    if (!parseMinerOptions(args, options, "logs parse"))
        return 2;
    auto format = logs::LogFormat::compile(args.get("log-format", ""));
    if (!format) {
        std::fprintf(stderr, "cairn-cli logs parse: %s\n", format.error().what().c_str());
        return 2;
    }
    const std::string input = *args.get("input");
    std::ifstream file;
    std::istream* in = &std::cin;
    if (input != "-") {
        file.open(input, std::ios::binary);
        if (!file) {
            std::fprintf(stderr, "cairn-cli logs parse: cannot open the input file (%s)\n", input.c_str());
            return 1;
        }
        in = &file;
    }
    logs::TemplateMiner miner(options);
    logs::ParsedLine parsed;
    std::vector<logs::TemplateId> ids; // per line, so every line gets its template's final text
    std::size_t unmatched = 0, empty = 0;
    std::string line;
    const auto t0 = Clock::now();
    while (std::getline(*in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            ++empty;
        format->match(line, parsed);
        unmatched += parsed.matched ? 0 : 1;
        ids.push_back(miner.add(parsed.message).id);
    }
    if (in->bad()) {
        std::fprintf(stderr, "cairn-cli logs parse: reading the input failed (%s)\n", input.c_str());
        return 1;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    std::ofstream out(*args.get("output"), std::ios::binary);
    if (!out) {
        std::fprintf(stderr, "cairn-cli logs parse: cannot write the output file (%s)\n",
                     args.get("output")->c_str());
        return 1;
    }
    std::vector<std::string> texts(ids.empty() ? 1 : *std::max_element(ids.begin(), ids.end()) + 1);
    for (const auto* t : miner.templates())
        if (t->id < texts.size())
            texts[t->id] = t->text();
    for (auto& id : ids)
        id = miner.resolve(id);
    std::string buf = "LineId,EventId,EventTemplate\n";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        buf += std::to_string(i + 1);
        buf += ",E";
        buf += std::to_string(ids[i]);
        buf += ',';
        cairn::appendCsvField(buf, texts[ids[i]]);
        buf += '\n';
        if (buf.size() > (1 << 20)) {
            out << buf;
            buf.clear();
        }
    }
    out << buf;
    if (auto tp = args.get("templates")) {
        std::ofstream tj(*tp, std::ios::binary);
        tj << miner.toJson() << '\n';
        if (!tj) {
            std::fprintf(stderr, "cairn-cli logs parse: cannot write the template file (%s)\n", tp->c_str());
            return 1;
        }
    }
    out.flush();
    if (!out) {
        std::fprintf(stderr, "cairn-cli logs parse: writing the output failed (%s)\n",
                     args.get("output")->c_str());
        return 1;
    }
    std::fprintf(stderr, "%zu lines (%zu empty, %zu not matching the format), %zu templates, %.0f lines/s\n",
                 ids.size(), empty, unmatched, miner.size(), double(ids.size()) / std::max(seconds, 1e-9));
    return 0;
}

} // namespace cairn::cli

#include <sys/resource.h>

#include <random>

namespace cairn::cli {

namespace {

long peakRssKb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

} // namespace

int runBenchLogsThroughput(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    if (auto u = args.unknown({"data", "lines", "file", "runs"}); !u.empty()) {
        std::fprintf(stderr, "cairn-cli bench logs-throughput: unknown option --%s\n", u.front().c_str());
        return 2;
    }
    std::string missing;
    if (!args.require({"data"}, missing)) {
        std::fprintf(stderr, "cairn-cli bench logs-throughput: --data DIR is required (the Loghub folder)\n");
        return 2;
    }
    const std::string dir = *args.get("data");
    std::size_t total = 3000000;
    int runs = 3;
    try {
        total = std::size_t(std::stoull(args.get("lines", "3000000")));
        runs = std::max(1, std::stoi(args.get("runs", "3")));
    } catch (const std::exception&) {
        std::fprintf(stderr, "cairn-cli bench logs-throughput: --lines and --runs take integers\n");
        return 2;
    }
    const std::string path =
        args.get("file", (std::filesystem::temp_directory_path() / "cairn-logs-throughput.log").string());
    auto formats = logs::loadLoghubFormats(dir + "/drain_benchmark_settings.json");
    if (!formats) {
        std::fprintf(stderr, "cairn-cli bench logs-throughput: %s\n", formats.error().what().c_str());
        return 1;
    }
    struct Part {
        std::string system;
        logs::LogFormat format;
        std::size_t lines = 0;
    };
    std::vector<Part> parts;
    std::vector<logs::LoghubSample> samples;
    for (const auto& [system, fmt] : *formats) {
        auto sample = logs::loadLoghubSample(dir, system);
        auto format = logs::LogFormat::compile(fmt);
        if (!sample || !format || sample->lines.empty())
            continue;
        parts.push_back(Part{system, std::move(*format), 0});
        samples.push_back(std::move(*sample));
    }
    if (parts.empty()) {
        std::fprintf(stderr, "cairn-cli bench logs-throughput: no Loghub samples in %s\n", dir.c_str());
        return 1;
    }
    // The file: each system's sample lines drawn at random, every digit replaced by a random digit so
    // ids, addresses, counters and timings take fresh values (the masked shape stays realistic).
    {
        std::ofstream out(path, std::ios::binary);
        if (!out) {
            std::fprintf(stderr, "cairn-cli bench logs-throughput: cannot write %s\n", path.c_str());
            return 1;
        }
        std::mt19937_64 rng(42);
        std::string buf;
        for (std::size_t p = 0; p < parts.size(); ++p) {
            const std::size_t n = total / parts.size() + (p < total % parts.size() ? 1 : 0);
            parts[p].lines = n;
            const auto& lines = samples[p].lines;
            for (std::size_t i = 0; i < n; ++i) {
                std::string line = lines[rng() % lines.size()];
                std::uint64_t bits = rng();
                int left = 16;
                for (char& c : line)
                    if (c >= '0' && c <= '9') {
                        if (left == 0) {
                            bits = rng();
                            left = 16;
                        }
                        c = char('0' + (bits & 0xf) % 10);
                        bits >>= 4;
                        --left;
                    }
                buf += line;
                buf += '\n';
                if (buf.size() > (1 << 20)) {
                    out << buf;
                    buf.clear();
                }
            }
        }
        out << buf;
        if (!out) {
            std::fprintf(stderr, "cairn-cli bench logs-throughput: writing %s failed\n", path.c_str());
            return 1;
        }
    }
    const auto bytes = std::filesystem::file_size(path);
    std::printf("file %s: %zu lines, %.1f MB from %zu Loghub systems (digits randomised)\n", path.c_str(),
                total, double(bytes) / 1e6, parts.size());
    const long rssBefore = peakRssKb();
    std::vector<double> rates, wallRates;
    std::size_t templates = 0, unmatched = 0, minerBytes = 0;
    for (int run = 0; run < runs; ++run) {
        std::ifstream in(path, std::ios::binary);
        std::vector<char> chunk(1 << 20);
        std::string carry;
        std::size_t part = 0, inPart = 0, lines = 0;
        templates = 0;
        unmatched = 0;
        std::vector<logs::TemplateMiner> miners(parts.size());
        logs::ParsedLine parsed;
        const auto t0 = Clock::now();
        const double c0 = threadCpuSeconds();
        auto handle = [&](std::string_view line) {
            while (part < parts.size() && inPart >= parts[part].lines) {
                ++part;
                inPart = 0;
            }
            if (part >= parts.size())
                return;
            parts[part].format.match(line, parsed);
            unmatched += parsed.matched ? 0 : 1;
            miners[part].add(parsed.message);
            ++inPart;
            ++lines;
        };
        while (in) {
            in.read(chunk.data(), std::streamsize(chunk.size()));
            const std::size_t got = std::size_t(in.gcount());
            std::string_view data(chunk.data(), got);
            std::size_t start = 0;
            while (true) {
                const std::size_t nl = data.find('\n', start);
                if (nl == std::string_view::npos)
                    break;
                if (!carry.empty()) {
                    carry.append(data.substr(start, nl - start));
                    handle(carry);
                    carry.clear();
                } else {
                    handle(data.substr(start, nl - start));
                }
                start = nl + 1;
            }
            carry.append(data.substr(start));
        }
        if (!carry.empty())
            handle(carry);
        const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        const double cpu = std::max(threadCpuSeconds() - c0, 1e-9);
        minerBytes = 0;
        for (const auto& m : miners) {
            templates += m.size();
            minerBytes += m.memoryBytes();
        }
        rates.push_back(double(lines) / cpu);
        wallRates.push_back(double(lines) / seconds);
    }
    std::sort(rates.begin(), rates.end());
    std::sort(wallRates.begin(), wallRates.end());
    const long rssAfter = peakRssKb();
    std::printf(
        "read + format parse + template match, one thread: median %.0f lines per CPU-second over %d runs "
        "(min %.0f, max %.0f); wall clock median %.0f lines/s\n",
        rates[rates.size() / 2], runs, rates.front(), rates.back(), wallRates[wallRates.size() / 2]);
    std::printf(
        "templates %zu (miner state about %.2f MB, independent of the line count), lines not matching "
        "their format %zu\n",
        templates, double(minerBytes) / 1e6, unmatched);
    std::printf("peak RSS %.1f MB (%.1f MB before mining; the file is streamed in 1 MB chunks)\n",
                double(rssAfter) / 1024.0, double(rssBefore) / 1024.0);
    std::filesystem::remove(path);
    return 0;
}

} // namespace cairn::cli

#include "cairn/demo/demoenvironment.h"
#include "cairn/demo/demosources.h"
#include "cairn/detect/robust.h"
#include "cairn/logs/loganalyzer.h"
#include "cairn/logs/patternstore.h"
#include "cairn/logs/textlogsource.h"
#include "cairn/storage/workspace.h"

namespace cairn::cli {

int runLogsPatterns(int argc, char** argv, int first) {
    Args args(argc, argv, first, {"demo"});
    if (auto u = args.unknown({"input", "log-format", "demo", "from", "to", "bucket", "since", "window-start",
                               "window-end", "top", "workspace", "set"});
        !u.empty()) {
        std::fprintf(stderr, "cairn-cli logs patterns: unknown option --%s\n", u.front().c_str());
        return 2;
    }
    const bool demoMode = args.has("demo");
    if (demoMode == args.has("input")) {
        std::fprintf(stderr, "cairn-cli logs patterns: give either --input FILE|- [--log-format F] or --demo "
                             "[--from T --to T]\n");
        return 2;
    }
    auto bucket = parseDuration(args.get("bucket", "1m"));
    if (!bucket || *bucket <= 0) {
        std::fprintf(stderr, "cairn-cli logs patterns: --bucket takes a duration such as 1m or 30s\n");
        return 2;
    }
    std::size_t top = 15;
    try {
        top = std::size_t(std::stoul(args.get("top", "15")));
    } catch (const std::exception&) {
        std::fprintf(stderr, "cairn-cli logs patterns: --top takes an integer\n");
        return 2;
    }
    auto timeArg = [&](const char* key) -> std::optional<TimeMs> {
        auto v = args.get(key);
        if (!v)
            return std::nullopt;
        auto t = parseTime(*v);
        if (!t) {
            std::fprintf(stderr, "cairn-cli logs patterns: --%s: %s\n", key, t.error().what().c_str());
            std::exit(2);
        }
        return *t;
    };
    std::unique_ptr<sources::LogSource> source;
    std::shared_ptr<demo::DemoEnvironment> env;
    sources::LogQuery query;
    query.limit = 0;
    std::vector<std::pair<TimeMs, std::string>> deploys;
    if (demoMode) {
        env = std::make_shared<demo::DemoEnvironment>();
        const TimeMs to = timeArg("to").value_or(env->dataRange().end);
        const TimeMs from = timeArg("from").value_or(to - 6 * kHourMs);
        query.range = {from, to};
        for (const auto& e : env->events(query.range))
            if (e.kind == "deploy")
                deploys.emplace_back(e.time, e.service + ": " + e.text);
        source = std::make_unique<demo::DemoLogSource>(env);
    } else {
        const std::string input = *args.get("input");
        auto s = input == "-" ? logs::TextLogSource::fromStream(std::cin, "stdin", args.get("log-format", ""))
                              : logs::TextLogSource::openFile(input, args.get("log-format", ""));
        if (!s) {
            std::fprintf(stderr, "cairn-cli logs patterns: %s\n", s.error().what().c_str());
            return s.error().code == ErrorCode::InvalidArgument ? 2 : 1;
        }
        source = std::move(*s);
        if (auto f = timeArg("from"), t = timeArg("to"); f && t)
            query.range = {*f, *t};
    }
    // Template ids stay stable across runs when a workspace is given.
    std::shared_ptr<storage::Workspace> ws;
    const std::string setName = args.get("set", source->name());
    std::optional<logs::LogAnalyzer> analyzer;
    if (auto path = args.get("workspace")) {
        storage::OpenOptions o;
        o.path = *path;
        auto w = storage::Workspace::open(o);
        if (!w) {
            std::fprintf(stderr, "cairn-cli logs patterns: %s\n", w.error().what().c_str());
            return 1;
        }
        ws = *w;
        auto stored = logs::loadTemplateSet(*ws, setName);
        if (!stored) {
            std::fprintf(stderr, "cairn-cli logs patterns: %s\n", stored.error().what().c_str());
            return 1;
        }
        if (*stored)
            analyzer.emplace(*bucket, std::move(**stored));
    }
    if (!analyzer)
        analyzer.emplace(*bucket);
    TimeMs minT = std::numeric_limits<TimeMs>::max(), maxT = std::numeric_limits<TimeMs>::min();
    std::size_t unmatched = 0;
    auto n = source->scan(query,
                          [&](const sources::LogRecord& r) {
                              analyzer->add(r);
                              minT = std::min(minT, r.time);
                              maxT = std::max(maxT, r.time);
                              unmatched += r.fields.count("unmatched");
                              return true;
                          },
                          {});
    if (!n) {
        std::fprintf(stderr, "cairn-cli logs patterns: %s\n", n.error().what().c_str());
        return 1;
    }
    if (ws)
        if (auto saved = logs::saveTemplateSet(*ws, setName, analyzer->miner(), nowMs()); !saved) {
            std::fprintf(stderr, "cairn-cli logs patterns: %s\n", saved.error().what().c_str());
            return 1;
        }
    std::printf("%zu records from %s (%zu not matching the format), %zu patterns\n", *n,
                source->name().c_str(), unmatched, analyzer->miner().size());
    if (*n == 0)
        return 0;
    const TimeRange range{query.range.valid() ? query.range.start : minT,
                          query.range.valid() ? query.range.end : maxT + 1};
    auto printPattern = [](const logs::Pattern& p) {
        std::printf("  E%-5u %9llu  %-7s %-24s %s\n", p.id, static_cast<unsigned long long>(p.count),
                    std::string(sources::toString(p.level)).c_str(), formatIso(p.firstSeen).c_str(),
                    p.text.c_str());
    };
    std::printf("\nTop patterns (id, count, level, first seen, template):\n");
    const auto ps = analyzer->patterns();
    for (std::size_t i = 0; i < ps.size() && i < top; ++i)
        printPattern(ps[i]);
    std::optional<TimeMs> since = timeArg("since");
    std::string sinceWhat = "--since";
    if (!since && !deploys.empty()) {
        since = deploys.back().first;
        sinceWhat = "the last deploy (" + deploys.back().second + ")";
    }
    if (since) {
        const auto fresh = analyzer->newSince(*since);
        std::printf("\nNew since %s at %s: %zu\n", sinceWhat.c_str(), formatIso(*since).c_str(),
                    fresh.size());
        for (std::size_t i = 0; i < fresh.size() && i < top; ++i)
            printPattern(fresh[i]);
    }
    const auto errors = analyzer->levelCounts(sources::LogLevel::Error, range);
    const auto warns = analyzer->levelCounts(sources::LogLevel::Warn, range);
    double errTotal = 0, warnTotal = 0, errPeak = 0;
    TimeMs errPeakAt = 0;
    for (std::size_t i = 0; i < errors.size(); ++i) {
        errTotal += errors.value[i];
        warnTotal += warns.value[i];
        if (errors.value[i] > errPeak) {
            errPeak = errors.value[i];
            errPeakAt = errors.time[i];
        }
    }
    std::printf("\nErrors %.0f, warnings %.0f over %zu buckets of %s; busiest error bucket %s (%.0f)\n",
                errTotal, warnTotal, errors.size(), args.get("bucket", "1m").c_str(),
                errPeak > 0 ? formatIso(errPeakAt).c_str() : "-", errPeak);
    const auto anomalies = analyzer->frequencyAnomalies(
        range, [] { return std::make_unique<detect::RollingMadDetector>(); }, 0.7);
    std::printf("\nFrequency anomalies (rolling MAD per pattern): %zu\n", anomalies.size());
    for (std::size_t i = 0; i < anomalies.size() && i < top; ++i)
        std::printf("  %s  score %.2f  %s\n", formatIso(anomalies[i].peak).c_str(), anomalies[i].score,
                    anomalies[i].explanation.c_str());
    auto ws0 = timeArg("window-start"), ws1 = timeArg("window-end");
    if (ws0 && ws1) {
        const auto changes = analyzer->changes({*ws0, *ws1}, {range.start, *ws0}, top);
        std::printf("\nPatterns that changed most in [%s, %s) against the time before:\n",
                    formatIso(*ws0).c_str(), formatIso(*ws1).c_str());
        for (const auto& c : changes)
            std::printf("  E%-5u %6llu vs %8.1f expected  x%-7.1f %s%s\n", c.id,
                        static_cast<unsigned long long>(c.windowCount), c.expected, c.ratio,
                        c.isNew ? "[new] " : "", c.text.c_str());
    }
    return 0;
}

} // namespace cairn::cli
