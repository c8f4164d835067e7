// Internal to the demo environment: the counter-based random numbers, the incident injections and the
// per-minute state every metric, log line and span is derived from. Not part of the public API.
// Thread-safety: Model is immutable after construction; evaluate() writes only into the caller's state.
#pragma once

#include "cairn/demo/demoenvironment.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace cairn::demo::detail {

// --- counter-based randomness: a pure function of its inputs (splitmix64 finaliser) ---
inline std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}
inline std::uint64_t hashOf(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0, std::uint64_t d = 0) {
    std::uint64_t h = mix64(a + 0x9e3779b97f4a7c15ULL);
    h = mix64(h ^ (b + 0x632be59bd9b4e019ULL));
    h = mix64(h ^ (c + 0x85157af5d1a3c4e7ULL));
    return mix64(h ^ (d + 0x2545f4914f6cdd1dULL));
}
// Uniform in [0, 1).
// One-round variant for the hot path: salt is a per-series hashOf(), counter the minute.
inline std::uint64_t streamHash(std::uint64_t salt, std::uint64_t counter) {
    return mix64(salt + counter * 0x9e3779b97f4a7c15ULL);
}
inline double unit(std::uint64_t h) {
    return static_cast<double>(h >> 11) * 0x1.0p-53;
}
// Approximately standard normal (Irwin-Hall sum of four 16-bit uniforms), bounded to about +-3.5.
inline double gauss(std::uint64_t h) {
    const double s = static_cast<double>(h & 0xffff) + static_cast<double>((h >> 16) & 0xffff) +
                     static_cast<double>((h >> 32) & 0xffff) + static_cast<double>(h >> 48);
    return (s / 65536.0 - 2.0) * 1.7320508075688772;
}
inline std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

enum class MetricKind : int {
    RequestRate,
    LatencyP50,
    LatencyP95,
    ErrorRatio,
    Cpu,
    MemoryUsed,
    MemoryLimit,
    DiskUsed,
    DiskCapacity,
    Restarts,
};

struct SeriesDesc {
    ts::SeriesId id;
    MetricKind metric = MetricKind::RequestRate;
    int entity = 0; // service index for service metrics, pod index for pod metrics
    std::uint64_t salt = 0;
};

// Log templates an incident forces for a service's error lines.
enum class ErrorTemplate : int { None, DeployNpe, DiskFull, Timeout, ConnectionReset };

struct Injection {
    IncidentKind kind = IncidentKind::MemoryLeak;
    TimeMs start = 0;
    TimeMs end = 0; // scheduled end (see IncidentTruth::end)
    int service = -1;
    int pod = -1;
    int host = -1;
    // memory leak
    TimeMs oom = 0;         // when the container would be OOM-killed
    TimeMs stop = 0;        // effective end of the ramp: oom, or an earlier restart
    bool prevented = false; // a restart before oom prevented the kill
    // disk fill
    double rate = 0;                                        // bytes per ms
    TimeMs growthStop = std::numeric_limits<TimeMs>::max(); // a cleanup that removed the runaway file
    TimeMs cleanup = std::numeric_limits<TimeMs>::max();    // scheduled cleanup (history only)
    TimeMs fullAt = 0;
    bool forecast = false; // full only after the history's end: the truth's end is fullAt
    // latency / errors
    double extraMs = 0;
    double errorAdd = 0;
    std::string fromVersion, toVersion, commit;
    // load imbalance: the root pod gets (1 + skew * (n-1)) times its share, each sibling (1 - skew)
    double skew = 0;
    bool remediated = false;
};

// A version change of a service: a deploy (benign or the incident's) or a rollback.
struct Rollout {
    int service = 0;
    TimeMs at = 0;
    std::string version;
    std::string commit;
    bool rollback = false;
    TimeMs badSince = 0; // rollback only: when the bad version went out
};

struct Action {
    bool restart = true; // else free disk
    int pod = 0;
    TimeMs at = 0;
    std::int64_t bytes = 0;
};

// Everything about one minute, shared by metrics, logs and traces.
struct MinuteState {
    std::int64_t minute = 0;
    double util = 0; // traffic relative to a weekday peak
    std::vector<double> rps, selfP50, p50, p95, selfErr, err;
    std::vector<ErrorTemplate> errorTemplate;
    std::vector<int> errorCause; // child service that contributed most to err, or -1 for own errors
    std::vector<double> podLatencyFactor, cpu, memory, disk, restarts;
    std::vector<double> leakProgress; // 0 when no leak on the pod, else 0..1 of the ramp
    std::vector<char> diskFull;
};

class Model {
public:
    Model(std::uint64_t seed, TimeMs historyStart, TimeMs historyLength);

    std::uint64_t seed;
    TimeMs historyStart;
    TimeMs anchor;
    Topology topo;
    std::vector<int> order;                                    // services, children before parents
    std::vector<std::vector<std::pair<int, double>>> children; // per service: (child, calls per request)
    std::vector<std::vector<int>> parents;
    std::vector<std::vector<int>> podsOfService;
    std::vector<int> podService, podHost;
    std::vector<double> rpsAtPeak, cpuPerUtil;
    // Per-entity constants, precomputed so the per-minute path hashes only what varies by minute.
    std::vector<std::uint64_t> rpsSalt, errSalt, cpuSalt;
    std::vector<double> memPeriod, memPhase, diskOffset, initialRestarts;
    std::vector<SeriesDesc> series;
    std::vector<ts::SeriesId> seriesIds;
    std::vector<Injection> injections;         // scheduled, before remediations; ordered by start
    std::vector<Rollout> rollouts;             // ordered by time
    std::vector<std::vector<char>> entryReach; // per frontend operation: which services it reaches

    const std::string& versionAt(int service, TimeMs t) const;

    int serviceIndex(const std::string& name) const;
    int podIndex(const std::string& name) const;

    // Injections with the remediations applied (leaks stopped by restarts, disks freed).
    std::vector<Injection> effective(const std::vector<Action>& actions) const;
    // now: a forecast disk fill that has filled by now ends at its cleanup instead of at fullAt.
    std::vector<IncidentTruth> truths(const std::vector<Injection>& eff, TimeMs now) const;
    std::vector<DemoEvent> events(const std::vector<Injection>& eff, const std::vector<Action>& actions,
                                  const TimeRange& range) const;

    void resize(MinuteState& st) const;
    void evaluate(std::int64_t minute, const std::vector<Injection>& eff, const std::vector<Action>& actions,
                  MinuteState& st) const;
    double value(const SeriesDesc& d, const MinuteState& st) const;

    // Log lines of one minute in time order (all services, or only `service` when >= 0).
    void logs(const MinuteState& st, const std::vector<Injection>& eff, const std::vector<Action>& actions,
              int service, std::vector<sources::LogRecord>& out) const;

    // Traces sampled in one minute: a steady share of the traffic, plus a few extra ones through the most
    // troubled service when one is failing or slow (as tail-based sampling keeps interesting traces).
    int traceCount(const MinuteState& st) const;
    int baseTraceCount(const MinuteState& st) const;
    int troubledService(const MinuteState& st) const; // -1 when all are healthy
    sources::Trace makeTrace(const MinuteState& st, int index) const;
    // Decodes the minute and index a trace id was made from; false when it is not one of ours.
    bool decodeTraceId(const std::string& id, std::int64_t& minute, int& index) const;

private:
    double traffic(TimeMs t) const;
    double normalMemory(int pod, TimeMs t, double util) const;
    double normalDisk(int pod, TimeMs t) const;
    void placeIncidents();
};

} // namespace cairn::demo::detail
