#include "anomalymodel.h"

#include <QDateTime>

namespace cairn::ui {

AnomalyTableModel::AnomalyTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void AnomalyTableModel::setAnomalies(std::vector<detect::Anomaly> anomalies)
{
    beginResetModel();
    m_rows = std::move(anomalies);
    endResetModel();
}

void AnomalyTableModel::setSuppressed(int row, const std::string& reason)
{
    if (row < 0 || row >= rowCount())
        return;
    m_rows[static_cast<std::size_t>(row)].suppressed = reason;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int AnomalyTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AnomalyTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AnomalyTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const detect::Anomaly& a = m_rows[static_cast<std::size_t>(index.row())];
    const QString service = QString::fromStdString(a.series.label("service"));
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(a.explanation) +
               (a.suppressed.empty() ? QString() : QStringLiteral("\nSuppressed: ") + QString::fromStdString(a.suppressed));
    if (role == SortRole) {
        switch (index.column()) {
        case Score:
            return a.score;
        case Start:
            return static_cast<qlonglong>(a.start);
        case Deviation:
            return std::fabs(a.deviation);
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
        return QDateTime::fromMSecsSinceEpoch(a.start, QTimeZone::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case Service:
        return service;
    case Series:
        return QString::fromStdString(a.series.toString());
    case Detector:
        return QString::fromStdString(a.detector);
    case Deviation:
        return QStringLiteral("%1σ").arg(a.deviation, 0, 'f', 1);
    case Status:
        return a.suppressed.empty() ? QStringLiteral("raised")
                                    : QStringLiteral("suppressed: ") + QString::fromStdString(a.suppressed);
    default:
        return {};
    }
}

QVariant AnomalyTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* names[] = {"Score", "Start (UTC)", "Service", "Series", "Detector", "Deviation", "Status"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

AnomalyFilterProxy::AnomalyFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(AnomalyTableModel::SortRole);
}

void AnomalyFilterProxy::setText(const QString& text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

void AnomalyFilterProxy::setMinScore(double score)
{
    m_minScore = score;
    invalidateFilter();
}

void AnomalyFilterProxy::setShowSuppressed(bool show)
{
    m_showSuppressed = show;
    invalidateFilter();
}

bool AnomalyFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    const auto* model = qobject_cast<const AnomalyTableModel*>(sourceModel());
    if (!model || sourceRow >= model->rowCount())
        return false;
    const detect::Anomaly& a = model->anomaly(sourceRow);
    if (a.score < m_minScore)
        return false;
    if (!m_showSuppressed && !a.suppressed.empty())
        return false;
    if (m_text.isEmpty())
        return true;
    const QString hay = QString::fromStdString(a.series.toString() + " " + a.detector + " " + a.explanation);
    return hay.contains(m_text, Qt::CaseInsensitive);
}

} // namespace cairn::ui
