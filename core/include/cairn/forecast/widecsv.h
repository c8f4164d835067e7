// Reading and writing many series in the M4 "wide" CSV layout: one series per row, the id first, then the
// values; an optional header row ("V1","V2",...); quoted or bare fields; empty fields pad short rows and
// are dropped at the end of a row, while an empty or "NA"/"NaN" field inside a row is a missing value (NaN).
// Thread-safety: pure functions.
#pragma once

#include "cairn/common/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace cairn::forecast {

struct NamedSeries {
    std::string id;
    std::vector<double> values; // NaN = missing
};

// Parses CSV text; `context` names the source in errors (a file path). Fails on a non-numeric value
// (other than NA/NaN/empty) with its row and column, on rows without an id, and when no series is found.
Result<std::vector<NamedSeries>> parseWideCsv(std::string_view text, const std::string& context = {});
Result<std::vector<NamedSeries>> readWideCsv(const std::string& path);

// One row per series: the id (quoted per RFC 4180 when it holds a comma, quote or line break), then the
// values in their shortest exact form (NaN written as "NA", infinities as "inf"/"-inf"). For anything
// parseWideCsv returned, parseWideCsv(formatWideCsv(s)) == s (an id cannot hold a line break: rows are lines).
std::string formatWideCsv(const std::vector<NamedSeries>& series);

} // namespace cairn::forecast
