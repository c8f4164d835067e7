// MainWindow: Cairn's top-level window (placeholder until the first real version lands).
#pragma once

#include <QMainWindow>

namespace cairn::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace cairn::ui
