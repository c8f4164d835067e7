#include "capacitymodel.h"

#include <QBrush>
#include <QColor>

#include <limits>

namespace cairn::ui {

void CapacityTableModel::setRows(std::vector<forecast::CapacityRow> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int CapacityTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int CapacityTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString CapacityTableModel::formatDuration(TimeMs d) {
    const double h = static_cast<double>(d) / kHourMs;
    if (h < 48)
        return QStringLiteral("%1 h").arg(h, 0, 'f', 1);
    return QStringLiteral("%1 d").arg(h / 24, 0, 'f', 1);
}

QVariant CapacityTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const auto& r = m_rows[static_cast<std::size_t>(index.row())];
    const auto& e = r.exhaustion;
    const bool exhausts = e.status == forecast::ExhaustionStatus::WillExhaust;
    const double never = std::numeric_limits<double>::max();
    auto hours = [&](TimeMs t) { return t > 0 ? static_cast<double>(t - e.now) / kHourMs : never; };
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Owner:
            return QString::fromStdString(r.owner);
        case Resource:
            return QString::fromStdString(r.resource);
        case Used:
            return QStringLiteral("%1%").arg(100 * r.fractionUsed, 0, 'f', 1);
        case Status:
            return QString::fromUtf8(forecast::toString(e.status).data());
        case Left:
            return exhausts ? formatDuration(e.at - e.now) : QStringLiteral("—");
        case Earliest:
            return exhausts ? formatDuration(e.earliest - e.now) : QStringLiteral("—");
        case Latest:
            return exhausts ? (e.latest ? formatDuration(e.latest - e.now) : tr("beyond horizon"))
                            : QStringLiteral("—");
        }
    } else if (role == Qt::UserRole) {
        switch (index.column()) {
        case Owner:
            return QString::fromStdString(r.owner);
        case Resource:
            return QString::fromStdString(r.resource);
        case Used:
            return r.fractionUsed;
        case Status:
            return static_cast<int>(e.status);
        case Left:
            return e.status == forecast::ExhaustionStatus::Exhausted ? 0.0 : exhausts ? hours(e.at) : never;
        case Earliest:
            return exhausts ? hours(e.earliest) : never;
        case Latest:
            return exhausts ? hours(e.latest) : never;
        }
    } else if (role == Qt::ToolTipRole) {
        return QString::fromStdString(e.message);
    } else if (role == Qt::ForegroundRole && index.column() == Left && exhausts && e.at - e.now < kDayMs) {
        return QBrush(QColor(0xd9, 0x53, 0x4f));
    } else if (role == Qt::TextAlignmentRole && index.column() >= Used) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant CapacityTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Owner:
        return tr("Owner");
    case Resource:
        return tr("Resource");
    case Used:
        return tr("Used");
    case Status:
        return tr("Status");
    case Left:
        return tr("Time left");
    case Earliest:
        return tr("Earliest");
    case Latest:
        return tr("Latest");
    }
    return {};
}

} // namespace cairn::ui
