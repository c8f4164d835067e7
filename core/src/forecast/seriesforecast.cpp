#include "cairn/forecast/seriesforecast.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cairn::forecast {

RegularSeries regularize(const ts::Series& series, TimeMs step) {
    RegularSeries out;
    std::vector<std::pair<TimeMs, double>> samples;
    samples.reserve(series.size());
    for (std::size_t i = 0; i < series.size() && i < series.value.size(); ++i)
        if (std::isfinite(series.value[i]))
            samples.emplace_back(series.time[i], series.value[i]);
    if (samples.empty())
        return out;
    std::sort(samples.begin(), samples.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    if (step <= 0) {
        std::vector<TimeMs> d;
        for (std::size_t i = 1; i < samples.size(); ++i)
            if (samples[i].first > samples[i - 1].first)
                d.push_back(samples[i].first - samples[i - 1].first);
        if (d.empty()) {
            step = kMinuteMs;
        } else {
            std::nth_element(d.begin(), d.begin() + static_cast<long>(d.size() / 2), d.end());
            step = d[d.size() / 2];
        }
    }
    out.step = step;
    out.start = samples.front().first;
    const auto bins = static_cast<std::size_t>((samples.back().first - out.start) / step) + 1;
    std::vector<double> sum(bins, 0.0), count(bins, 0.0);
    for (const auto& [t, v] : samples) {
        // Round to the nearest grid point, so that slightly jittered scrapes land in their own bin.
        auto i = static_cast<std::size_t>((t - out.start + step / 2) / step);
        i = std::min(i, bins - 1);
        sum[i] += v;
        count[i] += 1;
    }
    out.values.resize(bins);
    for (std::size_t i = 0; i < bins; ++i)
        out.values[i] = count[i] > 0 ? sum[i] / count[i] : std::numeric_limits<double>::quiet_NaN();
    return out;
}

std::vector<int> seasonalCandidates(TimeMs step, int maxPeriod) {
    std::vector<int> out;
    if (step <= 0)
        return out;
    for (TimeMs season : {kDayMs, kWeekMs})
        if (season % step == 0 && season / step >= 2 && season / step <= maxPeriod)
            out.push_back(static_cast<int>(season / step));
    return out;
}

SeriesForecast forecastSeries(const ts::Series& series, const SeriesForecastOptions& options) {
    SeriesForecast out;
    out.history = regularize(series);
    if (out.history.values.empty()) {
        out.result.status = ForecastStatus::InsufficientData;
        out.result.message = "The series has no finite samples.";
        return out;
    }
    // Averaging bins by a whole factor keeps day and week whole numbers of steps.
    if (options.maxPoints > 0 && static_cast<int>(out.history.values.size()) > options.maxPoints) {
        static constexpr TimeMs kSteps[] = {kMinuteMs,      5 * kMinuteMs,  10 * kMinuteMs,
                                            15 * kMinuteMs, 30 * kMinuteMs, kHourMs,
                                            2 * kHourMs,    6 * kHourMs,    kDayMs};
        const auto span = out.history.step * static_cast<TimeMs>(out.history.values.size());
        for (TimeMs s : kSteps)
            if (s > out.history.step && span / s <= options.maxPoints) {
                out.history = regularize(series, s);
                break;
            }
    }
    const auto& h = out.history;
    ForecastOptions fo;
    fo.horizon = static_cast<int>(std::max<TimeMs>(1, (options.horizon + h.step - 1) / h.step));
    fo.candidatePeriods = seasonalCandidates(h.step);
    fo.nonNegative = options.nonNegative;
    out.result = forecastValues(h.values, fo);
    const TimeMs last = h.timeAt(h.values.size() - 1);
    for (int i = 0; i < fo.horizon; ++i)
        out.time.push_back(last + static_cast<TimeMs>(i + 1) * h.step);
    return out;
}

} // namespace cairn::forecast
