// MetricsPage: the stacked charts for the selected service, pod or host, kept in step on one time axis.
// Keyboard: + / - zoom, Left / Right pan, 0 reset. Mouse gestures come from MetricChart.
// The page never loads data itself: MainWindow hands it ChartData computed by a background job.
// Thread-safety: UI thread only.
#pragma once

#include "metricchart.h"

#include <QWidget>

#include <vector>

class QLabel;
class QScrollArea;
class QVBoxLayout;

namespace cairn::ui {

class MetricsPage : public QWidget {
    Q_OBJECT
public:
    explicit MetricsPage(QWidget* parent = nullptr);

    void setHeading(const QString& title, const QString& subtitle);
    // Replaces the charts. `range` is the selected time range: the view resets to it unless keepView is set
    // and the current view still lies inside it (live refresh keeps the user's zoom).
    void setCharts(std::vector<ChartData> charts, TimeRange range, bool keepView = false);
    void setMessage(const QString& message); // shown instead of charts ("Loading…", "No data")
    void clear();

    TimeRange selectedRange() const { return m_range; }
    TimeRange viewRange() const { return m_view; }
    void setViewRange(TimeRange view);
    const std::vector<MetricChart*>& charts() const { return m_charts; }

public slots:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void panLeft();
    void panRight();

signals:
    void viewRangeChanged(cairn::TimeRange view);

private:
    void zoomBy(double factor);
    void scheduleAlign();
    void alignPlots();
    void panBy(double fraction);

    QLabel* m_title = nullptr;
    QLabel* m_subtitle = nullptr;
    QLabel* m_message = nullptr;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_chartsHost = nullptr;
    QVBoxLayout* m_chartsLayout = nullptr;
    std::vector<MetricChart*> m_charts;
    TimeRange m_range;
    TimeRange m_view;
    bool m_alignPending = false;
};

} // namespace cairn::ui
