// MetricChart: one metric over time (Qt Charts) with the detector's expected band (QAreaSeries), anomaly
// marks (scatter) and optional extra lines (p50, a limit, other pods). Holds the full-resolution data and
// draws only an M4 reduction for the visible range at one column per pixel, so 20,000+ samples pan without
// lag. User gestures (wheel, drag, Shift+drag, double-click) do not move the view themselves: they emit
// viewRangeRequested()/resetRequested() so a page can keep several charts in step.
// Thread-safety: UI thread only.
#pragma once

#include "cairn/common/time.h"
#include "cairn/detect/detector.h"
#include "cairn/timeseries/series.h"

#include <QChartView>
#include <QString>

#include <vector>

class QAreaSeries;
class QCategoryAxis;
class QLineSeries;
class QRubberBand;
class QScatterSeries;
class QValueAxis;

namespace cairn::ui {

struct ChartLine {
    ts::Series series;
    QString name;
    bool dashed = false;
};

struct ChartData {
    QString title;                           // "Latency p95"
    QString unit;                            // shown on the value axis: "ms", "%", "GiB"
    double scale = 1.0;                      // display value = raw value * scale
    ChartLine main;                          // the analysed series
    std::vector<ChartLine> extras;           // drawn under the main line, not analysed
    std::vector<detect::Estimate> estimates; // aligned with main.series (may be empty: no band)
    std::vector<detect::Anomaly> anomalies;
    QString error; // why the data is missing, shown in the chart
};

class MetricChart : public QChartView {
    Q_OBJECT
public:
    explicit MetricChart(QWidget* parent = nullptr);

    void setData(ChartData data);
    const ChartData& data() const { return m_data; }
    void setViewRange(TimeRange range);
    TimeRange viewRange() const { return m_view; }

    // What is drawn right now (for tests and benchmarks).
    int drawnPointCount() const;
    int drawnBandPointCount() const;
    int drawnAnomalyCount() const;
    QLineSeries* mainLine() const { return m_line; }

    // Plot-area alignment across stacked charts: the left edge this chart's plot would have on its own,
    // and extra left margin that moves it to a common edge.
    qreal naturalPlotLeft() const;
    void setExtraLeftMargin(int extra);

signals:
    void viewRangeRequested(cairn::TimeRange range);
    void plotAreaChanged();
    void resetRequested();

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuildExtras();
    void redraw();
    void updateTimeAxis();
    TimeMs timeAtX(double x) const;

    ChartData m_data;
    std::vector<double> m_lower; // band edges aligned with main.series (NaN while the detector learns)
    std::vector<double> m_upper;
    bool m_nonNegative = true; // every observed value >= 0: the axis and band floor at zero
    TimeRange m_view;

    QCategoryAxis* m_axisX = nullptr;
    QValueAxis* m_axisY = nullptr;
    QLineSeries* m_line = nullptr;
    QLineSeries* m_bandUpper = nullptr;
    QLineSeries* m_bandLower = nullptr;
    QAreaSeries* m_band = nullptr;
    QScatterSeries* m_marks = nullptr;
    std::vector<QLineSeries*> m_extraLines;
    int m_extraLeft = 0;
    qreal m_drawnPlotWidth = 0;

    enum class Drag { None, Pan, Zoom };
    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    TimeRange m_pressView;
    QRubberBand* m_rubber = nullptr;
};

// Colours shared by the charts and the legend.
namespace chartcolors {
QColor background();
QColor text();
QColor grid();
QColor line();
QColor band();
QColor anomaly();
QColor extra(int i);
} // namespace chartcolors

} // namespace cairn::ui
