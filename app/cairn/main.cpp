// cairn: the desktop console. Parses options, wires core, plugins and ui, runs the event loop.
#include "cairn/common/version.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("cairn"));
    QApplication::setOrganizationName(QStringLiteral("cairn"));
    QApplication::setApplicationVersion(QString::fromLatin1(cairn::kVersion));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/cairn.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Cairn — AIOps console"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    cairn::ui::MainWindow window;
    window.show();
    return app.exec();
}
