// End to end from the GUI: the Remediation page wired as the app wires it (the SSH plugin run out of process
// by cairn-plugin-runner, its real actions mirrored into the demo environment, verification read from the
// demo, the audit log in a workspace database), against a real sshd (Debian's openssh-server) started on
// 127.0.0.1 on a free port with a host key and authorized_keys generated here and an ssh_config that points
// the demo's host names at it. The operator proposes from a demo anomaly, reads the exact remote command in
// the dry run, approves in two-person mode, executes (a real command in the test directory, its output
// streaming into the panel), sees the verification hold and every step in the audit log, which verifies with
// `cairn-cli audit verify`. The failure path: a restart that cannot fix a slow dependency fails verification
// and the rollback runs (policy: automatic) or is proposed (policy: people decide). The panel is rendered at
// each stage to PNG (in the build tree's test-screens/).
#include "../plugins/sshdfixture.h"
#include "../support/demoworld.h"
#include "api/pluginexecutor.h"
#include "api/pluginhost.h"
#include "cairn/demo/demoenvironment.h"
#include "cairn/remediation/demoexecutor.h"
#include "cairn/remediation/proposal.h"
#include "ui/auditlogview.h"
#include "ui/remediationpage.h"
#include "ui/remediationpanel.h"
#include "ui/taskrunner.h"
#include "ui/theme.h"

#include <QApplication>

#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

#include <atomic>
#include <cmath>

using namespace cairn;
using namespace cairn::remediation;
using namespace cairn::ui;

