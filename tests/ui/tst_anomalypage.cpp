// The anomaly browser driven as a user would: scan, sort, filter, select an anomaly to see its chart,
// band and explanation, "Not an anomaly", sensitivity. Uses the fake shop source (fakesources.h), whose
// checkout p95 latency spikes 30 minutes before "now"; and a source of three pods of one service, one of
// which takes more of the load for 40 minutes (the group detector's case).
#include "fakesources.h"
#include "ui/anomalymodel.h"
#include "ui/anomalypage.h"
#include "ui/mainwindow.h"
#include "ui/metricchart.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QtTest>

using namespace cairn;
using namespace cairn::ui;
using cairn::testing::FakeMetricSource;
using cairn::testing::kFakeNow;

namespace {

detect::Anomaly row(const std::string& service, double score, TimeMs start, std::string suppressed = {}) {
    detect::Anomaly a;
    a.series.metric = "latency_p95_ms";
    a.series.labels["service"] = service;
    a.score = score;
    a.start = a.peak = start;
    a.end = start + kMinuteMs;
    a.detector = "seasonal";
    a.explanation = "latency_p95_ms 900 vs expected 200";
    a.suppressed = std::move(suppressed);
    return a;
}

int findRow(const AnomalyPage& page, const std::string& metric, const std::string& service) {
    const auto* proxy = page.proxy();
    for (int r = 0; r < proxy->rowCount(); ++r) {
        const int src = proxy->mapToSource(proxy->index(r, 0)).row();
        const auto& a = page.model()->anomaly(src);
        if (a.series.metric == metric && a.series.label("service") == service &&
            a.series.label("pod").empty())
            return r;
    }
    return -1;
}

// Three catalog pods sharing a daily cpu pattern with their own small noise; from 60 to 20 minutes before
// now catalog-0 takes 30% more of the load and its siblings 15% less.
class PartingPodsSource : public sources::MetricSource {
public:
    std::string name() const override { return "Parting pods"; }
    static std::vector<ts::SeriesId> ids() {
        std::vector<ts::SeriesId> out;
        for (int p = 0; p < 3; ++p)
            out.push_back(
                {"cpu_usage_ratio",
                 {{"service", "catalog"}, {"pod", "catalog-" + std::to_string(p)}, {"host", "node-a"}}});
        return out;
    }
    Result<std::vector<ts::SeriesId>> listSeries(const ts::Selector& selector, const CancelToken&) override {
        std::vector<ts::SeriesId> out;
        for (auto& id : ids())
            if (selector.matches(id))
                out.push_back(id);
        return out;
    }
    Result<std::vector<ts::Series>> query(const sources::MetricQuery& q, const CancelToken&) override {
        std::vector<ts::Series> out;
        const TimeMs start = std::max(q.range.start, kFakeNow - 14 * kDayMs) / kMinuteMs * kMinuteMs;
        const TimeMs end = std::min(q.range.end, kFakeNow + kMinuteMs);
        int p = 0;
        for (auto& id : ids()) {
            if (q.selector.matches(id)) {
                ts::Series s;
                s.id = id;
                for (TimeMs t = start; t < end; t += kMinuteMs) {
                    s.time.push_back(t);
                    s.value.push_back(valueAt(p, t));
                }
                out.push_back(std::move(s));
            }
            ++p;
        }
        return out;
    }
    static double valueAt(int pod, TimeMs t) {
        const double day = std::sin(static_cast<double>(t % kDayMs) / static_cast<double>(kDayMs) * 6.283185);
        // Deterministic noise per pod and minute (splitmix64), about +-1%.
        std::uint64_t h =
            static_cast<std::uint64_t>(t / kMinuteMs) * 0x9e3779b97f4a7c15ULL + pod * 0x632be59bULL;
        h ^= h >> 30;
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 27;
        h *= 0x94d049bb133111ebULL;
        h ^= h >> 31;
        const double noise = (static_cast<double>(h >> 11) * 0x1.0p-53 - 0.5) * 0.035;
        double load = 0.3 + 0.15 * day;
        if (t >= kFakeNow - 60 * kMinuteMs && t < kFakeNow - 20 * kMinuteMs)
            load *= pod == 0 ? 1.3 : 0.85;
        return load * (1.0 + noise);
    }
};

} // namespace

class TestAnomalyPage : public QObject {
    Q_OBJECT

    std::shared_ptr<FakeMetricSource> m_source = std::make_shared<FakeMetricSource>();
    std::unique_ptr<MainWindow> m_window;
    AnomalyPage* m_page = nullptr;

