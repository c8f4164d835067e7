#include "cairn/detect/groupscan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace cairn::detect {

namespace {

// Splits a long member list into chunks of at most `max`, keeping each chunk at least `min` long.
std::vector<std::vector<std::size_t>> chunks(const std::vector<std::size_t>& all, std::size_t min,
                                             std::size_t max) {
    std::vector<std::vector<std::size_t>> out;
    if (all.size() < min)
        return out;
    const std::size_t n = (all.size() + max - 1) / max;
    const std::size_t per = (all.size() + n - 1) / n;
    for (std::size_t i = 0; i < all.size(); i += per) {
        std::vector<std::size_t> c(all.begin() + static_cast<std::ptrdiff_t>(i),
                                   all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), i + per)));
        if (c.size() >= min)
            out.push_back(std::move(c));
    }
    return out;
}

std::string shortName(const ts::SeriesId& id, const std::vector<std::string>& keys) {
    if (auto v = id.firstLabel(keys); !v.empty())
        return v;
    return id.toString();
}

} // namespace

std::vector<SeriesGroup> defineGroups(const std::vector<ts::SeriesId>& ids, const GroupingOptions& options) {
    const std::size_t minMembers = std::max<std::size_t>(2, options.minMembers);
    const std::size_t maxMembers = std::max(minMembers, options.maxMembers);
    // (metric, service) -> instances; host -> its metrics. std::map keeps the output order stable.
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> byService;
    std::map<std::string, std::vector<std::size_t>> byHost;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto& id = ids[i];
        if (id.metric.ends_with("_total"))
            continue;
        const std::string service = id.firstLabel(options.serviceLabels);
        const std::string instance = id.firstLabel(options.instanceLabels);
        const std::string host = id.firstLabel(options.hostLabels);
        if (!service.empty() && !instance.empty())
            byService[{id.metric, service}].push_back(i);
        else if (service.empty() && !host.empty())
            byHost[host].push_back(i);
    }
    std::vector<SeriesGroup> out;
    for (const auto& [key, members] : byService) {
        const auto parts = chunks(members, minMembers, maxMembers);
        for (std::size_t c = 0; c < parts.size(); ++c) {
            SeriesGroup g;
            g.id.metric = key.first;
            g.id.labels["service"] = key.second;
            g.id.labels["group"] = parts.size() > 1 ? "instances-" + std::to_string(c + 1) : "instances";
            g.title =
                key.first + " of the " + std::to_string(parts[c].size()) + " instances of " + key.second;
            g.members = parts[c];
            out.push_back(std::move(g));
        }
    }
    for (const auto& [host, members] : byHost) {
        const auto parts = chunks(members, minMembers, maxMembers);
        for (std::size_t c = 0; c < parts.size(); ++c) {
            SeriesGroup g;
            g.id.metric = "host";
            g.id.labels["host"] = host;
            g.id.labels["group"] = parts.size() > 1 ? "host-" + std::to_string(c + 1) : "host";
            g.title = "the " + std::to_string(parts[c].size()) + " metrics of host " + host;
            g.members = parts[c];
            out.push_back(std::move(g));
        }
    }
    return out;
}

