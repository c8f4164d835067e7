// PluginExecutor: runs remediation actions through plugins without letting a plugin take Cairn down. Each
// dry run or execution starts cairn-plugin-runner, which loads the plugin and performs one request, talking
// JSON lines over stdin/stdout. A crash, hang or garbage output ends only the runner and becomes an Error.
// Timeouts and cancellation send SIGTERM (the plugin stops its command), then SIGKILL after a grace period.
// Thread-safety: one call at a time per object; may run on a worker thread (no event loop needed).
#pragma once

#include "pluginhost.h"

#include "cairn/remediation/executor.h"

#include <QJsonObject>
#include <QString>

namespace cairn::plugins {

// Where cairn-plugin-runner lives: CAIRN_PLUGIN_RUNNER, next to the application, or ../libexec/cairn.
QString findPluginRunner(const QString& applicationDir);

struct RunnerRequest {
    QString runnerPath;
    QString pluginPath;
    QString mode; // "dry-run", "execute" or "probe"
    QJsonObject action;
    QJsonObject config;
    int timeoutMs = 120000;
    int graceMs = 5000;
};

// Runs one request in a fresh runner process.
Result<remediation::ExecutionReport> runInRunner(const RunnerRequest& request, const CancelToken& cancel,
                                                 const remediation::OutputSink& output);

class PluginExecutor final : public remediation::Executor {
public:
    // configs: plugin id -> configuration object handed to that plugin.
    PluginExecutor(const PluginHost& host, QString runnerPath, QJsonObject configs, int timeoutMs = 120000);

    Result<remediation::ExecutionReport> dryRun(const remediation::Action& action,
                                                const CancelToken& cancel) override;
    Result<remediation::ExecutionReport> execute(const remediation::Action& action, const CancelToken& cancel,
                                                 const remediation::OutputSink& output) override;

private:
    Result<remediation::ExecutionReport> run(const QString& mode, const remediation::Action& action,
                                             const CancelToken& cancel,
                                             const remediation::OutputSink& output);
    const PluginHost& m_host;
    QString m_runner;
    QJsonObject m_configs;
    int m_timeoutMs;
};

} // namespace cairn::plugins
