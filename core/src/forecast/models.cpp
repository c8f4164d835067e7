#include "forecast/models.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace cairn::forecast::detail {

std::vector<double> centredMovingAverage(std::span<const double> y, int m) {
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

SeasonalIndices seasonalIndices(std::span<const double> y, int m, int cycles, bool multiplicative) {
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

SesFit fitSes(std::span<const double> y) {
    SesFit best;
    if (y.empty())
        return best;
    // All candidate alphas run side by side in one pass: the recursions are independent, so the
    // compiler can keep them in vector registers.
    constexpr std::size_t K = 8;
    static constexpr std::array<double, K> kAlphas{0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0};
    std::array<double, K> level, sse{};
    level.fill(y[0]);
    for (std::size_t t = 1; t < y.size(); ++t) {
        const double v = y[t];
        for (std::size_t k = 0; k < K; ++k) {
            const double e = v - level[k];
            sse[k] += e * e;
            level[k] += kAlphas[k] * e;
        }
    }
    std::size_t arg = 0;
    for (std::size_t k = 1; k < K; ++k)
        if (sse[k] < sse[arg])
            arg = k;
    best = {kAlphas[arg], level[arg]};
    return best;
}

void naive(std::span<const double> y, int horizon, double* out) {
    std::fill(out, out + horizon, y.empty() ? 0.0 : y.back());
}

void seasonalNaive(std::span<const double> y, int m, int horizon, double* out) {
    const auto n = static_cast<long>(y.size());
    if (m < 1 || n < m)
        return naive(y, horizon, out);
    for (int h = 0; h < horizon; ++h)
        out[h] = y[n - m + (h % m)];
}

void seasonalMean(std::span<const double> y, int m, int k, int horizon, double* out) {
    const auto n = static_cast<long>(y.size());
    k = static_cast<int>(std::min<long>(k, n / std::max(1, m)));
    if (m < 1 || k < 1)
        return naive(y, horizon, out);
    // Level of each cycle, so that older cycles are moved to the level of the most recent one:
    // by ratio for a positive series (the profile scales with the level), by difference otherwise.
    std::vector<double> level(static_cast<std::size_t>(k), 0.0);
    bool positive = true;
    for (int c = 0; c < k; ++c) {
        double s = 0;
        for (int i = 0; i < m; ++i) {
            const double v = y[n - (c + 1) * m + i];
            s += v;
            positive = positive && v > 0;
        }
        level[c] = s / m;
    }
    for (int h = 0; h < horizon; ++h) {
        const int phase = h % m;
        double s = 0;
        for (int c = 0; c < k; ++c) {
            const double v = y[n - (c + 1) * m + phase];
            s += positive ? v / level[c] : v - level[c];
        }
        out[h] = positive ? level[0] * s / k : level[0] + s / k;
    }
}

void levelSeasonalNaive(std::span<const double> y, int m, int window, int horizon, double* out) {
    const auto n = static_cast<long>(y.size());
    if (m < 1 || n < m + window || window < 1)
        return seasonalNaive(y, m, horizon, out);
    // The last cycle, moved by how much the most recent window differs from the same window a cycle ago.
    double now = 0, before = 0;
    for (int i = 0; i < window; ++i) {
        now += y[n - 1 - i];
        before += y[n - 1 - i - m];
    }
    const bool ratio = now > 0 && before > 0;
    const double r = ratio ? std::clamp(now / before, 0.5, 2.0) : 1.0;
    const double d = ratio ? 0.0 : (now - before) / window;
    for (int h = 0; h < horizon; ++h)
        out[h] = y[n - m + (h % m)] * r + d;
}

void ses(std::span<const double> y, int horizon, double* out) {
    const auto fit = fitSes(y);
    std::fill(out, out + horizon, fit.level);
}

void drift(std::span<const double> y, int horizon, double* out) {
    const auto n = static_cast<long>(y.size());
    if (n < 2)
        return naive(y, horizon, out);
    const long from = std::max<long>(0, n - 1 - 3L * horizon);
    const double slope = (y[n - 1] - y[from]) / static_cast<double>(n - 1 - from);
    for (int h = 0; h < horizon; ++h)
        out[h] = y[n - 1] + slope * (h + 1);
}

// Ordinary least squares of y against t = 0..n-1.
struct Line {
    double intercept = 0.0;
    double slope = 0.0;
};
Line leastSquaresLine(std::span<const double> y) {
    const auto n = static_cast<double>(y.size());
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
    return {(sy - b * sx) / n, b};
}

void linearTrend(std::span<const double> y, int horizon, double* out) {
    const auto n = static_cast<double>(y.size());
    if (y.size() < 2)
        return naive(y, horizon, out);
    const auto [a, b] = leastSquaresLine(y);
    for (int h = 0; h < horizon; ++h)
        out[h] = a + b * (n - 1 + h + 1);
}

void theta(std::span<const double> y, int horizon, double* out) {
    const auto n = static_cast<double>(y.size());
    if (y.size() < 3)
        return naive(y, horizon, out);
    const double b = leastSquaresLine(y).slope;
    const auto fit = fitSes(y);
    // Theta(2) line extrapolated by SES plus half the slope of the theta(0) line (Hyndman & Billah, 2003).
    const double drift = 1.0 / fit.alpha - std::pow(1.0 - fit.alpha, n) / fit.alpha;
    for (int h = 0; h < horizon; ++h)
        out[h] = fit.level + 0.5 * b * (h + drift);
}

void dampedHolt(std::span<const double> y, int horizon, double* out) {
    const auto n = y.size();
    if (n < 4)
        return naive(y, horizon, out);
    static constexpr std::array kAlphas{0.05, 0.2, 0.5, 0.9};
    static constexpr std::array kBetas{0.01, 0.1};
    static constexpr std::array kPhis{0.8, 0.9, 0.95, 0.98};
    double bestSse = std::numeric_limits<double>::infinity();
    double bestL = y.back(), bestB = 0, bestPhi = 0.9;
    const double b0 =
        (y[std::min<std::size_t>(n - 1, 4)] - y[0]) / static_cast<double>(std::min<std::size_t>(n - 1, 4));
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

void decomposed(std::span<const double> y, int m, int cycles, BaseModel base, int horizon, double* out) {
    const auto n = static_cast<long>(y.size());
    double minValue = std::numeric_limits<double>::infinity();
    for (double v : y)
        minValue = std::min(minValue, v);
    const bool multiplicative = minValue > 0;
    const auto s = seasonalIndices(y, m, cycles, multiplicative);
    if (s.index.empty()) {
        switch (base) {
        case BaseModel::Naive:
            return naive(y, horizon, out);
        case BaseModel::Ses:
            return ses(y, horizon, out);
        case BaseModel::Theta:
            return theta(y, horizon, out);
        case BaseModel::Damped:
            return dampedHolt(y, horizon, out);
        }
    }
    std::vector<double> adjusted(y.size());
    for (long t = 0; t < n; ++t)
        adjusted[t] = multiplicative ? y[t] / s.at(t) : y[t] - s.at(t);
    switch (base) {
    case BaseModel::Naive:
        naive(adjusted, horizon, out);
        break;
    case BaseModel::Ses:
        ses(adjusted, horizon, out);
        break;
    case BaseModel::Theta:
        theta(adjusted, horizon, out);
        break;
    case BaseModel::Damped:
        dampedHolt(adjusted, horizon, out);
        break;
    }
    for (int h = 0; h < horizon; ++h)
        out[h] = multiplicative ? out[h] * s.at(n + h) : out[h] + s.at(n + h);
}

void holtWinters(std::span<const double> y, int m, int horizon, double* out) {
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
    // The parameter grid runs side by side (independent recursions) for instruction-level parallelism.
    constexpr std::size_t K = 8;
    static constexpr std::array<double, K> kAlpha{0.05, 0.05, 0.2, 0.2, 0.5, 0.5, 0.2, 0.5};
    static constexpr std::array<double, K> kGamma{0.05, 0.2, 0.05, 0.2, 0.05, 0.2, 0.05, 0.05};
    static constexpr std::array<double, K> kPhi{0.98, 0.98, 0.98, 0.98, 0.98, 0.98, 0.9, 0.9};
    constexpr double beta = 0.01;
    std::vector<std::array<double, K>> s(static_cast<std::size_t>(m));
    for (int i = 0; i < m; ++i)
        s[i].fill(y[i] - mean1);
    std::array<double, K> l, b, sse{};
    l.fill(mean1);
    b.fill((mean2 - mean1) / m);
    for (long t = m; t < n; ++t) {
        auto& sp = s[static_cast<std::size_t>(t % m)];
        const double v = y[t];
        for (std::size_t k = 0; k < K; ++k) {
            const double pb = kPhi[k] * b[k];
            const double e = v - (l[k] + pb + sp[k]);
            sse[k] += e * e;
            l[k] += pb + kAlpha[k] * e;
            b[k] = pb + kAlpha[k] * beta * e;
            sp[k] += kGamma[k] * (1 - kAlpha[k]) * e;
        }
    }
    std::size_t arg = 0;
    for (std::size_t k = 1; k < K; ++k)
        if (sse[k] < sse[arg])
            arg = k;
    double damp = 0, p = 1;
    for (int h = 0; h < horizon; ++h) {
        p *= kPhi[arg];
        damp += p;
        out[h] = l[arg] + damp * b[arg] + s[static_cast<std::size_t>((n + h) % m)][arg];
    }
}

double seasonalScale(std::span<const double> y, int m) {
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
