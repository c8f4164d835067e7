// The Numenta Anomaly Benchmark (NAB) as plain functions: reading NAB's `timestamp,value` CSV files and
// its label windows, and scoring detector output exactly as NAB's sweeper/optimizer/normaliser do
// (windows from combined_windows.json, probationary period, scaled-sigmoid weighting, one threshold for
// the whole corpus, normalisation with the null detector). Times are UTC milliseconds.
// Thread-safety: pure functions over values.
#pragma once

#include "cairn/common/error.h"
#include "cairn/common/time.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace cairn::detect::nab {

// A `timestamp,value` CSV (NAB's layout: header line, `YYYY-MM-DD HH:MM:SS`). Values that are not numbers
// ("nan", empty) are kept as NaN so every row still gets an output; malformed rows are an error.
struct CsvSeries {
    std::vector<std::string> header;    // column names of the header line
    std::vector<std::string> stamp;     // the timestamp text exactly as read
    std::vector<std::string> valueText; // the value text exactly as read
    std::vector<TimeMs> time;
    std::vector<double> value;
};
Result<CsvSeries> readCsv(const std::string& path);
Result<CsvSeries> parseCsv(const std::string& text, const std::string& context);

struct Profile {
    std::string name;
    double tpWeight = 1.0;
    double fnWeight = 1.0;
    double fpWeight = 0.11;
};
// standard, reward_low_FP_rate, reward_low_FN_rate (NAB config/profiles.json).
std::vector<Profile> standardProfiles();

// Windows per file key ("realKnownCause/nyc_taxi.csv"), as time ranges with both ends inclusive.
using Windows = std::map<std::string, std::vector<std::pair<TimeMs, TimeMs>>>;
Result<Windows> readWindows(const std::string& path);

// min(floor(0.15 * rows), 750): rows at the start of a file that are neither rewarded nor penalised.
std::size_t probationaryRows(std::size_t rows);
// 2 / (1 + exp(5x)) - 1, and -1 for x > 3 (NAB's scaledSigmoid).
double scaledSigmoid(double x);

// One file of detector output, with its windows mapped to row indices [first, last] (inclusive).
struct ScoredFile {
    std::string key;
    std::vector<TimeMs> time;
    std::vector<double> score; // detector output in [0,1], one per row
    std::vector<std::pair<std::size_t, std::size_t>> windows;
};
// Maps time windows onto rows: first row at or after the start, last row at or before the end.
std::vector<std::pair<std::size_t, std::size_t>>
windowRows(const std::vector<TimeMs>& time, const std::vector<std::pair<TimeMs, TimeMs>>& windows);

struct FileResult {
    std::string key;
    double score = 0.0;                         // raw NAB score of this file at the threshold
    std::size_t tp = 0, tn = 0, fp = 0, fn = 0; // row counts after the probationary period (NAB's)
    std::size_t detectedWindows = 0;
    std::size_t windows = 0;
};

// Raw score of one file at threshold `threshold` (a row is a detection iff score >= threshold).
FileResult scoreFile(const ScoredFile& file, const Profile& profile, double threshold);

struct CorpusResult {
    std::string profile;
    double threshold = 0.0; // the corpus-wide optimal threshold
    double rawScore = 0.0;  // sum of the files' raw scores at that threshold
    double nullScore = 0.0; // raw score of the null detector (-fnWeight * windows)
    double perfectScore = 0.0;
    double normalized = 0.0; // 100 * (raw - null) / (perfect - null)
    std::size_t windows = 0;
    std::size_t detectedWindows = 0;
    std::size_t falsePositiveRows = 0;
    std::vector<FileResult> files;
};

// NAB's optimizer: tries every distinct score value (and "detect nothing") as the one threshold for all
// files, keeps the best total raw score, then normalises it.
CorpusResult scoreCorpus(const std::vector<ScoredFile>& files, const Profile& profile);

} // namespace cairn::detect::nab
