#include "cairn/forecast/fleet.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace cairn::forecast {

std::vector<ResourceMetrics> defaultResourceMetrics() {
    return {{"disk", "disk_used_bytes", "disk_capacity_bytes"},
            {"memory", "memory_used_bytes", "memory_limit_bytes"}};
}

Result<std::vector<Resource>> collectResources(sources::MetricSource& source, TimeRange range, TimeMs step,
                                               const std::string& ownerLabel,
                                               const std::vector<ResourceMetrics>& metrics,
                                               const CancelToken& cancel) {
    std::vector<Resource> out;
    for (const auto& m : metrics) {
        sources::MetricQuery q;
        q.range = range;
        q.step = step;
        q.selector.metric = m.usedMetric;
        auto used = source.query(q, cancel);
        if (!used)
            return std::unexpected(used.error());
        q.selector.metric = m.capacityMetric;
        auto caps = source.query(q, cancel);
        if (!caps)
            return std::unexpected(caps.error());
        std::map<std::string, ts::Series> capByOwner;
        for (auto& s : *caps) {
            const auto owner = s.id.label(ownerLabel);
            capByOwner[owner.empty() ? s.id.toString() : owner] = std::move(s);
        }
        for (auto& s : *used) {
            auto owner = s.id.label(ownerLabel);
            if (owner.empty())
                owner = s.id.toString();
            const auto it = capByOwner.find(owner);
            if (it == capByOwner.end())
                continue;
            out.push_back({owner, m.resource, std::move(s), it->second});
        }
    }
    return out;
}

Result<std::vector<ServiceForecast>> forecastServices(sources::MetricSource& source, TimeRange history,
                                                      TimeMs step, TimeMs horizon,
                                                      const std::vector<ServiceMetric>& metrics,
                                                      const std::string& serviceLabel,
                                                      const CancelToken& cancel) {
    std::vector<ServiceForecast> out;
    for (const auto& m : metrics) {
        sources::MetricQuery q;
        q.selector.metric = m.metric;
        q.range = history;
        q.step = step;
        auto got = source.query(q, cancel);
        if (!got)
            return std::unexpected(got.error());
        std::map<std::string, std::map<TimeMs, std::pair<double, int>>> byService;
        for (const auto& s : *got) {
            auto& acc = byService[s.id.label(serviceLabel)];
            for (std::size_t i = 0; i < s.size(); ++i)
                if (std::isfinite(s.value[i])) {
                    auto& [sum, count] = acc[s.time[i]];
                    sum += s.value[i];
                    ++count;
                }
        }
        for (const auto& [service, acc] : byService) {
            if (cancel.isCancelled())
                return fail(ErrorCode::Cancelled, "Service forecasts were cancelled.");
            ts::Series agg;
            agg.id = {m.metric, {{serviceLabel, service}}};
            for (const auto& [t, sc] : acc) {
                agg.time.push_back(t);
                agg.value.push_back(m.aggregation == Aggregation::Sum ? sc.first : sc.first / sc.second);
            }
            ServiceForecast f;
            f.service = service;
            f.metric = m.metric;
            SeriesForecastOptions o;
            o.horizon = horizon;
            o.nonNegative = true;
            f.forecast = forecastSeries(agg, o);
            f.current = agg.value.empty() ? 0.0 : agg.value.back();
            if (f.forecast.result.ok()) {
                f.peak = *std::max_element(f.forecast.result.mean.begin(), f.forecast.result.mean.end());
                f.peakUpper95 =
                    *std::max_element(f.forecast.result.upper95.begin(), f.forecast.result.upper95.end());
            }
            out.push_back(std::move(f));
        }
    }
    return out;
}

double WarningReplay::recall() const {
    if (failures.empty())
        return 0.0;
    const auto warned =
        std::count_if(failures.begin(), failures.end(), [](const auto& f) { return f.firstWarning; });
    return static_cast<double>(warned) / static_cast<double>(failures.size());
}

double WarningReplay::medianLeadMinutes() const {
    std::vector<double> leads;
    for (const auto& f : failures)
        if (f.firstWarning)
            leads.push_back(f.leadMinutes());
    if (leads.empty())
        return 0.0;
    std::sort(leads.begin(), leads.end());
    return leads.size() % 2 ? leads[leads.size() / 2]
                            : 0.5 * (leads[leads.size() / 2 - 1] + leads[leads.size() / 2]);
}

namespace {

// The samples of s in [from, to].
ts::Series window(const ts::Series& s, TimeMs from, TimeMs to) {
    ts::Series w;
    w.id = s.id;
    const auto a = std::lower_bound(s.time.begin(), s.time.end(), from) - s.time.begin();
    const auto b = std::upper_bound(s.time.begin(), s.time.end(), to) - s.time.begin();
    w.time.assign(s.time.begin() + a, s.time.begin() + b);
    w.value.assign(s.value.begin() + a, s.value.begin() + b);
    return w;
}

} // namespace

WarningReplay replayExhaustionWarnings(const std::vector<Resource>& resources,
                                       const std::vector<ResourceFailure>& failures, TimeRange range,
                                       const WarningReplayOptions& options, const CancelToken& cancel) {
    WarningReplay out;
    for (const auto& f : failures)
        if (range.contains(f.at))
            out.failures.push_back({f, 0, 0});
    if (options.every <= 0)
        return out;
    for (const auto& r : resources) {
        TimeMs episodeStart = 0, lastActive = 0;
        TimeMs episodePrediction = 0;
        auto closeEpisode = [&]() {
            if (!episodeStart)
                return;
            ++out.warnings;
            bool matched = false;
            for (const auto& f : failures) // failures after the range (still ahead) count too
                if (f.owner == r.owner && f.resource == r.resource && f.at >= episodeStart &&
                    f.at <= lastActive + options.warnWithin)
                    matched = true;
            for (auto& fw : out.failures) {
                if (fw.failure.owner != r.owner || fw.failure.resource != r.resource)
                    continue;
                if (fw.failure.at >= episodeStart && fw.failure.at <= lastActive + options.warnWithin &&
                    (!fw.firstWarning || episodeStart < fw.firstWarning)) {
                    fw.firstWarning = episodeStart;
                    fw.predictedAt = episodePrediction;
                }
            }
            out.truePositives += matched ? 1 : 0;
            if (!matched)
                out.falseWarnings.push_back({r.owner, r.resource, episodeStart, episodePrediction});
            episodeStart = 0;
        };
        for (TimeMs t = range.start; t < range.end; t += options.every) {
            if (cancel.isCancelled())
                return out;
            const auto used = window(r.used, t - options.exhaustion.lookback, t);
            const auto cap = window(r.capacity, t - options.exhaustion.lookback, t);
            const auto ex = timeToExhaustion(used, cap, options.exhaustion);
            const bool active =
                ex.status == ExhaustionStatus::WillExhaust && ex.at - ex.now <= options.warnWithin;
            if (active) {
                if (!episodeStart) {
                    episodeStart = t;
                    episodePrediction = ex.at;
                }
                lastActive = t;
            } else if (episodeStart && t - lastActive > options.every) {
                closeEpisode();
            }
        }
        closeEpisode();
    }
    return out;
}

} // namespace cairn::forecast
