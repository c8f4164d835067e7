#include "forecastchart.h"

#include "metricchart.h"

#include <QAreaSeries>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace cairn::ui {

ForecastChart::ForecastChart(QWidget* parent)
    : QChartView(parent) {
    auto* chart = new QChart();
    chart->setBackgroundBrush(chartcolors::background());
    chart->setTitleBrush(chartcolors::text());
    chart->legend()->setLabelColor(chartcolors::text());
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_axisX = new QDateTimeAxis(chart);
    m_axisX->setFormat(QStringLiteral("dd MMM HH:mm"));
    m_axisY = new QValueAxis(chart);
    for (auto* axis : {static_cast<QAbstractAxis*>(m_axisX), static_cast<QAbstractAxis*>(m_axisY)}) {
        axis->setLabelsColor(chartcolors::text());
        axis->setGridLineColor(chartcolors::grid());
    }
    chart->addAxis(m_axisX, Qt::AlignBottom);
    chart->addAxis(m_axisY, Qt::AlignLeft);

    m_up95 = new QLineSeries(this);
    m_lo95 = new QLineSeries(this);
    m_up80 = new QLineSeries(this);
    m_lo80 = new QLineSeries(this);
    m_band95 = new QAreaSeries(m_up95, m_lo95);
    m_band95->setName(tr("95% interval"));
    QColor c95 = chartcolors::band();
    c95.setAlphaF(0.25);
    m_band95->setBrush(c95);
    m_band95->setPen(Qt::NoPen);
    m_band80 = new QAreaSeries(m_up80, m_lo80);
    m_band80->setName(tr("80% interval"));
    QColor c80 = chartcolors::band();
    c80.setAlphaF(0.5);
    m_band80->setBrush(c80);
    m_band80->setPen(Qt::NoPen);
    m_history = new QLineSeries();
    m_history->setName(tr("history"));
    m_history->setPen(QPen(chartcolors::line(), 1.5));
    m_mean = new QLineSeries();
    m_mean->setName(tr("forecast"));
    m_mean->setPen(QPen(chartcolors::line(), 1.5, Qt::DashLine));
    m_threshold = new QLineSeries();
    m_threshold->setName(tr("capacity"));
    m_threshold->setPen(QPen(chartcolors::anomaly(), 1.5, Qt::DashDotLine));
    m_trend = new QLineSeries();
    m_trend->setName(tr("growth to exhaustion"));
    m_trend->setPen(QPen(chartcolors::anomaly(), 1.5, Qt::DotLine));
    m_marker = new QLineSeries();
    m_marker->setName(tr("predicted exhaustion"));
    m_marker->setPen(QPen(chartcolors::anomaly(), 2));
    for (auto* s : std::initializer_list<QAbstractSeries*>{m_band95, m_band80, m_history, m_mean, m_threshold,
                                                           m_trend, m_marker}) {
        chart->addSeries(s);
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(220);
    clear(tr("Select a resource to see its forecast."));
}

void ForecastChart::clear(const QString& message) {
    m_data = {};
    m_crossing = 0;
    for (auto* s : {m_history, m_mean, m_up95, m_lo95, m_up80, m_lo80, m_threshold, m_trend, m_marker})
        s->clear();
    chart()->setTitle(message);
    emit titleChanged(message);
}

void ForecastChart::setData(ForecastChartData data) {
    clear({});
    m_data = std::move(data);
    const auto& f = m_data.forecast;
    const double k = m_data.scale;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    auto track = [&](double v) {
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    };
    QList<QPointF> pts;
    for (std::size_t i = 0; i < f.history.values.size(); ++i) {
        const double v = f.history.values[i];
        if (!std::isfinite(v))
            continue;
        pts.append({static_cast<double>(f.history.timeAt(i)), v * k});
        track(v * k);
    }
    m_history->replace(pts);
    TimeMs first = f.history.values.empty() ? 0 : f.history.start;
    TimeMs last = f.history.values.empty() ? 0 : f.history.timeAt(f.history.values.size() - 1);
    if (f.result.ok()) {
        QList<QPointF> mean, u95, l95, u80, l80;
        // Start the forecast at the last observation so the lines join.
        if (!pts.isEmpty()) {
            for (auto* l : {&mean, &u95, &l95, &u80, &l80})
                l->append(pts.back());
        }
        for (std::size_t i = 0; i < f.time.size(); ++i) {
            const auto x = static_cast<double>(f.time[i]);
            mean.append({x, f.result.mean[i] * k});
            u95.append({x, f.result.upper95[i] * k});
            l95.append({x, f.result.lower95[i] * k});
            u80.append({x, f.result.upper80[i] * k});
            l80.append({x, f.result.lower80[i] * k});
            track(f.result.upper95[i] * k);
            track(f.result.lower95[i] * k);
        }
        m_mean->replace(mean);
        m_up95->replace(u95);
        m_lo95->replace(l95);
        m_up80->replace(u80);
        m_lo80->replace(l80);
        if (!f.time.empty())
            last = f.time.back();
    }
    const auto& ex = m_data.exhaustion;
    if (ex.status == forecast::ExhaustionStatus::WillExhaust && ex.at > 0)
        last = std::max(last, ex.at + (ex.at - ex.now) / 10);
    if (std::isfinite(m_data.threshold)) {
        const double t = m_data.threshold * k;
        m_threshold->replace(QList<QPointF>{{static_cast<double>(first), t}, {static_cast<double>(last), t}});
        track(t);
    }
    if (ex.status == forecast::ExhaustionStatus::WillExhaust && ex.at > 0) {
        m_crossing = ex.at;
        m_marker->replace(QList<QPointF>{{static_cast<double>(ex.at), lo}, {static_cast<double>(ex.at), hi}});
        if (std::isfinite(m_data.threshold))
            m_trend->replace(QList<QPointF>{{static_cast<double>(ex.now), ex.current * k},
                                            {static_cast<double>(ex.at), m_data.threshold * k}});
    }
    if (lo > hi) {
        lo = 0;
        hi = 1;
    }
    const double pad = 0.05 * std::max(hi - lo, 1e-9);
    m_axisY->setRange(lo - pad, hi + pad);
    m_axisY->setTitleText(m_data.unit);
    m_axisX->setRange(QDateTime::fromMSecsSinceEpoch(first, Qt::UTC),
                      QDateTime::fromMSecsSinceEpoch(std::max(last, first + kMinuteMs), Qt::UTC));
    QString title = m_data.title;
    if (m_crossing) {
        const double h = static_cast<double>(ex.at - ex.now) / kHourMs;
        const double e = static_cast<double>(ex.earliest - ex.now) / kHourMs;
        title +=
            tr(" — full at %1 UTC, in %2 h (%3 – %4)")
                .arg(QDateTime::fromMSecsSinceEpoch(ex.at, Qt::UTC).toString(QStringLiteral("ddd HH:mm")))
                .arg(h, 0, 'f', 1)
                .arg(e, 0, 'f', 1)
                .arg(ex.latest
                         ? QString::number(static_cast<double>(ex.latest - ex.now) / kHourMs, 'f', 1) + " h"
                         : tr("beyond the horizon"));
    } else if (!f.result.ok()) {
        title += tr(" — no forecast: %1").arg(QString::fromStdString(f.result.message));
    }
    chart()->setTitle(title);
    emit titleChanged(title);
}

int ForecastChart::historyPointCount() const {
    return static_cast<int>(m_history->count());
}
int ForecastChart::forecastPointCount() const {
    return static_cast<int>(m_mean->count());
}
int ForecastChart::bandPointCount() const {
    return static_cast<int>(m_up95->count());
}
bool ForecastChart::hasThreshold() const {
    return m_threshold->count() > 0;
}
QString ForecastChart::titleText() const {
    return chart()->title();
}

bool ForecastChart::hasTrendToCrossing() const {
    return m_trend->count() == 2;
}

} // namespace cairn::ui
