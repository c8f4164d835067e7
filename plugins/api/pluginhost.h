// PluginHost: finds remediation plugins in folders, validates their JSON metadata before any of their
// code runs, loads the valid ones on request and keeps a state and an error string per plugin.
// Thread-safety: use from one thread (the app's main thread).
#pragma once

#include "pluginmetadata.h"
#include "remediationplugin.h"

#include <QObject>
#include <QPluginLoader>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace cairn::plugins {

class PluginHost {
public:
    PluginHost() = default;
    ~PluginHost();
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    // The default search path: CAIRN_PLUGIN_PATH (colon-separated), then <app>/../lib/cairn/plugins
    // and the build tree's plugin folder.
    static QStringList defaultSearchPaths(const QString& applicationDir);

    // Reads metadata of every shared library in the folders; loads nothing.
    void discover(const QStringList& folders);
    // Loads and initialises every valid plugin; failures are recorded per plugin, never thrown.
    void loadAll();

    const std::vector<PluginSpec>& plugins() const { return m_specs; }
    RemediationPlugin* pluginFor(const QString& actionKind) const;
    // The first valid plugin (found by metadata, not failed) that declares the kind; nullptr if none.
    const PluginSpec* specForKind(const QString& actionKind) const;
    // Loads and initialises every valid plugin inside cairn-plugin-runner instead of this process, so a
    // plugin that crashes while loading is marked failed and Cairn keeps running.
    void probeAll(const QString& runnerPath, int timeoutMs = 15000);

private:
    std::vector<PluginSpec> m_specs;
    std::vector<std::unique_ptr<QPluginLoader>> m_loaders; // parallel to m_specs
};

} // namespace cairn::plugins
