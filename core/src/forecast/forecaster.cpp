#include "cairn/forecast/forecaster.h"

#include "forecast/models.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace cairn::forecast {

std::string_view toString(ForecastStatus status) {
    switch (status) {
    case ForecastStatus::Ok:
        return "ok";
    case ForecastStatus::InsufficientData:
        return "insufficient data";
    case ForecastStatus::InvalidArgument:
        return "invalid argument";
    }
    return "unknown";
}

namespace {

struct Model {
    std::string name;
    std::function<void(std::span<const double>, int, double*)> run;
};

std::vector<Model> modelPool(const Seasonality& seasons, long n) {
    using namespace detail;
    std::vector<Model> pool;
    std::vector<int> periods;
    periods.reserve(seasons.periods.size());
    for (const auto& p : seasons.periods)
        periods.push_back(p.period);
    // Non-seasonal models always compete: a season that fits the past may not help the future.
    pool.push_back({"naive", [](auto y, int h, double* o) { naive(y, h, o); }});
    pool.push_back({"theta", [](auto y, int h, double* o) { theta(y, h, o); }});
    pool.push_back({"drift", [](auto y, int h, double* o) { drift(y, h, o); }});
    if (periods.empty()) {
        pool.push_back({"ses", [](auto y, int h, double* o) { ses(y, h, o); }});
        pool.push_back({"damped", [](auto y, int h, double* o) { dampedHolt(y, h, o); }});
        return pool;
    }
    const int m0 = periods.front();
    for (int m : periods) {
        const std::string s = std::to_string(m);
        pool.push_back({"snaive" + s, [m](auto y, int h, double* o) { seasonalNaive(y, m, h, o); }});
        const int k = std::clamp(static_cast<int>(n / m) - 1, 1, m < 48 ? 7 : 3);
        pool.push_back({"smean" + s + "x" + std::to_string(k),
                        [m, k](auto y, int h, double* o) { seasonalMean(y, m, k, h, o); }});
        pool.push_back(
            {"lsnaive" + s, [m, m0](auto y, int h, double* o) { levelSeasonalNaive(y, m, m0, h, o); }});
        pool.push_back({"theta/dec" + s,
                        [m](auto y, int h, double* o) { decomposed(y, m, 0, BaseModel::Theta, h, o); }});
    }
    pool.push_back({"hw" + std::to_string(m0), [m0](auto y, int h, double* o) { holtWinters(y, m0, h, o); }});
    return pool;
}

// Linear interpolation of interior gaps; the caller has trimmed leading and trailing gaps.
int fillGaps(std::vector<double>& y) {
    int filled = 0;
    std::size_t last = 0;
    for (std::size_t t = 1; t < y.size(); ++t) {
        if (!std::isfinite(y[t]))
            continue;
        if (t > last + 1) {
            for (std::size_t i = last + 1; i < t; ++i) {
                const double w = static_cast<double>(i - last) / static_cast<double>(t - last);
                y[i] = y[last] * (1 - w) + y[t] * w;
                ++filled;
            }
        }
        last = t;
    }
    return filled;
}

double quantile(std::vector<double>& v, double q) {
    if (v.empty())
        return 0.0;
    // Finite-sample conformal rank: ceil((n+1) q), capped at n.
    const auto n = v.size();
    auto k = static_cast<std::size_t>(std::ceil((static_cast<double>(n) + 1.0) * q));
    k = std::clamp<std::size_t>(k, 1, n);
    std::nth_element(v.begin(), v.begin() + static_cast<long>(k - 1), v.end());
    return v[k - 1];
}

} // namespace

