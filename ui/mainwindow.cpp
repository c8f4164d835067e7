#include "mainwindow.h"

#include <QLabel>

namespace cairn::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Cairn"));
    setCentralWidget(new QLabel(QStringLiteral("Cairn"), this));
    resize(1280, 800);
}

} // namespace cairn::ui
