// Drives the remediation panel, the audit log view and the plugins dialog as an operator would: propose,
// read the preview and verdict, type a reason, click Approve and Execute, watch live output, cancel a hanging
// execution, filter and verify the audit log, export it. Uses a test executor (core's Executor contract).
#include "ui/auditlogview.h"
#include "ui/pluginsdialog.h"
#include "ui/remediationpage.h"
#include "ui/remediationpanel.h"
#include "ui/taskrunner.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace cairn;
using namespace cairn::remediation;
using namespace cairn::ui;

namespace {

class ScriptedExecutor final : public Executor {
public:
    std::atomic<bool> hang{false};
    std::atomic<int> executions{0};
    Result<ExecutionReport> dryRun(const Action& a, const CancelToken&) override {
        return ExecutionReport{true,
                               "ssh -o BatchMode=yes -- " + a.targets[0].name + " 'systemctl restart nginx'",
                               "on " + a.targets[0].name + " runs: systemctl restart nginx", ""};
    }
    Result<ExecutionReport> execute(const Action& a, const CancelToken& cancel,
                                    const OutputSink& out) override {
        ++executions;
        out("[" + a.targets[0].name + "] restarting nginx\n");
        while (hang && !cancel.isCancelled())
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (cancel.isCancelled())
            return fail(ErrorCode::Cancelled, "the plugin action was cancelled");
        out("[" + a.targets[0].name + "] done\n");
        return ExecutionReport{true, "ssh ...", "done", ""};
    }
};

class SteadyProbe final : public MetricProbe {
public:
    Result<double> sample(const std::string&, const Target&, TimeMs) override { return 0.4; }
};

Action restart() {
    Action a;
    a.id = "rem-ui-1";
    a.kind = "ssh.restart-unit";
    a.targets.push_back(Target{"web-1", "web", "prod"});
    a.parameters["unit"] = "nginx.service";
    a.risk = RiskClass::Medium;
    a.reversible = true;
    a.expectedEffect = "memory back under 80%";
    a.verification = VerificationCheck{"memory_used_ratio", Comparator::Below, 0.8, 60000, 1000, {}};
    return a;
}

struct Fixture {
    MemoryAuditStore store;
    std::shared_ptr<AuditLog> log = std::make_shared<AuditLog>(store);
    std::shared_ptr<ScriptedExecutor> executor = std::make_shared<ScriptedExecutor>();
    TaskRunner runner;
    RemediationBackend backend() {
        PolicyConfig p;
        p.allow.push_back(AllowRule{"ssh.restart-unit", "prod", "web-*", 1});
        p.parameters["ssh.restart-unit"].push_back(ParameterRule{"unit", "[a-z.]+", true, {}, {}});
        RemediationBackend b;
        b.executor = executor;
        b.probe = std::make_shared<SteadyProbe>();
        b.policy = std::make_shared<PolicyEngine>(p);
        b.log = log;
        b.clock = std::make_shared<SystemClock>();
        return b;
    }
};

} // namespace

