// Alert correlation: alerts that start close in time and are related (same service, same host, or a
// dependency edge between their services) become one alert group with a headline, so an incident shows
// up as one item instead of a flood. Times are UTC milliseconds. Thread-safety: pure functions over values.
#pragma once

#include "cairn/detect/alerts.h"

#include <string>
#include <vector>

namespace cairn::detect {

struct Dependency {
    std::string from; // caller service
    std::string to;   // callee service
};

struct CorrelationOptions {
    TimeMs window = 10 * kMinuteMs; // starts at most this far apart can be grouped
    std::vector<std::string> serviceLabels{"service", "job", "app"};
    std::vector<std::string> hostLabels{"host", "node", "instance", "pod"};
    std::vector<Dependency> dependencies; // the service graph (from traces or the inventory)
    bool includeSuppressed = false;       // suppressed alerts stay visible but do not form groups
};

struct AlertGroup {
    std::vector<std::size_t> alerts; // indices into the input, by start time
    TimeMs start = 0;
    TimeMs end = 0; // 0 while any member still fires
    double peakScore = 0.0;
    std::vector<std::string> services;
    std::vector<std::string> hosts;
    std::string
        probableOrigin;   // service most likely at the origin (deepest callee among members, else first)
    std::string headline; // "3 anomalies on checkout, payments (12:03-12:20), likely origin: payments"
};

std::vector<AlertGroup> correlateAlerts(const std::vector<Alert>& alerts,
                                        const CorrelationOptions& options = {});

// An alert for an anomaly found in batch (a group anomaly, a listed anomaly): raised at its start, resolved
// at its end unless the end is at or after `now` (then still firing), suppressed when the anomaly says so.
Alert alertFromAnomaly(const Anomaly& anomaly, TimeMs now);

// alerts in / groups out (1 when nothing was merged; 0 when there are no groups).
double compressionRatio(std::size_t alerts, std::size_t groups);

} // namespace cairn::detect
