// cairn: the desktop console. Parses options, wires core (sources, analysis) into the ui, runs the event
// loop.
#include "cairn/common/version.h"
#include "ui/anomalypage.h"
#include "ui/apptools.h"
#include "ui/mainwindow.h"
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
    parser.addOptions({screenshot, bench, seed, page, select});
    parser.process(app);
    bool seedOk = false;
    const auto seedValue = parser.value(seed).toULongLong(&seedOk);
    if (!seedOk) {
        std::fprintf(stderr, "cairn: --seed needs a non-negative integer\n");
        return 2;
    }

    cairn::ui::applyTheme(app);
    cairn::ui::MainWindow window(cairn::app::makeDemoBackends(seedValue));
    window.addPage(QStringLiteral("Anomalies"), new cairn::ui::AnomalyPage(&window),
                   QKeySequence(Qt::CTRL | Qt::Key_3));
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
            QTimer::singleShot(300, &app, [&] {
                if (probe) {
                    probe->stop();
                    std::printf("first paint: %lld ms after process start\n"
                                "settled (load + analysis): %lld ms after process start\n"
                                "max event-loop lateness while loading: %lld ms (%d timer ticks)\n%s\n",
                                static_cast<long long>(probe->firstPaintMs()),
                                static_cast<long long>(cairn::ui::processAgeMs()),
                                static_cast<long long>(probe->maxLatenessMs()), probe->ticks(),
                                qPrintable(cairn::ui::benchmarkChart()));
                }
                if (parser.isSet(screenshot)) {
                    const QString error = cairn::ui::saveScreenshot(&window, parser.value(screenshot));
                    if (!error.isEmpty()) {
                        std::fprintf(stderr, "cairn: %s\n", qPrintable(error));
                        app.exit(1);
                        return;
                    }
                }
                app.exit(0);
            });
        });
    }
    window.show();
    return app.exec();
}
