// DemoEnvironment: a deterministic simulated web shop (services, pods, hosts) with 14 days of 1-minute
// metrics, logs and traces ending at "now", a live tail that grows with the clock, injected incidents with
// ground truth, and remediation hooks (restart a pod, free disk) whose effects show in the data after
// their time.
//
// Everything is generated on demand from (seed, history start, series or entity, minute) with a
// counter-based hash, and stateful shapes (memory ramps, disk growth, restart counters) have closed forms,
// so any range costs only its own length and never replays history. For a given seed and history start
// the data are identical across runs (remediations aside, which are explicit inputs; another C library's
// exp/sin may change the last digits).
//
// Times are UTC milliseconds (TimeMs), span times microseconds. Metric names and labels:
//   service level {service}:        request_rate (req/s), latency_p50_ms, latency_p95_ms, error_ratio (0..1)
//   pod level {service,pod,host}:   cpu_usage_ratio (0..1 of limit), memory_used_bytes, memory_limit_bytes,
//                                   disk_used_bytes, disk_capacity_bytes, restarts_total (counter)
//
// Thread-safety: every const member may be called from any number of threads at once; restartPod() and
// freeDisk() may be called concurrently with them (a reader sees the remediations made before its call
// started). The clock passed in the config must itself be safe to call from several threads.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/common/time.h"
#include "cairn/demo/incident.h"
#include "cairn/demo/topology.h"
#include "cairn/sources/logsource.h"
#include "cairn/sources/tracesource.h"
#include "cairn/timeseries/series.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cairn::demo {

struct DemoConfig {
    std::uint64_t seed = 1;
    // First minute of the history (rounded down to the minute). Default: the clock's now minus
    // historyLength, rounded down to the minute, read once at construction.
    std::optional<TimeMs> historyStart;
    TimeMs historyLength = 14 * kDayMs;
    // Returns now (UTC ms); the live tail reaches up to it. Default: the system clock.
    std::function<TimeMs()> clock;
};

// A remediation applied through a hook, kept so callers (and the audit) can list them.
struct RemediationRecord {
    std::string action; // "restart_pod", "free_disk"
    std::string pod;
    TimeMs at = 0;
    std::int64_t bytes = 0; // free_disk only
};

class DemoEnvironment {
public:
    explicit DemoEnvironment(DemoConfig config = {});
    ~DemoEnvironment();
    DemoEnvironment(const DemoEnvironment&) = delete;
    DemoEnvironment& operator=(const DemoEnvironment&) = delete;

    const Topology& topology() const;
    std::uint64_t seed() const;
    TimeMs historyStart() const;
    // historyStart + historyLength: "now" when the history was laid out; incidents are placed around it.
    TimeMs anchor() const;
    TimeMs now() const;
    // [historyStart, now rounded down to the minute + 1 min): where samples exist right now.
    TimeRange dataRange() const;

    // Ground truth, remediations applied, ordered by start, of the incidents started by now (the live tail
    // brings a new one every few hours); the second form keeps those overlapping range.
    std::vector<IncidentTruth> incidents() const;
    std::vector<IncidentTruth> incidents(const TimeRange& range) const;
    // Deploys, rollbacks, OOM kills, restarts and cleanups with time in range (and not after now).
    std::vector<DemoEvent> events(const TimeRange& range) const;

    // --- metrics ---
    // Every series the environment serves (service level first, then pod level).
    const std::vector<ts::SeriesId>& seriesIds() const;
    // Samples of the matching series in [range.start, range.end) clipped to dataRange() (an empty or
    // out-of-history range gives series without samples). Timestamps are on step boundaries (multiples of
    // step since the epoch), the first one moved up to the range's first minute when the range starts
    // mid-step; with step > 1 min a sample is the mean of the minutes in its step (the last value for
    // restarts_total); step < 1 min gives 1-minute samples. Errors: inverted range, step <= 0, cancelled.
    Result<std::vector<ts::Series>> query(const ts::Selector& selector, const TimeRange& range, TimeMs step,
                                          const CancelToken& cancel = {}) const;

    // --- logs ---
    // Streams log records in time order (see LogSource::scan). Errors: inverted range, cancelled.
    Result<std::size_t> scanLogs(const sources::LogQuery& query,
                                 const std::function<bool(const sources::LogRecord&)>& sink,
                                 const CancelToken& cancel = {}) const;

    // --- traces ---
    std::vector<std::string> services() const;
    // Traces whose root starts in the range, newest first (like Jaeger), up to query.limit (0: no limit).
    Result<std::vector<sources::Trace>> findTraces(const sources::TraceQuery& query,
                                                   const CancelToken& cancel = {}) const;
    Result<sources::Trace> trace(const std::string& traceId) const;
    // Call counts per edge in the range, from the request rates.
    Result<std::vector<sources::DependencyEdge>> dependencies(const TimeRange& range,
                                                              const CancelToken& cancel = {}) const;

    // --- remediation hooks ---
    // Restarts the pod at `at`: an ongoing memory leak on it ends (memory back to normal, no OOM kill),
    // restarts_total increments. Errors: unknown pod, `at` before the history.
    Result<void> restartPod(const std::string& pod, TimeMs at);
    // Frees `bytes` on the pod's volume from `at` on (disk_used drops, a full disk recovers).
    // Errors: unknown pod, bytes <= 0, `at` before the history.
    Result<void> freeDisk(const std::string& pod, std::int64_t bytes, TimeMs at);
    std::vector<RemediationRecord> remediations() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace cairn::demo
