#include "forecast/models.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace cairn::forecast::detail {

std::vector<double> centredMovingAverage(std::span<const double> y, int m)
{
    const auto n = static_cast<int>(y.size());
    std::vector<double> out(y.size(), std::numeric_limits<double>::quiet_NaN());
    if (m < 1 || n < m + (m % 2 == 0 ? 1 : 0))
        return out;
    // Running sums make this O(n) whatever m is.
    std::vector<double> prefix(y.size() + 1, 0.0);
    for (int t = 0; t < n; ++t)
        prefix[t + 1] = prefix[t] + y[t];
    const int half = m / 2;
    if (m % 2 == 1) {
        for (int t = half; t < n - half; ++t)
            out[t] = (prefix[t + half + 1] - prefix[t - half]) / m;
    } else {
        // 2 x m: half weight on the two end points.
        for (int t = half; t < n - half; ++t) {
            const double inner = prefix[t + half] - prefix[t - half + 1];
            out[t] = (inner + 0.5 * (y[t - half] + y[t + half])) / m;
        }
    }
    return out;
}

SeasonalIndices seasonalIndices(std::span<const double> y, int m, int cycles, bool multiplicative)
{
    SeasonalIndices s;
    s.period = m;
    s.multiplicative = multiplicative;
    const auto n = static_cast<int>(y.size());
    if (m < 2 || n < 2 * m)
        return s;
    const auto trend = centredMovingAverage(y, m);
    const int half = m / 2;
    const int last = n - half; // exclusive end of defined trend values
    int first = half;
    if (cycles > 0)
        first = std::max(half, last - cycles * m);
    std::vector<double> sum(m, 0.0), count(m, 0.0);
    for (int t = first; t < last; ++t) {
        const double tr = trend[t];
        if (multiplicative) {
            if (!(tr > 0))
                continue;
            sum[t % m] += y[t] / tr;
        } else {
            sum[t % m] += y[t] - tr;
        }
        count[t % m] += 1;
    }
    s.index.assign(m, multiplicative ? 1.0 : 0.0);
    double mean = 0;
    for (int p = 0; p < m; ++p) {
        if (count[p] > 0)
            s.index[p] = sum[p] / count[p];
        mean += s.index[p];
    }
    mean /= m;
    for (auto& v : s.index) {
        if (multiplicative)
            v = mean > 0 ? v / mean : 1.0;
        else
            v -= mean;
        if (multiplicative && !(v > 1e-3)) // a zero index would make the adjusted series explode
            v = 1e-3;
    }
    return s;
}

SesFit fitSes(std::span<const double> y)
{
    SesFit best;
    if (y.empty())
        return best;
    static constexpr std::array kAlphas{0.02, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0};
    double bestSse = std::numeric_limits<double>::infinity();
    for (double a : kAlphas) {
        double level = y[0];
        double sse = 0;
        for (std::size_t t = 1; t < y.size(); ++t) {
            const double e = y[t] - level;
            sse += e * e;
            level += a * e;
        }
        if (sse < bestSse) {
            bestSse = sse;
            best = {a, level};
        }
    }
    return best;
}

void naive(std::span<const double> y, int horizon, double* out)
{
    std::fill(out, out + horizon, y.empty() ? 0.0 : y.back());
}

void seasonalNaive(std::span<const double> y, int m, int horizon, double* out)
{
    const auto n = static_cast<long>(y.size());
    if (m < 1 || n < m)
        return naive(y, horizon, out);
    for (int h = 0; h < horizon; ++h)
        out[h] = y[n - m + (h % m)];
}

