#include "kubectlplugin.h"

#include "kubectlcommand.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>

namespace cairn::plugins::kubectl {

namespace {

struct RunResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString stopped; // why it was stopped (timeout, cancel), empty otherwise
    QString startError;
};

QString program(const QJsonObject& config) {
    return config.value(QStringLiteral("kubectl")).toString(QStringLiteral("kubectl"));
}

RunResult run(const QJsonObject& config, const QStringList& argv, const OutputFn& output,
              const std::atomic<bool>* cancel) {
    RunResult r;
    QProcess p;
    p.start(program(config), argv);
    if (!p.waitForStarted(10000)) {
        r.startError = QStringLiteral("cannot start kubectl: ") + p.errorString();
        return r;
    }
    p.closeWriteChannel();
    const int timeoutMs = config.value(QStringLiteral("timeoutMs")).toInt(60000);
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(50);
        const QByteArray o = p.readAllStandardOutput();
        const QByteArray e = p.readAllStandardError();
        r.out += o;
        r.err += e;
        if (output && !o.isEmpty())
            output(QStringLiteral("stdout"), QString::fromUtf8(o));
        if (output && !e.isEmpty())
            output(QStringLiteral("stderr"), QString::fromUtf8(e));
        if ((cancel && cancel->load()) || t.elapsed() > timeoutMs) {
            r.stopped = cancel && cancel->load() ? QStringLiteral("cancelled")
                                                 : QStringLiteral("timed out after %1 ms").arg(timeoutMs);
            p.kill();
            p.waitForFinished(5000);
            return r;
        }
    }
    r.out += p.readAllStandardOutput();
    r.err += p.readAllStandardError();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

QString failure(const RunResult& r, const QString& display) {
    if (!r.startError.isEmpty())
        return r.startError;
    if (!r.stopped.isEmpty())
        return QStringLiteral("kubectl %1: %2").arg(r.stopped, display);
    const QString err = QString::fromUtf8(r.err.trimmed()).right(600);
    return QStringLiteral("kubectl exited with status %1%2")
        .arg(r.exitCode)
        .arg(err.isEmpty() ? QString() : QStringLiteral(": ") + err);
}

} // namespace

bool KubectlPlugin::initialize(QString* errorString) {
    if (QStandardPaths::findExecutable(QStringLiteral("kubectl")).isEmpty()) {
        *errorString = QStringLiteral("kubectl is not installed or not on PATH");
        return false;
    }
    return true;
}

QStringList KubectlPlugin::actionKinds() const {
    return {QStringLiteral("k8s.rollout-restart"), QStringLiteral("k8s.scale"),
            QStringLiteral("k8s.rollout-undo"),    QStringLiteral("k8s.cordon"),
            QStringLiteral("k8s.uncordon"),        QStringLiteral("k8s.delete-pod"),
            QStringLiteral("k8s.set-resources")};
}

PluginResult KubectlPlugin::dryRun(const QJsonObject& action, const QJsonObject& config) {
    PluginResult res;
    QString error;
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    const auto calls = buildCalls(action, config, true, now, &error);
    if (calls.isEmpty()) {
        res.error = error;
        return res;
    }
    QStringList commands, shown;
    for (const auto& call : calls) {
        commands << call.display;
        QJsonObject before;
        if (!call.diffObject.isEmpty()) {
            QStringList get = baseArgs(action, config);
            get << QStringLiteral("get") << call.diffObject << QStringLiteral("-o") << QStringLiteral("json");
            const RunResult g = run(config, get, {}, nullptr);
            if (g.exitCode != 0) {
                res.command = commands.join(QLatin1Char('\n'));
                res.error = failure(g, call.target);
                return res;
            }
            before = QJsonDocument::fromJson(g.out).object();
        }
        const RunResult r = run(config, call.argv, {}, nullptr);
        if (r.exitCode != 0) {
            res.command = commands.join(QLatin1Char('\n'));
            res.error = failure(r, call.display);
            return res;
        }
        if (!call.diffObject.isEmpty()) {
            const QStringList diff = jsonDiff(before, QJsonDocument::fromJson(r.out).object());
            shown << QStringLiteral("%1 (server dry run): %2")
                         .arg(call.target)
                         .arg(diff.isEmpty() ? QStringLiteral("the server reports no change")
                                             : QStringLiteral("changes"));
            shown << diff;
        } else {
            shown << QString::fromUtf8(r.out.trimmed());
        }
    }
    res.ok = true;
    res.command = commands.join(QLatin1Char('\n'));
    res.output = shown.join(QLatin1Char('\n'));
    return res;
}

PluginResult KubectlPlugin::execute(const QJsonObject& action, const QJsonObject& config,
                                    const OutputFn& output, const std::atomic<bool>& cancel) {
    PluginResult res;
    QString error;
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    const auto calls = buildCalls(action, config, false, now, &error);
    if (calls.isEmpty()) {
        res.error = error;
        return res;
    }
    QStringList commands;
    QString combined;
    for (const auto& call : calls) {
        commands << call.display;
        const RunResult r = run(config, call.argv, output, &cancel);
        combined += QString::fromUtf8(r.out) + QString::fromUtf8(r.err);
        if (r.exitCode != 0) {
            res.command = commands.join(QLatin1Char('\n'));
            res.output = combined;
            res.error = failure(r, call.display);
            return res;
        }
    }
    res.ok = true;
    res.command = commands.join(QLatin1Char('\n'));
    res.output = combined;
    return res;
}

} // namespace cairn::plugins::kubectl
