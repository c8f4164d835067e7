// Seasonality detection for regularly sampled series: which of a few candidate periods (in samples, e.g. 24
// and 168 for hourly data = one day and one week) are really present. A period is accepted when the
// autocorrelation at that lag is a positive local peak and significant against Bartlett's limit; a period
// that is a multiple of an accepted one (a week over a day) is tested on what the shorter season leaves.
// Input values must be finite (fill gaps first, see forecast/prepare.h). Thread-safety: pure functions.
#pragma once

#include <span>
#include <vector>

namespace cairn::forecast {

struct SeasonalityOptions {
    std::vector<int> candidates{24, 168}; // periods in samples, tested shortest first
    double z = 2.576;                     // significance of the ACF test (2.576 = 99% two-sided)
    int minCycles = 3;                    // a period needs at least this many full cycles of history
};

struct SeasonalPeriod {
    int period = 0;        // in samples
    double acf = 0.0;      // autocorrelation at that lag (on the remainder for nested periods)
    double strength = 0.0; // acf divided by its significance limit (> 1 means significant)
};

struct Seasonality {
    std::vector<SeasonalPeriod> periods; // accepted periods, shortest first; empty = no season
    bool has(int period) const {
        for (const auto& p : periods)
            if (p.period == period)
                return true;
        return false;
    }
};

Seasonality detectSeasonality(std::span<const double> y, const SeasonalityOptions& options = {});

// Sample autocorrelation of y at lags 0..maxLag (y need not be centred). Empty when y has fewer than 2
// points.
std::vector<double> autocorrelation(std::span<const double> y, int maxLag);

} // namespace cairn::forecast
