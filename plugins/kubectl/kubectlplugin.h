// The kubectl remediation plugin: rollout restart, scale (bounded), rollout undo, cordon / uncordon, delete
// one pod and set resources, through the user's kubectl with explicit --context and --namespace on every call
// and only for allowlisted contexts. Dry runs use --dry-run=server and show a before/after diff where the
// server returns the object. Thread-safety: called from one thread (cairn-plugin-runner).
#pragma once

#include "api/remediationplugin.h"

#include <QObject>

namespace cairn::plugins::kubectl {

class KubectlPlugin final : public QObject, public RemediationPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CairnRemediationPlugin_iid FILE "kubectlplugin.json")
    Q_INTERFACES(cairn::plugins::RemediationPlugin)
public:
    bool initialize(QString* errorString) override;
    QStringList actionKinds() const override;
    PluginResult dryRun(const QJsonObject& action, const QJsonObject& config) override;
    PluginResult execute(const QJsonObject& action, const QJsonObject& config, const OutputFn& output,
                         const std::atomic<bool>& cancel) override;
};

} // namespace cairn::plugins::kubectl
