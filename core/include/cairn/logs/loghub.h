// Loghub benchmark support: reading a system's 2k sample with its ground truth, the record formats
// from drain_benchmark_settings.json (only `log_format` is used), and grouping accuracy as logpai
// defines it: a line counts as correct only when the set of lines in its predicted group equals the
// set of lines in its true group. Thread-safety: pure functions over values.
#pragma once

#include "cairn/common/error.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::logs {

struct LoghubSample {
    std::string system;
    std::vector<std::string> lines; // the raw log lines, without newlines
    std::vector<std::string> truth; // EventId per line (same order)
};

// system name -> log_format, from a drain_benchmark_settings.json.
Result<std::map<std::string, std::string>> loadLoghubFormats(const std::string& settingsPath);

// Reads <dir>/<S>/<S>_2k.log and <dir>/<S>/<S>_2k.log_structured.csv.
Result<LoghubSample> loadLoghubSample(const std::string& dir, const std::string& system);

// Grouping accuracy in [0,1]; predicted and truth must have the same length (else 0).
double groupingAccuracy(const std::vector<std::uint64_t>& predicted, const std::vector<std::string>& truth);

// Splits one CSV record (RFC 4180 quoting, no embedded newlines) into fields.
std::vector<std::string> splitCsvRecord(std::string_view line);

// Splits text into lines on '\n', dropping one trailing '\r' per line; a final line without a
// newline counts; an empty text has no lines.
std::vector<std::string> splitLines(std::string_view text);

} // namespace cairn::logs
