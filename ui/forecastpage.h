// ForecastPage: capacity planning and early warning. A sortable "what runs out first" table of every bounded
// resource (disk, memory), an early-warning list (resources expected to run out within a day), and a chart of
// the selected resource: history, forecast with 80%/95% bands, the capacity line and the predicted crossing.
// All computation (collecting resources, time to exhaustion, forecasts) runs in core on the TaskRunner's
// pool; the page only shows the results. Thread-safety: UI thread only.
#pragma once

#include "backends.h"

#include "cairn/forecast/capacity.h"
#include "cairn/forecast/seriesforecast.h"

#include <QWidget>

#include <vector>

class QLabel;
class QListWidget;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace cairn::ui {

class CapacityTableModel;
class LazyReload;
class ForecastChart;
class TaskRunner;

// Everything the page shows, computed off the UI thread.
struct ForecastPageData {
    TimeMs now = 0;
    std::vector<forecast::CapacityRow> rows;         // most urgent first
    std::vector<forecast::Resource> resources;       // same order as rows
    std::vector<forecast::SeriesForecast> forecasts; // same order as rows
};

class ForecastPage : public QWidget {
    Q_OBJECT
public:
    ForecastPage(Backends backends, TaskRunner* runner, QWidget* parent = nullptr);

    // New backends (the data sources were edited): drops a forecast of the old ones and forecasts again,
    // now if the page is visible, else when it is next shown.
    void setBackends(Backends backends);
    void setLookback(TimeMs lookback) { m_lookback = lookback; }
    void setWarnWithin(TimeMs within) { m_warnWithin = within; }

    CapacityTableModel* capacityModel() const { return m_model; }
    QSortFilterProxyModel* sortedModel() const { return m_proxy; }
    QTableView* capacityView() const { return m_table; }
    QListWidget* warningList() const { return m_warnings; }
    ForecastChart* chart() const { return m_chart; }
    const ForecastPageData& pageData() const { return m_data; }
    bool isLoaded() const { return m_loaded; }
    // The row (in capacityModel() order) shown in the chart; -1 = none.
    int shownRow() const { return m_shown; }

public slots:
    void refresh();
    void showRow(int modelRow);

signals:
    void loaded();
    void failed(const QString& message);

private:
    void apply(ForecastPageData data);

    Backends m_backends;
    TaskRunner* m_runner = nullptr;
    TimeMs m_lookback = kDayMs;
    TimeMs m_warnWithin = kDayMs;
    ForecastPageData m_data;
    bool m_loaded = false;
    LazyReload* m_lazy = nullptr;
    int m_shown = -1;

    QLabel* m_status = nullptr;
    QLabel* m_chartTitle = nullptr;
    QPushButton* m_refresh = nullptr;
    CapacityTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QListWidget* m_warnings = nullptr;
    ForecastChart* m_chart = nullptr;
};

} // namespace cairn::ui
