// AnomalyTableModel: the anomaly browser's table (one row per anomaly: score, start, service, series,
// detector ("group" for the group detector), deviation, alert group, status with the suppression reason)
// and AnomalyFilterProxy, which sorts by the underlying values (Qt::UserRole) and filters by text, minimum
// score, kind (single series / group) and "show suppressed".
// Thread-safety: UI thread only.
#pragma once

#include "cairn/detect/detector.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <vector>

namespace cairn::ui {

class AnomalyTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Score, Start, Service, Series, Detector, Deviation, AlertGroup, Status, ColumnCount };
    static constexpr int SortRole = Qt::UserRole;

    explicit AnomalyTableModel(QObject* parent = nullptr);
    void setAnomalies(std::vector<detect::Anomaly> anomalies);
    const std::vector<detect::Anomaly>& anomalies() const { return m_rows; }
    const detect::Anomaly& anomaly(int row) const { return m_rows.at(static_cast<std::size_t>(row)); }
    // Replaces one row's suppression reason (after feedback), keeping its position.
    void setSuppressed(int row, const std::string& reason);
    // The alert group (1-based number and headline) of each row, from the correlation; -1 = none.
    void setAlertGroups(std::vector<int> groupOfRow, std::vector<QString> headlines);
    int alertGroupOf(int row) const;
    QString alertGroupHeadline(int group) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<detect::Anomaly> m_rows;
    std::vector<int> m_groupOf;
    std::vector<QString> m_headlines;
};

class AnomalyFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit AnomalyFilterProxy(QObject* parent = nullptr);
    void setText(const QString& text); // matches series, service or detector (case-insensitive)
    void setMinScore(double score);
    void setShowSuppressed(bool show);
    enum class Kind { All, Series, Group };
    void setKind(Kind kind);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
    double m_minScore = 0.0;
    bool m_showSuppressed = true;
    Kind m_kind = Kind::All;
};

} // namespace cairn::ui
