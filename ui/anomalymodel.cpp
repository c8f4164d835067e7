#include "anomalymodel.h"

#include <QDateTime>
#include <QTimeZone>

#include <cmath>

namespace cairn::ui {

AnomalyTableModel::AnomalyTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void AnomalyTableModel::setAnomalies(std::vector<detect::Anomaly> anomalies) {
    beginResetModel();
    m_rows = std::move(anomalies);
    m_groupOf.clear();
    m_headlines.clear();
    endResetModel();
}

void AnomalyTableModel::setAlertGroups(std::vector<int> groupOfRow, std::vector<QString> headlines) {
    m_groupOf = std::move(groupOfRow);
    m_headlines = std::move(headlines);
    if (rowCount() > 0)
        emit dataChanged(index(0, AlertGroup), index(rowCount() - 1, AlertGroup));
}

int AnomalyTableModel::alertGroupOf(int row) const {
    return row >= 0 && static_cast<std::size_t>(row) < m_groupOf.size()
               ? m_groupOf[static_cast<std::size_t>(row)]
               : -1;
}

QString AnomalyTableModel::alertGroupHeadline(int group) const {
    return group >= 1 && static_cast<std::size_t>(group) <= m_headlines.size()
               ? m_headlines[static_cast<std::size_t>(group - 1)]
               : QString();
}

void AnomalyTableModel::setSuppressed(int row, const std::string& reason) {
    if (row < 0 || row >= rowCount())
        return;
    m_rows[static_cast<std::size_t>(row)].suppressed = reason;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int AnomalyTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AnomalyTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AnomalyTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const detect::Anomaly& a = m_rows[static_cast<std::size_t>(index.row())];
    const QString service = QString::fromStdString(a.series.label("service"));
    const int group = alertGroupOf(index.row());
    if (role == Qt::ToolTipRole && index.column() == AlertGroup && group > 0)
        return alertGroupHeadline(group);
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(a.explanation) +
               (a.suppressed.empty()
                    ? QString()
                    : QStringLiteral("\nSuppressed: ") + QString::fromStdString(a.suppressed));
    if (role == SortRole) {
        switch (index.column()) {
        case Score:
            return a.score;
        case Start:
            return static_cast<qlonglong>(a.start);
        case Deviation:
            return std::fabs(a.deviation);
        case AlertGroup:
            return group;
        default:
            break;
        }
        return data(index, Qt::DisplayRole);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Score:
        return QString::number(a.score, 'f', 2);
    case Start:
        return QDateTime::fromMSecsSinceEpoch(a.start, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case Service:
        return service;
    case Series:
        return QString::fromStdString(a.series.toString());
    case Detector:
        return QString::fromStdString(a.detector);
    case Deviation:
        return QStringLiteral("%1σ").arg(a.deviation, 0, 'f', 1);
    case AlertGroup:
        return group > 0 ? QStringLiteral("#%1").arg(group) : QString();
    case Status:
        return a.suppressed.empty() ? QStringLiteral("raised")
                                    : QStringLiteral("suppressed: ") + QString::fromStdString(a.suppressed);
    default:
        return {};
    }
}

QVariant AnomalyTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* names[] = {"Score",    "Start (UTC)", "Service",     "Series",
                                  "Detector", "Deviation",   "Alert group", "Status"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

AnomalyFilterProxy::AnomalyFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setSortRole(AnomalyTableModel::SortRole);
}

void AnomalyFilterProxy::setText(const QString& text) {
    m_text = text.trimmed();
    invalidateFilter();
}

void AnomalyFilterProxy::setMinScore(double score) {
    m_minScore = score;
    invalidateFilter();
}

void AnomalyFilterProxy::setShowSuppressed(bool show) {
    m_showSuppressed = show;
    invalidateFilter();
}

void AnomalyFilterProxy::setKind(Kind kind) {
    m_kind = kind;
    invalidateFilter();
}

bool AnomalyFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
    const auto* model = qobject_cast<const AnomalyTableModel*>(sourceModel());
    if (!model || sourceRow >= model->rowCount())
        return false;
    const detect::Anomaly& a = model->anomaly(sourceRow);
    if (a.score < m_minScore)
        return false;
    if (!m_showSuppressed && !a.suppressed.empty())
        return false;
    const bool isGroup = a.detector == "group";
    if ((m_kind == Kind::Group && !isGroup) || (m_kind == Kind::Series && isGroup))
        return false;
    if (m_text.isEmpty())
        return true;
    std::string hay = a.series.toString() + " " + a.detector + " " + a.explanation;
    for (const auto& [member, share] : a.contributors)
        hay += " " + member.toString();
    return QString::fromStdString(hay).contains(m_text, Qt::CaseInsensitive);
}

} // namespace cairn::ui
