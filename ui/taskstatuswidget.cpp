#include "taskstatuswidget.h"

#include "taskrunner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace cairn::ui {

TaskStatusWidget::TaskStatusWidget(TaskRunner* runner, QWidget* parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_label(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_cancel(new QToolButton(this)) {
    setObjectName(QStringLiteral("taskStatus"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_bar->setRange(0, 1000);
    m_bar->setFixedWidth(140);
    m_bar->setMaximumHeight(14);
    m_bar->setTextVisible(false);
    m_cancel->setText(QStringLiteral("Cancel"));
    m_cancel->setObjectName(QStringLiteral("cancelTasks"));
    m_cancel->setToolTip(QStringLiteral("Cancel the background work (Esc)"));
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, m_runner, &TaskRunner::cancelAll);
    connect(m_runner, &TaskRunner::jobStarted, this, &TaskStatusWidget::refresh);
    connect(m_runner, &TaskRunner::jobProgress, this, &TaskStatusWidget::refresh);
    connect(m_runner, &TaskRunner::jobFinished, this, &TaskStatusWidget::refresh);
    refresh();
}

void TaskStatusWidget::refresh() {
    const int n = m_runner->activeCount();
    setVisible(n > 0);
    if (n == 0)
        return;
    QString text = m_runner->currentLabel();
    if (n > 1)
        text += QStringLiteral("  (+%1 more)").arg(n - 1);
    m_label->setText(text);
    m_bar->setValue(static_cast<int>(m_runner->currentProgress() * 1000.0));
}

} // namespace cairn::ui
