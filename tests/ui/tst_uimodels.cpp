// Tests for the UI's models and value helpers: inventory grouping, Selection keys, NavigatorModel,
// HealthModel (both under QAbstractItemModelTester) and the health classification.
#include "ui/healthmodel.h"
#include "ui/inventory.h"
#include "ui/navigatormodel.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace cairn;
using namespace cairn::ui;

namespace {

std::vector<ts::SeriesId> sampleIds() {
    return {
        {"request_rate", {{"service", "checkout"}}},
        {"request_rate", {{"service", "cart"}}},
        {"cpu_usage_ratio", {{"service", "checkout"}, {"pod", "checkout-2"}, {"host", "node-b"}}},
        {"cpu_usage_ratio", {{"service", "checkout"}, {"pod", "checkout-1"}, {"host", "node-a"}}},
        {"memory_used_bytes", {{"service", "checkout"}, {"pod", "checkout-1"}, {"host", "node-a"}}},
        {"cpu_usage_ratio", {{"service", "cart"}, {"pod", "cart-1"}, {"host", "node-a"}}},
        {"up", {{"job", "node"}}}, // no service label: a service named after its Prometheus job
    };
}

detect::Anomaly anomalyAt(TimeMs t, double score) {
    detect::Anomaly a;
    a.start = a.peak = t;
    a.end = t + kMinuteMs;
    a.score = score;
    a.series.metric = "latency_p95_ms";
    a.explanation = "latency high";
    return a;
}

} // namespace

class TestUiModels : public QObject {
    Q_OBJECT
private slots:
    void groupsSeriesIntoServicesPodsAndHosts() {
        const Inventory inv = buildInventory(sampleIds());
        QCOMPARE(inv.services, (std::vector<std::string>{"cart", "checkout", "node"}));
        QCOMPARE(inv.jobMetrics.at("node"), std::vector<std::string>{"up"});
        QVERIFY(!inv.jobMetrics.contains("checkout"));
        QCOMPARE(inv.hosts, (std::vector<std::string>{"node-a", "node-b"}));
        QCOMPARE(inv.pods.size(), std::size_t(3));
        QCOMPARE(inv.podsOfService("checkout").size(), std::size_t(2));
        QCOMPARE(inv.podsOnHost("node-a").size(), std::size_t(2));
        QVERIFY(buildInventory({}).empty());
    }

    void selectionKeysRoundTrip_data() {
        QTest::addColumn<QString>("key");
        QTest::addRow("service") << "service:checkout";
        QTest::addRow("pod") << "pod:checkout/checkout-1@node-a";
        QTest::addRow("pod without host") << "pod:checkout/checkout-1@";
        QTest::addRow("host") << "host:node-a";
    }
    void selectionKeysRoundTrip() {
        QFETCH(QString, key);
        const Selection s = Selection::fromKey(key);
        QVERIFY(s.isValid());
        QCOMPARE(s.key(), key);
    }

    void rejectsMalformedSelectionKeys_data() {
        QTest::addColumn<QString>("key");
        QTest::addRow("empty") << "";
        QTest::addRow("no kind") << "checkout";
        QTest::addRow("unknown kind") << "cluster:x";
        QTest::addRow("empty service") << "service:";
        QTest::addRow("pod without slash") << "pod:checkout";
        QTest::addRow("pod without name") << "pod:checkout/";
    }
    void rejectsMalformedSelectionKeys() {
        QFETCH(QString, key);
        QVERIFY(!Selection::fromKey(key).isValid());
    }

    void navigatorModelShowsServicesAndHostsTrees() {
        NavigatorModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setInventory(buildInventory(sampleIds()));
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex services = model.index(0, 0);
        const QModelIndex hosts = model.index(1, 0);
        QCOMPARE(services.data().toString(), QStringLiteral("Services"));
        QCOMPARE(model.rowCount(services), 3);
        QCOMPARE(model.rowCount(hosts), 2);
        const QModelIndex checkout = model.index(1, 0, services);
        QCOMPARE(checkout.data().toString(), QStringLiteral("checkout"));
        QCOMPARE(model.rowCount(checkout), 2);
        QCOMPARE(NavigatorModel::selectionAt(checkout).kind, Selection::Kind::Service);
        QVERIFY(!NavigatorModel::selectionAt(services).isValid());

        const Selection pod = Selection::ofPod("checkout", "checkout-2", "node-b");
        const QModelIndex podIdx = model.indexFor(pod);
        QVERIFY(podIdx.isValid());
        QCOMPARE(podIdx.data().toString(), QStringLiteral("checkout-2"));
        const QModelIndex hostIdx = model.indexFor(Selection::ofHost("node-b"));
        QVERIFY(hostIdx.isValid());
        QCOMPARE(hostIdx.parent(), hosts);
        QVERIFY(!model.indexFor(Selection::ofService("nope")).isValid());

        // Re-setting the inventory (live refresh) keeps the model consistent for the tester.
        model.setServiceStatus(QStringLiteral("checkout"), HealthStatus::Critical);
        model.setInventory(buildInventory({sampleIds().front()}));
        QCOMPARE(model.rowCount(model.index(0, 0)), 1);
    }

