// Internal building blocks of the forecasters: moving averages, seasonal indices and the small models
// (naive, seasonal naive, seasonal means, SES, Theta, damped Holt, additive Holt-Winters). All take finite
// values, one step per sample, and write `horizon` forecasts. Not part of the public API. Thread-safety:
// pure.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace cairn::forecast::detail {

// Centred moving average over m samples (2 x m for even m); NaN where the window does not fit.
std::vector<double> centredMovingAverage(std::span<const double> y, int m);

// Seasonal indices per phase (phase = index % m counted from y[0]), from the last `cycles` cycles of the
// detrended series (0 = all). Multiplicative indices average to 1, additive ones to 0.
struct SeasonalIndices {
    int period = 0;
    bool multiplicative = false;
    std::vector<double> index; // size period; empty when they could not be estimated
    double at(long t) const { return index[static_cast<std::size_t>(t % period)]; }
};
SeasonalIndices seasonalIndices(std::span<const double> y, int m, int cycles, bool multiplicative);

struct SesFit {
    double alpha = 1.0;
    double level = 0.0;
};
SesFit fitSes(std::span<const double> y);

void naive(std::span<const double> y, int horizon, double* out);
void seasonalNaive(std::span<const double> y, int m, int horizon, double* out);
// Mean of the last k cycles at the same phase, moved to the level of the last cycle.
void seasonalMean(std::span<const double> y, int m, int k, int horizon, double* out);
// The last cycle, rescaled by the ratio (or shifted by the difference) between the last `window` samples
// and the same samples one cycle earlier.
void levelSeasonalNaive(std::span<const double> y, int m, int window, int horizon, double* out);
void ses(std::span<const double> y, int horizon, double* out);
void theta(std::span<const double> y, int horizon, double* out);
void dampedHolt(std::span<const double> y, int horizon, double* out);
// Random walk with drift: the last value plus the mean step of the recent history (at most 3 * horizon
// samples, so that an old regime does not set today's slope).
void drift(std::span<const double> y, int horizon, double* out);
void linearTrend(std::span<const double> y, int horizon, double* out);

enum class BaseModel { Naive, Ses, Theta, Damped };
// Seasonally adjust with indices from the last `cycles` cycles of period m, forecast the adjusted series
// with `base`, re-seasonalize.
void decomposed(std::span<const double> y, int m, int cycles, BaseModel base, int horizon, double* out);
// Additive Holt-Winters with a damped trend and period m; parameters from a small grid by one-step SSE.
void holtWinters(std::span<const double> y, int m, int horizon, double* out);

// Robust scale of a series: mean absolute seasonal difference at lag m (lag 1 when too short); > 0.
double seasonalScale(std::span<const double> y, int m);

} // namespace cairn::forecast::detail
