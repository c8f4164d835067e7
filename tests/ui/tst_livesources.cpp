// Configured sources feed the views, and live mode: each source polled on its own interval off the UI thread,
// views that keep their last data and say so when a source dies, and recover by themselves when it returns.
// The loopback replay server stands in for Prometheus, Elasticsearch and Jaeger (tests/connectors).
#include "../connectors/replayserver.h"
#include "ui/datasourcesdialog.h"
#include "ui/logspage.h"
#include "ui/mainwindow.h"
#include "ui/metricpanels.h"
#include "ui/metricspage.h"
#include "ui/sourcebackends.h"
#include "ui/sourcemonitor.h"
#include "ui/sourcescontroller.h"
#include "ui/taskrunner.h"
#include "ui/tracespage.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QMainWindow>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace cairn;
using namespace cairn::ui;

namespace {

sources::SourceConfig config(const std::string& name, sources::SourceKind kind, const std::string& url,
                             TimeMs pollMs = 30000) {
    sources::SourceConfig c;
    c.name = name;
    c.kind = kind;
    c.url = url;
    c.pollIntervalMs = pollMs;
    c.timeoutMs = 5000;
    c.connectTimeoutMs = 1000;
    return c;
}

// A listening socket on 127.0.0.1 that never accepts: the kernel completes the handshake and takes the
// request, and no answer ever comes — a hung server. close() it to free the port.
struct HungServer {
    int fd = -1;
    int port = 0;
    HungServer() {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd, 64) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
            return;
        port = ntohs(a.sin_port);
    }
    ~HungServer() { close(); }
    void close() {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
};

int freePort() {
    HungServer probe; // bound then closed: the port is free for the replay server
    return probe.port;
}

} // namespace

#define REQUIRE_REPLAY_DATA()                                                                                \
    if (!ReplayServer::sharedDataPresent())                                                                  \
    QSKIP("../shared/data/api-samples is absent: the replay server has nothing to replay")

class TestLiveSources : public QObject {
    Q_OBJECT
private slots:
    void jobServicesGetGaugePanels() {
        // What a plain Prometheus with node exporter lists: job and instance labels, no service label.
        const std::vector<ts::SeriesId> ids = {
            {"node_cpu_seconds_total", {{"job", "node"}, {"instance", "127.0.0.1:9100"}, {"cpu", "0"}}},
            {"node_load1", {{"job", "node"}, {"instance", "127.0.0.1:9100"}}},
            {"up", {{"job", "node"}, {"instance", "127.0.0.1:9100"}}},
            {"go_gc_duration_seconds_count", {{"job", "node"}}},
            {"request_rate", {{"service", "checkout"}, {"pod", "checkout-1"}}},
            {"orphan", {{"instance", "x"}}},
        };
        const Inventory inv = buildInventory(ids);
        QCOMPARE(inv.services, (std::vector<std::string>{"checkout", "node"}));
        QCOMPARE(inv.jobMetrics.size(), std::size_t(1));
        QCOMPARE(inv.jobMetrics.at("node"),
                 (std::vector<std::string>{"go_gc_duration_seconds_count", "node_cpu_seconds_total",
                                           "node_load1", "up"}));
        const auto panels = panelsFor(Selection::ofService("node"), &inv);
        QCOMPARE(panels.size(), std::size_t(2)); // counters are left out
        QCOMPARE(panels[0].metric, std::string("node_load1"));
        QCOMPARE(panels[1].metric, std::string("up"));
        QVERIFY(panels[0].adaptiveStep);
        QCOMPARE(selectorFor(Selection::ofService("node"), "node_load1", panels[0].serviceLabel).toString(),
                 std::string("node_load1{job=\"node\"}"));
        // A service with a service label keeps the console's own panels.
        QCOMPARE(panelsFor(Selection::ofService("checkout"), &inv).front().metric,
                 std::string("request_rate"));
    }

    void demoStaysWhenNothingIsConfigured() {
        Backends demo;
        demo.clock = [] { return TimeMs{42}; };
        auto b = backendsFromSources({config("d", sources::SourceKind::Demo, "")},
                                     sources::resolveSecretDefault, demo);
        QVERIFY(!b.fromSources);
        QCOMPARE(b.backends.clock(), TimeMs{42});
    }

    void eachSignalComesFromItsConfiguredSource() {
        REQUIRE_REPLAY_DATA();
        ReplayServer es, jaeger;
        QVERIFY(es.start("elasticsearch.json"));
        QVERIFY(jaeger.start("jaeger.json"));
        auto b = backendsFromSources({config("es", sources::SourceKind::Elasticsearch, es.url()),
                                      config("jq", sources::SourceKind::Jaeger, jaeger.url())},
                                     sources::resolveSecretDefault, Backends{});
        QVERIFY(b.fromSources);
        QVERIFY(b.errors.isEmpty());
        QVERIFY(!b.backends.metrics); // no Prometheus configured: the demo's metrics are not mixed in
        QVERIFY(b.backends.logs && b.backends.traces);
        QCOMPARE(b.backends.logsSourceName, std::string("es"));
        QCOMPARE(b.backends.tracesSourceName, std::string("jq"));
        auto services = b.backends.traces->services({});
        QVERIFY2(services, services ? "" : services.error().what().c_str());
        QVERIFY(!services->empty());
        auto edges = b.backends.traces->dependencies({0, nowMs()}, {});
        QVERIFY2(edges, edges ? "" : edges.error().what().c_str());
        QCOMPARE(edges->size(), std::size_t(4271));
    }

