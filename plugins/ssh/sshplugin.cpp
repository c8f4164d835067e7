#include "sshplugin.h"

#include "sshcommand.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>

namespace cairn::plugins::ssh {

bool SshPlugin::initialize(QString* errorString) {
    if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty()) {
        *errorString = QStringLiteral("the OpenSSH client (ssh) is not installed or not on PATH");
        return false;
    }
    return true;
}

QStringList SshPlugin::actionKinds() const {
    return {QStringLiteral("ssh.restart-unit"), QStringLiteral("ssh.run-script"),
            QStringLiteral("ssh.free-disk"), QStringLiteral("ssh.diagnostics")};
}

namespace {

QString sshProgram(const QJsonObject& config) {
    return config.value(QStringLiteral("ssh")).toString(QStringLiteral("ssh"));
}

} // namespace

PluginResult SshPlugin::dryRun(const QJsonObject& action, const QJsonObject& config) {
    PluginResult r;
    QString error;
    const auto invocations = buildInvocations(action, config, &error);
    if (invocations.isEmpty()) {
        r.error = error;
        return r;
    }
    QStringList lines, shown;
    for (const auto& inv : invocations) {
        lines << inv.display;
        shown << QStringLiteral("on %1 runs: %2").arg(inv.host, inv.remoteCommand);
    }
    r.ok = true;
    r.command = lines.join(QLatin1Char('\n'));
    r.output = shown.join(QLatin1Char('\n'));
    return r;
}

PluginResult SshPlugin::execute(const QJsonObject& action, const QJsonObject& config, const OutputFn& output,
                                const std::atomic<bool>& cancel) {
    PluginResult r;
    QString error;
    const auto invocations = buildInvocations(action, config, &error);
    if (invocations.isEmpty()) {
        r.error = error;
        return r;
    }
    const int timeoutMs = config.value(QStringLiteral("timeoutMs")).toInt(60000);
    QStringList commands;
    QString combined;
    for (const auto& inv : invocations) {
        commands << inv.display;
        QProcess proc;
        proc.setProgram(sshProgram(config));
        proc.setArguments(inv.argv);
        proc.start();
        if (!proc.waitForStarted(10000)) {
            r.error = QStringLiteral("cannot start ssh: ") + proc.errorString();
            r.command = commands.join(QLatin1Char('\n'));
            return r;
        }
        proc.closeWriteChannel();
        QElapsedTimer timer;
        timer.start();
        qint64 remotePid = -1;
        QByteArray outBuf, errBuf, errTail;
        bool stopped = false;
        QString stopReason;
        auto flushLines = [&](QByteArray& buf, const QString& stream, bool all) {
            qsizetype nl;
            while ((nl = buf.indexOf('\n')) >= 0 || (all && !buf.isEmpty())) {
                const QByteArray line = nl >= 0 ? buf.left(nl) : buf;
                buf.remove(0, nl >= 0 ? nl + 1 : buf.size());
                if (stream == QLatin1String("stdout") && remotePid < 0 && line.startsWith("CAIRN-PID:")) {
                    remotePid = line.mid(10).trimmed().toLongLong();
                    continue;
                }
                const QString text = QStringLiteral("[%1] %2\n").arg(inv.host, QString::fromUtf8(line));
                combined += text;
                if (stream == QLatin1String("stderr"))
                    errTail = (errTail + line + '\n').right(2000);
                if (output)
                    output(stream, text);
            }
        };
        while (proc.state() != QProcess::NotRunning) {
            proc.waitForReadyRead(50);
            outBuf += proc.readAllStandardOutput();
            errBuf += proc.readAllStandardError();
            flushLines(outBuf, QStringLiteral("stdout"), false);
            flushLines(errBuf, QStringLiteral("stderr"), false);
            if (!stopped && (cancel.load() || timer.elapsed() > timeoutMs)) {
                stopped = true;
                stopReason = cancel.load() ? QStringLiteral("cancelled")
                                           : QStringLiteral("timed out after %1 ms").arg(timeoutMs);
                proc.kill();
                proc.waitForFinished(2000);
                // The remote command does not notice a closed connection by itself: end its process group.
                if (remotePid > 1) {
                    QProcess killer;
                    killer.start(sshProgram(config), killArgv(config, inv.host, remotePid));
                    if (!killer.waitForFinished(15000))
                        killer.kill();
                    if (output)
                        output(QStringLiteral("info"),
                               QStringLiteral("[%1] stopped remote process group %2\n")
                                   .arg(inv.host)
                                   .arg(remotePid));
                }
            }
        }
        outBuf += proc.readAllStandardOutput();
        errBuf += proc.readAllStandardError();
        flushLines(outBuf, QStringLiteral("stdout"), true);
        flushLines(errBuf, QStringLiteral("stderr"), true);
        r.command = commands.join(QLatin1Char('\n'));
        r.output = combined;
        if (stopped) {
            r.error = QStringLiteral("%1 on %2").arg(stopReason, inv.host);
            return r;
        }
        if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() == 255) {
            r.error = QStringLiteral("ssh to %1 failed (connection lost, refused or not authenticated): %2")
                          .arg(inv.host, QString::fromUtf8(errTail.trimmed()));
            return r;
        }
        if (proc.exitCode() == 124) {
            r.error =
                QStringLiteral("the remote command on %1 ran past its timeout and was stopped").arg(inv.host);
            return r;
        }
        if (proc.exitCode() != 0) {
            r.error = QStringLiteral("the remote command on %1 exited with status %2")
                          .arg(inv.host)
                          .arg(proc.exitCode());
            return r;
        }
    }
    r.ok = true;
    r.command = commands.join(QLatin1Char('\n'));
    r.output = combined;
    return r;
}

} // namespace cairn::plugins::ssh
