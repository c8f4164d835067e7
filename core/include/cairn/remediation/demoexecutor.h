// Remediation against the demo environment, so the whole loop (propose, dry run, approve, execute, verify,
// roll back) can be shown without real hosts. DemoExecutor runs "demo.restart-pod" (targets are pod names;
// restarting a leaking pod ends the leak) and "demo.free-disk" (parameter "bytes"; lowers disk usage) through
// DemoEnvironment's hooks at the environment's now. DemoMetricProbe reads the verification metric of a target
// pod from the environment: any pod-level metric, plus the derived ratios memory_used_ratio and
// disk_used_ratio (used / limit or capacity, 0..1). Times are UTC ms.
// Thread-safety: like DemoEnvironment (hooks may run concurrently with readers); one call at a time per
// object.
#pragma once

#include "cairn/demo/demoenvironment.h"
#include "cairn/remediation/executor.h"

namespace cairn::remediation {

class DemoExecutor final : public Executor {
public:
    explicit DemoExecutor(demo::DemoEnvironment& environment)
        : m_env(environment) {}
    Result<ExecutionReport> dryRun(const Action& action, const CancelToken& cancel) override;
    Result<ExecutionReport> execute(const Action& action, const CancelToken& cancel,
                                    const OutputSink& output) override;

private:
    Result<std::vector<std::string>> plan(const Action& action, std::int64_t* bytes) const;
    demo::DemoEnvironment& m_env;
};

class DemoMetricProbe final : public MetricProbe {
public:
    explicit DemoMetricProbe(const demo::DemoEnvironment& environment)
        : m_env(environment) {}
    Result<double> sample(const std::string& metric, const Target& target, TimeMs now) override;
    // Any series of the environment selected by labels ({service=...} or {pod=...}); the derived ratios
    // need a pod label.
    Result<double> sampleSeries(const std::string& metric, const std::map<std::string, std::string>& labels,
                                TimeMs now) override;

private:
    Result<double> latest(const std::string& metric, const std::map<std::string, std::string>& labels,
                          TimeMs now) const;
    const demo::DemoEnvironment& m_env;
};

// Runs actions through a real executor (the SSH or kubectl plugin) and, when one succeeds, lets the demo
// environment react as if its hosts and deployments were the ones acted on, so a real command against a test
// host closes the demo's loop: "ssh.restart-unit" on host H for service S restarts S's pods on H;
// "k8s.rollout-restart" of deployment S restarts S's pods; "k8s.delete-pod" restarts that pod;
// "ssh.free-disk" on host H (for service S, when given) frees half of the used disk of those pods. Other
// kinds and failed executions leave the demo alone; dry runs only go to the real executor. Each reaction is
// one "demo: ..." line in the output.
class DemoMirrorExecutor final : public Executor {
public:
    DemoMirrorExecutor(std::shared_ptr<Executor> real, demo::DemoEnvironment& environment)
        : m_real(std::move(real))
        , m_env(environment) {}
    Result<ExecutionReport> dryRun(const Action& action, const CancelToken& cancel) override;
    Result<ExecutionReport> execute(const Action& action, const CancelToken& cancel,
                                    const OutputSink& output) override;

private:
    std::shared_ptr<Executor> m_real;
    demo::DemoEnvironment& m_env;
};

// A clock that reads the demo environment's now and sleeps for real (the demo clock may run faster).
class DemoClock final : public Clock {
public:
    explicit DemoClock(const demo::DemoEnvironment& environment)
        : m_env(environment) {}
    TimeMs now() override { return m_env.now(); }
    void sleepFor(TimeMs ms) override;

private:
    const demo::DemoEnvironment& m_env;
};

} // namespace cairn::remediation
