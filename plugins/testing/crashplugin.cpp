// Test-only plugins. ChaosPlugin misbehaves on purpose (segfault, throw, hang, abort) so tests can show that
// a plugin failing during an action never takes Cairn down. TooNewPlugin declares a compatVersion this Cairn
// does not provide, so the host must refuse it from metadata alone (its code crashes if it ever runs).
#include "api/remediationplugin.h"

#include <QObject>
#include <QThread>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

namespace cairn::plugins::testing {

class ChaosPlugin final : public QObject, public RemediationPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CairnRemediationPlugin_iid FILE "crashplugin.json")
    Q_INTERFACES(cairn::plugins::RemediationPlugin)
public:
    bool initialize(QString* errorString) override {
        if (qEnvironmentVariableIsSet("CAIRN_TEST_CRASH_ON_INIT"))
            std::raise(SIGSEGV);
        if (qEnvironmentVariableIsSet("CAIRN_TEST_REFUSE_INIT")) {
            *errorString = QStringLiteral("refused on purpose");
            return false;
        }
        return true;
    }
    QStringList actionKinds() const override {
        return {QStringLiteral("test.echo"), QStringLiteral("test.crash"), QStringLiteral("test.throw"),
                QStringLiteral("test.hang"), QStringLiteral("test.abort")};
    }
    PluginResult dryRun(const QJsonObject& action, const QJsonObject&) override {
        PluginResult r;
        r.ok = true;
        r.command = QStringLiteral("chaos ") + action.value(QStringLiteral("kind")).toString();
        return r;
    }
    // A real segmentation fault. Exempt from UBSan's null check so sanitizer builds die by the signal too.
    __attribute__((no_sanitize("undefined"))) static void segfault() {
        volatile int* p = nullptr;
        *p = 42;
    }
    PluginResult execute(const QJsonObject& action, const QJsonObject&, const OutputFn& output,
                         const std::atomic<bool>& cancel) override {
        const QString kind = action.value(QStringLiteral("kind")).toString();
        output(QStringLiteral("stdout"), QStringLiteral("starting %1\n").arg(kind));
        if (kind == QLatin1String("test.crash"))
            segfault();
        if (kind == QLatin1String("test.abort"))
            std::abort();
        if (kind == QLatin1String("test.throw"))
            throw std::runtime_error("plugin bug");
        if (kind == QLatin1String("test.hang")) {
            // Ignores cancellation on purpose: the host must still end it.
            for (;;)
                QThread::msleep(100);
        }
        (void)cancel;
        PluginResult r;
        r.ok = true;
        r.command = QStringLiteral("chaos echo");
        r.output = QStringLiteral("echo ok\n");
        return r;
    }
};

} // namespace cairn::plugins::testing

#include "crashplugin.moc"
