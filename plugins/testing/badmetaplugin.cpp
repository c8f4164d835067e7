// Test-only plugin whose metadata asks for a newer plugin API; its code must never run.
#include "api/remediationplugin.h"

#include <QObject>

#include <cstdlib>

namespace cairn::plugins::testing {

class TooNewPlugin final : public QObject, public RemediationPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CairnRemediationPlugin_iid FILE "badmetaplugin.json")
    Q_INTERFACES(cairn::plugins::RemediationPlugin)
public:
    bool initialize(QString*) override { std::abort(); }
    QStringList actionKinds() const override { return {QStringLiteral("test.never")}; }
    PluginResult dryRun(const QJsonObject&, const QJsonObject&) override { std::abort(); }
    PluginResult execute(const QJsonObject&, const QJsonObject&, const OutputFn&,
                         const std::atomic<bool>&) override {
        std::abort();
    }
};

} // namespace cairn::plugins::testing

#include "badmetaplugin.moc"
