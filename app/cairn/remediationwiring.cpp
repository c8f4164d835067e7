#include "remediationwiring.h"

#include "api/pluginexecutor.h"
#include "api/pluginhost.h"
#include "cairn/demo/demosources.h"
#include "cairn/remediation/auditlog.h"
#include "cairn/remediation/demoexecutor.h"
#include "cairn/remediation/policy.h"
#include "cairn/remediation/proposal.h"
#include "ui/anomalypage.h"
#include "ui/mainwindow.h"
#include "ui/pluginsdialog.h"
#include "ui/remediationpage.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

#include <memory>

namespace cairn::app {

namespace {

// The environment proposals name: the one the policy's allow rules use when they all agree, else "demo".
std::string policyEnvironment(const remediation::PolicyConfig& policy) {
    std::string env;
    for (const auto& rule : policy.allow) {
        if (rule.environment == "*")
            continue;
        if (!env.empty() && env != rule.environment)
            return "demo";
        env = rule.environment;
    }
    return env.empty() ? "demo" : env;
}

} // namespace

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
    auto plugin = std::shared_ptr<Executor>(new plugins::PluginExecutor(*host, runner, pluginConfigs),
                                            [host](Executor* e) { delete e; });
    auto router = std::make_shared<RoutingExecutor>();
    router->add("", plugin);
    // How an anomaly is remediated: over SSH when the SSH plugin is configured, else with kubectl when it is,
    // else on the demo itself.
    ProposalOptions options;
    const QJsonObject ssh = pluginConfigs.value(QStringLiteral("ssh")).toObject();
    const QJsonObject kube = pluginConfigs.value(QStringLiteral("kubectl")).toObject();
    if (!ssh.isEmpty()) {
        options.via = ProposalOptions::Via::Ssh;
        options.sshRollbackScript = ssh.value(QStringLiteral("rollbackScript")).toString().toStdString();
        options.sshFreeDiskCommand =
            ssh.value(QStringLiteral("freeDiskCommand")).toString(QStringLiteral("journal")).toStdString();
    } else if (!kube.value(QStringLiteral("contexts")).toArray().isEmpty()) {
        options.via = ProposalOptions::Via::Kubernetes;
        options.kubeContext =
            kube.value(QStringLiteral("contexts")).toArray().first().toString().toStdString();
        options.kubeNamespace =
            kube.value(QStringLiteral("namespace")).toString(QStringLiteral("shop")).toStdString();
    }
    options.environment = policyEnvironment(policy);
    std::shared_ptr<demo::DemoEnvironment> env;
    // On the demo, "demo.restart-pod" / "demo.free-disk" act on the simulated shop, real SSH and kubectl
    // actions also reach it (the demo reacts as if its hosts were the ones acted on) and verification reads
    // it.
    if (auto demoSource = std::dynamic_pointer_cast<demo::DemoMetricSource>(window.backends().metrics)) {
        env = demoSource->environment();
        router->add("demo.",
                    std::shared_ptr<Executor>(new DemoExecutor(*env), [env](Executor* e) { delete e; }));
        for (const char* prefix : {"ssh.", "k8s."})
            router->add(prefix, std::shared_ptr<Executor>(new DemoMirrorExecutor(plugin, *env),
                                                          [env](Executor* e) { delete e; }));
        backend.probe =
            std::shared_ptr<MetricProbe>(new DemoMetricProbe(*env), [env](MetricProbe* p) { delete p; });
    }
    backend.executor = router;
    backend.policy = std::make_shared<PolicyEngine>(policy);
    backend.log = log;
    backend.clock = std::make_shared<SystemClock>();
    if (auto entries = log->entries())
        backend.history =
            std::make_shared<ExecutionHistory>(historyFromAudit(*entries)); // rate limits survive restarts
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
    if (env) {
        page->setAnomalyProposer([env, options](const detect::Anomaly& anomaly) {
            ProposalOptions o = options;
            o.now = env->now();
            return proposeForAnomaly(anomaly, env->topology(), o);
        });
    }
    window.addPage(QStringLiteral("Remediation"), page, QKeySequence(QStringLiteral("Ctrl+9")));
    // "Remediate…" on the Anomalies page opens this page with the proposal.
    if (auto* anomalies = window.findChild<ui::AnomalyPage*>()) {
        QObject::connect(anomalies, &ui::AnomalyPage::remediateRequested, page,
                         [page, &window](const detect::Anomaly& anomaly) {
                             window.showPage(QStringLiteral("Remediation"));
                             page->proposeForAnomaly(anomaly);
                         });
    }
    if (!problem.isEmpty())
        window.showError(problem);
    return problem;
}

} // namespace cairn::app