ForecastResult forecastValues(std::span<const double> input, const ForecastOptions& options) {
    ForecastResult r;
    const int H = options.horizon;
    if (H < 1 || H > 1'000'000) {
        r.status = ForecastStatus::InvalidArgument;
        r.message = "The forecast horizon must be between 1 and 1000000 steps.";
        return r;
    }
    // Trim leading and trailing gaps; trailing ones become part of the horizon.
    std::size_t begin = 0, end = input.size();
    while (begin < end && !std::isfinite(input[begin]))
        ++begin;
    while (end > begin && !std::isfinite(input[end - 1]))
        --end;
    const int lead = static_cast<int>(input.size() - end);
    std::vector<double> y(input.begin() + static_cast<long>(begin), input.begin() + static_cast<long>(end));
    const auto finite = std::count_if(y.begin(), y.end(), [](double v) { return std::isfinite(v); });
    if (finite < 3) {
        r.message = "At least 3 finite samples are needed to forecast; got " + std::to_string(finite) + ".";
        return r;
    }
    const double missing = 1.0 - static_cast<double>(finite) / static_cast<double>(input.size());
    if (missing > options.maxMissingFraction) {
        r.message = "Too many missing samples to forecast (" +
                    std::to_string(static_cast<int>(missing * 100)) + "% missing).";
        return r;
    }
    r.filledGaps = fillGaps(y);
    const int total = H + lead;
    const auto n = static_cast<long>(y.size());
    auto finish = [&](std::vector<double> mean, std::vector<double> w80, std::vector<double> w95) {
        r.status = ForecastStatus::Ok;
        r.mean.assign(mean.begin() + lead, mean.end());
        r.lower80.resize(H);
        r.upper80.resize(H);
        r.lower95.resize(H);
        r.upper95.resize(H);
        for (int h = 0; h < H; ++h) {
            double& m = r.mean[h];
            if (options.nonNegative)
                m = std::max(0.0, m);
            r.lower80[h] = m - w80[h + lead];
            r.upper80[h] = m + w80[h + lead];
            r.lower95[h] = m - w95[h + lead];
            r.upper95[h] = m + w95[h + lead];
            if (options.nonNegative) {
                r.lower80[h] = std::max(0.0, r.lower80[h]);
                r.lower95[h] = std::max(0.0, r.lower95[h]);
            }
        }
        return r;
    };

    const auto [mn, mx] = std::minmax_element(y.begin(), y.end());
    if (*mx - *mn <= 1e-12 * std::max(1.0, std::abs(*mx))) {
        r.constant = true;
        r.model = "constant";
        return finish(std::vector<double>(total, y.back()), std::vector<double>(total, 0.0),
                      std::vector<double>(total, 0.0));
    }

    SeasonalityOptions so;
    so.candidates = options.candidatePeriods;
    r.seasonality = detectSeasonality(y, so);
    // Seasons the test did not accept still compete in the pool when there are 3 cycles of history:
    // a weak weekly pattern can still forecast better than a daily one, and validation decides.
    Seasonality poolSeasons = r.seasonality;
    for (int m : options.candidatePeriods)
        if (m >= 2 && n >= 3L * m && !poolSeasons.has(m))
            poolSeasons.periods.push_back({m, 0, 0});
    std::sort(poolSeasons.periods.begin(), poolSeasons.periods.end(),
              [](const auto& a, const auto& b) { return a.period < b.period; });
    auto pool = modelPool(poolSeasons, n);
    if (!options.onlyModel.empty()) {
        std::erase_if(pool, [&](const Model& m) { return m.name != options.onlyModel; });
        if (pool.empty()) {
            r.status = ForecastStatus::InvalidArgument;
            r.message = "No model named '" + options.onlyModel + "' applies to this series.";
            return r;
        }
    }
    int longest = 1;
    for (const auto& p : poolSeasons.periods)
        longest = std::max(longest, p.period);
    const double scale =
        detail::seasonalScale(y, r.seasonality.periods.empty() ? 1 : r.seasonality.periods[0].period);

    // Rolling origins over the tail: each model forecasts the next hv samples from every origin.
    const int hv = static_cast<int>(std::min<long>(total, std::max<long>(1, n / 4)));
    const int step = r.seasonality.periods.empty() ? std::max(1, hv / 2) : r.seasonality.periods[0].period;
    const long minTrain = std::max<long>(longest + 2, 8); // every model falls back gracefully below 2 cycles
    std::vector<long> origins;
    for (int j = 0; j < options.validationOrigins; ++j) {
        const long o = n - hv - static_cast<long>(j) * step;
        if (o < minTrain)
            break;
        origins.push_back(o);
    }
    const auto M = pool.size();
    std::vector<double> f(static_cast<std::size_t>(total));
    std::vector<std::size_t> chosen;
    std::vector<double> w80(total, 0.0), w95(total, 0.0);
    if (origins.empty()) {
        // Too short to validate: the simplest sound model, intervals from one-step errors growing like
        // sqrt(h).
        chosen.push_back(0);
        double s = 0;
        for (long t = 1; t < n; ++t)
            s += (y[t] - y[t - 1]) * (y[t] - y[t - 1]);
        const double sigma = std::sqrt(s / static_cast<double>(std::max<long>(1, n - 1)));
        for (int h = 0; h < total; ++h) {
            w80[h] = 1.2816 * sigma * std::sqrt(h + 1.0);
            w95[h] = 1.96 * sigma * std::sqrt(h + 1.0);
        }
        r.message = "Series too short to validate models; using " + pool[0].name + ".";
    } else {
        // forecasts[o][m][h]
        std::vector<double> fc(origins.size() * M * static_cast<std::size_t>(hv));
        std::vector<double> score(M, 0.0);
        for (std::size_t o = 0; o < origins.size(); ++o) {
            const std::span<const double> train(y.data(), static_cast<std::size_t>(origins[o]));
            for (std::size_t m = 0; m < M; ++m) {
                double* out = &fc[(o * M + m) * hv];
                pool[m].run(train, hv, out);
                double err = 0;
                for (int h = 0; h < hv; ++h) {
                    if (!std::isfinite(out[h]))
                        out[h] = train.back();
                    err += std::abs(y[origins[o] + h] - out[h]);
                }
                score[m] += err / (hv * scale);
            }
        }
        std::vector<std::size_t> order(M);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return score[a] < score[b]; });
        // The best few, but only those not far behind the best one: averaging in a clearly worse model
        // (a flat forecast on a steady ramp) costs more than the combination gains.
        auto k = std::min<std::size_t>(std::max(1, options.combine), M);
        while (k > 1 && score[order[k - 1]] > options.combineWithin * score[order[0]] + 1e-12)
            --k;
        chosen.assign(order.begin(), order.begin() + static_cast<long>(k));
        // Out-of-sample errors of the combination, pooled over nearby horizons.
        std::vector<std::vector<double>> err(static_cast<std::size_t>(hv));
        for (std::size_t o = 0; o < origins.size(); ++o)
            for (int h = 0; h < hv; ++h) {
                double c = 0;
                for (auto m : chosen)
                    c += fc[(o * M + m) * hv + h];
                c /= static_cast<double>(k);
                if (options.nonNegative)
                    c = std::max(0.0, c);
                err[h].push_back(std::abs(y[origins[o] + h] - c));
            }
        const int window = std::max(1, hv / 12);
        std::vector<double> sample;
        for (int h = 0; h < total; ++h) {
            const int hc = std::min(h, hv - 1);
            sample.clear();
            for (int j = std::max(0, hc - window); j <= std::min(hv - 1, hc + window); ++j)
                sample.insert(sample.end(), err[j].begin(), err[j].end());
            // Beyond the validated horizon the error keeps growing like a random walk.
            const double grow = h < hv ? 1.0 : std::sqrt((h + 1.0) / hv);
            w80[h] = quantile(sample, 0.80) * grow;
            w95[h] = quantile(sample, 0.95) * grow;
        }
        // Uncertainty does not shrink with the horizon.
        for (int h = 1; h < total; ++h) {
            w80[h] = std::max(w80[h], w80[h - 1]);
            w95[h] = std::max(w95[h], w95[h - 1]);
        }
    }
    std::vector<double> mean(total, 0.0);
    r.model.clear();
    for (auto m : chosen) {
        pool[m].run(y, total, f.data());
        for (int h = 0; h < total; ++h)
            mean[h] += std::isfinite(f[h]) ? f[h] : y.back();
        if (!r.model.empty())
            r.model += "+";
        r.model += pool[m].name;
    }
    for (auto& v : mean)
        v /= static_cast<double>(chosen.size());
    return finish(std::move(mean), std::move(w80), std::move(w95));
}

} // namespace cairn::forecast
