// ForecastChart: one bounded resource over time (Qt Charts): the history, the forecast with its 80% and 95%
// prediction bands, the capacity as a threshold line and a vertical marker at the predicted crossing time
// (with its confidence range in the title). Shows only what core computed. Thread-safety: UI thread only.
#pragma once

#include "cairn/common/time.h"
#include "cairn/forecast/capacity.h"
#include "cairn/forecast/seriesforecast.h"

#include <QChartView>
#include <QString>

class QAreaSeries;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace cairn::ui {

struct ForecastChartData {
    QString title;                     // "redis-cache-1 — disk"
    QString unit;                      // "GiB"
    double scale = 1.0;                // display value = raw value * scale
    forecast::SeriesForecast forecast; // history grid + forecast (may be not ok: history only)
    double threshold = std::numeric_limits<double>::quiet_NaN(); // capacity, NaN = none
    forecast::Exhaustion exhaustion; // crossing time and range when status is WillExhaust
};

class ForecastChart : public QChartView {
    Q_OBJECT
public:
    explicit ForecastChart(QWidget* parent = nullptr);
    void setData(ForecastChartData data);
    void clear(const QString& message);
    const ForecastChartData& data() const { return m_data; }

    // What is drawn (for tests).
    int historyPointCount() const;
    int forecastPointCount() const;
    int bandPointCount() const;
    bool hasThreshold() const;
    bool hasTrendToCrossing() const;
    TimeMs crossingTime() const { return m_crossing; } // 0 = no marker
    QString titleText() const;

signals:
    void titleChanged(const QString& title);

private:
    ForecastChartData m_data;
    TimeMs m_crossing = 0;
    QDateTimeAxis* m_axisX = nullptr;
    QValueAxis* m_axisY = nullptr;
    QLineSeries* m_history = nullptr;
    QLineSeries* m_mean = nullptr;
    QLineSeries* m_up95 = nullptr;
    QLineSeries* m_lo95 = nullptr;
    QLineSeries* m_up80 = nullptr;
    QLineSeries* m_lo80 = nullptr;
    QAreaSeries* m_band95 = nullptr;
    QAreaSeries* m_band80 = nullptr;
    QLineSeries* m_threshold = nullptr;
    QLineSeries* m_marker = nullptr;
    QLineSeries* m_trend = nullptr; // the growth that leads to the crossing: now -> (crossing, capacity)
};

} // namespace cairn::ui
