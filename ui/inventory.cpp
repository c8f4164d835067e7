#include "inventory.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace cairn::ui {

Inventory buildInventory(const std::vector<ts::SeriesId>& ids) {
    std::set<std::string> services, hosts;
    std::set<std::tuple<std::string, std::string, std::string>> pods;
    std::map<std::string, std::set<std::string>> jobMetrics;
    for (const auto& id : ids) {
        const std::string service = id.label("service");
        if (service.empty()) {
            if (const std::string job = id.label("job"); !job.empty() && !id.metric.empty())
                jobMetrics[job].insert(id.metric);
            continue;
        }
        services.insert(service);
        const std::string pod = id.label("pod");
        const std::string host = id.label("host");
        if (!host.empty())
            hosts.insert(host);
        if (!pod.empty())
            pods.emplace(service, pod, host);
    }
    Inventory inv;
    inv.hosts.assign(hosts.begin(), hosts.end());
    for (const auto& [job, metrics] : jobMetrics) {
        if (services.contains(job))
            continue; // a real service of that name wins
        inv.jobMetrics[job].assign(metrics.begin(), metrics.end());
        services.insert(job);
    }
    inv.services.assign(services.begin(), services.end());
    for (const auto& [s, p, h] : pods) {
        // A pod that moved hosts appears once, with the last host seen in sort order.
        if (!inv.pods.empty() && inv.pods.back().service == s && inv.pods.back().pod == p) {
            inv.pods.back().host = h;
            continue;
        }
        inv.pods.push_back({s, p, h});
    }
    return inv;
}

std::vector<PodInfo> Inventory::podsOfService(const std::string& service) const {
    std::vector<PodInfo> out;
    std::copy_if(pods.begin(), pods.end(), std::back_inserter(out),
                 [&](const PodInfo& p) { return p.service == service; });
    return out;
}

std::vector<PodInfo> Inventory::podsOnHost(const std::string& host) const {
    std::vector<PodInfo> out;
    std::copy_if(pods.begin(), pods.end(), std::back_inserter(out),
                 [&](const PodInfo& p) { return p.host == host; });
    return out;
}

QString Selection::key() const {
    switch (kind) {
    case Kind::Service:
        return QStringLiteral("service:") + QString::fromStdString(service);
    case Kind::Pod:
        return QStringLiteral("pod:") + QString::fromStdString(service) + QLatin1Char('/') +
               QString::fromStdString(pod) + QLatin1Char('@') + QString::fromStdString(host);
    case Kind::Host:
        return QStringLiteral("host:") + QString::fromStdString(host);
    case Kind::None:
        break;
    }
    return {};
}

Selection Selection::fromKey(const QString& key) {
    const auto colon = key.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return {};
    const QString kind = key.left(colon);
    const QString rest = key.mid(colon + 1);
    if (rest.isEmpty())
        return {};
    if (kind == QLatin1String("service"))
        return ofService(rest.toStdString());
    if (kind == QLatin1String("host"))
        return ofHost(rest.toStdString());
    if (kind == QLatin1String("pod")) {
        const auto slash = rest.indexOf(QLatin1Char('/'));
        if (slash <= 0)
            return {};
        const auto at = rest.lastIndexOf(QLatin1Char('@'));
        const QString pod = at > slash ? rest.mid(slash + 1, at - slash - 1) : rest.mid(slash + 1);
        const QString host = at > slash ? rest.mid(at + 1) : QString();
        if (pod.isEmpty())
            return {};
        return ofPod(rest.left(slash).toStdString(), pod.toStdString(), host.toStdString());
    }
    return {};
}

QString Selection::title() const {
    switch (kind) {
    case Kind::Service:
        return QString::fromStdString(service);
    case Kind::Pod:
        return QString::fromStdString(service) + QStringLiteral(" / ") + QString::fromStdString(pod);
    case Kind::Host:
        return QStringLiteral("host ") + QString::fromStdString(host);
    case Kind::None:
        break;
    }
    return QStringLiteral("nothing selected");
}

} // namespace cairn::ui
