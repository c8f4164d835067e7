#include "healthmodel.h"

#include <QBrush>
#include <QColor>
#include <QIcon>

#include <algorithm>

namespace cairn::ui {

HealthStatus classifyHealth(const ServiceHealth& h, TimeRange recent) {
    if (!h.errorRatio && !h.requestRate && !h.latencyP95Ms && h.anomalies.empty())
        return HealthStatus::Unknown;
    bool strong = false, any = false;
    for (const auto& a : h.anomalies) {
        if (!recent.overlaps({a.start, std::max(a.end, a.start + 1)}))
            continue;
        any = true;
        strong = strong || a.score >= 0.9;
    }
    const double err = h.errorRatio.value_or(0.0);
    if (err >= 0.05 || strong)
        return HealthStatus::Critical;
    if (err >= 0.01 || any)
        return HealthStatus::Warning;
    return HealthStatus::Ok;
}

HealthModel::HealthModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void HealthModel::setRows(std::vector<ServiceHealth> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int HealthModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int HealthModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HealthModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const ServiceHealth& h = m_rows[static_cast<std::size_t>(index.row())];
    if (role == ServiceRole)
        return QString::fromStdString(h.service);
    if (role == StatusRole)
        return static_cast<int>(h.status);
    auto dash = QStringLiteral("—");
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case ServiceCol:
            return QString::fromStdString(h.service);
        case StatusCol:
            return statusText(h.status);
        case RateCol:
            return h.requestRate ? QString::number(*h.requestRate, 'f', 1) : dash;
        case LatencyCol:
            return h.latencyP95Ms ? QString::number(*h.latencyP95Ms, 'f', 0) : dash;
        case ErrorCol:
            return h.errorRatio ? QString::number(*h.errorRatio * 100.0, 'f', 2) + QLatin1Char('%') : dash;
        case AnomalyCol:
            return h.recentAnomalies;
        case FindingCol:
            if (!h.error.empty())
                return QString::fromStdString(h.error);
            if (!h.anomalies.empty())
                return QString::fromStdString(h.anomalies.back().explanation.empty()
                                                  ? h.anomalies.back().series.metric
                                                  : h.anomalies.back().explanation);
            return QString();
        }
    }
    if (role == Qt::DecorationRole && index.column() == ServiceCol)
        return statusIcon(h.status);
    if (role == Qt::ForegroundRole && index.column() == StatusCol)
        return QBrush(statusColor(h.status));
    if (role == Qt::ForegroundRole && index.column() == FindingCol && !h.error.empty())
        return QBrush(statusColor(HealthStatus::Critical));
    if (role == Qt::TextAlignmentRole && index.column() >= RateCol && index.column() <= AnomalyCol)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == FindingCol && !h.anomalies.empty())
        return QString::fromStdString(h.anomalies.back().explanation);
    return {};
}

QVariant HealthModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ServiceCol:
        return QStringLiteral("Service");
    case StatusCol:
        return QStringLiteral("Status");
    case RateCol:
        return QStringLiteral("Req/s");
    case LatencyCol:
        return QStringLiteral("p95 ms");
    case ErrorCol:
        return QStringLiteral("Errors");
    case AnomalyCol:
        return QStringLiteral("Anomalies (1h)");
    case FindingCol:
        return QStringLiteral("Latest finding");
    }
    return {};
}

} // namespace cairn::ui

#include "backends.h"
#include "metricpanels.h"

namespace cairn::ui {

HealthResult loadHealth(const Backends& backends, const std::vector<std::string>& services, TimeMs now,
                        TimeMs history, const CancelToken& cancel, const ProgressSink& progress) {
    HealthResult out;
    const TimeRange range{now - history, now};
    const TimeRange recent{now - kHourMs, now};
    const char* metrics[] = {"request_rate", "latency_p95_ms", "error_ratio"};
    int failed = 0;
    std::string lastError;
    for (std::size_t i = 0; i < services.size(); ++i) {
        if (cancel.isCancelled())
            return {};
        reportProgress(
            progress, static_cast<double>(i) / static_cast<double>(std::max<std::size_t>(1, services.size())),
            services[i]);
        ServiceHealth h;
        h.service = services[i];
        const Selection sel = Selection::ofService(services[i]);
        for (const char* metric : metrics) {
            auto r = backends.queryMetrics({selectorFor(sel, metric), range, kMinuteMs}, cancel);
            if (!r) {
                if (r.error().code == ErrorCode::Cancelled)
                    return {};
                h.error = r.error().what();
                continue;
            }
            if (r->empty() || r->front().empty())
                continue;
            const ts::Series& s = r->front();
            const double last = s.value.back();
            const std::string m = metric;
            if (m == "request_rate")
                h.requestRate = last;
            else if (m == "latency_p95_ms")
                h.latencyP95Ms = last;
            else
                h.errorRatio = last;
            if (backends.analyze) {
                auto f = backends.analyze(s, cancel);
                if (f) {
                    for (auto& a : f->anomalies)
                        h.anomalies.push_back(std::move(a));
                } else if (f.error().code == ErrorCode::Cancelled) {
                    return {};
                }
            }
        }
        std::sort(h.anomalies.begin(), h.anomalies.end(),
                  [](const detect::Anomaly& a, const detect::Anomaly& b) { return a.peak < b.peak; });
        h.recentAnomalies =
            static_cast<int>(std::count_if(h.anomalies.begin(), h.anomalies.end(), [&](const auto& a) {
                return recent.overlaps({a.start, std::max(a.end, a.start + 1)});
            }));
        h.status = classifyHealth(h, recent);
        if (!h.error.empty()) {
            ++failed;
            lastError = h.error;
        }
        out.rows.push_back(std::move(h));
    }
    if (failed > 0 && failed == static_cast<int>(services.size()))
        out.error = QString::fromStdString(lastError);
    reportProgress(progress, 1.0, "done");
    return out;
}

} // namespace cairn::ui
