// Builds the exact ssh invocation for an SSH remediation action: validated target and parameters, every
// remote word single-quoted, BatchMode and strict host key checking. Pure (no I/O), so dry runs and tests
// see exactly what execute() runs. Thread-safety: pure functions.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace cairn::plugins::ssh {

struct SshInvocation {
    QString host;
    QStringList argv;      // ssh's arguments (after the program name)
    QString remoteCommand; // what the remote shell runs
    QString display;       // "ssh ... host '<remote command>'", shell-quoted, for the dry run
};

// Validates the action against the configuration and builds one invocation per target.
// On refusal returns an empty list and sets *error to one sentence saying which value and why.
QList<SshInvocation> buildInvocations(const QJsonObject& action, const QJsonObject& config, QString* error);

// The ssh invocation that ends the remote process group `pid` on `host` (used by cancel and timeout).
QStringList killArgv(const QJsonObject& config, const QString& host, qint64 pid);

// The ssh options shared by every call (BatchMode, host key checking, timeouts, port, identity).
QStringList sshOptions(const QJsonObject& config, QString* error);

} // namespace cairn::plugins::ssh
