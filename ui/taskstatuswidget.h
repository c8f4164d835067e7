// TaskStatusWidget: the status-bar view of TaskRunner — what runs, its progress, and a Cancel button.
// Hidden when the runner is idle. Thread-safety: UI thread only.
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace cairn::ui {

class TaskRunner;

class TaskStatusWidget : public QWidget {
    Q_OBJECT
public:
    explicit TaskStatusWidget(TaskRunner* runner, QWidget* parent = nullptr);

private:
    void refresh();

    TaskRunner* m_runner;
    QLabel* m_label;
    QProgressBar* m_bar;
    QToolButton* m_cancel;
};

} // namespace cairn::ui