    void openPage(std::shared_ptr<sources::MetricSource> source = nullptr) {
        Backends backends = cairn::testing::fakeBackends(m_source);
        if (source)
            backends.metrics = std::move(source);
        m_window = std::make_unique<MainWindow>(backends);
        m_window->setLiveRefreshInterval(0);
        m_window->resize(1280, 900);
        m_page = new AnomalyPage(m_window.get(), std::make_unique<detect::MemoryDetectStore>());
        m_window->addPage(QStringLiteral("Anomalies"), m_page);
        m_window->show();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isSettled(), 20000);
        m_window->showPage(QStringLiteral("Anomalies"));
        QTRY_VERIFY_WITH_TIMEOUT(!m_page->isScanning() && m_page->model()->rowCount() > 0, 30000);
    }

    void selectRow(AnomalyPage& page, int proxyRow) {
        QTableView* table = page.table();
        table->scrollTo(page.proxy()->index(proxyRow, 0));
        const QRect rect = table->visualRect(page.proxy()->index(proxyRow, AnomalyTableModel::Series));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("cairn-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_anomalypage"));
    }
    void cleanup() {
        m_window.reset();
        m_page = nullptr;
    }

    void modelPassesTesterSortsAndFilters() {
        AnomalyTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        AnomalyFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAnomalies({row("cart", 0.6, kFakeNow), row("checkout", 0.95, kFakeNow - kHourMs),
                            row("search", 0.7, kFakeNow - 2 * kHourMs, "silence 'deploy'")});
        QCOMPARE(model.rowCount(), 3);
        proxy.sort(AnomalyTableModel::Score, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, AnomalyTableModel::Service).data().toString(), QStringLiteral("checkout"));
        proxy.sort(AnomalyTableModel::Start, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, AnomalyTableModel::Service).data().toString(), QStringLiteral("search"));
        proxy.setText(QStringLiteral("CART"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setText({});
        proxy.setMinScore(0.65);
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setShowSuppressed(false);
        QCOMPARE(proxy.rowCount(), 1);
        QVERIFY(
            model.index(2, AnomalyTableModel::Status).data().toString().startsWith("suppressed: silence"));
        model.setSuppressed(0, "marked not an anomaly");
        QVERIFY(!model.anomaly(0).suppressed.empty());
    }

    void scanFindsSpikeAndShowsItWithBand() {
        openPage();
        if (QTest::currentTestFailed())
            return;
        AnomalyPage& page = *m_page;
        const int r = findRow(page, "latency_p95_ms", "checkout");
        QVERIFY2(r >= 0, "the checkout latency spike is listed");
        selectRow(page, r);
        QTRY_VERIFY(page.explanation()->text().contains("latency_p95_ms"));
        QVERIFY(page.explanation()->text().contains("vs expected"));
        const ChartData& data = page.chart()->data();
        QVERIFY(!data.main.series.empty());
        QCOMPARE(data.estimates.size(), data.main.series.size());
        QVERIFY(!data.anomalies.empty());
        QVERIFY(page.chart()->drawnBandPointCount() > 0);
        QVERIFY(page.notAnomalyButton()->isEnabled());
        QVERIFY(page.statusLabel()->text().contains("anomalies"));
    }

    void remediateHandsTheSelectedAnomalyOnByButtonAndShortcut() {
        openPage();
        if (QTest::currentTestFailed())
            return;
        AnomalyPage& page = *m_page;
        std::vector<detect::Anomaly> asked;
        connect(&page, &AnomalyPage::remediateRequested, this,
                [&asked](const detect::Anomaly& a) { asked.push_back(a); });
        const int r = findRow(page, "latency_p95_ms", "checkout");
        QVERIFY(r >= 0);
        selectRow(page, r);
        QTRY_VERIFY(page.remediateButton()->isEnabled());
        const int src = page.proxy()->mapToSource(page.proxy()->index(r, 0)).row();
        QTest::mouseClick(page.remediateButton(), Qt::LeftButton);
        QCOMPARE(asked.size(), std::size_t(1));
        QCOMPARE(asked[0].series, page.model()->anomaly(src).series);
        QCOMPARE(asked[0].peak, page.model()->anomaly(src).peak);
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(asked.size(), std::size_t(2));
        QCOMPARE(asked[1].series, asked[0].series);
    }

    void notAnAnomalySuppressesAndIsRemembered() {
        openPage();
        if (QTest::currentTestFailed())
            return;
        AnomalyPage& page = *m_page;
        const int r = findRow(page, "latency_p95_ms", "checkout");
        QVERIFY(r >= 0);
        selectRow(page, r);
        QTRY_VERIFY(page.notAnomalyButton()->isEnabled());
        const int src = page.proxy()->mapToSource(page.proxy()->index(r, 0)).row();
        QTest::mouseClick(page.notAnomalyButton(), Qt::LeftButton);
        QVERIFY(!page.model()->anomaly(src).suppressed.empty());
        QVERIFY(page.explanation()->text().contains("Suppressed: marked not an anomaly"));
        auto feedback = page.store().feedback();
        QVERIFY(feedback.has_value());
        QCOMPARE(feedback->size(), std::size_t(1));
        QCOMPARE(feedback->front().series, page.model()->anomaly(src).series.toString());
    }

    void groupAnomalyListsContributorsAndPlotsTheMembers() {
        openPage(std::make_shared<PartingPodsSource>());
        if (QTest::currentTestFailed())
            return;
        AnomalyPage& page = *m_page;
        // Only the group anomalies, through the keyboard (Ctrl+G toggles the kind filter).
        page.table()->setFocus();
        QTest::keyClick(page.table(), Qt::Key_G, Qt::ControlModifier);
        QCOMPARE(page.kindBox()->currentIndex(), 2);
        QVERIFY(page.proxy()->rowCount() > 0);
        int hit = -1;
        for (int r = 0; r < page.proxy()->rowCount(); ++r) {
            const auto& a = page.model()->anomaly(page.proxy()->mapToSource(page.proxy()->index(r, 0)).row());
            QCOMPARE(a.detector, std::string("group"));
            if (a.start >= kFakeNow - 70 * kMinuteMs && a.start <= kFakeNow - 20 * kMinuteMs)
                hit = r;
        }
        QVERIFY2(hit >= 0, "the pods parting ways are a group anomaly");
        QCOMPARE(page.proxy()->index(hit, AnomalyTableModel::Detector).data().toString(),
                 QStringLiteral("group"));
        QCOMPARE(page.proxy()->index(hit, AnomalyTableModel::Service).data().toString(),
                 QStringLiteral("catalog"));
        QVERIFY(page.proxy()->index(hit, AnomalyTableModel::AlertGroup).data().toString().startsWith("#"));
        selectRow(page, hit);
        QTRY_VERIFY(page.explanation()->text().contains("Contributors"));
        QVERIFY(page.explanation()->text().contains("catalog-0"));
        QVERIFY(page.explanation()->text().contains("Alert group #"));
        const ChartData& data = page.chart()->data();
        QCOMPARE(data.main.series.id.label("pod"), std::string("catalog-0")); // the top contributor
        QVERIFY(!data.extras.empty());                                        // its siblings
        QVERIFY(!data.anomalies.empty());
        QVERIFY(page.statusLabel()->text().contains("compression"));
        QVERIFY(page.alertGroupCount() >= 1);
        // Remediate acts on the member that moved, not on the group.
        std::vector<detect::Anomaly> asked;
        connect(&page, &AnomalyPage::remediateRequested, this,
                [&asked](const detect::Anomaly& a) { asked.push_back(a); });
        QTRY_VERIFY(page.remediateButton()->isEnabled());
        QTest::mouseClick(page.remediateButton(), Qt::LeftButton);
        QCOMPARE(asked.size(), std::size_t(1));
        QVERIFY2(asked[0].series.label("pod") == "catalog-0", asked[0].series.toString().c_str());
        // Back to every detector; the single-series anomalies of the hot pod are listed too.
        QTest::keyClick(page.table(), Qt::Key_G, Qt::ControlModifier);
        QCOMPARE(page.kindBox()->currentIndex(), 0);
        QVERIFY(page.proxy()->rowCount() >= 1);
        // Ctrl+Shift+F goes to the filter (Ctrl+F is the navigator's); it matches a group's member series.
        QTest::keyClick(page.table(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(page.filterEdit()->hasFocus());
        QTest::keyClicks(page.filterEdit(), QStringLiteral("catalog-2"));
        QVERIFY(page.proxy()->rowCount() >= 1);
        QTest::keyClick(page.filterEdit(), Qt::Key_Escape);
        QVERIFY(page.filterEdit()->text().isEmpty());
        // Ctrl+R scans again.
        QTest::keyClick(page.table(), Qt::Key_R, Qt::ControlModifier);
        QVERIFY(page.isScanning());
        QTRY_VERIFY_WITH_TIMEOUT(!page.isScanning(), 30000);
    }

    void recurringMaintenanceWindowSuppressesWithTheReason() {
        openPage();
        if (QTest::currentTestFailed())
            return;
        AnomalyPage& page = *m_page;
        const int r = findRow(page, "latency_p95_ms", "checkout");
        QVERIFY(r >= 0);
        selectRow(page, r);
        // The editor is modal: fill it in once it is up, as a user would, then close it.
        bool filled = false;
        int listed = -1;
        QString description;
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            auto* id = dialog->findChild<QLineEdit*>(QStringLiteral("silenceId"));
            auto* service = dialog->findChild<QLineEdit*>(QStringLiteral("silenceService"));
            auto* start = dialog->findChild<QDateTimeEdit*>(QStringLiteral("silenceStart"));
            auto* minutes = dialog->findChild<QSpinBox*>(QStringLiteral("silenceMinutes"));
            auto* repeat = dialog->findChild<QComboBox*>(QStringLiteral("silenceRepeat"));
            auto* maintenance = dialog->findChild<QCheckBox*>(QStringLiteral("silenceMaintenance"));
            auto* add = dialog->findChild<QPushButton*>(QStringLiteral("silenceAdd"));
            auto* list = dialog->findChild<QListWidget*>(QStringLiteral("silenceList"));
            if (!id || !service || !start || !minutes || !repeat || !maintenance || !add || !list) {
                dialog->reject();
                return;
            }
            QTest::keyClicks(id, QStringLiteral("nightly-batch"));
            QCOMPARE_NE(service->text(), QString()); // prefilled with the selected anomaly's service
            // Every day, starting yesterday 40 minutes before the spike's time of day, for an hour.
            start->setDateTime(QDateTime::fromMSecsSinceEpoch(kFakeNow - kDayMs - 40 * kMinuteMs, Qt::UTC));
            minutes->setValue(60);
            repeat->setCurrentIndex(repeat->findText(QStringLiteral("every day")));
            maintenance->setChecked(true);
            QTest::mouseClick(add, Qt::LeftButton);
            listed = list->count();
            description = listed > 0 ? list->item(0)->text() : QString();
            filled = true;
            dialog->reject();
        });
        page.editSilences(); // returns when the dialog closes, then scans again
        QVERIFY(filled);
        QCOMPARE(listed, 1);
        QVERIFY2(description.contains("[maintenance]") && description.contains("daily"),
                 qPrintable(description));
        auto stored = page.store().silences();
        QVERIFY(stored && stored->size() == 1);
        QVERIFY(stored->front().every.has_value() && stored->front().maintenance);
        QTRY_VERIFY_WITH_TIMEOUT(!page.isScanning(), 30000);
        // Today's occurrence covers the spike: still listed, suppressed, with the reason.
        page.proxy()->setShowSuppressed(true);
        const int again = findRow(page, "latency_p95_ms", "checkout");
        QVERIFY(again >= 0);
        const QString status = page.proxy()->index(again, AnomalyTableModel::Status).data().toString();
        QVERIFY2(status.contains("maintenance window 'nightly-batch'"), qPrintable(status));
        QVERIFY(page.proxy()->index(again, AnomalyTableModel::AlertGroup).data().toString().isEmpty());
    }

    void sensitivityChoiceIsStoredAndRescans() {
        openPage();
        if (QTest::currentTestFailed())
            return;
        AnomalyPage& page = *m_page;
        const int r = findRow(page, "latency_p95_ms", "checkout");
        QVERIFY(r >= 0);
        selectRow(page, r);
        QTRY_VERIFY(page.sensitivityBox()->isEnabled());
        const int serviceLow = page.sensitivityBox()->findText(QStringLiteral("Service: low"));
        QVERIFY(serviceLow > 0);
        page.sensitivityBox()->setCurrentIndex(serviceLow);
        emit page.sensitivityBox()->activated(serviceLow);
        QCOMPARE(page.tuning().bandSigmasFor({"latency_p95_ms", {{"service", "checkout"}}}), 4.0);
        auto stored = page.store().sensitivities();
        QVERIFY(stored.has_value() && stored->size() == 1);
        QCOMPARE(stored->front().scope, std::string("service:checkout"));
        QTRY_VERIFY_WITH_TIMEOUT(!page.isScanning(), 30000);
    }
};

QTEST_MAIN(TestAnomalyPage)
#include "tst_anomalypage.moc"
