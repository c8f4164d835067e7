#include "cairn/forecast/capacity.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace cairn::forecast {

std::string_view toString(ExhaustionStatus status) {
    switch (status) {
    case ExhaustionStatus::WillExhaust:
        return "will exhaust";
    case ExhaustionStatus::NotWithinHorizon:
        return "not within horizon";
    case ExhaustionStatus::NotGrowing:
        return "not growing";
    case ExhaustionStatus::Exhausted:
        return "exhausted";
    case ExhaustionStatus::InsufficientData:
        return "insufficient data";
    }
    return "unknown";
}

namespace {

double normalQuantile(double p) {
    // Acklam's rational approximation is more than enough for confidence levels.
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01, -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    p = std::clamp(p, 1e-12, 1 - 1e-12);
    if (p < 0.02425) {
        const double q = std::sqrt(-2 * std::log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425)
        return -normalQuantile(1 - p);
    const double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

struct Points {
    std::vector<double> t; // ms relative to the last sample (<= 0)
    std::vector<double> v;
};

// At most `maxPoints` points: consecutive samples averaged in equal-count bins.
Points thin(const Points& p, std::size_t maxPoints) {
    if (p.t.size() <= maxPoints)
        return p;
    Points out;
    const double per = static_cast<double>(p.t.size()) / static_cast<double>(maxPoints);
    for (std::size_t b = 0; b < maxPoints; ++b) {
        const auto from = static_cast<std::size_t>(b * per);
        const auto to = std::min(p.t.size(), static_cast<std::size_t>((b + 1) * per));
        if (to <= from)
            continue;
        double st = 0, sv = 0;
        for (std::size_t i = from; i < to; ++i) {
            st += p.t[i];
            sv += p.v[i];
        }
        out.t.push_back(st / static_cast<double>(to - from));
        out.v.push_back(sv / static_cast<double>(to - from));
    }
    return out;
}

// Start index of the latest linear regime: the best single break of a two-line fit, kept when BIC prefers it
// and the recent part has at least 6 points; 0 when one line is enough.
std::size_t lastRegimeStart(const Points& p) {
    const auto n = p.t.size();
    if (n < 14)
        return 0;
    // Prefix sums for O(1) least squares on any range.
    std::vector<double> S(n + 1), St(n + 1), Sv(n + 1), Stt(n + 1), Stv(n + 1), Svv(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = p.t[i] / kHourMs, v = p.v[i];
        S[i + 1] = S[i] + 1;
        St[i + 1] = St[i] + t;
        Sv[i + 1] = Sv[i] + v;
        Stt[i + 1] = Stt[i] + t * t;
        Stv[i + 1] = Stv[i] + t * v;
        Svv[i + 1] = Svv[i] + v * v;
    }
    auto sse = [&](std::size_t a, std::size_t b) {
        const double k = S[b] - S[a], st = St[b] - St[a], sv = Sv[b] - Sv[a];
        const double ctt = (Stt[b] - Stt[a]) - st * st / k;
        const double ctv = (Stv[b] - Stv[a]) - st * sv / k;
        const double cvv = (Svv[b] - Svv[a]) - sv * sv / k;
        return std::max(0.0, ctt > 0 ? cvv - ctv * ctv / ctt : cvv);
    };
    const double one = sse(0, n);
    double best = one;
    std::size_t arg = 0;
    for (std::size_t k = 6; k + 6 <= n; ++k) {
        const double two = sse(0, k) + sse(k, n);
        if (two < best) {
            best = two;
            arg = k;
        }
    }
    const double dn = static_cast<double>(n);
    const double floor = 1e-12 * (1 + Svv[n] / dn);
    const double bic1 = dn * std::log(one / dn + floor) + 2 * std::log(dn);
    const double bic2 = dn * std::log(best / dn + floor) + 5 * std::log(dn);
    return arg > 0 && bic2 < bic1 ? arg : 0;
}

Points window(const ts::Series& s, TimeMs lookback, TimeMs& last) {
    std::vector<std::pair<TimeMs, double>> samples;
    for (std::size_t i = 0; i < s.time.size() && i < s.value.size(); ++i)
        if (std::isfinite(s.value[i]))
            samples.emplace_back(s.time[i], s.value[i]);
    std::sort(samples.begin(), samples.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Points p;
    if (samples.empty())
        return p;
    last = samples.back().first;
    for (const auto& [t, v] : samples)
        if (t >= last - lookback) {
            p.t.push_back(static_cast<double>(t - last));
            p.v.push_back(v);
        }
    return p;
}

} // namespace

std::optional<SlopeEstimate> theilSen(const std::vector<double>& t, const std::vector<double>& v,
                                      double confidence) {
    const auto n = std::min(t.size(), v.size());
    if (n < 3)
        return std::nullopt;
    std::vector<double> slopes;
    slopes.reserve(n * (n - 1) / 2);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j)
            if (t[j] != t[i])
                slopes.push_back((v[j] - v[i]) / (t[j] - t[i]));
    if (slopes.empty())
        return std::nullopt;
    std::sort(slopes.begin(), slopes.end());
    const auto N = static_cast<double>(slopes.size());
    SlopeEstimate e;
    e.slope = slopes.size() % 2 ? slopes[slopes.size() / 2]
                                : 0.5 * (slopes[slopes.size() / 2 - 1] + slopes[slopes.size() / 2]);
    // Sen (1968): ranks of the interval from the variance of Kendall's S.
    const double dn = static_cast<double>(n);
    const double z = normalQuantile(0.5 + confidence / 2);
    const double c = z * std::sqrt(dn * (dn - 1) * (2 * dn + 5) / 18.0);
    const auto lo = static_cast<long>(std::floor((N - c) / 2));
    const auto hi = static_cast<long>(std::ceil((N + c) / 2));
    e.lower = slopes[static_cast<std::size_t>(std::clamp<long>(lo, 0, static_cast<long>(N) - 1))];
    e.upper = slopes[static_cast<std::size_t>(std::clamp<long>(hi, 0, static_cast<long>(N) - 1))];
    std::vector<double> r(n);
    for (std::size_t i = 0; i < n; ++i)
        r[i] = v[i] - e.slope * t[i];
    std::nth_element(r.begin(), r.begin() + static_cast<long>(n / 2), r.end());
    e.intercept = r[n / 2];
    for (auto& x : r)
        x = std::abs(x - e.intercept);
    std::nth_element(r.begin(), r.begin() + static_cast<long>(n / 2), r.end());
    e.spread = 1.4826 * r[n / 2];
    return e;
}

Exhaustion timeToExhaustion(const ts::Series& usage, double capacity, const ExhaustionOptions& options) {
    Exhaustion ex;
    ex.capacity = capacity;
    if (!(capacity > 0) || !std::isfinite(capacity)) {
        ex.message = "No capacity is known for this resource.";
        return ex;
    }
    TimeMs last = 0;
    const Points all = window(usage, options.lookback, last);
    if (all.t.size() < 5) {
        ex.message = "At least 5 samples are needed in the look-back window; got " +
                     std::to_string(all.t.size()) + ".";
        return ex;
    }
    ex.now = last;
    ex.current = all.v.back();
    if (ex.current >= capacity) {
        ex.status = ExhaustionStatus::Exhausted;
        ex.at = ex.earliest = ex.latest = last;
        ex.message = "Usage is already at or above capacity.";
        return ex;
    }
    // Resets: drops between consecutive samples much larger than the window's ordinary movement.
    const auto [mn, mx] = std::minmax_element(all.v.begin(), all.v.end());
    std::vector<double> diffs;
    for (std::size_t i = 1; i < all.v.size(); ++i)
        diffs.push_back(std::abs(all.v[i] - all.v[i - 1]));
    std::nth_element(diffs.begin(), diffs.begin() + static_cast<long>(diffs.size() / 2), diffs.end());
    const double typicalMove = diffs[diffs.size() / 2];
    const double dropLimit = std::max({options.resetDrop * (*mx - *mn), 5 * typicalMove, 1e-9 * capacity});
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 1; i < all.v.size(); ++i)
        if (all.v[i - 1] - all.v[i] > dropLimit)
            starts.push_back(i);
    ex.resets = static_cast<int>(starts.size()) - 1;

    auto segment = [&](std::size_t k) {
        Points p;
        const std::size_t a = starts[k], b = k + 1 < starts.size() ? starts[k + 1] : all.t.size();
        p.t.assign(all.t.begin() + static_cast<long>(a), all.t.begin() + static_cast<long>(b));
        p.v.assign(all.v.begin() + static_cast<long>(a), all.v.begin() + static_cast<long>(b));
        return p;
    };
    // The latest regime of a set of points (change point), as a Theil-Sen line.
    auto recentTrend = [&](const Points& p) -> std::optional<SlopeEstimate> {
        Points q = thin(p, 150);
        const auto k = lastRegimeStart(q);
        if (k > 0) {
            q.t.erase(q.t.begin(), q.t.begin() + static_cast<long>(k));
            q.v.erase(q.v.begin(), q.v.begin() + static_cast<long>(k));
        }
        return theilSen(q.t, q.v, options.confidence);
    };

    std::optional<SlopeEstimate> trend;
    std::string how;
    const Points current = segment(starts.size() - 1);
    if (ex.resets == 0) {
        trend = recentTrend(all);
        how = "trend of the recent usage";
    } else {
        Points peaks;
        std::vector<double> amplitudes, durations;
        for (std::size_t k = 0; k + 1 < starts.size(); ++k) {
            const Points seg = segment(k);
            const auto it = std::max_element(seg.v.begin(), seg.v.end());
            peaks.t.push_back(seg.t[static_cast<std::size_t>(it - seg.v.begin())]);
            peaks.v.push_back(*it);
            amplitudes.push_back(*it - *std::min_element(seg.v.begin(), seg.v.end()));
            if (k > 0) // the first segment is cut by the window
                durations.push_back(all.t[starts[k + 1]] - all.t[starts[k]]);
        }
        const double highestPeak = *std::max_element(peaks.v.begin(), peaks.v.end());
        const auto medianOf = [](std::vector<double> v) {
            if (v.empty())
                return 0.0;
            std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
            return v[v.size() / 2];
        };
        const double amplitude = medianOf(amplitudes);
        const double usualDuration = medianOf(durations);
        const double currentDuration = current.t.back() - current.t.front();
        const auto cur = current.t.size() >= 5 ? recentTrend(current) : std::nullopt;
        // A runaway: the current segment climbs well past every earlier peak, or the reset is long overdue
        // while usage keeps climbing. A normal sawtooth tooth is neither.
        const bool pastPeaks = ex.current > highestPeak + 0.3 * amplitude;
        const bool overdue =
            usualDuration > 0 && currentDuration > 2 * usualDuration && ex.current > medianOf(peaks.v);
        ex.runaway = cur && cur->slope > 0 && (pastPeaks || overdue);
        if (ex.runaway) {
            trend = cur;
            how = "the current segment outgrew the usual sawtooth (" + std::to_string(ex.resets) + " resets)";
        } else if (peaks.t.size() >= 3) {
            // The envelope: where the peaks are heading (latest regime). The next peak, not the current
            // value, is what hits capacity.
            trend = recentTrend(peaks);
            how = "trend of the sawtooth peaks (" + std::to_string(ex.resets) + " resets)";
        } else {
            trend = SlopeEstimate{};
            if (peaks.t.size() == 2 && peaks.t[1] > peaks.t[0]) {
                const double sl = (peaks.v[1] - peaks.v[0]) / (peaks.t[1] - peaks.t[0]);
                trend =
                    SlopeEstimate{sl, std::min(0.0, sl), std::max(0.0, 2 * sl), peaks.v[1] - sl * peaks.t[1]};
            } else {
                trend->intercept = highestPeak;
            }
            how = "too few sawtooth peaks for a trend (" + std::to_string(ex.resets) + " resets)";
        }
    }
    if (!trend) {
        ex.message = "Could not fit a trend.";
        return ex;
    }
    const double perDay = static_cast<double>(kDayMs);
    ex.growthPerDay = trend->slope * perDay;
    // The line at "now" (t = 0); never below what is already used.
    const double level =
        std::max(trend->intercept, ex.runaway || ex.resets == 0 ? ex.current : trend->intercept);
    if (level >= capacity) {
        ex.status = ExhaustionStatus::WillExhaust;
        ex.at = ex.earliest = ex.latest = last;
        ex.message = "The usage peaks already reach capacity; " + how + ".";
        return ex;
    }
    const double room = capacity - level;
    if (!(trend->slope > 0) || trend->slope * static_cast<double>(options.horizon) < 1e-6 * capacity) {
        ex.status = ExhaustionStatus::NotGrowing;
        ex.message = "Usage is not growing (" + how + ").";
        return ex;
    }
    auto after = [&](double slope, double space) -> TimeMs {
        if (!(slope > 0))
            return 0;
        const double ms = std::max(0.0, space) / slope;
        return ms > 1e15 ? 0 : last + static_cast<TimeMs>(ms);
    };
    // The range: the fastest plausible growth from the high edge of the scatter, and the slowest from the
    // low.
    const double zSpread = normalQuantile(0.5 + options.confidence / 2) * trend->spread;
    ex.at = after(trend->slope, room);
    ex.earliest = after(std::max(trend->upper, trend->slope), room - zSpread);
    ex.latest = after(std::min(trend->lower, trend->slope), room + zSpread);
    if (ex.latest > last + options.horizon)
        ex.latest = 0;
    if (ex.at == 0 || ex.at > last + options.horizon) {
        ex.status = ExhaustionStatus::NotWithinHorizon;
        ex.message = "Usage grows but does not reach capacity within the horizon (" + how + ").";
        return ex;
    }
    ex.status = ExhaustionStatus::WillExhaust;
    ex.message = "Capacity is reached at the current growth; " + how + ".";
    return ex;
}

Exhaustion timeToExhaustion(const ts::Series& usage, const ts::Series& capacity,
                            const ExhaustionOptions& options) {
    double cap = std::numeric_limits<double>::quiet_NaN();
    TimeMs at = std::numeric_limits<TimeMs>::min();
    for (std::size_t i = 0; i < capacity.time.size() && i < capacity.value.size(); ++i)
        if (std::isfinite(capacity.value[i]) && capacity.time[i] >= at) {
            at = capacity.time[i];
            cap = capacity.value[i];
        }
    return timeToExhaustion(usage, cap, options);
}

std::vector<CapacityRow> fleetCapacity(const std::vector<Resource>& resources,
                                       const ExhaustionOptions& options) {
    std::vector<CapacityRow> rows;
    rows.reserve(resources.size());
    for (const auto& r : resources) {
        CapacityRow row;
        row.owner = r.owner;
        row.resource = r.resource;
        row.exhaustion = timeToExhaustion(r.used, r.capacity, options);
        row.fractionUsed =
            row.exhaustion.capacity > 0 ? row.exhaustion.current / row.exhaustion.capacity : 0.0;
        rows.push_back(std::move(row));
    }
    auto rank = [](const CapacityRow& r) {
        switch (r.exhaustion.status) {
        case ExhaustionStatus::Exhausted:
            return 0;
        case ExhaustionStatus::WillExhaust:
            return 1;
        case ExhaustionStatus::NotWithinHorizon:
        case ExhaustionStatus::NotGrowing:
            return 2;
        case ExhaustionStatus::InsufficientData:
            return 3;
        }
        return 3;
    };
    std::stable_sort(rows.begin(), rows.end(), [&](const CapacityRow& a, const CapacityRow& b) {
        if (rank(a) != rank(b))
            return rank(a) < rank(b);
        if (rank(a) == 1 && a.exhaustion.at != b.exhaustion.at)
            return a.exhaustion.at < b.exhaustion.at;
        return a.fractionUsed > b.fractionUsed;
    });
    return rows;
}

std::optional<ProvisioningHint> overProvisioning(const Resource& r, double maxFraction,
                                                 double targetFraction) {
    std::vector<double> v;
    for (double x : r.used.value)
        if (std::isfinite(x))
            v.push_back(x);
    double limit = std::numeric_limits<double>::quiet_NaN();
    for (const double c : r.capacity.value)
        if (std::isfinite(c))
            limit = c;
    if (v.size() < 10 || !(limit > 0) || !(targetFraction > 0))
        return std::nullopt;
    std::sort(v.begin(), v.end());
    ProvisioningHint h;
    h.owner = r.owner;
    h.resource = r.resource;
    h.limit = limit;
    h.peak = v.back();
    h.p95 = v[static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(v.size()))) - 1];
    h.p95Fraction = h.p95 / limit;
    if (!(h.p95Fraction < maxFraction))
        return std::nullopt;
    const double suggested = h.peak / targetFraction;
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "p95 usage is %.0f%% of the limit; a limit of %.4g (peak %.4g at %.0f%%) would do",
                  100 * h.p95Fraction, suggested, h.peak, 100 * targetFraction);
    h.advice = buf;
    return h;
}

} // namespace cairn::forecast
