#include "timerangedialog.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimeZone>

namespace cairn::ui {

TimeRangeDialog::TimeRangeDialog(TimeRange initial, QWidget* parent)
    : QDialog(parent)
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_error(new QLabel(this)) {
    setWindowTitle(QStringLiteral("Custom time range"));
    for (auto* e : {m_from, m_to}) {
        e->setTimeSpec(Qt::UTC);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
        e->setCalendarPopup(true);
    }
    m_from->setObjectName(QStringLiteral("rangeFrom"));
    m_to->setObjectName(QStringLiteral("rangeTo"));
    m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(initial.start, QTimeZone::utc()));
    m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(initial.end, QTimeZone::utc()));
    auto* form = new QFormLayout(this);
    form->addRow(QStringLiteral("From"), m_from);
    form->addRow(QStringLiteral("To"), m_to);
    m_error->setObjectName(QStringLiteral("rangeError"));
    form->addRow(m_error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &TimeRangeDialog::validate);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &TimeRangeDialog::validate);
    validate();
}

TimeRange TimeRangeDialog::range() const {
    return {m_from->dateTime().toMSecsSinceEpoch(), m_to->dateTime().toMSecsSinceEpoch()};
}

void TimeRangeDialog::validate() {
    const TimeRange r = range();
    const bool ok = r.duration() >= 5 * kMinuteMs;
    m_error->setText(ok ? QString() : QStringLiteral("The end must be at least 5 minutes after the start."));
    if (auto* box = findChild<QDialogButtonBox*>())
        box->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

} // namespace cairn::ui
