#include "pluginmetadata.h"

#include "remediationplugin.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include <algorithm>

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

namespace {

bool validId(const QString& id) {
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_.-]{1,63}$"));
    return re.match(id).hasMatch();
}

// Up to four numeric parts of at most 9 digits each (so every part fits an int).
bool validVersion(const QString& v) {
    static const QRegularExpression re(QStringLiteral("^\\d{1,9}(\\.\\d{1,9}){0,3}$"));
    return re.match(v).hasMatch();
}

} // namespace

PluginSpec specFromMetadata(const QJsonObject& meta, const QString& path) {
    PluginSpec spec;
    spec.path = path;
    const auto invalid = [&spec](const QString& error) {
        spec.state = PluginState::Invalid;
        spec.error = error;
        return spec;
    };
    if (meta.isEmpty())
        return invalid(QStringLiteral("not a Qt plugin (no metadata)"));
    const QString iid = meta.value(QStringLiteral("IID")).toString();
    if (iid != QLatin1String(CairnRemediationPlugin_iid))
        return invalid(QStringLiteral("implements %1, not %2")
                           .arg(iid.isEmpty() ? QStringLiteral("no interface") : iid,
                                QLatin1String(CairnRemediationPlugin_iid)));
    const QJsonObject md = meta.value(QStringLiteral("MetaData")).toObject();
    spec.id = md.value(QStringLiteral("id")).toString();
    spec.name = md.value(QStringLiteral("name")).toString(spec.id);
    spec.version = md.value(QStringLiteral("version")).toString();
    spec.compatVersion = md.value(QStringLiteral("compatVersion")).toString();
    spec.risk = md.value(QStringLiteral("risk")).toString();
    bool kindsValid = md.value(QStringLiteral("actionKinds")).isArray();
    for (const auto& k : md.value(QStringLiteral("actionKinds")).toArray()) {
        if (!k.isString() || k.toString().isEmpty())
            kindsValid = false;
        else
            spec.actionKinds << k.toString();
    }
    if (!validId(spec.id))
        return invalid(QStringLiteral("metadata field \"id\" is missing or malformed"));
    if (!validVersion(spec.version))
        return invalid(QStringLiteral("metadata field \"version\" is missing or malformed"));
    if (!validVersion(spec.compatVersion))
        return invalid(QStringLiteral("metadata field \"compatVersion\" is missing or malformed"));
    if (compareVersions(spec.compatVersion, QLatin1String(kPluginApiVersion)) > 0)
        return invalid(QStringLiteral("needs plugin API %1, this Cairn provides %2")
                           .arg(spec.compatVersion, QLatin1String(kPluginApiVersion)));
    if (!kindsValid)
        return invalid(QStringLiteral("metadata field \"actionKinds\" must be a list of action names"));
    if (spec.actionKinds.isEmpty())
        return invalid(QStringLiteral("metadata declares no action kinds"));
    spec.state = PluginState::Found;
    return spec;
}

PluginSpec specFromMetadataJson(QByteArrayView json, const QString& path) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        PluginSpec spec;
        spec.path = path;
        spec.state = PluginState::Invalid;
        spec.error = error.error != QJsonParseError::NoError
                         ? QStringLiteral("metadata is not valid JSON (%1 at offset %2)")
                               .arg(error.errorString())
                               .arg(error.offset)
                         : QStringLiteral("metadata is not a JSON object");
        return spec;
    }
    return specFromMetadata(doc.object(), path);
}

} // namespace cairn::plugins
