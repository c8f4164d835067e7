#include "cairn/detect/correlate.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace cairn::detect {

namespace {

struct UnionFind {
    std::vector<std::size_t> parent;
    explicit UnionFind(std::size_t n)
        : parent(n) {
        std::iota(parent.begin(), parent.end(), 0);
    }
    std::size_t find(std::size_t x) {
        while (parent[x] != x)
            x = parent[x] = parent[parent[x]];
        return x;
    }
    void unite(std::size_t a, std::size_t b) { parent[find(a)] = find(b); }
};

std::string clock(TimeMs t) {
    const std::string s = formatDateTime(t); // "YYYY-MM-DD HH:MM:SS"
    return s.size() >= 16 ? s.substr(11, 5) : s;
}

} // namespace

Alert alertFromAnomaly(const Anomaly& anomaly, TimeMs now) {
    Alert a;
    a.series = anomaly.series;
    a.start = anomaly.start;
    a.raisedAt = anomaly.start;
    a.end = anomaly.end >= now ? 0 : anomaly.end;
    a.peakScore = anomaly.score;
    a.peak = anomaly;
    a.state = !anomaly.suppressed.empty() ? AlertState::Suppressed
              : a.end == 0                ? AlertState::Firing
                                          : AlertState::Resolved;
    a.suppressedReason = anomaly.suppressed;
    return a;
}

double compressionRatio(std::size_t alerts, std::size_t groups) {
    return groups == 0 ? 0.0 : static_cast<double>(alerts) / static_cast<double>(groups);
}

std::vector<AlertGroup> correlateAlerts(const std::vector<Alert>& alerts, const CorrelationOptions& options) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < alerts.size(); ++i)
        if (options.includeSuppressed || alerts[i].state != AlertState::Suppressed)
            idx.push_back(i);
    std::sort(idx.begin(), idx.end(),
              [&](std::size_t a, std::size_t b) { return alerts[a].start < alerts[b].start; });

    std::vector<std::string> service(alerts.size());
    std::vector<std::string> host(alerts.size());
    for (std::size_t i : idx) {
        service[i] = alerts[i].series.firstLabel(options.serviceLabels);
        host[i] = alerts[i].series.firstLabel(options.hostLabels);
    }
    std::set<std::pair<std::string, std::string>> edges;
    for (const auto& d : options.dependencies) {
        edges.emplace(d.from, d.to);
        edges.emplace(d.to, d.from);
    }
    auto related = [&](std::size_t a, std::size_t b) {
        if (!service[a].empty() && service[a] == service[b])
            return true;
        if (!host[a].empty() && host[a] == host[b])
            return true;
        return !service[a].empty() && !service[b].empty() && edges.count({service[a], service[b]}) > 0;
    };

    // Sorted by start: compare each alert with the earlier ones still inside the time window.
    UnionFind uf(alerts.size());
    for (std::size_t p = 0; p < idx.size(); ++p)
        for (std::size_t q = p; q-- > 0;) {
            if (alerts[idx[p]].start - alerts[idx[q]].start > options.window)
                break;
            if (related(idx[p], idx[q]))
                uf.unite(idx[p], idx[q]);
        }

    std::vector<AlertGroup> groups;
    std::vector<long> groupOf(alerts.size(), -1);
    for (std::size_t i : idx) {
        const std::size_t root = uf.find(i);
        if (groupOf[root] < 0) {
            groupOf[root] = static_cast<long>(groups.size());
            groups.emplace_back();
        }
        groups[static_cast<std::size_t>(groupOf[root])].alerts.push_back(i);
    }
    for (AlertGroup& g : groups) {
        g.start = alerts[g.alerts.front()].start;
        bool open = false;
        std::set<std::string> svc;
        std::set<std::string> hst;
        for (std::size_t i : g.alerts) {
            const Alert& a = alerts[i];
            open = open || a.end == 0;
            g.end = std::max(g.end, a.end);
            g.peakScore = std::max(g.peakScore, a.peakScore);
            if (!service[i].empty() &&
                std::find(g.services.begin(), g.services.end(), service[i]) == g.services.end())
                g.services.push_back(service[i]);
            if (!host[i].empty())
                hst.insert(host[i]);
        }
        if (open)
            g.end = 0;
        g.hosts.assign(hst.begin(), hst.end());
        // Probable origin: a member service that calls none of the other member services (the deepest
        // callee: failures propagate to callers); ties go to the one that alerted first.
        g.probableOrigin = g.services.empty() ? std::string() : g.services.front();
        for (const auto& s : g.services) {
            bool callsMember = false;
            for (const auto& d : options.dependencies)
                if (d.from == s && d.to != s &&
                    std::find(g.services.begin(), g.services.end(), d.to) != g.services.end())
                    callsMember = true;
            if (!callsMember) {
                g.probableOrigin = s;
                break;
            }
        }
        std::string what = g.services.empty() ? (g.hosts.empty() ? alerts[g.alerts.front()].series.metric
                                                                 : "host " + g.hosts.front())
                                              : g.services.front();
        for (std::size_t k = 1; k < std::min<std::size_t>(3, g.services.size()); ++k)
            what += ", " + g.services[k];
        if (g.services.size() > 3)
            what += " (+" + std::to_string(g.services.size() - 3) + " more)";
        g.headline = std::to_string(g.alerts.size()) +
                     (g.alerts.size() == 1 ? " anomaly on " : " anomalies on ") + what + " from " +
                     clock(g.start) + (g.end ? " to " + clock(g.end) : std::string(", ongoing"));
        if (g.services.size() > 1 && !g.probableOrigin.empty())
            g.headline += "; likely origin: " + g.probableOrigin;
        g.headline += "; first: " + alerts[g.alerts.front()].peak.explanation;
    }
    return groups;
}

} // namespace cairn::detect
