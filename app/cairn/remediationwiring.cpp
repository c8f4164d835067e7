#include "remediationwiring.h"

#include "api/pluginexecutor.h"
#include "api/pluginhost.h"
#include "cairn/remediation/auditlog.h"
#include "cairn/remediation/policy.h"
#include "ui/mainwindow.h"
#include "ui/pluginsdialog.h"
#include "ui/remediationpage.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>

#include <memory>

namespace cairn::app {

QString addRemediationPage(ui::MainWindow& window) {
    using namespace cairn::remediation;
    auto store = WorkspaceAuditStore::open({});
    if (!store) {
        const QString err = QStringLiteral("Remediation is unavailable: %1")
                                .arg(QString::fromStdString(store.error().what()));
        window.showError(err);
        return err;
    }
    std::shared_ptr<AuditStore> sharedStore(std::move(*store));
    // The log keeps its store alive through the aliasing deleter below.
    auto log =
        std::shared_ptr<AuditLog>(new AuditLog(*sharedStore), [sharedStore](AuditLog* l) { delete l; });

    const QString configDir =
        QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/cairn");
    PolicyConfig policy; // deny by default
    QString problem;
    QFile policyFile(configDir + QStringLiteral("/remediation-policy.json"));
    if (policyFile.open(QIODevice::ReadOnly)) {
        auto p = parsePolicy(policyFile.readAll().toStdString());
        if (p)
            policy = *p;
        else
            problem = QStringLiteral("The remediation policy is invalid, so every change is denied: %1")
                          .arg(QString::fromStdString(p.error().what()));
    }
    QJsonObject pluginConfigs;
    QFile pluginsFile(configDir + QStringLiteral("/plugins.json"));
    if (pluginsFile.open(QIODevice::ReadOnly))
        pluginConfigs = QJsonDocument::fromJson(pluginsFile.readAll()).object();

    auto host = std::make_shared<plugins::PluginHost>();
    host->discover(plugins::PluginHost::defaultSearchPaths(QCoreApplication::applicationDirPath()));
    const QString runner = plugins::findPluginRunner(QCoreApplication::applicationDirPath());
    if (!runner.isEmpty())
        host->probeAll(runner);

    ui::RemediationBackend backend;
    // The executor refers to the host; the deleter keeps the host alive as long as the executor.
    backend.executor = std::shared_ptr<Executor>(new plugins::PluginExecutor(*host, runner, pluginConfigs),
                                                 [host](Executor* e) { delete e; });
    backend.policy = std::make_shared<PolicyEngine>(policy);
    backend.log = log;
    backend.clock = std::make_shared<SystemClock>();
    const QString user = qEnvironmentVariable("USER", QStringLiteral("operator"));
    auto* page = new ui::RemediationPage(backend, window.taskRunner(), user);
    QObject::connect(page, &ui::RemediationPage::pluginsRequested, page, [host, page] {
        std::vector<ui::PluginRow> rows;
        for (const auto& s : host->plugins())
            rows.push_back(ui::PluginRow{s.id, s.version, plugins::toString(s.state), s.risk, s.actionKinds,
                                         s.error, s.path});
        ui::PluginsDialog dialog(std::move(rows), page);
        dialog.exec();
    });
    window.addPage(QStringLiteral("Remediation"), page, QKeySequence(QStringLiteral("Ctrl+9")));
    if (!problem.isEmpty())
        window.showError(problem);
    return problem;
}

} // namespace cairn::app
