// Fuzz target: plugin metadata validation (specFromMetadataJson / specFromMetadata), what PluginHost
// reads from a plugin library before running any of its code. The input is tried as the whole Qt
// metadata object ({"IID": ..., "MetaData": {...}}) and, when it is a JSON object, as the MetaData part
// wrapped with Cairn's interface id (the shape of the plugins' own .json files).
// Beyond "no crash, no UB": an invalid spec has an error sentence, a valid one has a well-formed id,
// versions that this host accepts and at least one action kind.
// fuzz-seeds: plugins/*/*.json
// fuzz-max-len: 8192
#include "api/pluginmetadata.h"
#include "api/remediationplugin.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void check(const cairn::plugins::PluginSpec& spec) {
    using cairn::plugins::PluginState;
    if (spec.state == PluginState::Invalid) {
        if (spec.error.isEmpty()) {
            std::fprintf(stderr, "invalid plugin metadata without an error\n");
            std::abort();
        }
        return;
    }
    const bool ok = spec.state == PluginState::Found && spec.error.isEmpty() && !spec.id.isEmpty() &&
                    spec.id.size() <= 64 && !spec.version.isEmpty() && !spec.actionKinds.isEmpty() &&
                    cairn::plugins::compareVersions(spec.compatVersion,
                                                    QLatin1String(cairn::plugins::kPluginApiVersion)) <= 0;
    if (!ok) {
        std::fprintf(stderr, "accepted plugin metadata breaks an invariant: id '%s' state %s\n",
                     qPrintable(spec.id), qPrintable(cairn::plugins::toString(spec.state)));
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArrayView json(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    check(cairn::plugins::specFromMetadataJson(json, QStringLiteral("fuzz input")));
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray());
    if (doc.isObject()) {
        QJsonObject meta;
        meta.insert(QStringLiteral("IID"), QStringLiteral(CairnRemediationPlugin_iid));
        meta.insert(QStringLiteral("MetaData"), doc.object());
        check(cairn::plugins::specFromMetadata(meta, QStringLiteral("fuzz input")));
    }
    return 0;
}