void seasonalMean(std::span<const double> y, int m, int k, int horizon, double* out)
{
    const auto n = static_cast<long>(y.size());
    k = std::min<long>(k, n / std::max(1, m));
    if (m < 1 || k < 1)
        return naive(y, horizon, out);
    // Level of each cycle, so that older cycles are moved to the level of the most recent one.
    std::vector<double> level(k, 0.0);
    for (int c = 0; c < k; ++c) {
        double s = 0;
        for (int i = 0; i < m; ++i)
            s += y[n - (c + 1) * m + i];
        level[c] = s / m;
    }
    for (int h = 0; h < horizon; ++h) {
        const int phase = h % m;
        double s = 0;
        for (int c = 0; c < k; ++c)
            s += y[n - (c + 1) * m + phase] - level[c];
        out[h] = level[0] + s / k;
    }
}

void ses(std::span<const double> y, int horizon, double* out)
{
    const auto fit = fitSes(y);
    std::fill(out, out + horizon, fit.level);
}

void linearTrend(std::span<const double> y, int horizon, double* out)
{
    const auto n = static_cast<double>(y.size());
    if (y.size() < 2)
        return naive(y, horizon, out);
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t t = 0; t < y.size(); ++t) {
        const auto x = static_cast<double>(t);
        sx += x;
        sy += y[t];
        sxx += x * x;
        sxy += x * y[t];
    }
    const double den = n * sxx - sx * sx;
    const double b = den != 0 ? (n * sxy - sx * sy) / den : 0.0;
    const double a = (sy - b * sx) / n;
    for (int h = 0; h < horizon; ++h)
        out[h] = a + b * (n - 1 + h + 1);
}

void theta(std::span<const double> y, int horizon, double* out)
{
    const auto n = static_cast<double>(y.size());
    if (y.size() < 3)
        return naive(y, horizon, out);
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t t = 0; t < y.size(); ++t) {
        const auto x = static_cast<double>(t);
        sx += x;
        sy += y[t];
        sxx += x * x;
        sxy += x * y[t];
    }
    const double den = n * sxx - sx * sx;
    const double b = den != 0 ? (n * sxy - sx * sy) / den : 0.0;
    const auto fit = fitSes(y);
    // Theta(2) line extrapolated by SES plus half the slope of the theta(0) line (Hyndman & Billah, 2003).
    const double drift = 1.0 / fit.alpha - std::pow(1.0 - fit.alpha, n) / fit.alpha;
    for (int h = 0; h < horizon; ++h)
        out[h] = fit.level + 0.5 * b * (h + drift);
}

void dampedHolt(std::span<const double> y, int horizon, double* out)
{
    const auto n = y.size();
    if (n < 4)
        return naive(y, horizon, out);
    static constexpr std::array kAlphas{0.05, 0.2, 0.5, 0.9};
    static constexpr std::array kBetas{0.01, 0.1};
    static constexpr std::array kPhis{0.8, 0.9, 0.95, 0.98};
    double bestSse = std::numeric_limits<double>::infinity();
    double bestL = y.back(), bestB = 0, bestPhi = 0.9;
    const double b0 = (y[std::min<std::size_t>(n - 1, 4)] - y[0]) / static_cast<double>(std::min<std::size_t>(n - 1, 4));
    for (double a : kAlphas)
        for (double beta : kBetas)
            for (double phi : kPhis) {
                double l = y[0], b = b0, sse = 0;
                for (std::size_t t = 1; t < n; ++t) {
                    const double f = l + phi * b;
                    const double e = y[t] - f;
                    sse += e * e;
                    const double lNew = f + a * e;
                    b = phi * b + a * beta * e;
                    l = lNew;
                }
                if (sse < bestSse) {
                    bestSse = sse;
                    bestL = l;
                    bestB = b;
                    bestPhi = phi;
                }
            }
    double damp = 0, p = 1;
    for (int h = 0; h < horizon; ++h) {
        p *= bestPhi;
        damp += p;
        out[h] = bestL + damp * bestB;
    }
}

