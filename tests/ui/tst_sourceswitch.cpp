// Editing the data sources switches the views at once: OK in the Data sources dialog (applySources) rebuilds
// the backends and hands them to the window; the navigator, charts and pages reload from the new source with
// no restart, and jobs of the old backends are cancelled or their results dropped.
// The demo is tests/ui/fakesources.h; the loopback replay server stands in for Prometheus.
#include "../connectors/replayserver.h"
#include "fakesources.h"
#include "ui/anomalypage.h"
#include "ui/datasourcesdialog.h"
#include "ui/forecastpage.h"
#include "ui/logspage.h"
#include "ui/mainwindow.h"
#include "ui/metricchart.h"
#include "ui/metricspage.h"
#include "ui/sourcescontroller.h"
#include "ui/taskrunner.h"
#include "ui/tracespage.h"

#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cairn;
using namespace cairn::ui;
using cairn::testing::FakeMetricSource;

namespace {

sources::SourceConfig prometheus(const std::string& url) {
    sources::SourceConfig c;
    c.name = "prom";
    c.kind = sources::SourceKind::Prometheus;
    c.url = url;
    c.pollIntervalMs = 30000;
    c.timeoutMs = 5000;
    c.connectTimeoutMs = 1000;
    return c;
}

const std::vector<std::string> kDemoServices{"cart", "checkout"};

} // namespace

#define REQUIRE_REPLAY_DATA()                                                                                \
    if (!ReplayServer::sharedDataPresent())                                                                  \
    QSKIP("../shared/data/api-samples is absent: the replay server has nothing to replay")

class TestSourceSwitch : public QObject {
    Q_OBJECT

    // The app's wiring (app/cairn/main.cpp): the demo, a controller following the window.
    struct App {
        QTemporaryDir dir;
        std::shared_ptr<FakeMetricSource> demoSource = std::make_shared<FakeMetricSource>();
        Backends demo = cairn::testing::fakeBackends(demoSource);
        SourcesController controller{dir.filePath("sources.json"), std::make_unique<MemorySecretStore>()};
        std::unique_ptr<MainWindow> window;

