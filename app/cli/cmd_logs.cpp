// cairn-cli log commands: `logs parse` (template mining of one file or stdin to CSV),
// `bench loghub` (grouping accuracy on the Loghub 2k samples) and `bench logs-throughput`.
#include "args.h"
#include "commands.h"

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

[[maybe_unused]] void csvField(std::string& out, std::string_view s) {
    const bool quote = s.find_first_of(",\"\n\r") != std::string_view::npos;
    if (!quote) {
        out += s;
        return;
    }
    out += '"';
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
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
        csvField(buf, texts[ids[i]]);
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
    std::size_t templates = 0, unmatched = 0;
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
        for (const auto& m : miners)
            templates += m.size();
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
    std::printf("templates %zu, lines not matching their format %zu\n", templates, unmatched);
    std::printf("peak RSS %.1f MB (%.1f MB before mining; the file is streamed in 1 MB chunks)\n",
                double(rssAfter) / 1024.0, double(rssBefore) / 1024.0);
    std::filesystem::remove(path);
    return 0;
}

} // namespace cairn::cli