std::vector<Anomaly> scanGroups(const std::vector<ts::Series>& series, const std::vector<SeriesGroup>& groups,
                                const GroupScanOptions& options, const CancelToken& cancel) {
    std::vector<Anomaly> out;
    const GroupingOptions naming;
    for (const auto& g : groups) {
        if (cancel.isCancelled())
            break;
        std::vector<ts::Series> members;
        for (std::size_t m : g.members) {
            if (m >= series.size())
                continue;
            const auto& s = series[m];
            bool finite = false;
            bool varies = false;
            double first = 0;
            for (double v : s.value) {
                if (!std::isfinite(v))
                    continue;
                if (!finite)
                    first = v;
                else if (v != first)
                    varies = true;
                finite = true;
                if (varies)
                    break;
            }
            if (varies)
                members.push_back(s);
        }
        if (members.size() < 2)
            continue;
        const GroupAnalysis analysis = analyzeGroup(members, options.config, options.scoreThreshold, cancel);
        if (!analysis.complete)
            break;
        // Typical step of the merged timeline, for the minimum duration.
        TimeMs step = kMinuteMs;
        if (analysis.time.size() > 1)
            step = std::max<TimeMs>(1, (analysis.time.back() - analysis.time.front()) /
                                           static_cast<TimeMs>(analysis.time.size() - 1));
        // Runs separated by short normal gaps are one anomaly: contributions weighted by run length.
        std::vector<GroupAnomaly> merged;
        for (const auto& ga : analysis.anomalies) {
            if (!merged.empty() && ga.start - merged.back().end <= options.mergeGapPoints * step) {
                GroupAnomaly& m = merged.back();
                const double wa = static_cast<double>(m.end - m.start);
                const double wb = static_cast<double>(ga.end - ga.start);
                std::map<ts::SeriesId, double> share;
                for (const auto& [id, c] : m.contributors)
                    share[id] += c * wa / (wa + wb);
                for (const auto& [id, c] : ga.contributors)
                    share[id] += c * wb / (wa + wb);
                m.contributors.assign(share.begin(), share.end());
                std::stable_sort(m.contributors.begin(), m.contributors.end(),
                                 [](const auto& x, const auto& y) { return x.second > y.second; });
                if (ga.score > m.score) {
                    m.score = ga.score;
                    m.peak = ga.peak;
                }
                m.end = ga.end;
            } else {
                merged.push_back(ga);
            }
        }
        for (const auto& ga : merged) {
            const auto steps = (ga.end - ga.start + step / 2) / step;
            if (steps < std::max(1, options.minPoints) || ga.contributors.empty())
                continue;
            Anomaly a;
            a.series = g.id;
            a.start = ga.start;
            a.end = ga.end;
            a.peak = ga.peak;
            a.score = ga.score;
            a.detector = "group";
            a.contributors = ga.contributors;
            // Every member is listed (a sibling that did not move shows 0%), so a view can plot them all.
            for (const auto& s : members)
                if (std::none_of(a.contributors.begin(), a.contributors.end(),
                                 [&](const auto& c) { return c.first == s.id; }))
                    a.contributors.emplace_back(s.id, 0.0);
            // The deviation at the peak, in sigma-equivalents of the reconstruction error.
            for (std::size_t i = 0; i < analysis.time.size(); ++i)
                if (analysis.time[i] == ga.peak) {
                    a.deviation = analysis.points[i].deviation;
                    // The top contributor's value at the peak is what a person looks at first.
                    const auto& top = ga.contributors.front().first;
                    for (const auto& s : members)
                        if (s.id == top) {
                            auto it = std::lower_bound(s.time.begin(), s.time.end(), ga.peak);
                            if (it != s.time.end() && *it == ga.peak)
                                a.observed = s.value[static_cast<std::size_t>(it - s.time.begin())];
                        }
                    break;
                }
            char buf[96];
            std::snprintf(buf, sizeof buf, " parted ways (%.1f sigma reconstruction error); ", a.deviation);
            a.explanation = g.title + buf + "most of the error from ";
            for (std::size_t c = 0; c < std::min<std::size_t>(3, ga.contributors.size()); ++c) {
                std::snprintf(buf, sizeof buf, " %.0f%%", 100.0 * ga.contributors[c].second);
                a.explanation +=
                    (c ? ", " : "") +
                    shortName(ga.contributors[c].first,
                              g.id.metric == "host" ? std::vector<std::string>{} : naming.instanceLabels) +
                    buf;
            }
            a.explanation += "; group detector";
            out.push_back(std::move(a));
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Anomaly& x, const Anomaly& y) { return x.start < y.start; });
    return out;
}

} // namespace cairn::detect
