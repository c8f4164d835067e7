// TimeRangeDialog: pick an absolute time range (UTC) for "Custom…". Thread-safety: UI thread only.
#pragma once

#include "cairn/common/time.h"

#include <QDialog>

class QDateTimeEdit;
class QLabel;

namespace cairn::ui {

class TimeRangeDialog : public QDialog {
    Q_OBJECT
public:
    explicit TimeRangeDialog(TimeRange initial, QWidget* parent = nullptr);
    TimeRange range() const;

private:
    void validate();
    QDateTimeEdit* m_from;
    QDateTimeEdit* m_to;
    QLabel* m_error;
};

} // namespace cairn::ui
