// cairn: the desktop console. Parses options, wires core (sources, analysis) into the ui, runs the event
// loop.
#include "cairn/common/version.h"
#include "remediationwiring.h"
#include "ui/anomalypage.h"
#include "ui/apptools.h"
#include "ui/datasourcesdialog.h"
#include "ui/forecastpage.h"
#include "ui/logspage.h"
#include "ui/mainwindow.h"
#include "ui/sourcebackends.h"
#include "ui/sourcescontroller.h"
#include "ui/theme.h"
#include "ui/tracespage.h"
#include "wiring.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QSettings>
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
    QCommandLineOption range(
        QStringLiteral("range"),
        QStringLiteral("Time range to open: 1h, 6h, 24h, 7d or 14d (the last one used by default)."),
        QStringLiteral("range"));
    parser.addOptions({screenshot, bench, seed, page, select, sourcesFile, prometheus, anomalyFilter, range});
    parser.process(app);
    bool seedOk = false;
    const auto seedValue = parser.value(seed).toULongLong(&seedOk);
    if (!seedOk) {
        std::fprintf(stderr, "cairn: --seed needs a non-negative integer\n");
        return 2;
    }

    if (parser.isSet(range)) {
        const QString r = parser.value(range);
        if (!QStringList{"1h", "6h", "24h", "7d", "14d"}.contains(r)) {
            std::fprintf(stderr, "cairn: --range takes 1h, 6h, 24h, 7d or 14d\n");
            return 2;
        }
        QSettings().setValue(QStringLiteral("range/preset"), r); // what the window restores
    }
    cairn::ui::applyTheme(app);
    // The demo is the default.
    cairn::ui::Backends backends = cairn::app::makeDemoBackends(seedValue);
    auto sources = std::make_unique<cairn::ui::SourcesController>(
        parser.isSet(sourcesFile) ? parser.value(sourcesFile) : cairn::ui::defaultSourcesPath(),
        std::make_unique<cairn::ui::KeychainSecretStore>());
    if (const QString error = sources->load(); !error.isEmpty())
        std::fprintf(stderr, "cairn: %s\n", qPrintable(error));
    if (parser.isSet(prometheus)) {
        cairn::sources::SourceConfig c;
        c.name = "prometheus";
        c.kind = cairn::sources::SourceKind::Prometheus;
        c.url = parser.value(prometheus).toStdString();
        c.pollIntervalMs = 15'000;
        sources->addTransientSource(c);
    }
    // Configured sources (and --prometheus) replace the demo: metrics, logs and traces each from the first
    // source that provides them.
    const cairn::ui::Backends demo = backends;
    auto fromSources = cairn::ui::backendsFromSources(sources->allSources(), sources->resolver(), backends);
    for (const QString& error : fromSources.errors)
        std::fprintf(stderr, "cairn: %s\n", qPrintable(error));
    backends = std::move(fromSources.backends);
    cairn::ui::MainWindow window(backends);
    sources->install(&window);
    sources->follow(&window, demo); // edits in the Data sources dialog switch the views at once
    window.attachSourceMonitor(sources->monitor());
    auto* anomalies = new cairn::ui::AnomalyPage(&window);
    anomalies->setFilterText(parser.value(anomalyFilter));
    window.addPage(QStringLiteral("Anomalies"), anomalies, QKeySequence(Qt::CTRL | Qt::Key_3));
    window.addPage(QStringLiteral("Logs"), new cairn::ui::LogsPage(&window));
    window.addPage(QStringLiteral("Traces"), new cairn::ui::TracesPage(&window));
    cairn::app::addRemediationPage(window);
    auto* forecast = new cairn::ui::ForecastPage(backends, window.taskRunner());
    window.addPage(QStringLiteral("Forecast"), forecast, QKeySequence(Qt::CTRL | Qt::Key_5));
    QObject::connect(&window, &cairn::ui::MainWindow::backendsChanged, forecast,
                     [&window, forecast] { forecast->setBackends(window.backends()); });
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
