// Builds kubectl argument lists for Kubernetes remediation actions: only allowlisted contexts, explicit
// --context and --namespace on every call, validated object names and values, --dry-run=server for dry runs.
// kubectl runs without a shell, so values are passed as single arguments. Thread-safety: pure functions.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace cairn::plugins::kubectl {

struct KubectlCall {
    QString target;     // object the call changes
    QStringList argv;   // kubectl's arguments
    QString display;    // "kubectl ..." for people
    QString diffObject; // "deployment/nginx" when a before/after diff makes sense, else empty
};

// `nowIso` is the restart timestamp for rollout restarts (RFC 3339, UTC).
QList<KubectlCall> buildCalls(const QJsonObject& action, const QJsonObject& config, bool dryRun,
                              const QString& nowIso, QString* error);

// Global arguments (--kubeconfig, --cache-dir, --context, --namespace, --request-timeout) for a read call.
QStringList baseArgs(const QJsonObject& action, const QJsonObject& config);

// Differences between two JSON objects as "~ path: old -> new", "+ path: new", "- path: old" lines,
// ignoring bookkeeping fields (managedFields, resourceVersion, generation, uid, creationTimestamp, status).
QStringList jsonDiff(const QJsonObject& before, const QJsonObject& after);

} // namespace cairn::plugins::kubectl
