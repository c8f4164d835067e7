#include "cairn/forecast/seasonality.h"

#include "forecast/models.h"

#include <algorithm>
#include <cmath>

namespace cairn::forecast {

std::vector<double> autocorrelation(std::span<const double> y, int maxLag) {
    const auto n = static_cast<int>(y.size());
    if (n < 2 || maxLag < 0)
        return {};
    maxLag = std::min(maxLag, n - 1);
    double mean = 0;
    for (double v : y)
        mean += v;
    mean /= n;
    double c0 = 0;
    for (double v : y)
        c0 += (v - mean) * (v - mean);
    std::vector<double> acf(static_cast<std::size_t>(maxLag) + 1, 0.0);
    if (c0 <= 0) // a constant series has no autocorrelation structure to speak of
        return acf;
    acf[0] = 1.0;
    for (int k = 1; k <= maxLag; ++k) {
        double s = 0;
        for (int t = k; t < n; ++t)
            s += (y[t] - mean) * (y[t - k] - mean);
        acf[k] = s / c0;
    }
    return acf;
}

namespace {

// Tests lag m on x (already detrended); fills the result and returns whether it is significant.
bool testLag(std::span<const double> x, int m, double z, SeasonalPeriod& out) {
    const auto acf = autocorrelation(x, m + 1);
    if (static_cast<int>(acf.size()) < m + 2)
        return false;
    // Bartlett's variance for an MA(q) null, q = the span of short-range dependence (up to the first
    // non-positive autocorrelation). Summing over every lag below m would let the season itself inflate the
    // limit and hide a weekly pattern behind its own autocorrelation.
    double sum = 0;
    for (int k = 1; k < m && acf[k] > 0; ++k)
        sum += acf[k] * acf[k];
    const double limit = z * std::sqrt((1.0 + 2.0 * sum) / static_cast<double>(x.size()));
    out.period = m;
    out.acf = acf[m];
    out.strength = limit > 0 ? acf[m] / limit : 0.0;
    const bool peak = acf[m] >= acf[m - 1] && acf[m] >= acf[m + 1];
    return acf[m] > 0 && peak && acf[m] > limit;
}

} // namespace

Seasonality detectSeasonality(std::span<const double> y, const SeasonalityOptions& options) {
    Seasonality result;
    auto candidates = options.candidates;
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    const auto n = static_cast<int>(y.size());
    for (int m : candidates) {
        if (m < 2 || n < options.minCycles * m || n < m + 3)
            continue;
        // Remove the trend with a centred moving average over one cycle: it keeps the season at m intact.
        const auto trend = detail::centredMovingAverage(y, m);
        std::vector<double> x;
        x.reserve(y.size());
        const int half = m / 2;
        for (int t = half; t < n - half; ++t)
            x.push_back(y[t] - trend[t]);
        // A period nested over an accepted shorter one is judged on what the shorter season leaves.
        for (const auto& accepted : result.periods) {
            if (m % accepted.period != 0)
                continue;
            const int p = accepted.period;
            std::vector<double> profile(p, 0.0), count(p, 0.0);
            for (int i = 0; i < static_cast<int>(x.size()); ++i) {
                profile[(i + half) % p] += x[i];
                count[(i + half) % p] += 1;
            }
            for (int i = 0; i < static_cast<int>(x.size()); ++i)
                x[i] -= profile[(i + half) % p] / std::max(1.0, count[(i + half) % p]);
        }
        SeasonalPeriod sp;
        if (testLag(x, m, options.z, sp))
            result.periods.push_back(sp);
    }
    return result;
}

} // namespace cairn::forecast
