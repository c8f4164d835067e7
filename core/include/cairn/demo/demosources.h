// The demo environment served through the source contracts (MetricSource, LogSource, TraceSource), so
// every view and engine reads the demo exactly like a real back end. Each adapter shares one
// DemoEnvironment. Thread-safety: safe to call from any number of worker threads at once (the environment
// is; the adapters hold no mutable state).
#pragma once

#include "cairn/demo/demoenvironment.h"
#include "cairn/sources/logsource.h"
#include "cairn/sources/metricsource.h"
#include "cairn/sources/tracesource.h"

#include <memory>

namespace cairn::demo {

class DemoMetricSource : public sources::MetricSource {
public:
    explicit DemoMetricSource(std::shared_ptr<DemoEnvironment> env)
        : m_env(std::move(env)) {}
    std::string name() const override { return "Demo web shop"; }
    // The environment behind the source (the app hands it to the remediation demo executor).
    const std::shared_ptr<DemoEnvironment>& environment() const { return m_env; }
    Result<std::vector<ts::SeriesId>> listSeries(const ts::Selector& selector,
                                                 const CancelToken& cancel) override;
    Result<std::vector<ts::Series>> query(const sources::MetricQuery& query,
                                          const CancelToken& cancel) override;

private:
    std::shared_ptr<DemoEnvironment> m_env;
};

class DemoLogSource : public sources::LogSource {
public:
    explicit DemoLogSource(std::shared_ptr<DemoEnvironment> env)
        : m_env(std::move(env)) {}
    std::string name() const override { return "Demo web shop"; }
    Result<std::size_t> scan(const sources::LogQuery& query,
                             const std::function<bool(const sources::LogRecord&)>& sink,
                             const CancelToken& cancel) override;

private:
    std::shared_ptr<DemoEnvironment> m_env;
};

class DemoTraceSource : public sources::TraceSource {
public:
    explicit DemoTraceSource(std::shared_ptr<DemoEnvironment> env)
        : m_env(std::move(env)) {}
    std::string name() const override { return "Demo web shop"; }
    Result<std::vector<std::string>> services(const CancelToken& cancel) override;
    Result<std::vector<sources::Trace>> findTraces(const sources::TraceQuery& query,
                                                   const CancelToken& cancel) override;
    Result<sources::Trace> trace(const std::string& traceId, const CancelToken& cancel) override;
    Result<std::vector<sources::DependencyEdge>> dependencies(const TimeRange& range,
                                                              const CancelToken& cancel) override;

private:
    std::shared_ptr<DemoEnvironment> m_env;
};

} // namespace cairn::demo