namespace {

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class TestRemediationE2E : public QObject {
    Q_OBJECT
    SshdFixture m_sshd;
    QJsonObject m_sshConfig;
    plugins::PluginHost m_host;
    QString m_work; // where the remote commands write
    QString m_shots;

    struct World : cairn::testing::DemoWorld {
        std::shared_ptr<AuditLog> log;
        std::shared_ptr<AuditStore> store;
        QString dbPath;
        TaskRunner runner;
        std::unique_ptr<RemediationPage> page;
    };

    std::unique_ptr<World> makeWorld(const QString& name, bool autoRollback, int approvals) {
        auto w = std::make_unique<World>();
        w->dbPath = m_sshd.path(name + QStringLiteral(".cairn"));
        auto store = WorkspaceAuditStore::open(w->dbPath.toStdString());
        if (!store)
            return nullptr;
        w->store = std::shared_ptr<AuditStore>(std::move(*store));
        w->log = std::make_shared<AuditLog>(*w->store);

        PolicyConfig p;
        p.allow.push_back(AllowRule{"ssh.restart-unit", "demo", "node-*", approvals});
        p.allow.push_back(AllowRule{"ssh.run-script", "demo", "node-*", 1});
        p.parameters["ssh.restart-unit"].push_back(
            ParameterRule{"unit", "[a-z0-9-]{1,40}\\.service", true, {}, {}});
        p.parameters["ssh.run-script"].push_back(ParameterRule{"script", "rollback-release", true, {}, {}});
        p.parameters["ssh.run-script"].push_back(ParameterRule{"service", "[a-z0-9-]{1,40}", true, {}, {}});
        p.maxReplicaFraction = 1.0;
        p.autoRollback = autoRollback;

        auto plugin = std::make_shared<plugins::PluginExecutor>(
            m_host, QStringLiteral(CAIRN_BINARY_DIR "/bin/cairn-plugin-runner"),
            QJsonObject{{"ssh", m_sshConfig}}, 60000);
        auto router = std::make_shared<RoutingExecutor>();
        router->add("", plugin);
        router->add("ssh.", std::make_shared<DemoMirrorExecutor>(plugin, *w->env));
        RemediationBackend b;
        b.executor = router;
        b.probe = std::make_shared<DemoMetricProbe>(*w->env);
        b.policy = std::make_shared<PolicyEngine>(p);
        b.log = w->log;
        b.clock = w->clock();
        w->page = std::make_unique<RemediationPage>(b, &w->runner, QStringLiteral("alice"));
        auto env = w->env;
        w->page->setAnomalyProposer([env](const detect::Anomaly& a) {
            ProposalOptions o;
            o.via = ProposalOptions::Via::Ssh;
            o.sshRollbackScript = "rollback-release";
            o.now = env->now();
            o.verifyWithinMs = 5 * kMinuteMs;
            o.verifyPollMs = 30 * kSecondMs;
            return proposeForAnomaly(a, env->topology(), o);
        });
        w->page->resize(1400, 860);
        w->page->show();
        return w;
    }

    // The anomaly the detector reports for an incident: its primary metric, expected = before the fault,
    // observed = now (3/4 into it).
    static std::optional<detect::Anomaly> anomalyFor(World& w, demo::IncidentKind kind) {
        for (const auto& i : w.env->incidents()) {
            if (i.kind != kind || i.end - i.start < 40 * kMinuteMs)
                continue;
            w.now->store(i.start + (i.end - i.start) * 3 / 4);
            detect::Anomaly a;
            const bool pod = kind == demo::IncidentKind::MemoryLeak;
            a.series.metric = i.primaryMetric;
            a.series.labels = {{"service", i.rootService}};
            if (pod)
                a.series.labels["pod"] = i.rootPod;
            ts::Selector sel;
            sel.metric = a.series.metric;
            for (const auto& [k, v] : a.series.labels)
                sel.equals[k] = v;
            auto before = w.env->query(sel, TimeRange{i.start - 3 * kMinuteMs, i.start}, kMinuteMs);
            auto during =
                w.env->query(sel, TimeRange{w.now->load() - 3 * kMinuteMs, w.now->load()}, kMinuteMs);
            if (!before || !during || before->size() != 1 || during->size() != 1 || before->front().empty() ||
                during->front().empty())
                continue;
            a.expected = before->front().value.front();
            a.observed = during->front().value.back();
            a.peak = w.now->load() - kMinuteMs;
            a.start = i.start;
            a.end = w.now->load();
            a.score = 0.97;
            a.detector = "ensemble";
            a.explanation = i.primaryMetric + " " + std::to_string(std::lround(a.observed)) +
                            " vs expected " + std::to_string(std::lround(a.expected));
            return a;
        }
        return std::nullopt;
    }

    void shoot(QWidget* w, const QString& name) {
        QDir().mkpath(m_shots);
        QVERIFY(w->grab().save(m_shots + QLatin1Char('/') + name));
    }

    static QPushButton* button(RemediationPage& page, const char* name) {
        return page.panel()->findChild<QPushButton*>(QLatin1String(name));
    }

    static QStringList auditTypes(RemediationPage& page) {
        page.auditView()->reload();
        QStringList out;
        for (const auto& e : page.auditView()->model()->entries())
            out << QString::fromStdString(e.type);
        return out;
    }

    static bool settled(RemediationPage& page) { return !page.panel()->isBusy(); }

private slots:
    void initTestCase() {
        applyTheme(*qApp); // the app's look, for the pictures
        if (!m_sshd.prepare() || !m_sshd.start())
            QSKIP(qPrintable(m_sshd.error));
        m_work = m_sshd.path(QStringLiteral("work"));
        QVERIFY(QDir().mkpath(m_work));
        m_shots = QStringLiteral(CAIRN_BINARY_DIR "/test-screens");
        // The remote "systemctl": records the call in the test directory and reports progress line by line.
        QVERIFY(m_sshd.writeFile(QStringLiteral("systemctl"),
                                 QStringLiteral("#!/bin/sh\necho \"$@\" >> '%1/systemctl.log'\n"
                                                "echo \"Stopping $3\"; sleep 0.2\necho \"Starting $3\"; "
                                                "sleep 0.2\necho \"$3 is active (running)\"\n")
                                     .arg(m_work)
                                     .toUtf8(),
                                 true));
        QVERIFY(m_sshd.writeFile(QStringLiteral("rollback-release"),
                                 QStringLiteral("#!/bin/sh\necho \"$@\" >> '%1/rollback.log'\n"
                                                "echo \"$1: back to the previous release\"\n")
                                     .arg(m_work)
                                     .toUtf8(),
                                 true));
        // The demo's host names (node-1, node-2...) all reach the test sshd.
        QVERIFY(m_sshd.writeFile(QStringLiteral("ssh_config"), "Host node-*\n    HostName 127.0.0.1\n"));
        m_sshConfig = m_sshd.pluginConfig();
        m_sshConfig["systemctl"] = m_sshd.path(QStringLiteral("systemctl"));
        m_sshConfig["scripts"] = QJsonObject{
            {"rollback-release",
             QJsonObject{
                 {"path", m_sshd.path(QStringLiteral("rollback-release"))},
                 {"args", QJsonArray{QJsonObject{{"name", "service"}, {"pattern", "[a-z0-9-]{1,40}"}}}}}}};
        m_host.discover({QStringLiteral(CAIRN_BINARY_DIR "/plugins")});
        QVERIFY(m_host.specForKind(QStringLiteral("ssh.restart-unit")));
    }
    void cleanupTestCase() { m_sshd.stop(); }

    void anomalyToVerifiedRestartOverRealSsh() {
        auto w = makeWorld(QStringLiteral("success"), true, 2);
        QVERIFY(w);
        RemediationPage& page = *w->page;
        auto anomaly = anomalyFor(*w, demo::IncidentKind::MemoryLeak);
        QVERIFY2(anomaly, "the demo (seed 7) has no memory leak");
        const std::string pod = anomaly->series.label("pod");
        const std::string service = anomaly->series.label("service");
        const std::string host = w->env->topology().pod(pod)->host;

        // Propose from the anomaly: the dry run shows the exact remote command and changes nothing.
        QCOMPARE(page.proposeForAnomaly(*anomaly), QString());
        QVERIFY(page.originText().contains(QString::fromStdString(anomaly->series.toString())));
        QTRY_VERIFY_WITH_TIMEOUT(settled(page) && page.panel()->state() == State::DryRun, 30000);
        const auto* dry = &*page.panel()->current()->dryRunReport();
        QVERIFY2(dry->ok, dry->error.c_str());
        const QString command = QString::fromStdString(dry->command);
        QVERIFY(command.startsWith(QStringLiteral("ssh ")));
        QVERIFY(command.contains(QStringLiteral("-o BatchMode=yes")));
        QVERIFY(command.contains(QStringLiteral("StrictHostKeyChecking=yes")));
        QVERIFY(command.contains(QStringLiteral("-- %1 ").arg(QString::fromStdString(host))));
        // Exactly this remote command, every word single-quoted, the whole quoted once more for ssh.
        QString remote =
            QStringLiteral("echo CAIRN-PID:$$; exec timeout -k 5 20 '%1' 'restart' '--' '%2.service'")
                .arg(m_sshd.path(QStringLiteral("systemctl")), QString::fromStdString(service));
        remote.replace(QStringLiteral("'"), QStringLiteral("'\\''"));
        QVERIFY2(command.endsWith(QStringLiteral("-- %1 '%2'").arg(QString::fromStdString(host), remote)),
                 qPrintable(command));
        QVERIFY(page.panel()->previewText().contains(command)); // shown exactly, not paraphrased
        QVERIFY(!QFile::exists(m_work + QStringLiteral("/systemctl.log")));
        QVERIFY(w->env->remediations().empty());
        QCOMPARE(page.panel()->current()->verdict().requiredApprovals, 2);
        QVERIFY(page.panel()->verdictText().startsWith(QStringLiteral("Policy: ")));
        shoot(&page, QStringLiteral("remediation-1-dry-run.png"));

        // Two-person mode: the proposer's approval alone does not enable Execute.
        QPushButton* approve = button(page, "approve");
        QPushButton* execute = button(page, "execute");
        auto* reason = page.panel()->findChild<QLineEdit*>(QStringLiteral("reason"));
        auto* op = page.panel()->findChild<QLineEdit*>(QStringLiteral("operator"));
        QTest::keyClicks(reason, QStringLiteral("leak confirmed on the chart"));
        QTest::mouseClick(approve, Qt::LeftButton);
        QCOMPARE(page.panel()->current()->validApprovals().size(), std::size_t(1));
        QVERIFY(page.panel()->statusText().contains(QStringLiteral("approvals 1 of 2")));
        // Execute is only offered once the policy's approvals are in; forcing it is refused by core's guard.
        page.panel()->execute();
        QTRY_VERIFY_WITH_TIMEOUT(settled(page), 30000);
        QVERIFY(page.panel()->state() == State::DryRun); // one of two approvals: not approved yet
        QVERIFY(!execute->isEnabled());
        QVERIFY(page.panel()->statusText().contains(QStringLiteral("approval")));
        QVERIFY(!QFile::exists(m_work + QStringLiteral("/systemctl.log")));
        op->clear();
        QTest::keyClicks(op, QStringLiteral("bob"));
        QTest::keyClicks(reason, QStringLiteral("second pair of eyes"));
        QTest::mouseClick(approve, Qt::LeftButton);
        QCOMPARE(page.panel()->current()->validApprovals().size(), std::size_t(2));
        QVERIFY(execute->isEnabled());
        shoot(&page, QStringLiteral("remediation-2-approved.png"));

        // Execute: the real command runs over ssh, its output streams in, the demo reacts, verification
        // holds.
        QTest::mouseClick(execute, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(page.panel()->outputText().contains(QStringLiteral("Stopping")), 30000);
        // Streamed: the first line is in the panel while the remote command is still running (it sleeps 0.4
        // s).
        QVERIFY(page.panel()->isBusy());
        QVERIFY(!page.panel()->outputText().contains(QStringLiteral("is active (running)")));
        QTRY_VERIFY_WITH_TIMEOUT(settled(page) && page.panel()->state() != State::Executing &&
                                     page.panel()->state() != State::Verifying,
                                 60000);
        QVERIFY2(page.panel()->state() == State::Succeeded, qPrintable(page.panel()->statusText()));
        QCOMPARE(readAll(m_work + QStringLiteral("/systemctl.log")).trimmed(),
                 QStringLiteral("restart -- %1.service").arg(QString::fromStdString(service)));
        const QString out = page.panel()->outputText();
        QVERIFY2(out.contains(QStringLiteral("is active (running)")), qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("demo: restarted pod %1").arg(QString::fromStdString(pod))));
        QVERIFY(page.panel()->statusText().contains(QStringLiteral("verification held")));
        QVERIFY(!execute->isEnabled() && !approve->isEnabled() && !button(page, "cancel")->isEnabled());
        QCOMPARE(QString::fromStdString(page.panel()->current()->executionReport()->command), command);
        bool restarted = false;
        for (const auto& r : w->env->remediations())
            restarted = restarted || r.pod == pod;
        QVERIFY(restarted);
        shoot(&page, QStringLiteral("remediation-3-succeeded.png"));

        // Every step is in the audit log view, and the chain verifies (in the view and with cairn-cli).
        const QStringList types = auditTypes(page);
        for (const char* step :
             {"propose", "dry-run", "approve", "execute-start", "execute-finish", "verify"})
            QVERIFY2(types.contains(QLatin1String(step)), qPrintable(types.join(',')));
        QCOMPARE(types.count(QStringLiteral("approve")), 2);
        QVERIFY(page.auditView()->verify());
        QProcess cli;
        cli.start(QStringLiteral(CAIRN_BINARY_DIR "/bin/cairn-cli"),
                  {QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--db"), w->dbPath});
        QVERIFY(cli.waitForFinished(30000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        shoot(&page, QStringLiteral("remediation-4-audit.png"));
    }

    void failedVerificationRunsTheRollbackWhenPolicySays() {
        auto w = makeWorld(QStringLiteral("rollback"), true, 1);
        QVERIFY(w);
        RemediationPage& page = *w->page;
        auto anomaly = anomalyFor(*w, demo::IncidentKind::DependencyLatency);
        if (!anomaly)
            QSKIP("the demo (seed 7) has no long enough dependency latency incident");
        QFile::remove(m_work + QStringLiteral("/rollback.log"));
        QCOMPARE(page.proposeForAnomaly(*anomaly), QString());
        QTRY_VERIFY_WITH_TIMEOUT(settled(page) && page.panel()->state() == State::DryRun, 30000);
        QVERIFY2(page.panel()->current()->dryRunReport()->ok,
                 page.panel()->current()->dryRunReport()->error.c_str());
        page.panel()->approve();
        QTest::mouseClick(button(page, "execute"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            settled(page) && page.panel()->current() && isTerminal(*page.panel()->state()), 90000);
        QVERIFY2(page.panel()->state() == State::RolledBack, qPrintable(page.panel()->statusText()));
        // The rollback ran once per host of the action, with the service as its validated argument.
        const QStringList lines = readAll(m_work + QStringLiteral("/rollback.log")).trimmed().split('\n');
        QCOMPARE(lines.size(), qsizetype(page.panel()->current()->action().targets.size()));
        for (const auto& l : lines)
            QCOMPARE(l, QString::fromStdString(anomaly->series.label("service")));
        const QStringList types = auditTypes(page);
        QVERIFY2(types.contains(QStringLiteral("rollback-start")) &&
                     types.contains(QStringLiteral("rollback-finish")),
                 qPrintable(types.join(',')));
        QVERIFY(page.auditView()->verify());
        shoot(&page, QStringLiteral("remediation-5-rolled-back.png"));
    }

    void failedVerificationProposesTheRollbackWhenPeopleDecide() {
        auto w = makeWorld(QStringLiteral("propose-rollback"), false, 1);
        QVERIFY(w);
        RemediationPage& page = *w->page;
        auto anomaly = anomalyFor(*w, demo::IncidentKind::DependencyLatency);
        if (!anomaly)
            QSKIP("the demo (seed 7) has no long enough dependency latency incident");
        QFile::remove(m_work + QStringLiteral("/rollback.log"));
        QCOMPARE(page.proposeForAnomaly(*anomaly), QString());
        QTRY_VERIFY_WITH_TIMEOUT(settled(page) && page.panel()->state() == State::DryRun, 30000);
        page.panel()->approve();
        page.panel()->execute();
        QTRY_VERIFY_WITH_TIMEOUT(settled(page) && isTerminal(*page.panel()->state()), 90000);
        QVERIFY(page.panel()->state() == State::Failed);
        QVERIFY(page.panel()->statusText().contains(QStringLiteral("rollback proposed")));
        QVERIFY(!QFile::exists(m_work + QStringLiteral("/rollback.log"))); // nothing ran on its own
        QPushButton* rollback = button(page, "proposeRollback");
        QVERIFY(rollback->isVisible());
        shoot(&page, QStringLiteral("remediation-6-rollback-proposed.png"));
        QTest::mouseClick(rollback, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(settled(page) && page.panel()->state() == State::DryRun, 30000);
        QCOMPARE(page.panel()->current()->action().kind, std::string("ssh.run-script"));
        QVERIFY(page.panel()->previewText().contains(m_sshd.path(QStringLiteral("rollback-release"))));
        page.panel()->approve();
        page.panel()->execute();
        QTRY_VERIFY_WITH_TIMEOUT(settled(page) && isTerminal(*page.panel()->state()), 60000);
        QVERIFY(page.panel()->state() == State::Succeeded);
        for (const auto& l : readAll(m_work + QStringLiteral("/rollback.log")).trimmed().split('\n'))
            QCOMPARE(l, QString::fromStdString(anomaly->series.label("service")));
        QVERIFY(page.auditView()->verify());
    }

    void anomalyWithoutRemedyIsExplainedOnThePage() {
        auto w = makeWorld(QStringLiteral("none"), true, 1);
        QVERIFY(w);
        detect::Anomaly a;
        a.series.metric = "request_rate";
        a.series.labels = {{"service", w->env->topology().services[0].name}};
        a.expected = 100;
        a.observed = 20;
        const QString error = w->page->proposeForAnomaly(a);
        QVERIFY(error.contains(QStringLiteral("No remediation for the anomaly in request_rate")));
        QCOMPARE(w->page->originText(), error);
        QVERIFY(!w->page->panel()->current());
    }
};

QTEST_MAIN(TestRemediationE2E)
#include "tst_remediation_e2e.moc"
