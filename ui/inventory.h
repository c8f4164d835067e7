// Inventory: the services, pods and hosts the metric source knows, grouped for the navigator, and
// Selection: what the user is looking at (a service, a pod or a host). Plain values; safe to copy across
// threads.
#pragma once

#include "cairn/timeseries/series.h"

#include <QString>

#include <map>
#include <string>
#include <vector>

namespace cairn::ui {

struct PodInfo {
    std::string service;
    std::string pod;
    std::string host;
    bool operator==(const PodInfo&) const = default;
};

struct Inventory {
    std::vector<std::string> services; // sorted, unique
    std::vector<PodInfo> pods;         // sorted by service, pod
    std::vector<std::string> hosts;    // sorted, unique
    // Services named after their Prometheus job (series with a job label but no service label, as node
    // exporter and Prometheus itself export them) -> their metric names, sorted and unique.
    std::map<std::string, std::vector<std::string>> jobMetrics;

    std::vector<PodInfo> podsOfService(const std::string& service) const;
    std::vector<PodInfo> podsOnHost(const std::string& host) const;
    bool empty() const { return services.empty() && pods.empty() && hosts.empty(); }
};

// Groups series identities by their service/pod/host labels. A series without a service label but with a
// job label counts as a service named after the job (see jobMetrics); series with neither are ignored.
Inventory buildInventory(const std::vector<ts::SeriesId>& ids);

struct Selection {
    enum class Kind { None, Service, Pod, Host };
    Kind kind = Kind::None;
    std::string service;
    std::string pod;
    std::string host;

    static Selection ofService(std::string service) { return {Kind::Service, std::move(service), {}, {}}; }
    static Selection ofPod(std::string service, std::string pod, std::string host = {}) {
        return {Kind::Pod, std::move(service), std::move(pod), std::move(host)};
    }
    static Selection ofHost(std::string host) { return {Kind::Host, {}, {}, std::move(host)}; }

    bool isValid() const { return kind != Kind::None; }
    // Stable text form for QSettings and item data: "service:checkout", "pod:checkout/checkout-1",
    // "host:node-1".
    QString key() const;
    static Selection fromKey(const QString& key);
    // What the UI shows as a heading: "checkout", "checkout / checkout-1", "host node-1".
    QString title() const;
    bool operator==(const Selection& o) const { return key() == o.key(); }
};

} // namespace cairn::ui
