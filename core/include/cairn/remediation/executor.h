// What the remediation lifecycle needs from the outside world: an Executor that dry-runs and runs actions
// (a plugin, the demo environment, a test double), a MetricProbe that reads the verification metric and a
// Clock (real or simulated, UTC ms). Implementations report failures as Result values, never exceptions.
// Thread-safety: the lifecycle calls these from its own (one) thread; OutputSink may be called many times.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/common/time.h"
#include "cairn/remediation/action.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::remediation {

struct ExecutionReport {
    bool ok = false;
    std::string command; // exactly what ran (or would run, for a dry run)
    std::string output;  // combined output, possibly truncated
    std::string error;   // why it failed, when !ok
};

using OutputSink = std::function<void(std::string_view chunk)>;

class Executor {
public:
    virtual ~Executor() = default;
    // Validates the action and shows what would run; changes nothing.
    virtual Result<ExecutionReport> dryRun(const Action& action, const CancelToken& cancel) = 0;
    virtual Result<ExecutionReport> execute(const Action& action, const CancelToken& cancel,
                                            const OutputSink& output) = 0;
};

// Sends each action to the executor registered for the longest matching kind prefix ("demo.", "ssh.", "").
class RoutingExecutor final : public Executor {
public:
    void add(std::string kindPrefix, std::shared_ptr<Executor> executor);
    Result<ExecutionReport> dryRun(const Action& action, const CancelToken& cancel) override;
    Result<ExecutionReport> execute(const Action& action, const CancelToken& cancel,
                                    const OutputSink& output) override;

private:
    Executor* route(const Action& action) const;
    std::vector<std::pair<std::string, std::shared_ptr<Executor>>> m_routes;
};

class MetricProbe {
public:
    virtual ~MetricProbe() = default;
    // Latest value of `metric` for `target` at `now`.
    virtual Result<double> sample(const std::string& metric, const Target& target, TimeMs now) = 0;
    // Latest value of the series of `metric` selected by `labels` at `now` (a verification with labels).
    // The default refuses: a probe that only knows targets cannot read arbitrary series.
    virtual Result<double> sampleSeries(const std::string& metric,
                                        const std::map<std::string, std::string>& labels, TimeMs now);
};

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimeMs now() = 0;
    virtual void sleepFor(TimeMs ms) = 0;
};

class SystemClock final : public Clock {
public:
    TimeMs now() override;
    void sleepFor(TimeMs ms) override;
};

// A clock that only moves when slept on; for tests and simulations.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimeMs start)
        : m_now(start) {}
    TimeMs now() override { return m_now; }
    void sleepFor(TimeMs ms) override { m_now += ms; }
    void advance(TimeMs ms) { m_now += ms; }

private:
    TimeMs m_now;
};

} // namespace cairn::remediation
