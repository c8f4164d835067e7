// NavigatorModel: the tree in the navigator — "Services" (service -> pods) and "Hosts" (host -> pods).
// Each selectable item carries its Selection key in SelectionKeyRole. Health status colours the services.
// Thread-safety: UI thread only.
#pragma once

#include "inventory.h"

#include <QStandardItemModel>

namespace cairn::ui {

enum class HealthStatus { Unknown, Ok, Warning, Critical };

class NavigatorModel : public QStandardItemModel {
    Q_OBJECT
public:
    static constexpr int SelectionKeyRole = Qt::UserRole + 1;

    explicit NavigatorModel(QObject* parent = nullptr);

    void setInventory(const Inventory& inventory);
    const Inventory& inventory() const { return m_inventory; }
    void setServiceStatus(const QString& service, HealthStatus status);

    // Index of the item for a selection (invalid when unknown).
    QModelIndex indexFor(const Selection& selection) const;
    static Selection selectionAt(const QModelIndex& index);

private:
    Inventory m_inventory;
};

QColor statusColor(HealthStatus status);
QString statusText(HealthStatus status);
QIcon statusIcon(HealthStatus status); // a coloured dot

} // namespace cairn::ui