    void logsPageMinesPatternsFromConfiguredElasticsearch() {
        REQUIRE_REPLAY_DATA();
        ReplayServer es;
        QVERIFY(es.start("elasticsearch.json"));
        auto c = config("es", sources::SourceKind::Elasticsearch, es.url());
        c.index = "logs";
        auto b = backendsFromSources({c}, sources::resolveSecretDefault, Backends{});
        MainWindow window(b.backends);
        window.setLiveRefreshInterval(0);
        auto* page = new LogsPage(&window);
        window.addPage(QStringLiteral("Logs"), page);
        // The recordings are from 2026-11-24 10:00 UTC.
        const TimeMs at = 1795514400000;
        window.setCustomRange({at - kHourMs, at + kHourMs});
        window.show();
        window.showPage(QStringLiteral("Logs"));
        QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), 10000);
        QVERIFY2(page->model()->rowCount() >= 2, qPrintable(page->statusText()));
        // As many lines as the source itself returns over the page's range and baseline.
        sources::LogQuery q;
        q.range = {at - 3 * kHourMs, at + kHourMs};
        auto records = b.backends.logs->query(q, {});
        QVERIFY(records && !records->empty());
        QVERIFY2(page->statusText().startsWith(QStringLiteral("%1 lines").arg(records->size())),
                 qPrintable(page->statusText()));
    }

    void tracesPageShowsConfiguredJaeger() {
        REQUIRE_REPLAY_DATA();
        ReplayServer jaeger;
        QVERIFY(jaeger.start("jaeger.json"));
        auto b = backendsFromSources({config("jq", sources::SourceKind::Jaeger, jaeger.url())},
                                     sources::resolveSecretDefault, Backends{});
        MainWindow window(b.backends);
        window.setLiveRefreshInterval(0);
        auto* page = new TracesPage(&window);
        window.addPage(QStringLiteral("Traces"), page);
        window.show();
        window.showPage(QStringLiteral("Traces"));
        QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), 10000);
        QCOMPARE(page->dependencyModel()->rowCount(), 4271);
        QCOMPARE(page->serviceBox()->count(), 3);
        QCOMPARE(page->serviceBox()->currentText(), QStringLiteral("example-trace"));
        QVERIFY2(page->traceModel()->rowCount() > 0, qPrintable(page->statusText()));
        // Choosing a service the recording has no traces for: Jaeger answers 400, the rows stay.
        const int rows = page->traceModel()->rowCount();
        QSignalSpy failed(page, &TracesPage::failed);
        page->serviceBox()->setCurrentText(QStringLiteral("service-x"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QCOMPARE(page->traceModel()->rowCount(), rows);
        QVERIFY2(page->statusText().contains(QStringLiteral("showing data loaded at")),
                 qPrintable(page->statusText()));
    }

    void chartsKeepTheirDataWhileThePrometheusIsDownAndRecover() {
        REQUIRE_REPLAY_DATA();
        const int port = freePort();
        auto server = std::make_unique<ReplayServer>();
        QVERIFY(server->start("prometheus.json", {"--port", QString::number(port)}));
        auto b = backendsFromSources({config("prom", sources::SourceKind::Prometheus, server->url(), 300)},
                                     sources::resolveSecretDefault, Backends{});
        QVERIFY(b.backends.metrics);
        MainWindow window(b.backends);
        window.setRangePreset(MainWindow::RangePreset::LastHour);
        TaskRunner runner;
        SourceMonitor monitor(&runner, sources::resolveSecretDefault);
        monitor.setSources({config("prom", sources::SourceKind::Prometheus, server->url(), 300)});
        window.attachSourceMonitor(&monitor);
        QSignalSpy recovered(&window, &MainWindow::sourceRecovered);
        QSignalSpy chartsUpdated(&window, &MainWindow::chartsUpdated);
        window.show();
        monitor.start();
        // The recorded series have job labels only: the job becomes the service, its gauges the panels.
        QTRY_VERIFY_WITH_TIMEOUT(!window.metricsPage()->charts().empty(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.isSettled(), 10000);
        const std::size_t shown = window.metricsPage()->charts().size();
        QVERIFY(window.staleText().isEmpty());
        // Polled on the source's own cycle: more chart refreshes come without the window's timer.
        const int before = chartsUpdated.count();
        QTRY_VERIFY_WITH_TIMEOUT(chartsUpdated.count() >= before + 2, 10000);

        server->kill();
        QTRY_COMPARE_WITH_TIMEOUT(int(monitor.entry("prom")->status), int(SourceStatus::Down), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.staleText().contains(QStringLiteral("down since")), 5000);
        QVERIFY2(window.staleText().contains(QStringLiteral("showing data from")),
                 qPrintable(window.staleText()));
        QCOMPARE(window.metricsPage()->charts().size(), shown);
        // A refresh (F5) while the source is down keeps the charts and says how old they are.
        window.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(window.staleText().contains(QStringLiteral("Charts show data from")), 10000);
        QCOMPARE(window.metricsPage()->charts().size(), shown);
        QVERIFY(!window.metricsPage()->charts().front()->data().main.series.empty());

        server = std::make_unique<ReplayServer>();
        QVERIFY(server->start("prometheus.json", {"--port", QString::number(port)}));
        QTRY_COMPARE_WITH_TIMEOUT(recovered.count(), 1, 10000);
        QCOMPARE(recovered.front().front().toString(), QStringLiteral("prom"));
        QTRY_VERIFY_WITH_TIMEOUT(window.staleText().isEmpty(), 10000);
        QCOMPARE(int(monitor.entry("prom")->status), int(SourceStatus::Ok));
        QCOMPARE(window.metricsPage()->charts().size(), shown);
        monitor.stop();
        runner.cancelAll();
        runner.waitForWorkers();
    }

    void statusBarShowsOneHealthDotPerSource() {
        REQUIRE_REPLAY_DATA();
        ReplayServer prom;
        QVERIFY(prom.start("prometheus.json"));
        QTemporaryDir dir;
        const QString path = dir.filePath("sources.json");
        auto alive = config("alive", sources::SourceKind::Prometheus, prom.url(), 300);
        auto dead = config("dead", sources::SourceKind::Prometheus,
                           "http://127.0.0.1:" + std::to_string(freePort()), 300);
        QCOMPARE(saveSourcesFile(path, {alive, dead}), QString());
        SourcesController controller(path, std::make_unique<MemorySecretStore>());
        QCOMPARE(controller.load(), QString());
        QMainWindow window;
        controller.install(&window);
        auto* indicator = window.findChild<QLabel*>(QStringLiteral("sourceHealthIndicator"));
        QVERIFY(indicator);
        QTRY_VERIFY_WITH_TIMEOUT(indicator->text().contains(QStringLiteral("#2e7d32\">●</span> alive")),
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(indicator->text().contains(QStringLiteral("#c62828\">●</span> dead")),
                                 10000);
        QVERIFY2(indicator->toolTip().contains(QStringLiteral("dead: down since")),
                 qPrintable(indicator->toolTip()));
        controller.monitor()->stop();
    }

    void aHungSourceNeverStallsTheEventLoop() {
        // A server that accepts connections and never answers; the client waits up to its 20 s timeout.
        HungServer hung;
        QVERIFY(hung.port > 0);
        const std::string url = "http://127.0.0.1:" + std::to_string(hung.port);
        auto c = config("hung", sources::SourceKind::Prometheus, url, 100);
        c.timeoutMs = 20000;
        auto b = backendsFromSources({c}, sources::resolveSecretDefault, Backends{});
        MainWindow window(b.backends);
        TaskRunner runner;
        SourceMonitor monitor(&runner, sources::resolveSecretDefault);
        monitor.setSources({c});
        window.attachSourceMonitor(&monitor);
        window.show();
        monitor.start();

        // Worst lateness of a 10 ms timer over 2 s while the window lists series and checks health.
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0, worst = 0;
        QTimer tick;
        tick.setTimerType(Qt::PreciseTimer);
        QObject::connect(&tick, &QTimer::timeout, [&] {
            const qint64 now = clock.elapsed();
            worst = std::max(worst, now - last - 10);
            last = now;
        });
        tick.start(10);
        QTest::qWait(2000);
        tick.stop();
        qInfo("worst event-loop lateness with a hung source: %lld ms", static_cast<long long>(worst));
        // A blocking call would stall for the 20 s timeout; a loaded CI machine may add some scheduling
        // delay.
        QVERIFY2(worst < 500, qPrintable(QStringLiteral("the event loop stalled %1 ms").arg(worst)));
        QVERIFY(monitor.entry("hung")->inFlight);
        QVERIFY2(monitor.entry("hung")->skippedCycles >= 5, "cycles are skipped while one is in flight");
        QCOMPARE(int(monitor.entry("hung")->status), int(SourceStatus::Unknown));
        monitor.stop();
        runner.cancelAll(); // the HTTP client aborts on cancellation instead of waiting out its timeout
        QElapsedTimer teardown;
        teardown.start();
        runner.waitForWorkers();
        QVERIFY(teardown.elapsed() < 5000);
    }
};

QTEST_MAIN(TestLiveSources)
#include "tst_livesources.moc"
