// The remediation plugin contract: what an SSH, kubectl or other executor plugin implements.
// A plugin's constructor does nothing; work happens in explicit calls. Metadata (id, version,
// compatVersion, actionKinds, risk) lives in the plugin's JSON and is validated before the code loads.
// Thread-safety: the host calls a plugin from one thread at a time.
#pragma once

#include <QtPlugin>
#include <QString>
#include <QStringList>

namespace cairn::plugins {

class RemediationPlugin {
public:
    virtual ~RemediationPlugin() = default;
    // Called once after loading; return false and set errorString() to refuse.
    virtual bool initialize(QString* errorString) = 0;
    // The action kinds this plugin executes, matching its metadata.
    virtual QStringList actionKinds() const = 0;
};

} // namespace cairn::plugins

#define CairnRemediationPlugin_iid "org.cairn.RemediationPlugin/1.0"
Q_DECLARE_INTERFACE(cairn::plugins::RemediationPlugin, CairnRemediationPlugin_iid)
