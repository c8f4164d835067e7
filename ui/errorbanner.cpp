#include "errorbanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace cairn::ui {

ErrorBanner::ErrorBanner(QWidget* parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_retry(new QPushButton(QStringLiteral("Retry"), this))
    , m_dismiss(new QPushButton(QStringLiteral("Dismiss"), this)) {
    setObjectName(QStringLiteral("errorBanner"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 6, 8, 6);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_retry);
    layout->addWidget(m_dismiss);
    connect(m_retry, &QPushButton::clicked, this, [this] {
        hide();
        emit retryRequested();
    });
    connect(m_dismiss, &QPushButton::clicked, this, &QWidget::hide);
    hide();
}

void ErrorBanner::showError(const QString& message) {
    m_label->setText(QStringLiteral("⚠  ") + message);
    show();
}

QString ErrorBanner::message() const {
    return isVisible() ? m_label->text() : QString();
}

} // namespace cairn::ui
