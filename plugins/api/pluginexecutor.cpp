#include "pluginexecutor.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>

#include <nlohmann/json.hpp>

namespace cairn::plugins {

using remediation::ExecutionReport;

QString findPluginRunner(const QString& applicationDir) {
    QString env = qEnvironmentVariable("CAIRN_PLUGIN_RUNNER");
    if (!env.isEmpty())
        return env;
    for (const QString& candidate :
         {QDir(applicationDir).filePath(QStringLiteral("cairn-plugin-runner")),
          QDir(applicationDir).filePath(QStringLiteral("../libexec/cairn/cairn-plugin-runner"))}) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return {};
}

namespace {

// Handles one JSON line from the runner. Returns true when it was the final result.
bool handleLine(const QByteArray& line, ExecutionReport& report, bool& haveResult,
                const remediation::OutputSink& output) {
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return false; // not protocol: ignore (the runner reports its own errors as JSON)
    const QJsonObject o = doc.object();
    const QString event = o.value(QStringLiteral("event")).toString();
    if (event == QLatin1String("output")) {
        const std::string text = o.value(QStringLiteral("text")).toString().toStdString();
        report.output += text;
        if (output)
            output(text);
        return false;
    }
    if (event == QLatin1String("result")) {
        haveResult = true;
        report.ok = o.value(QStringLiteral("ok")).toBool();
        report.command = o.value(QStringLiteral("command")).toString().toStdString();
        const std::string finalOutput = o.value(QStringLiteral("output")).toString().toStdString();
        if (!finalOutput.empty())
            report.output = finalOutput; // the plugin's own summary wins over the streamed copy
        report.error = o.value(QStringLiteral("error")).toString().toStdString();
        return true;
    }
    return false;
}

} // namespace

Result<ExecutionReport> runInRunner(const RunnerRequest& req, const CancelToken& cancel,
                                    const remediation::OutputSink& output) {
    const std::string ctx = "plugin " + QFileInfo(req.pluginPath).fileName().toStdString();
    if (req.runnerPath.isEmpty() || !QFileInfo(req.runnerPath).isExecutable())
        return fail(ErrorCode::NotFound, "cairn-plugin-runner was not found, so plugin actions cannot run",
                    ctx);
    QProcess proc;
    proc.setProgram(req.runnerPath);
    proc.setArguments({QStringLiteral("--plugin"), req.pluginPath});
    proc.setProcessChannelMode(QProcess::SeparateChannels);
    proc.start();
    if (!proc.waitForStarted(10000))
        return fail(ErrorCode::Internal,
                    "cairn-plugin-runner did not start: " + proc.errorString().toStdString(), ctx);
    QJsonObject request{{QStringLiteral("mode"), req.mode},
                        {QStringLiteral("action"), req.action},
                        {QStringLiteral("config"), req.config}};
    proc.write(QJsonDocument(request).toJson(QJsonDocument::Compact));
    proc.write("\n");
    proc.closeWriteChannel();

    ExecutionReport report;
    bool haveResult = false;
    QByteArray buffer;
    QByteArray stderrText;
    QElapsedTimer timer;
    timer.start();
    bool terminated = false, killed = false, timedOut = false, cancelled = false;
    qint64 terminatedAt = 0;
    auto drain = [&]() {
        buffer += proc.readAllStandardOutput();
        stderrText += proc.readAllStandardError();
        if (stderrText.size() > 256 * 1024)
            stderrText = stderrText.right(256 * 1024);
        qsizetype nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
            handleLine(buffer.left(nl), report, haveResult, output);
            buffer.remove(0, nl + 1);
        }
    };
    while (proc.state() != QProcess::NotRunning) {
        proc.waitForReadyRead(50);
        drain();
        if (!terminated) {
            if (cancel.isCancelled())
                cancelled = true;
            else if (timer.elapsed() > req.timeoutMs)
                timedOut = true;
            if (cancelled || timedOut) {
                proc.terminate(); // SIGTERM: the runner asks the plugin to stop its command
                terminated = true;
                terminatedAt = timer.elapsed();
            }
        } else if (!killed && timer.elapsed() - terminatedAt > req.graceMs) {
            proc.kill();
            killed = true;
        }
    }
    drain();
    if (!buffer.isEmpty())
        handleLine(buffer, report, haveResult, output);

    if (proc.exitStatus() == QProcess::CrashExit && !terminated)
        return fail(
            ErrorCode::Internal,
            "the plugin crashed while running the action; Cairn is unaffected" +
                (stderrText.isEmpty() ? std::string() : ": " + stderrText.trimmed().right(400).toStdString()),
            ctx);
    if (timedOut)
        return fail(ErrorCode::Timeout,
                    "the plugin action ran past its timeout of " + std::to_string(req.timeoutMs) +
                        " ms and was stopped",
                    ctx);
    if (cancelled)
        return fail(ErrorCode::Cancelled, "the plugin action was cancelled", ctx);
    if (!haveResult)
        return fail(
            ErrorCode::Internal,
            "the plugin ended without a result (exit code " + std::to_string(proc.exitCode()) + ")" +
                (stderrText.isEmpty() ? std::string() : ": " + stderrText.trimmed().right(400).toStdString()),
            ctx);
    return report;
}

PluginExecutor::PluginExecutor(const PluginHost& host, QString runnerPath, QJsonObject configs, int timeoutMs)
    : m_host(host)
    , m_runner(std::move(runnerPath))
    , m_configs(std::move(configs))
    , m_timeoutMs(timeoutMs) {}

Result<ExecutionReport> PluginExecutor::dryRun(const remediation::Action& action, const CancelToken& cancel) {
    return run(QStringLiteral("dry-run"), action, cancel, {});
}

Result<ExecutionReport> PluginExecutor::execute(const remediation::Action& action, const CancelToken& cancel,
                                                const remediation::OutputSink& output) {
    return run(QStringLiteral("execute"), action, cancel, output);
}

Result<ExecutionReport> PluginExecutor::run(const QString& mode, const remediation::Action& action,
                                            const CancelToken& cancel,
                                            const remediation::OutputSink& output) {
    const QString kind = QString::fromStdString(action.kind);
    const PluginSpec* spec = m_host.specForKind(kind);
    if (!spec)
        return fail(ErrorCode::NotFound, "no usable plugin handles action kind \"" + action.kind + "\"",
                    "action " + action.id);
    const QJsonObject actionJson =
        QJsonDocument::fromJson(QByteArray::fromStdString(remediation::toJson(action).dump())).object();
    RunnerRequest req;
    req.runnerPath = m_runner;
    req.pluginPath = spec->path;
    req.mode = mode;
    req.action = actionJson;
    req.config = m_configs.value(spec->id).toObject();
    req.timeoutMs = m_timeoutMs;
    return runInRunner(req, cancel, output);
}

} // namespace cairn::plugins
