#include "pluginhost.h"

#include "pluginexecutor.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibrary>

namespace cairn::plugins {

PluginHost::~PluginHost() {
    // Unloading plugin code at exit races with static destructors in some plugins; keep them mapped.
    m_loaders.clear();
}

QStringList PluginHost::defaultSearchPaths(const QString& applicationDir) {
    QStringList paths;
    const QString env = qEnvironmentVariable("CAIRN_PLUGIN_PATH");
    if (!env.isEmpty())
        paths += env.split(QLatin1Char(':'), Qt::SkipEmptyParts);
    paths << QDir(applicationDir).filePath(QStringLiteral("../") + QStringLiteral(CAIRN_PLUGIN_INSTALL_DIR))
          << QDir(applicationDir).filePath(QStringLiteral("../lib/cairn/plugins"))
          << QDir(applicationDir).filePath(QStringLiteral("../plugins"));
    return paths;
}

void PluginHost::discover(const QStringList& folders) {
    QStringList seen;
    for (const QString& folder : folders) {
        QDir dir(folder);
        if (!dir.exists())
            continue;
        const auto entries = dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo& fi : entries) {
            if (!QLibrary::isLibrary(fi.fileName()))
                continue;
            const QString canonical = fi.canonicalFilePath();
            if (seen.contains(canonical))
                continue;
            seen << canonical;

            auto loader = std::make_unique<QPluginLoader>(canonical);
            // metaData() reads the embedded JSON without running the library's code.
            m_specs.push_back(specFromMetadata(loader->metaData(), canonical));
            m_loaders.push_back(std::move(loader));
        }
    }
}

void PluginHost::loadAll() {
    for (std::size_t i = 0; i < m_specs.size(); ++i) {
        PluginSpec& spec = m_specs[i];
        if (spec.state != PluginState::Found)
            continue;
        QPluginLoader& loader = *m_loaders[i];
        QObject* instance = loader.instance();
        auto* plugin = qobject_cast<RemediationPlugin*>(instance);
        if (!plugin) {
            spec.state = PluginState::Failed;
            spec.error = loader.errorString();
            continue;
        }
        spec.state = PluginState::Loaded;
        QString error;
        if (!plugin->initialize(&error)) {
            spec.state = PluginState::Failed;
            spec.error = error.isEmpty() ? QStringLiteral("initialization failed") : error;
            continue;
        }
        spec.state = PluginState::Initialized;
    }
}

RemediationPlugin* PluginHost::pluginFor(const QString& actionKind) const {
    for (std::size_t i = 0; i < m_specs.size(); ++i) {
        if (m_specs[i].state == PluginState::Initialized && m_specs[i].actionKinds.contains(actionKind))
            return qobject_cast<RemediationPlugin*>(m_loaders[i]->instance());
    }
    return nullptr;
}

const PluginSpec* PluginHost::specForKind(const QString& actionKind) const {
    for (const auto& spec : m_specs)
        if ((spec.state == PluginState::Found || spec.state == PluginState::Initialized) &&
            spec.actionKinds.contains(actionKind))
            return &spec;
    return nullptr;
}

void PluginHost::probeAll(const QString& runnerPath, int timeoutMs) {
    for (auto& spec : m_specs) {
        if (spec.state != PluginState::Found)
            continue;
        RunnerRequest req;
        req.runnerPath = runnerPath;
        req.pluginPath = spec.path;
        req.mode = QStringLiteral("probe");
        req.timeoutMs = timeoutMs;
        auto r = runInRunner(req, CancelToken(), {});
        if (!r) {
            spec.state = PluginState::Failed;
            spec.error = QString::fromStdString(r.error().message);
        } else if (!r->ok) {
            spec.state = PluginState::Failed;
            spec.error = QString::fromStdString(r->error);
        } else {
            spec.state = PluginState::Initialized;
        }
    }
}

} // namespace cairn::plugins
