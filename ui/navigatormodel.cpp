#include "navigatormodel.h"

#include <QPainter>
#include <QPixmap>

namespace cairn::ui {

namespace {

QIcon dotIcon(const QColor& color) {
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return QIcon(pm);
}

QStandardItem* makeItem(const QString& text, const Selection& sel) {
    auto* item = new QStandardItem(text);
    item->setEditable(false);
    if (sel.isValid()) {
        item->setData(sel.key(), NavigatorModel::SelectionKeyRole);
        item->setToolTip(sel.title());
    } else {
        item->setSelectable(false);
        QFont f = item->font();
        f.setBold(true);
        item->setFont(f);
    }
    return item;
}

} // namespace

QIcon statusIcon(HealthStatus status) {
    return dotIcon(statusColor(status));
}

QColor statusColor(HealthStatus status) {
    switch (status) {
    case HealthStatus::Ok:
        return QColor(0x3f, 0xb9, 0x50);
    case HealthStatus::Warning:
        return QColor(0xe3, 0xa0, 0x08);
    case HealthStatus::Critical:
        return QColor(0xf0, 0x4a, 0x4a);
    case HealthStatus::Unknown:
        break;
    }
    return QColor(0x80, 0x88, 0x94);
}

QString statusText(HealthStatus status) {
    switch (status) {
    case HealthStatus::Ok:
        return QStringLiteral("Healthy");
    case HealthStatus::Warning:
        return QStringLiteral("Degraded");
    case HealthStatus::Critical:
        return QStringLiteral("Critical");
    case HealthStatus::Unknown:
        break;
    }
    return QStringLiteral("Unknown");
}

NavigatorModel::NavigatorModel(QObject* parent)
    : QStandardItemModel(parent) {
    setHorizontalHeaderLabels({QStringLiteral("Services and hosts")});
}

void NavigatorModel::setInventory(const Inventory& inventory) {
    m_inventory = inventory;
    clear();
    setHorizontalHeaderLabels({QStringLiteral("Services and hosts")});
    auto* services = makeItem(QStringLiteral("Services"), {});
    for (const auto& s : inventory.services) {
        auto* si = makeItem(QString::fromStdString(s), Selection::ofService(s));
        si->setIcon(dotIcon(statusColor(HealthStatus::Unknown)));
        for (const auto& p : inventory.podsOfService(s))
            si->appendRow(
                makeItem(QString::fromStdString(p.pod), Selection::ofPod(p.service, p.pod, p.host)));
        services->appendRow(si);
    }
    appendRow(services);
    auto* hosts = makeItem(QStringLiteral("Hosts"), {});
    for (const auto& h : inventory.hosts) {
        auto* hi = makeItem(QString::fromStdString(h), Selection::ofHost(h));
        for (const auto& p : inventory.podsOnHost(h))
            hi->appendRow(
                makeItem(QString::fromStdString(p.pod), Selection::ofPod(p.service, p.pod, p.host)));
        hosts->appendRow(hi);
    }
    appendRow(hosts);
}

void NavigatorModel::setServiceStatus(const QString& service, HealthStatus status) {
    const QModelIndex idx = indexFor(Selection::ofService(service.toStdString()));
    if (auto* item = itemFromIndex(idx)) {
        item->setIcon(dotIcon(statusColor(status)));
        item->setToolTip(service + QStringLiteral(" — ") + statusText(status));
    }
}

QModelIndex NavigatorModel::indexFor(const Selection& selection) const {
    if (!selection.isValid())
        return {};
    const QString key = selection.key();
    const auto hits = match(index(0, 0), SelectionKeyRole, key, 1, Qt::MatchExactly | Qt::MatchRecursive);
    if (!hits.isEmpty())
        return hits.front();
    // Search the Hosts branch too (match() only walks from the first top-level row's siblings).
    for (int r = 0; r < rowCount(); ++r) {
        const auto more = match(index(r, 0), SelectionKeyRole, key, 1, Qt::MatchExactly | Qt::MatchRecursive);
        if (!more.isEmpty())
            return more.front();
    }
    return {};
}

Selection NavigatorModel::selectionAt(const QModelIndex& index) {
    return Selection::fromKey(index.data(SelectionKeyRole).toString());
}

} // namespace cairn::ui
