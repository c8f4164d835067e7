// Tests for the Logs page driven as a user would, offscreen, over the demo web shop: the pattern list
// fills for the window's time range, "New patterns only" keeps the deploy's new error pattern, a click
// shows sample lines, and linking a chart window ranks the burst first. PatternModel is checked with
// QAbstractItemModelTester.
#include "cairn/demo/demoenvironment.h"
#include "cairn/demo/demosources.h"
#include "ui/logspage.h"
#include "ui/mainwindow.h"
#include "ui/patternmodel.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QPlainTextEdit>
#include <QTableView>
#include <QtTest>

using namespace cairn;
using namespace cairn::ui;

namespace {

constexpr TimeMs kStart = 1794302220000; // 2026-11-10T09:17:00Z

struct Fixture {
    std::shared_ptr<demo::DemoEnvironment> env = std::make_shared<demo::DemoEnvironment>(
        demo::DemoConfig{7, kStart, 14 * kDayMs, [] { return kStart + 14 * kDayMs; }});
    Backends backends() {
        Backends b;
        b.metrics = std::make_shared<demo::DemoMetricSource>(env);
        b.logs = std::make_shared<demo::DemoLogSource>(env);
        b.clock = [] { return kStart + 14 * kDayMs; };
        return b;
    }
    std::optional<demo::IncidentTruth> deploy() {
        for (const auto& inc : env->incidents())
            if (inc.kind == demo::IncidentKind::DeployErrors)
                return inc;
        return std::nullopt;
    }
};

} // namespace

class TestLogsPage : public QObject {
    Q_OBJECT
private slots:
    void patternModelPassesModelTester() {
        PatternModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        PatternRow r;
        r.pattern.id = 3;
        r.pattern.tokens = {"user", "<*>", "logged", "in"};
        r.pattern.text = "user <*> logged in";
        r.pattern.count = 12;
        r.spark = {1, 2, 3};
        model.setRows({r, r});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, PatternModel::Count).data().toString(), QString("12"));
        model.setChanges({logs::PatternChange{3, "", 5, 1, 1.0, 3.0, 2.0, false}});
        QCOMPARE(model.index(1, PatternModel::Change).data().toString(), QString("×3.0"));
    }

    void templateHtmlHighlightsVariables() {
        const QString html = templateHtml({"uid=<*>", "a<b", "<*>"});
        QVERIFY(html.contains("uid=<span"));
        QVERIFY(html.contains("a&lt;b"));
        QCOMPARE(html.count("&lt;*&gt;"), 2);
    }

    void newPatternsFilterShowsDeployErrorAndSamples() {
        Fixture f;
        const auto deploy = f.deploy();
        if (!deploy)
            QSKIP("this demo seed injects no deploy incident");
        MainWindow window(f.backends());
        window.setLiveRefreshInterval(0);
        auto* page = new LogsPage(&window);
        QVERIFY(window.addPage(QStringLiteral("Logs"), page) >= 0);
        QSignalSpy loaded(page, &LogsPage::loaded);
        window.setCustomRange({deploy->start - kHourMs, deploy->end});
        QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), 20000);
        const int all = page->filter()->rowCount();
        QVERIFY(all > 5);

        QTest::mouseClick(page->newOnlyBox(), Qt::LeftButton, {},
                          QPoint(5, page->newOnlyBox()->height() / 2));
        QVERIFY(page->newOnlyBox()->isChecked());
        const int fresh = page->filter()->rowCount();
        QVERIFY(fresh >= 1 && fresh < all);
        bool errorNew = false;
        for (int r = 0; r < fresh; ++r) {
            const QModelIndex src = page->filter()->mapToSource(page->filter()->index(r, 0));
            errorNew |= page->model()->row(src.row())->pattern.level == sources::LogLevel::Error;
        }
        QVERIFY(errorNew);

        page->show();
        const QRect cell = page->view()->visualRect(page->filter()->index(0, PatternModel::Count));
        QTest::mouseClick(page->view()->viewport(), Qt::LeftButton, {}, cell.center());
        QVERIFY(page->samplesView()->toPlainText().contains("Sample lines"));
    }

    void chartWindowRanksBurstFirst() {
        Fixture f;
        const auto deploy = f.deploy();
        if (!deploy)
            QSKIP("this demo seed injects no deploy incident");
        MainWindow window(f.backends());
        window.setLiveRefreshInterval(0);
        auto* page = new LogsPage(&window);
        window.addPage(QStringLiteral("Logs"), page);
        window.setCustomRange({deploy->start - 3 * kHourMs, deploy->end + kHourMs});
        QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), 20000);
        page->setChangeWindow(deploy->window());
        QTRY_VERIFY_WITH_TIMEOUT(
            page->model()->index(0, 0).isValid() &&
                page->filter()->index(0, PatternModel::Change).data().toString().startsWith("×"),
            10000);
        const QModelIndex top = page->filter()->mapToSource(page->filter()->index(0, 0));
        const PatternRow* row = page->model()->row(top.row());
        QVERIFY(row->isNew);
        QVERIFY(row->pattern.level == sources::LogLevel::Error);
        // A picture for people: build/screenshots/logs-page.png.
        page->view()->selectRow(0);
        page->resize(1300, 720);
        page->show();
        QDir().mkpath(QStringLiteral(CAIRN_BINARY_DIR "/screenshots"));
        QVERIFY(page->grab().save(QStringLiteral(CAIRN_BINARY_DIR "/screenshots/logs-page.png")));
    }

    void withoutLogSourceSaysSo() {
        MainWindow window(Backends{});
        window.setLiveRefreshInterval(0);
        auto* page = new LogsPage(&window);
        window.addPage(QStringLiteral("Logs"), page);
        page->reload();
        QVERIFY(page->statusText().contains("No log source"));
        QCOMPARE(page->model()->rowCount(), 0);
    }
};

QTEST_MAIN(TestLogsPage)
#include "tst_logspage.moc"
