// OverviewPage: health of every service (status colour from recent anomalies and error ratio) and the latest
// anomalies across services. Activating a row asks the window to navigate there.
// Thread-safety: UI thread only.
#pragma once

#include "healthmodel.h"

#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTableView;

namespace cairn::ui {

class OverviewPage : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPage(QWidget* parent = nullptr);

    void setHealth(std::vector<ServiceHealth> rows, TimeRange analysed);
    void setMessage(const QString& message);
    HealthModel* healthModel() const { return m_health; }
    QTableView* healthView() const { return m_healthView; }
    QTableView* anomalyView() const { return m_anomalyView; }

signals:
    void serviceActivated(const QString& service);
    void anomalyActivated(const QString& service, cairn::TimeMs peak);

private:
    QLabel* m_summary;
    HealthModel* m_health;
    QTableView* m_healthView;
    QStandardItemModel* m_anomalies;
    QTableView* m_anomalyView;
};

} // namespace cairn::ui