    void healthModelShowsOneRowPerService() {
        HealthModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ServiceHealth a;
        a.service = "checkout";
        a.status = HealthStatus::Critical;
        a.errorRatio = 0.06;
        a.requestRate = 120.5;
        a.latencyP95Ms = 212.0;
        a.recentAnomalies = 1;
        a.anomalies = {anomalyAt(1000, 0.95)};
        ServiceHealth b;
        b.service = "cart";
        b.status = HealthStatus::Unknown;
        b.error = "Connection refused.";
        model.setRows({a, b});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(HealthModel::ColumnCount));
        QCOMPARE(model.index(0, HealthModel::ServiceCol).data().toString(), QStringLiteral("checkout"));
        QCOMPARE(model.index(0, HealthModel::StatusCol).data().toString(), QStringLiteral("Critical"));
        QCOMPARE(model.index(0, HealthModel::ErrorCol).data().toString(), QStringLiteral("6.00%"));
        QCOMPARE(model.index(0, HealthModel::RateCol).data().toString(), QStringLiteral("120.5"));
        QCOMPARE(model.index(0, HealthModel::FindingCol).data().toString(), QStringLiteral("latency high"));
        QCOMPARE(model.index(1, HealthModel::RateCol).data().toString(), QStringLiteral("—"));
        QCOMPARE(model.index(1, HealthModel::FindingCol).data().toString(),
                 QStringLiteral("Connection refused."));
        QCOMPARE(model.index(1, 0).data(HealthModel::ServiceRole).toString(), QStringLiteral("cart"));
        QCOMPARE(model.headerData(HealthModel::LatencyCol, Qt::Horizontal).toString(),
                 QStringLiteral("p95 ms"));
        model.setRows({});
        QCOMPARE(model.rowCount(), 0);
    }

    void classifiesHealth_data() {
        QTest::addColumn<double>("errorRatio");
        QTest::addColumn<double>("anomalyScore"); // < 0: no anomaly
        QTest::addColumn<bool>("anomalyRecent");
        QTest::addColumn<int>("expected");
        QTest::addRow("quiet") << 0.001 << -1.0 << false << int(HealthStatus::Ok);
        QTest::addRow("old anomaly only") << 0.001 << 0.99 << false << int(HealthStatus::Ok);
        QTest::addRow("weak recent anomaly") << 0.001 << 0.6 << true << int(HealthStatus::Warning);
        QTest::addRow("strong recent anomaly") << 0.001 << 0.95 << true << int(HealthStatus::Critical);
        QTest::addRow("errors 2 percent") << 0.02 << -1.0 << false << int(HealthStatus::Warning);
        QTest::addRow("errors 6 percent") << 0.06 << -1.0 << false << int(HealthStatus::Critical);
    }
    void classifiesHealth() {
        QFETCH(double, errorRatio);
        QFETCH(double, anomalyScore);
        QFETCH(bool, anomalyRecent);
        QFETCH(int, expected);
        const TimeRange recent{10 * kHourMs, 11 * kHourMs};
        ServiceHealth h;
        h.errorRatio = errorRatio;
        if (anomalyScore >= 0)
            h.anomalies.push_back(
                anomalyAt(anomalyRecent ? recent.start + kMinuteMs : kHourMs, anomalyScore));
        QCOMPARE(int(classifyHealth(h, recent)), expected);
        QCOMPARE(classifyHealth(ServiceHealth{}, recent), HealthStatus::Unknown);
    }
};

QTEST_MAIN(TestUiModels)
#include "tst_uimodels.moc"
