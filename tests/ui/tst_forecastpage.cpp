// ForecastPage driven as a user would, offscreen, on the demo environment (fixed clock): the capacity table
// ranks the filling disk and the leaking pod first, the early-warning list links to their charts, the chart
// shows history, forecast bands, the capacity line and the predicted crossing; headers sort; the page
// renders to a PNG for people to look at.
#include "ui/capacitymodel.h"
#include "ui/forecastchart.h"
#include "ui/forecastpage.h"
#include "ui/taskrunner.h"

#include "cairn/demo/demoenvironment.h"
#include "cairn/demo/demosources.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QListWidget>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QtTest>

using namespace cairn;
using namespace cairn::ui;

namespace {

constexpr TimeMs kStart = 1794302220000; // the history ends 2026-11-24T09:17Z

struct Fixture {
    std::shared_ptr<demo::DemoEnvironment> env;
    Backends backends;
    Fixture() {
        demo::DemoConfig c;
        c.seed = 7;
        c.historyStart = kStart;
        c.clock = [] { return kStart + 14 * kDayMs; };
        env = std::make_shared<demo::DemoEnvironment>(c);
        backends.metrics = std::make_shared<demo::DemoMetricSource>(env);
        backends.clock = [] { return kStart + 14 * kDayMs; };
    }
    const demo::IncidentTruth* upcoming(demo::IncidentKind kind) const {
        static std::vector<demo::IncidentTruth> all;
        all = env->incidents();
        for (const auto& i : all)
            if (i.kind == kind && i.end > env->dataRange().end)
                return &i;
        return nullptr;
    }
};

} // namespace

class TestForecastPage : public QObject {
    Q_OBJECT
private slots:
    void modelPassesTester() {
        CapacityTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        forecast::CapacityRow row;
        row.owner = "pod-a";
        row.resource = "disk";
        row.exhaustion.status = forecast::ExhaustionStatus::WillExhaust;
        row.exhaustion.now = 0;
        row.exhaustion.at = 3 * kHourMs;
        model.setRows({row, row});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, CapacityTableModel::Left).data().toString(), QStringLiteral("3.0 h"));
        QCOMPARE(model.index(0, CapacityTableModel::Left).data(Qt::UserRole).toDouble(), 3.0);
    }
    void showsFillingDiskFirstAndLinksWarningToChart() {
        Fixture fx;
        TaskRunner runner;
        ForecastPage page(fx.backends, &runner);
        page.resize(1200, 800);
        QSignalSpy loaded(&page, &ForecastPage::loaded);
        page.show(); // the first show starts the load
        QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 30000);
        QCOMPARE(loaded.count(), 1);

        const auto* disk = fx.upcoming(demo::IncidentKind::DiskFill);
        QVERIFY(disk);
        // The table, sorted by time left, has the filling disk among its first rows.
        auto* proxy = page.sortedModel();
        bool diskNearTop = false;
        for (int r = 0; r < 3 && r < proxy->rowCount(); ++r)
            diskNearTop |=
                proxy->index(r, CapacityTableModel::Owner).data().toString().toStdString() == disk->rootPod &&
                proxy->index(r, CapacityTableModel::Resource).data().toString() == QStringLiteral("disk");
        QVERIFY(diskNearTop);

        // Click the warning about the disk: the chart shows its forecast and crossing.
        auto* list = page.warningList();
        int item = -1;
        for (int i = 0; i < list->count(); ++i)
            if (list->item(i)->text().contains(QString::fromStdString(disk->rootPod)))
                item = i;
        QVERIFY2(item >= 0, "no early warning for the filling disk");
        list->scrollToItem(list->item(item));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          list->visualItemRect(list->item(item)).center());
        auto* chart = page.chart();
        QVERIFY(chart->titleText().contains(QString::fromStdString(disk->rootPod)));
        QVERIFY(chart->historyPointCount() > 100);
        QVERIFY(chart->forecastPointCount() > 10);
        QVERIFY(chart->bandPointCount() > 10);
        QVERIFY(chart->hasThreshold());
        QVERIFY(chart->crossingTime() > 0);
        QVERIFY(chart->hasTrendToCrossing());
        const double errMin = static_cast<double>(chart->crossingTime() - disk->end) / kMinuteMs;
        QVERIFY2(std::abs(errMin) < 60, qPrintable(QString("crossing off by %1 min").arg(errMin)));

        // Clicking a table row shows that row's chart.
        auto* table = page.capacityView();
        const int last = proxy->rowCount() - 1;
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualRect(proxy->index(last, CapacityTableModel::Owner)).center());
        QCOMPARE(page.shownRow(), proxy->mapToSource(proxy->index(last, 0)).row());

        // Clicking the "Used" header sorts by fraction used.
        const int x = table->horizontalHeader()->sectionViewportPosition(CapacityTableModel::Used) + 5;
        QTest::mouseClick(table->horizontalHeader()->viewport(), Qt::LeftButton, {}, QPoint(x, 5));
        QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), int(CapacityTableModel::Used));
        const double a = proxy->index(0, CapacityTableModel::Used).data(Qt::UserRole).toDouble();
        const double b = proxy->index(last, CapacityTableModel::Used).data(Qt::UserRole).toDouble();
        QVERIFY(a != b);

        table->sortByColumn(CapacityTableModel::Left, Qt::AscendingOrder);
        const QString png = QStringLiteral(CAIRN_BINARY_DIR "/forecastpage.png");
        list->setCurrentRow(item);
        page.showRow(list->item(item)->data(Qt::UserRole).toInt());
        QVERIFY(page.grab().save(png));
    }
    void reportsMissingSourceAsError() {
        TaskRunner runner;
        Backends none;
        ForecastPage page(none, &runner);
        QSignalSpy failed(&page, &ForecastPage::failed);
        page.refresh();
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("metric source")));
        QVERIFY(!page.isLoaded());
    }
};

QTEST_MAIN(TestForecastPage)
#include "tst_forecastpage.moc"
