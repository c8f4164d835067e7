// ErrorBanner: a strip above the pages that says, in one sentence, what failed (a source, an analysis),
// with Retry and Dismiss. Thread-safety: UI thread only.
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace cairn::ui {

class ErrorBanner : public QFrame {
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget* parent = nullptr);
    void showError(const QString& message);
    QString message() const;

signals:
    void retryRequested();

private:
    QLabel* m_label;
    QPushButton* m_retry;
    QPushButton* m_dismiss;
};

} // namespace cairn::ui