void decomposed(std::span<const double> y, int m, int cycles, BaseModel base, int horizon, double* out)
{
    const auto n = static_cast<long>(y.size());
    double minValue = std::numeric_limits<double>::infinity();
    for (double v : y)
        minValue = std::min(minValue, v);
    const bool multiplicative = minValue > 0;
    const auto s = seasonalIndices(y, m, cycles, multiplicative);
    if (s.index.empty()) {
        switch (base) {
        case BaseModel::Naive: return naive(y, horizon, out);
        case BaseModel::Ses: return ses(y, horizon, out);
        case BaseModel::Theta: return theta(y, horizon, out);
        case BaseModel::Damped: return dampedHolt(y, horizon, out);
        }
    }
    std::vector<double> adjusted(y.size());
    for (long t = 0; t < n; ++t)
        adjusted[t] = multiplicative ? y[t] / s.at(t) : y[t] - s.at(t);
    switch (base) {
    case BaseModel::Naive: naive(adjusted, horizon, out); break;
    case BaseModel::Ses: ses(adjusted, horizon, out); break;
    case BaseModel::Theta: theta(adjusted, horizon, out); break;
    case BaseModel::Damped: dampedHolt(adjusted, horizon, out); break;
    }
    for (int h = 0; h < horizon; ++h)
        out[h] = multiplicative ? out[h] * s.at(n + h) : out[h] + s.at(n + h);
}

void holtWinters(std::span<const double> y, int m, int horizon, double* out)
{
    const auto n = static_cast<long>(y.size());
    if (m < 2 || n < 2 * m + 2)
        return dampedHolt(y, horizon, out);
    // Initial state from the first two cycles.
    double mean1 = 0, mean2 = 0;
    for (int i = 0; i < m; ++i) {
        mean1 += y[i];
        mean2 += y[m + i];
    }
    mean1 /= m;
    mean2 /= m;
    std::vector<double> s0(m), s(m);
    for (int i = 0; i < m; ++i)
        s0[i] = y[i] - mean1;
    const double b0 = (mean2 - mean1) / m;
    static constexpr std::array kAlphas{0.05, 0.2, 0.5};
    static constexpr std::array kGammas{0.05, 0.2};
    static constexpr std::array kPhis{0.9, 0.98};
    constexpr double beta = 0.01;
    double bestSse = std::numeric_limits<double>::infinity();
    double bestL = 0, bestB = 0, bestPhi = 0.9;
    std::vector<double> bestS(m);
    for (double a : kAlphas)
        for (double g : kGammas)
            for (double phi : kPhis) {
                std::copy(s0.begin(), s0.end(), s.begin());
                double l = mean1, b = b0, sse = 0;
                for (long t = m; t < n; ++t) {
                    const auto p = static_cast<std::size_t>(t % m);
                    const double f = l + phi * b + s[p];
                    const double e = y[t] - f;
                    sse += e * e;
                    const double lNew = l + phi * b + a * e;
                    b = phi * b + a * beta * e;
                    s[p] += g * (1 - a) * e;
                    l = lNew;
                }
                if (sse < bestSse) {
                    bestSse = sse;
                    bestL = l;
                    bestB = b;
                    bestPhi = phi;
                    bestS = s;
                }
            }
    double damp = 0, p = 1;
    for (int h = 0; h < horizon; ++h) {
        p *= bestPhi;
        damp += p;
        out[h] = bestL + damp * bestB + bestS[static_cast<std::size_t>((n + h) % m)];
    }
}

double seasonalScale(std::span<const double> y, int m)
{
    const auto n = static_cast<long>(y.size());
    if (m < 1 || n <= m + 1)
        m = 1;
    double s = 0;
    long c = 0;
    for (long t = m; t < n; ++t) {
        s += std::abs(y[t] - y[t - m]);
        ++c;
    }
    double scale = c > 0 ? s / c : 0.0;
    if (!(scale > 0)) {
        double mean = 0;
        for (double v : y)
            mean += std::abs(v);
        scale = y.empty() ? 1.0 : mean / static_cast<double>(n);
    }
    return scale > 0 ? scale : 1.0;
}

} // namespace cairn::forecast::detail
