#include "cairn/forecast/accuracy.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cairn::forecast {

double smape(std::span<const double> actual, std::span<const double> predicted) {
    const auto n = std::min(actual.size(), predicted.size());
    if (n == 0)
        return std::numeric_limits<double>::quiet_NaN();
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double den = std::abs(actual[i]) + std::abs(predicted[i]);
        if (den > 0)
            s += 200.0 * std::abs(actual[i] - predicted[i]) / den;
    }
    return s / static_cast<double>(n);
}

double mase(std::span<const double> history, std::span<const double> actual,
            std::span<const double> predicted, int m) {
    const auto n = std::min(actual.size(), predicted.size());
    if (n == 0)
        return std::numeric_limits<double>::quiet_NaN();
    if (m < 1 || history.size() <= static_cast<std::size_t>(m))
        m = 1;
    double scale = 0;
    std::size_t count = 0;
    for (std::size_t t = static_cast<std::size_t>(m); t < history.size(); ++t) {
        scale += std::abs(history[t] - history[t - m]);
        ++count;
    }
    if (count == 0 || !(scale > 0))
        return std::numeric_limits<double>::quiet_NaN();
    scale /= static_cast<double>(count);
    double e = 0;
    for (std::size_t i = 0; i < n; ++i)
        e += std::abs(actual[i] - predicted[i]);
    return e / static_cast<double>(n) / scale;
}

double owa(double s, double m, double smapeRef, double maseRef) {
    return 0.5 * (s / smapeRef + m / maseRef);
}

double coverage(std::span<const double> actual, std::span<const double> lower,
                std::span<const double> upper) {
    const auto n = std::min({actual.size(), lower.size(), upper.size()});
    if (n == 0)
        return std::numeric_limits<double>::quiet_NaN();
    std::size_t in = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (actual[i] >= lower[i] && actual[i] <= upper[i])
            ++in;
    return static_cast<double>(in) / static_cast<double>(n);
}

} // namespace cairn::forecast
