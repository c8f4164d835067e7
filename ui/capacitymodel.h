// CapacityTableModel: the fleet's "what runs out first" rows (core's CapacityRow values) as a table.
// Columns: owner, resource, used %, status, time left, earliest, latest. Qt::DisplayRole is text,
// Qt::UserRole is the number to sort by (hours left; resources that do not run out sort last).
// Thread-safety: UI thread only.
#pragma once

#include "cairn/forecast/capacity.h"

#include <QAbstractTableModel>

#include <vector>

namespace cairn::ui {

class CapacityTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Owner, Resource, Used, Status, Left, Earliest, Latest, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setRows(std::vector<forecast::CapacityRow> rows);
    const std::vector<forecast::CapacityRow>& rows() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "2.5 h", "3.1 d"
    static QString formatDuration(TimeMs d);

private:
    std::vector<forecast::CapacityRow> m_rows;
};

} // namespace cairn::ui
