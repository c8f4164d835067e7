#include "pluginhost.h"

#include "pluginexecutor.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLibrary>
#include <QRegularExpression>

namespace cairn::plugins {

QString toString(PluginState state) {
    switch (state) {
    case PluginState::Found:
        return QStringLiteral("found");
    case PluginState::Invalid:
        return QStringLiteral("invalid");
    case PluginState::Loaded:
        return QStringLiteral("loaded");
    case PluginState::Initialized:
        return QStringLiteral("running");
    case PluginState::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

int compareVersions(const QString& a, const QString& b) {
    const QStringList pa = a.split(QLatin1Char('.'));
    const QStringList pb = b.split(QLatin1Char('.'));
    for (qsizetype i = 0; i < std::max(pa.size(), pb.size()); ++i) {
        const int x = i < pa.size() ? pa[i].toInt() : 0;
        const int y = i < pb.size() ? pb[i].toInt() : 0;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

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

namespace {

bool validId(const QString& id) {
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_.-]{1,63}$"));
    return re.match(id).hasMatch();
}

bool validVersion(const QString& v) {
    static const QRegularExpression re(QStringLiteral("^\\d+(\\.\\d+){0,3}$"));
    return re.match(v).hasMatch();
}

} // namespace

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

            PluginSpec spec;
            spec.path = canonical;
            auto loader = std::make_unique<QPluginLoader>(canonical);
            // metaData() reads the embedded JSON without running the library's code.
            const QJsonObject meta = loader->metaData();
            if (meta.isEmpty()) {
                spec.state = PluginState::Invalid;
                spec.error = QStringLiteral("not a Qt plugin (no metadata)");
            } else if (meta.value(QStringLiteral("IID")).toString() !=
                       QLatin1String(CairnRemediationPlugin_iid)) {
                spec.state = PluginState::Invalid;
                spec.error = QStringLiteral("implements %1, not %2")
                                 .arg(meta.value(QStringLiteral("IID")).toString(),
                                      QLatin1String(CairnRemediationPlugin_iid));
            } else {
                const QJsonObject md = meta.value(QStringLiteral("MetaData")).toObject();
                spec.id = md.value(QStringLiteral("id")).toString();
                spec.name = md.value(QStringLiteral("name")).toString(spec.id);
                spec.version = md.value(QStringLiteral("version")).toString();
                spec.compatVersion = md.value(QStringLiteral("compatVersion")).toString();
                spec.risk = md.value(QStringLiteral("risk")).toString();
                for (const auto& k : md.value(QStringLiteral("actionKinds")).toArray())
                    spec.actionKinds << k.toString();
                if (!validId(spec.id))
                    spec.error = QStringLiteral("metadata field \"id\" is missing or malformed");
                else if (!validVersion(spec.version))
                    spec.error = QStringLiteral("metadata field \"version\" is missing or malformed");
                else if (!validVersion(spec.compatVersion))
                    spec.error = QStringLiteral("metadata field \"compatVersion\" is missing or malformed");
                else if (compareVersions(spec.compatVersion, QLatin1String(kPluginApiVersion)) > 0)
                    spec.error = QStringLiteral("needs plugin API %1, this Cairn provides %2")
                                     .arg(spec.compatVersion, QLatin1String(kPluginApiVersion));
                else if (spec.actionKinds.isEmpty())
                    spec.error = QStringLiteral("metadata declares no action kinds");
                spec.state = spec.error.isEmpty() ? PluginState::Found : PluginState::Invalid;
            }
            m_specs.push_back(spec);
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
