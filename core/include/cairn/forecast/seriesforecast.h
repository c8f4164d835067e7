// Forecasting timestamped metric series (ts::Series): puts the samples on a regular grid (gaps become
// missing values, bins are averaged when the series is denser than needed), derives the seasons to test
// from the step (one day and one week), and runs the automatic forecaster. Times are UTC milliseconds.
// Thread-safety: pure functions.
#pragma once

#include "cairn/common/time.h"
#include "cairn/forecast/forecaster.h"
#include "cairn/timeseries/series.h"

#include <vector>

namespace cairn::forecast {

struct RegularSeries {
    TimeMs start = 0;           // time of values[0]
    TimeMs step = 0;            // grid spacing, > 0
    std::vector<double> values; // NaN where no sample fell in the bin
    TimeMs timeAt(std::size_t i) const { return start + static_cast<TimeMs>(i) * step; }
};

// Bins the samples on a grid of `step` (0 = the median spacing of the samples), averaging samples that share
// a bin. Returns an empty series (step 0) when there are no finite samples.
RegularSeries regularize(const ts::Series& series, TimeMs step = 0);

// Candidate seasons for a grid step: a day and a week in samples, when they are whole numbers of steps
// between 2 and maxPeriod.
std::vector<int> seasonalCandidates(TimeMs step, int maxPeriod = 2016);

struct SeriesForecastOptions {
    TimeMs horizon = kDayMs;  // how far ahead
    int maxPoints = 4000;     // longer histories are averaged into coarser bins (keeps fitting fast)
    bool nonNegative = false; // the quantity cannot go below zero (bytes, ratios, counts)
};

struct SeriesForecast {
    ForecastResult result;
    RegularSeries history;    // the grid the forecaster saw
    std::vector<TimeMs> time; // time of each forecast step (UTC ms)
};

SeriesForecast forecastSeries(const ts::Series& series, const SeriesForecastOptions& options = {});

} // namespace cairn::forecast
