#include "sourcebackends.h"

#include <algorithm>
#include <mutex>

namespace cairn::ui {

namespace {

// HTTP connectors own one curl handle: the Logs page's jobs and others must take turns.
class SerialLogSource : public sources::LogSource {
public:
    explicit SerialLogSource(std::unique_ptr<sources::LogSource> inner)
        : m_inner(std::move(inner)) {}
    std::string name() const override { return m_inner->name(); }
    Result<std::size_t> scan(const sources::LogQuery& query,
                             const std::function<bool(const sources::LogRecord&)>& sink,
                             const CancelToken& cancel) override {
        std::lock_guard lock(m_mutex);
        return m_inner->scan(query, sink, cancel);
    }

private:
    std::unique_ptr<sources::LogSource> m_inner;
    std::mutex m_mutex;
};

class SerialTraceSource : public sources::TraceSource {
public:
    explicit SerialTraceSource(std::unique_ptr<sources::TraceSource> inner)
        : m_inner(std::move(inner)) {}
    std::string name() const override { return m_inner->name(); }
    Result<std::vector<std::string>> services(const CancelToken& cancel) override {
        std::lock_guard lock(m_mutex);
        return m_inner->services(cancel);
    }
    Result<std::vector<sources::Trace>> findTraces(const sources::TraceQuery& query,
                                                   const CancelToken& cancel) override {
        std::lock_guard lock(m_mutex);
        return m_inner->findTraces(query, cancel);
    }
    Result<sources::Trace> trace(const std::string& traceId, const CancelToken& cancel) override {
        std::lock_guard lock(m_mutex);
        return m_inner->trace(traceId, cancel);
    }
    Result<std::vector<sources::DependencyEdge>> dependencies(const TimeRange& range,
                                                              const CancelToken& cancel) override {
        std::lock_guard lock(m_mutex);
        return m_inner->dependencies(range, cancel);
    }

private:
    std::unique_ptr<sources::TraceSource> m_inner;
    std::mutex m_mutex;
};

} // namespace

SourceBackends backendsFromSources(const std::vector<sources::SourceConfig>& configs,
                                   const sources::SecretResolver& resolve, const Backends& demo) {
    using sources::SourceKind;
    SourceBackends out;
    const bool anyReal = std::any_of(configs.begin(), configs.end(), [](const sources::SourceConfig& c) {
        return c.kind != SourceKind::Demo;
    });
    if (!anyReal) {
        out.backends = demo;
        return out;
    }
    out.fromSources = true;
    Backends& b = out.backends;
    b.analyze = demo.analyze;
    auto note = [&](const sources::SourceConfig& c, const Error& e) {
        out.errors << QStringLiteral("Data source %1: %2")
                          .arg(QString::fromStdString(c.name), QString::fromStdString(e.what()));
    };
    bool demoListed = false;
    for (const auto& c : configs) {
        if (c.kind == SourceKind::Demo) {
            demoListed = true;
            continue;
        }
        if (!b.metrics && sources::providesMetrics(c.kind)) {
            if (auto m = sources::makeMetricSource(c, resolve)) {
                b.metrics = std::shared_ptr<sources::MetricSource>(std::move(*m));
                b.metricsSourceName = c.name;
            } else {
                note(c, m.error());
            }
        }
        if (!b.logs && sources::providesLogs(c.kind)) {
            if (auto l = sources::makeLogSource(c, resolve)) {
                b.logs = std::make_shared<SerialLogSource>(std::move(*l));
                b.logsSourceName = c.name;
            } else {
                note(c, l.error());
            }
        }
        if (!b.traces && sources::providesTraces(c.kind)) {
            if (auto t = sources::makeTraceSource(c, resolve)) {
                b.traces = std::make_shared<SerialTraceSource>(std::move(*t));
                b.tracesSourceName = c.name;
            } else {
                note(c, t.error());
            }
        }
    }
    if (demoListed) {
        if (!b.metrics) {
            b.metrics = demo.metrics;
            b.metricsMutex = demo.metricsMutex;
            b.clock = demo.clock; // the demo's own "now" only when its metrics are shown
        }
        if (!b.logs)
            b.logs = demo.logs;
        if (!b.traces)
            b.traces = demo.traces;
    }
    return out;
}

} // namespace cairn::ui
