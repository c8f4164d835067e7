// Display downsampling for metric series: reduce a long series to what a plot of N pixel columns can show
// without losing its shape. M4 (first, min, max, last per column) draws the same polyline as every sample,
// so a one-sample spike or dip is never dropped silently. Times are UTC milliseconds.
// Thread-safety: pure functions over values.
#pragma once

#include "cairn/common/time.h"
#include "cairn/timeseries/series.h"

#include <cstddef>
#include <vector>

namespace cairn::ts {

// Indices (ascending) of the samples to draw for `range` split into `columns` equal columns: per column the
// first, the minimum, the maximum and the last finite sample (at most 4, duplicates merged). The last finite
// sample before the range and the first after it are included so the line runs to the plot edges.
// When the range holds no more than 4 * columns samples, every finite sample in it is returned.
// NaN/Inf values are skipped. An invalid range, zero columns or mismatched vectors give an empty result.
std::vector<std::size_t> downsampleIndicesM4(const std::vector<TimeMs>& time,
                                             const std::vector<double>& value, TimeRange range,
                                             std::size_t columns);

// The series restricted to the chosen indices (id kept).
Series downsampleM4(const Series& series, TimeRange range, std::size_t columns);

// An expected band (lower/upper per sample) reduced for display: per column the widest envelope, i.e. the
// minimum lower and the maximum upper, placed at the column's first and last sample times. NaN edges
// (detector still learning) are skipped. Both outputs share `time`.
struct Band {
    std::vector<TimeMs> time;
    std::vector<double> lower;
    std::vector<double> upper;
    std::size_t size() const { return time.size(); }
};
Band downsampleBand(const std::vector<TimeMs>& time, const std::vector<double>& lower,
                    const std::vector<double>& upper, TimeRange range, std::size_t columns);

} // namespace cairn::ts
