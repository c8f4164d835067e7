// Automatic univariate forecasting for regularly sampled metrics: fills gaps (linear), detects the seasons
// (a day and a week in samples by default), evaluates a pool of small models (naive, drift, Theta; per season
// seasonal naive, level-adjusted seasonal naive, level-adjusted seasonal mean, Theta on the classically
// decomposed series; Holt-Winters with a damped trend; SES and damped Holt when there is no season) on
// rolling origins over the series' own tail, averages the best few (only those within `combineWithin` of the
// best), and derives 80% and 95% prediction intervals from the combination's out-of-sample absolute errors at
// each horizon (split-conformal quantiles, never narrowing with the horizon). A season the test rejects still
// competes in the pool when three cycles of history exist; validation decides.
// Behaviour on bad input: leading/trailing gaps are trimmed (trailing ones count into the horizon); fewer
// than 3 finite samples or more than maxMissingFraction missing -> InsufficientData; a constant history ->
// that constant with zero-width intervals; a season with fewer than three cycles of history is not used (so
// fewer points than that give non-seasonal models only). Units: one step = one sample of the input; forecasts
// start one step after the last input sample. A missing sample is NaN (or +-inf). Thread-safety: pure
// function, safe to call from many threads.
#pragma once

#include "cairn/forecast/seasonality.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::forecast {

enum class ForecastStatus {
    Ok,               // forecasts and intervals are filled
    InsufficientData, // too few finite samples (fewer than 3) or too many missing ones
    InvalidArgument,  // horizon < 1 or absurd options
};
std::string_view toString(ForecastStatus status);

struct ForecastOptions {
    int horizon = 24;                           // steps to forecast
    std::vector<int> candidatePeriods{24, 168}; // seasons to test, in samples (hourly: day, week)
    bool nonNegative = false;   // the quantity cannot be negative: clamp forecasts and bounds at 0
    int validationOrigins = 6;  // rolling origins used to pick models and size the intervals
    int combine = 3;            // how many of the best models are averaged
    double combineWithin = 1.5; // ... among those whose validation error is within this factor of the best
    double maxMissingFraction = 0.5; // more missing samples than this -> InsufficientData
    std::string onlyModel;           // force one model of the pool by name (empty = automatic)
};

struct ForecastResult {
    ForecastStatus status = ForecastStatus::InsufficientData;
    std::string message;                  // why the status is not Ok; notes otherwise
    std::vector<double> mean;             // point forecasts, size horizon
    std::vector<double> lower80, upper80; // 80% prediction interval
    std::vector<double> lower95, upper95; // 95% prediction interval
    Seasonality seasonality;              // detected seasons
    std::string model;                    // description of the chosen combination
    int filledGaps = 0;                   // missing samples that were interpolated
    bool constant = false;                // the history was constant

    bool ok() const { return status == ForecastStatus::Ok; }
};

ForecastResult forecastValues(std::span<const double> y, const ForecastOptions& options = {});

} // namespace cairn::forecast
