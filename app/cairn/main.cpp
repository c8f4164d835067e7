// cairn: the desktop console. Parses options, wires core (sources, analysis) into the ui, runs the event
// loop.
#include "cairn/common/version.h"
#include "cairn/sources/prometheus.h"
#include "remediationwiring.h"
#include "ui/anomalypage.h"
#include "ui/apptools.h"
#include "ui/datasourcesdialog.h"
#include "ui/forecastpage.h"
#include "ui/logspage.h"
#include "ui/mainwindow.h"
#include "ui/sourcescontroller.h"
#include "ui/theme.h"
#include "wiring.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("cairn"));
    QApplication::setOrganizationName(QStringLiteral("cairn"));
    QApplication::setApplicationVersion(QString::fromLatin1(cairn::kVersion));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/cairn.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Cairn — AIOps console"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Render the main window to a PNG once loaded, then exit."),
                                  QStringLiteral("file"));
    QCommandLineOption bench(
        QStringLiteral("bench-startup"),
        QStringLiteral("Print time to first paint and the worst UI stall while loading, then exit."));
    QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the demo environment."),
                            QStringLiteral("n"), QStringLiteral("1"));
    QCommandLineOption page(QStringLiteral("page"), QStringLiteral("Page to open (Overview, Metrics, ...)."),
                            QStringLiteral("title"));
    QCommandLineOption select(
        QStringLiteral("select"),
        QStringLiteral("Navigator selection to open: service:NAME, pod:SERVICE/POD, host:NAME."),
        QStringLiteral("key"));

    QCommandLineOption sourcesFile(
        QStringLiteral("sources"),
        QStringLiteral("Data sources file (default: sources.json in the config folder)."),
        QStringLiteral("file"));
    QCommandLineOption prometheus(
        QStringLiteral("prometheus"),
        QStringLiteral("Show metrics from this Prometheus API URL (Thanos, Mimir, VictoriaMetrics too)."),
        QStringLiteral("url"));
    QCommandLineOption anomalyFilter(QStringLiteral("anomaly-filter"),
                                     QStringLiteral("Filter text for the Anomalies page (e.g. group)."),
                                     QStringLiteral("text"));
    parser.addOptions({screenshot, bench, seed, page, select, sourcesFile, prometheus, anomalyFilter});
    parser.process(app);
    bool seedOk = false;
    const auto seedValue = parser.value(seed).toULongLong(&seedOk);
    if (!seedOk) {
        std::fprintf(stderr, "cairn: --seed needs a non-negative integer\n");
        return 2;
    }

    cairn::ui::applyTheme(app);
    // The demo is the default; a Prometheus given on the command line or in the sources file replaces its
    // metrics (logs and traces then come from configured sources only).
    cairn::ui::Backends backends = cairn::app::makeDemoBackends(seedValue);
    auto sources = std::make_unique<cairn::ui::SourcesController>(
        parser.isSet(sourcesFile) ? parser.value(sourcesFile) : cairn::ui::defaultSourcesPath(),
        std::make_unique<cairn::ui::KeychainSecretStore>());
    if (const QString error = sources->load(); !error.isEmpty())
        std::fprintf(stderr, "cairn: %s\n", qPrintable(error));
    std::shared_ptr<cairn::sources::MetricSource> live;
    if (parser.isSet(prometheus)) {
        cairn::sources::PrometheusOptions o;
        o.name = "prometheus";
        o.url = parser.value(prometheus).toStdString();
        live = std::make_shared<cairn::sources::PrometheusSource>(o);
    } else {
        for (const auto& c : sources->sources()) {
            if (c.kind != cairn::sources::SourceKind::Prometheus)
                continue;
            auto m = cairn::sources::makeMetricSource(c, sources->resolver());
            if (!m) {
                std::fprintf(stderr, "cairn: %s\n", m.error().what().c_str());
                continue;
            }
            live = std::shared_ptr<cairn::sources::MetricSource>(std::move(*m));
            break;
        }
    }
    if (live) {
        backends = cairn::ui::Backends{};
        backends.metrics = live;
        backends.analyze = cairn::app::detectorAnalysis();
    }
    cairn::ui::MainWindow window(backends);
    sources->install(&window);
    auto* anomalies = new cairn::ui::AnomalyPage(&window);
    anomalies->setFilterText(parser.value(anomalyFilter));
    window.addPage(QStringLiteral("Anomalies"), anomalies, QKeySequence(Qt::CTRL | Qt::Key_3));
    window.addPage(QStringLiteral("Logs"), new cairn::ui::LogsPage(&window));
    cairn::app::addRemediationPage(window);
    window.addPage(QStringLiteral("Forecast"), new cairn::ui::ForecastPage(backends, window.taskRunner()),
                   QKeySequence(Qt::CTRL | Qt::Key_5));
    if (parser.isSet(page) && !window.showPage(parser.value(page))) {
        std::fprintf(stderr, "cairn: no page called '%s'\n", qPrintable(parser.value(page)));
        return 2;
    }
    if (parser.isSet(select))
        window.setInitialSelection(cairn::ui::Selection::fromKey(parser.value(select)));
    cairn::ui::StartupProbe* probe =
        parser.isSet(bench) ? new cairn::ui::StartupProbe(&window, &app) : nullptr;
    if (parser.isSet(screenshot) || probe) {
        window.setLiveRefreshInterval(0);
        QObject::connect(&window, &cairn::ui::MainWindow::settled, &app, [&] {
            if (probe)
                probe->stop(); // the load and analysis are done: stop measuring
            QTimer::singleShot(300, &app, [&] {
                if (probe)
                    std::printf("%s\n%s\n", qPrintable(probe->report()),
                                qPrintable(cairn::ui::benchmarkChart()));
                const QString error = parser.isSet(screenshot)
                                          ? cairn::ui::saveScreenshot(&window, parser.value(screenshot))
                                          : QString();
                if (!error.isEmpty())
                    std::fprintf(stderr, "cairn: %s\n", qPrintable(error));
                app.exit(error.isEmpty() ? 0 : 1);
            });
        });
    }
    window.show();
    return app.exec();
}
