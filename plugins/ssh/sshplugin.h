// The SSH remediation plugin: runs actions through the user's OpenSSH client (so ~/.ssh/config, the agent
// and known_hosts apply) with BatchMode, strict host key checking and a connect timeout. Output streams line
// by line; timeout and cancel end the local ssh and the remote process group.
// Thread-safety: called from one thread (cairn-plugin-runner).
#pragma once

#include "api/remediationplugin.h"

#include <QObject>

namespace cairn::plugins::ssh {

class SshPlugin final : public QObject, public RemediationPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CairnRemediationPlugin_iid FILE "sshplugin.json")
    Q_INTERFACES(cairn::plugins::RemediationPlugin)
public:
    bool initialize(QString* errorString) override;
    QStringList actionKinds() const override;
    PluginResult dryRun(const QJsonObject& action, const QJsonObject& config) override;
    PluginResult execute(const QJsonObject& action, const QJsonObject& config, const OutputFn& output,
                         const std::atomic<bool>& cancel) override;
};

} // namespace cairn::plugins::ssh