        App() {
            window = std::make_unique<MainWindow>(demo);
            window->setLiveRefreshInterval(0);
            window->resize(1280, 860);
            controller.install(window.get());
            controller.follow(window.get(), demo);
            window->attachSourceMonitor(controller.monitor());
        }
        ~App() {
            controller.monitor()->stop();
            window.reset();
        }
    };

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("cairn-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_sourceswitch"));
    }
    void init() { QSettings().clear(); }

    void addingPrometheusReplacesTheDemoAndRemovingItBringsItBack() {
        REQUIRE_REPLAY_DATA();
        ReplayServer prom;
        QVERIFY(prom.start("prometheus.json"));
        App app;
        MainWindow& w = *app.window;
        auto* logs = new LogsPage(&w);
        w.addPage(QStringLiteral("Logs"), logs);
        auto* traces = new TracesPage(&w);
        w.addPage(QStringLiteral("Traces"), traces);
        auto* anomalies = new AnomalyPage(&w);
        w.addPage(QStringLiteral("Anomalies"), anomalies);
        auto* forecast = new ForecastPage(app.demo, w.taskRunner());
        w.addPage(QStringLiteral("Forecast"), forecast);
        connect(&w, &MainWindow::backendsChanged, forecast,
                [&w, forecast] { forecast->setBackends(w.backends()); });
        QSignalSpy changed(&w, &MainWindow::backendsChanged);
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), 10000);
        QCOMPARE(w.inventory().services, kDemoServices);
        QCOMPARE(w.metricsPage()->charts().size(), std::size_t(3));
        auto* label = w.findChild<QLabel*>(QStringLiteral("sourceLabel"));
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("Source: Fake shop"));

        // OK in the dialog with a Prometheus added: the views switch without a restart.
        app.controller.applySources({prometheus(prom.url())});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(w.backends().metricsSourceName, std::string("prom"));
        QVERIFY(w.backends().metrics != app.demo.metrics);
        QVERIFY(!w.backends().logs); // no log source configured: the demo's is not mixed in
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), 10000);
        QCOMPARE(w.errorText(), QString());
        QVERIFY(!w.inventory().services.empty());
        QVERIFY(w.inventory().services != kDemoServices);
        QTRY_VERIFY_WITH_TIMEOUT(!w.metricsPage()->charts().empty(), 10000);
        const std::string service = w.selection().service;
        QVERIFY2(std::find(w.inventory().services.begin(), w.inventory().services.end(), service) !=
                     w.inventory().services.end(),
                 service.c_str());
        QVERIFY(!w.metricsPage()->charts().front()->data().main.series.empty());
        QVERIFY(label->text() != QStringLiteral("Source: Fake shop"));
        // Relative ranges follow the new source's clock (the demo's is fixed in the past).
        QVERIFY(w.timeRange().end > cairn::testing::kFakeNow + kDayMs);
        // The pages follow: no log source now, and the forecast runs on Prometheus when shown.
        QVERIFY(w.showPage(QStringLiteral("Logs")));
        QTRY_COMPARE_WITH_TIMEOUT(logs->statusText(), QStringLiteral("No log source configured"), 5000);
        QVERIFY(w.showPage(QStringLiteral("Traces")));
        QTRY_COMPARE_WITH_TIMEOUT(traces->statusText(), QStringLiteral("No trace source configured"), 5000);
        const int demoQueries = app.demoSource->queries;
        QVERIFY(w.showPage(QStringLiteral("Forecast")));
        QTRY_VERIFY_WITH_TIMEOUT(forecast->isLoaded(), 10000);
        QVERIFY(w.showPage(QStringLiteral("Anomalies")));
        QTRY_VERIFY_WITH_TIMEOUT(!anomalies->isScanning(), 10000);
        QCOMPARE(app.demoSource->queries.load(), demoQueries); // nothing asked the demo any more
        auto saved = loadSourcesFile(app.dir.filePath("sources.json"));
        QVERIFY(saved && saved->size() == 1);

        // Every source removed in the dialog, then OK: the demo is back.
        QVERIFY(w.showPage(QStringLiteral("Metrics")));
        app.controller.openDialog(&w);
        auto* dialog = w.findChild<DataSourcesDialog*>();
        QVERIFY(dialog);
        QCOMPARE(dialog->sources().size(), std::size_t(1));
        dialog->removeSource();
        QVERIFY(dialog->sources().empty());
        dialog->accept();
        QCOMPARE(changed.count(), 2);
        QVERIFY(w.backends().metrics == app.demo.metrics);
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), 10000);
        QCOMPARE(w.errorText(), QString());
        QCOMPARE(w.inventory().services, kDemoServices);
        QTRY_COMPARE_WITH_TIMEOUT(w.metricsPage()->charts().size(), std::size_t(3), 10000);
        QCOMPARE(w.metricsPage()->charts()[1]->data().title, QStringLiteral("Latency p95"));
        QCOMPARE(label->text(), QStringLiteral("Source: Fake shop"));
        QCOMPARE(w.timeRange().end, cairn::testing::kFakeNow + kMinuteMs);

        const QString png = qEnvironmentVariable("CAIRN_SWITCH_SCREENSHOT");
        if (!png.isEmpty()) { // look at the window after a switch (QT_QPA_PLATFORM=offscreen)
            app.controller.applySources({prometheus(prom.url())});
            QTRY_VERIFY_WITH_TIMEOUT(w.isSettled() && !w.metricsPage()->charts().empty(), 10000);
            QTest::qWait(300);
            QVERIFY(w.grab().save(png));
        }
    }

    void aSwitchWhileTheOldSourceIsLoadingDropsItsResults() {
        REQUIRE_REPLAY_DATA();
        ReplayServer prom;
        QVERIFY(prom.start("prometheus.json"));
        App app;
        MainWindow& w = *app.window;
        app.demoSource->delayMs = 3000; // every demo query is slow: the first charts are still loading
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.taskRunner()->activeCount() > 0 && w.inventory().services == kDemoServices,
                                 10000);
        QVERIFY(!w.isSettled());
        QSignalSpy finished(w.taskRunner(), &TaskRunner::jobFinished);
        app.controller.applySources({prometheus(prom.url())});
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), 15000);
        QCOMPARE(w.errorText(), QString());
        // The demo's slow jobs finished undelivered; what is shown comes from Prometheus.
        bool dropped = false;
        for (const auto& args : finished)
            dropped = dropped || !args.at(1).toBool();
        QVERIFY(dropped);
        QVERIFY(w.inventory().services != kDemoServices);
        QTRY_VERIFY_WITH_TIMEOUT(!w.metricsPage()->charts().empty(), 10000);
        QVERIFY(w.selection().service != "cart" && w.selection().service != "checkout");

        // Back to the demo and straight away to Prometheus again, then away while loading: no crash, and the
        // last configuration wins.
        app.controller.applySources({});
        app.controller.applySources({prometheus(prom.url())});
        QTRY_VERIFY_WITH_TIMEOUT(w.isSettled(), 15000);
        QCOMPARE(w.backends().metricsSourceName, std::string("prom"));
        QVERIFY(w.inventory().services != kDemoServices);
        app.controller.applySources({});
        QVERIFY(w.taskRunner()->activeCount() > 0);
        // The App destructor closes the window with the demo's slow jobs in flight.
    }
};

QTEST_MAIN(TestSourceSwitch)
#include "tst_sourceswitch.moc"
