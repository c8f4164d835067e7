// cairn-cli detect: scores a NAB-layout CSV (timestamp,value) and writes it back with an anomaly_score
// column.
#include "args.h"
#include "commands.h"
#include "sourceoptions.h"

#include "cairn/detect/analyze.h"
#include "cairn/detect/nab.h"
#include "cairn/detect/pipeline.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace cairn::cli {

namespace {

void usage() {
    std::fprintf(
        stderr,
        "Usage: cairn-cli detect --input FILE.csv --output OUT.csv [--sensitivity low|medium|high|SIGMAS]"
        " [--raw]\n"
        "  Input: header line, then `timestamp,value` rows (YYYY-MM-DD HH:MM:SS, UTC).\n"
        "  Output: the same rows plus an anomaly_score column in [0,1]; scores are causal.\n"
        "  --output - writes to stdout. --raw reports the ensemble score (band score) without the surprise "
        "stage.\n"
        "   or: cairn-cli detect --prometheus URL --query PROMQL --start T [--end T] [--step DUR] (see "
        "--prometheus "
        "x --help)\n");
}

} // namespace

int runDetect(int argc, char** argv, int first) {
    if (isSourceDetect(argc, argv, first)) // --prometheus URL: fetch through a connector instead of --input
        return runDetectSource(argc, argv, first);
    Args args(argc, argv, first, {"raw", "help"});
    if (args.has("help")) {
        usage();
        return 0;
    }
    if (auto u = args.unknown({"input", "output", "sensitivity", "raw", "help"}); !u.empty()) {
        std::fprintf(stderr, "cairn-cli detect: unknown option --%s\n", u.front().c_str());
        usage();
        return 2;
    }
    std::string missing;
    if (!args.require({"input", "output"}, missing)) {
        std::fprintf(stderr, "cairn-cli detect: missing --%s\n", missing.c_str());
        usage();
        return 2;
    }
    detect::PipelineConfig config;
    config.surprise = !args.has("raw");
    if (auto s = args.get("sensitivity")) {
        if (*s == "low" || *s == "medium" || *s == "high") {
            config.ensemble.bandSigmas = detect::bandSigmasFor(*s == "low"    ? detect::Sensitivity::Low
                                                               : *s == "high" ? detect::Sensitivity::High
                                                                              : detect::Sensitivity::Medium);
        } else {
            char* end = nullptr;
            const double k = std::strtod(s->c_str(), &end);
            if (s->empty() || *end != '\0' || !(k > 0.5 && k < 50)) {
                std::fprintf(stderr,
                             "cairn-cli detect: --sensitivity must be low, medium, high or a band width in "
                             "sigmas between 0.5 and 50\n");
                return 2;
            }
            config.ensemble.bandSigmas = k;
        }
    }

    auto csv = detect::nab::readCsv(*args.get("input"));
    if (!csv) {
        std::fprintf(stderr, "cairn-cli detect: %s\n", csv.error().what().c_str());
        return 1;
    }
    const std::string outPath = *args.get("output");
    std::ofstream file;
    if (outPath != "-") {
        file.open(outPath, std::ios::binary | std::ios::trunc);
        if (!file) {
            std::fprintf(stderr, "cairn-cli detect: cannot write %s\n", outPath.c_str());
            return 1;
        }
    }
    std::ostream& out = outPath == "-" ? std::cout : file;
    for (std::size_t c = 0; c < csv->header.size(); ++c)
        out << (c ? "," : "") << csv->header[c];
    out << ",anomaly_score\n";
    detect::ScorePipeline pipeline(config);
    char buf[32];
    std::size_t skipped = 0;
    bool any = false;
    TimeMs last = 0;
    for (std::size_t i = 0; i < csv->time.size(); ++i) {
        const double v = csv->value[i];
        if (!std::isfinite(v) || (any && csv->time[i] <= last)) {
            ++skipped;
        } else {
            any = true;
            last = csv->time[i];
        }
        const double score = pipeline.update(csv->time[i], v);
        std::snprintf(buf, sizeof buf, "%.6f", score);
        out << csv->stamp[i] << ',' << csv->valueText[i] << ',' << buf << '\n';
    }
    out.flush();
    if (!out) {
        std::fprintf(stderr, "cairn-cli detect: writing %s failed\n", outPath.c_str());
        return 1;
    }
    if (skipped)
        std::fprintf(stderr,
                     "cairn-cli detect: %zu rows skipped by the detector (NaN/Inf values or timestamps not "
                     "after the previous row); they score 0\n",
                     skipped);
    return 0;
}

} // namespace cairn::cli