class TestRemediationPanel : public QObject {
    Q_OBJECT
private slots:
    void operatorPreviewsApprovesExecutesAndFindsItAudited() {
        Fixture f;
        RemediationPanel panel(f.backend(), &f.runner);
        panel.show();
        QVERIFY(panel.propose(restart(), QStringLiteral("alice")));
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(int(*panel.state()), int(State::DryRun));
        QVERIFY2(panel.previewText().contains("ssh -o BatchMode=yes -- web-1"),
                 qPrintable(panel.previewText()));
        QVERIFY(panel.verdictText().contains("needs approval (1 person)"));
        auto* execute = panel.findChild<QPushButton*>(QStringLiteral("execute"));
        auto* approve = panel.findChild<QPushButton*>(QStringLiteral("approve"));
        QVERIFY(!execute->isEnabled()); // not approved yet
        auto* op = panel.findChild<QLineEdit*>(QStringLiteral("operator"));
        op->clear();
        QTest::keyClicks(op, QStringLiteral("bob"));
        QTest::keyClicks(panel.findChild<QLineEdit*>(QStringLiteral("reason")),
                         QStringLiteral("leak confirmed"));
        QVERIFY(approve->isEnabled());
        QTest::mouseClick(approve, Qt::LeftButton);
        QCOMPARE(int(*panel.state()), int(State::Approved));
        QVERIFY(panel.statusText().contains("approvals 1 of 1 (bob)"));
        QVERIFY(execute->isEnabled());
        QTest::mouseClick(execute, Qt::LeftButton);
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(int(*panel.state()), int(State::Succeeded));
        QTRY_VERIFY(panel.outputText().contains("[web-1] done"));
        QVERIFY(panel.outputText().contains("[web-1] restarting nginx"));
        QVERIFY(panel.statusText().contains("verification held"));

        AuditLogView view(f.log);
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(view.model()->rowCount(), 6);
        QCOMPARE(view.model()->index(2, AuditLogModel::Actor).data().toString(), QStringLiteral("bob"));
        auto* type = view.findChild<QComboBox*>(QStringLiteral("auditType"));
        type->setCurrentIndex(type->findData(QStringLiteral("approve")));
        QCOMPARE(view.filterModel()->rowCount(), 1);
        type->setCurrentIndex(0);
        QTest::keyClicks(view.findChild<QLineEdit*>(QStringLiteral("auditFilter")),
                         QStringLiteral("leak confirmed"));
        QCOMPARE(view.filterModel()->rowCount(), 1);
        QTest::mouseClick(view.findChild<QPushButton*>(QStringLiteral("verifyChain")), Qt::LeftButton);
        QVERIFY2(view.verifyText().startsWith("Audit log intact: 6 entries"), qPrintable(view.verifyText()));
        QTemporaryDir dir;
        QCOMPARE(view.exportTo(dir.filePath(QStringLiteral("audit.jsonl"))), QString());
        QFile exported(dir.filePath(QStringLiteral("audit.jsonl")));
        QVERIFY(exported.open(QIODevice::ReadOnly));
        QCOMPARE(exported.readAll().count('\n'), 6);
        // Tampering shows in the view.
        f.store.entriesForTesting()[3].actor = "mallory";
        QVERIFY(!view.verify());
        QVERIFY(view.verifyText().contains("TAMPERED at entry 4"));
    }
    void rejectWithReasonEndsIt() {
        Fixture f;
        RemediationPanel panel(f.backend(), &f.runner);
        QVERIFY(panel.propose(restart(), QStringLiteral("alice")));
        QTRY_VERIFY(!panel.isBusy());
        QTest::keyClicks(panel.findChild<QLineEdit*>(QStringLiteral("reason")),
                         QStringLiteral("deploy in progress"));
        QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("reject")), Qt::LeftButton);
        QCOMPARE(int(*panel.state()), int(State::Rejected));
        QVERIFY(!panel.findChild<QPushButton*>(QStringLiteral("approve"))->isEnabled());
        QCOMPARE(f.executor->executions.load(), 0);
        QVERIFY(QString::fromStdString(f.store.entriesForTesting().back().payload)
                    .contains("deploy in progress"));
    }
    void cancelEndsAHangingExecution() {
        Fixture f;
        f.executor->hang = true;
        RemediationPanel panel(f.backend(), &f.runner);
        QVERIFY(panel.propose(restart(), QStringLiteral("alice")));
        QTRY_VERIFY(!panel.isBusy());
        panel.setOperator(QStringLiteral("bob"));
        QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("approve")), Qt::LeftButton);
        QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("execute")), Qt::LeftButton);
        QVERIFY(panel.isBusy());
        QTRY_VERIFY(panel.outputText().contains("restarting nginx"));
        auto* cancel = panel.findChild<QPushButton*>(QStringLiteral("cancel"));
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(int(*panel.state()), int(State::Failed));
        QVERIFY2(panel.statusText().contains("cancelled"), qPrintable(panel.statusText()));
    }
    void pageLoadsPlanProposesAndRendersToPng() {
        Fixture f;
        QTemporaryDir dir;
        QFile plan(dir.filePath(QStringLiteral("plan.json")));
        QVERIFY(plan.open(QIODevice::WriteOnly));
        plan.write(
            R"({"actions":[{"id":"a1","kind":"ssh.restart-unit","targets":[{"name":"web-1","environment":"prod"}],
            "parameters":{"unit":"nginx.service"},"expectedEffect":"memory back under 80%"},
            {"id":"a2","kind":"ssh.restart-unit","targets":[{"name":"db-1","environment":"prod"}],
            "parameters":{"unit":"postgresql.service"}}]})");
        plan.close();
        RemediationPage page(f.backend(), &f.runner, QStringLiteral("alice"));
        page.resize(1400, 800);
        page.show();
        QCOMPARE(page.loadPlan(plan.fileName()), QString());
        QCOMPARE(page.planActions().size(), std::size_t(2));
        QTRY_VERIFY(!page.panel()->isBusy());
        QCOMPARE(int(*page.panel()->state()), int(State::DryRun));
        QTRY_COMPARE(page.auditView()->model()->rowCount(), 2); // propose + dry run, reloaded by the page
        QVERIFY(page.loadPlan(dir.filePath(QStringLiteral("missing.json"))).contains("Cannot read"));
        const QString png = QStringLiteral(CAIRN_BINARY_DIR "/screenshots/remediation-page.png");
        QDir().mkpath(QFileInfo(png).path());
        QVERIFY(page.grab().save(png));
    }
    void pluginsDialogShowsStateAndError() {
        PluginsDialog d(
            {PluginRow{"ssh", "0.1.0", "running", "medium", {"ssh.restart-unit"}, {}, "/p/ssh.so"},
             PluginRow{"broken", "1.0.0", "failed", "low", {"x.y"}, "the plugin crashed", "/p/b.so"}});
        QCOMPARE(d.table()->rowCount(), 2);
        QCOMPARE(d.table()->item(1, 2)->text(), QStringLiteral("failed"));
        QCOMPARE(d.table()->item(1, 5)->text(), QStringLiteral("the plugin crashed"));
    }
};

QTEST_MAIN(TestRemediationPanel)
#include "tst_remediationpanel.moc"
