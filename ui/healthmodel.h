// HealthModel: one row per service for the Overview page — status, current request rate, p95 latency,
// error ratio, anomalies in the last hour and the most recent finding. Wraps ServiceHealth values computed
// off the UI thread (see summarizeHealth). Thread-safety: the model is UI-thread only; the structs are
// values.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/detect/detector.h"
#include "navigatormodel.h"

#include <QAbstractTableModel>

#include <optional>
#include <string>
#include <vector>

namespace cairn::ui {

struct ServiceHealth {
    std::string service;
    HealthStatus status = HealthStatus::Unknown;
    std::optional<double> requestRate;      // req/s, last sample
    std::optional<double> latencyP95Ms;     // last sample
    std::optional<double> errorRatio;       // 0..1, last sample
    int recentAnomalies = 0;                // anomalies overlapping the recent window
    std::vector<detect::Anomaly> anomalies; // every anomaly found in the analysed history, newest last
    std::string error;                      // why this row could not be computed (empty when fine)
};

// Status from recent findings: Critical when the error ratio is >= 5% or a strong anomaly (score >= 0.9)
// overlaps the recent window; Warning when the error ratio is >= 1% or any anomaly overlaps it; Ok otherwise;
// Unknown without data.
HealthStatus classifyHealth(const ServiceHealth& h, TimeRange recent);

class HealthModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ServiceCol, StatusCol, RateCol, LatencyCol, ErrorCol, AnomalyCol, FindingCol, ColumnCount };
    static constexpr int ServiceRole = Qt::UserRole + 1;
    static constexpr int StatusRole = Qt::UserRole + 2;

    explicit HealthModel(QObject* parent = nullptr);

    void setRows(std::vector<ServiceHealth> rows);
    const std::vector<ServiceHealth>& rows() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ServiceHealth> m_rows;
};

} // namespace cairn::ui

namespace cairn::ui {

struct Backends;

struct HealthResult {
    std::vector<ServiceHealth> rows;
    QString error; // set when the source failed for every service
};

// Worker side of the Overview: for each service, queries request rate, p95 latency and error ratio over
// [now - history, now), analyses them and classifies the service with `recent` = the last hour.
HealthResult loadHealth(const Backends& backends, const std::vector<std::string>& services, TimeMs now,
                        TimeMs history, const CancelToken& cancel, const ProgressSink& progress);

} // namespace cairn::ui
