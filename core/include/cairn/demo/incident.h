// Ground truth of the incidents the demo environment injects, and the discrete events (deploys, OOM kills,
// restarts) it reports. Times are UTC milliseconds; windows are [start, end).
// Thread-safety: plain values.
#pragma once

#include "cairn/common/time.h"

#include <string>
#include <string_view>
#include <vector>

namespace cairn::demo {

enum class IncidentKind {
    MemoryLeak,        // a pod's memory ramps to its limit, the container is OOM-killed and restarted
    DiskFill,          // a pod's volume fills up towards its capacity ("No space left on device" when full)
    DependencyLatency, // a downstream service turns slow; its callers' latency rises with it
    DeployErrors,      // a deploy introduces a bug: error burst with a new exception log template
    NoisyNeighbour,    // a host's cpu is saturated by a neighbour; every pod on it slows down
    LoadImbalance,     // a load balancer skews traffic to one pod of a service: its pods' cpu parts ways
                       // (one up, its siblings down) while the service's totals stay normal
};

std::string_view toString(IncidentKind kind); // "memory_leak", "disk_fill", ...

struct IncidentTruth {
    std::string id; // "INC-03", ordered by start
    IncidentKind kind = IncidentKind::MemoryLeak;
    TimeMs start = 0; // when the fault begins (leak starts, disk starts filling, deploy happens)
    // When the fault ends: restart after the OOM kill, cleanup, rollback. For a fault still running at the
    // history's end it is where it is scheduled to end and may lie after now (the OOM kill; for a disk
    // filling up, the moment it is full — once that has passed, the cleanup after the outage); a
    // remediation (restartPod, freeDisk) moves it to the remediation time.
    TimeMs end = 0;
    std::string rootService; // the service where the fault is
    std::string rootPod;     // the faulty pod, when one pod is at fault
    std::string rootHost;    // the faulty host for a noisy neighbour, the root pod's host, or empty
    std::vector<std::string> affectedServices; // where symptoms show, root first
    std::string primaryMetric;                 // the metric that shows it best ("memory_used_bytes")
    std::string description;                   // one or two sentences for people
    bool remediated = false;                   // a remediation hook ended it early

    TimeRange window() const { return {start, end}; }
};

// A discrete change in the environment, as a deploy tool or Kubernetes would report it.
struct DemoEvent {
    TimeMs time = 0;
    std::string kind; // "deploy", "rollback", "oom_kill", "restart", "disk_cleanup"
    std::string service;
    std::string pod; // empty for service-wide events
    std::string text;
};

} // namespace cairn::demo
