// The remediation plugin contract: what an SSH, kubectl or other executor plugin implements.
// A plugin's constructor does nothing; work happens in explicit calls. Metadata (id, version,
// compatVersion, actionKinds, risk) lives in the plugin's JSON and is validated before the code loads.
// Actions arrive as the JSON of cairn::remediation::Action (core/remediation/action.h) plus a per-plugin
// configuration object (allowlists, binaries, timeouts). Cairn runs plugin actions in a separate
// cairn-plugin-runner process, so a plugin that crashes only ends that process.
// Thread-safety: the runner calls a plugin from one thread; `cancel` may be set from a signal handler.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QtPlugin>

#include <atomic>
#include <functional>

namespace cairn::plugins {

struct PluginResult {
    bool ok = false;
    QString command; // exactly what runs (dry run) or ran (execute), one line per target
    QString output;  // what the dry run shows, or the combined output of execute
    QString error;   // one sentence when !ok
};

// stream is "stdout", "stderr" or "info"; text is a chunk (usually whole lines).
using OutputFn = std::function<void(const QString& stream, const QString& text)>;

class RemediationPlugin {
public:
    virtual ~RemediationPlugin() = default;
    // Called once after loading; return false and set errorString() to refuse.
    virtual bool initialize(QString* errorString) = 0;
    // The action kinds this plugin executes, matching its metadata.
    virtual QStringList actionKinds() const = 0;
    // Validates the action and returns the exact commands it would run; changes nothing on the targets
    // (a server-side dry run, where the target supports one, is allowed).
    virtual PluginResult dryRun(const QJsonObject& action, const QJsonObject& config) = 0;
    // Runs the action, streaming output; returns when done, failed, timed out or cancelled.
    virtual PluginResult execute(const QJsonObject& action, const QJsonObject& config, const OutputFn& output,
                                 const std::atomic<bool>& cancel) = 0;
};

} // namespace cairn::plugins

#define CairnRemediationPlugin_iid "org.cairn.RemediationPlugin/1.0"
Q_DECLARE_INTERFACE(cairn::plugins::RemediationPlugin, CairnRemediationPlugin_iid)
