// Plugin metadata: what a remediation plugin declares about itself in the JSON embedded in its library
// (id, name, version, compatVersion, actionKinds, risk), and the validation PluginHost applies before any
// of the plugin's code runs. specFromMetadata is a pure function, so it is tested and fuzzed on its own.
// Thread-safety: values and pure functions.
#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace cairn::plugins {

// Version of the plugin API this host implements; plugins declare the oldest API they work with.
inline constexpr const char* kPluginApiVersion = "1.0.0";

enum class PluginState { Found, Invalid, Loaded, Initialized, Failed };
QString toString(PluginState state);

struct PluginSpec {
    QString path;
    QString id;
    QString name;
    QString version;
    QString compatVersion;
    QStringList actionKinds;
    QString risk;
    PluginState state = PluginState::Found;
    QString error;
};

// Compares dotted versions numerically: -1, 0 or 1.
int compareVersions(const QString& a, const QString& b);

// Validates the metadata object QPluginLoader::metaData() returns ({"IID": ..., "MetaData": {...}}).
// The result's state is Found when the plugin may be loaded, otherwise Invalid with a one-line error.
PluginSpec specFromMetadata(const QJsonObject& meta, const QString& path);
// The same from JSON text (a file or a fuzzer's input); text that is not a JSON object is Invalid.
PluginSpec specFromMetadataJson(QByteArrayView json, const QString& path);

} // namespace cairn::plugins
