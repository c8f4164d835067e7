#include "metricchart.h"

#include "cairn/timeseries/downsample.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QRubberBand>
#include <QScatterSeries>
#include <QTimer>
#include <QToolTip>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cairn::ui {

namespace chartcolors {
QColor background() {
    return QColor(0x1b, 0x20, 0x27);
}
QColor text() {
    return QColor(0xc5, 0xcd, 0xd8);
}
QColor grid() {
    return QColor(0x2e, 0x35, 0x3f);
}
QColor line() {
    return QColor(0x4d, 0xa3, 0xff);
}
QColor band() {
    return QColor(0x9d, 0xb8, 0xe0, 58);
}
QColor anomaly() {
    return QColor(0xff, 0x5a, 0x52);
}
QColor extra(int i) {
    static const QColor colors[] = {QColor(0xb3, 0x92, 0xf0), QColor(0x8b, 0x94, 0x9e),
                                    QColor(0x3f, 0xb9, 0x50), QColor(0xe3, 0xa0, 0x08),
                                    QColor(0xff, 0x7b, 0xc0), QColor(0x39, 0xc5, 0xcf)};
    return colors[static_cast<std::size_t>(i) % std::size(colors)];
}
} // namespace chartcolors

namespace {

constexpr TimeMs kMinViewMs = 5 * kMinuteMs;

// Label format for time ticks at a given spacing over a given span (labels must be unique in a view).
QString timeFormatFor(TimeMs interval, TimeMs span) {
    if (interval >= kDayMs)
        return QStringLiteral("MMM d");
    if (span > 12 * kHourMs)
        return QStringLiteral("ddd HH:mm");
    return QStringLiteral("HH:mm");
}

// A "nice" step (1, 2, 2.5, 5 x 10^k) close to raw.
double niceStep(double raw) {
    if (!(raw > 0))
        return 1.0;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / mag;
    const double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
    return nice * mag;
}

QList<QPointF> toPoints(const ts::Series& s, double scale) {
    QList<QPointF> pts;
    pts.reserve(static_cast<qsizetype>(s.size()));
    for (std::size_t i = 0; i < s.size(); ++i)
        pts.append(QPointF(static_cast<double>(s.time[i]), s.value[i] * scale));
    return pts;
}

// Decimals needed to print multiples of step exactly (0.25 -> 2, 5 -> 0).
int decimalsFor(double step) {
    for (int d = 0; d <= 6; ++d) {
        const double scaled = step * std::pow(10.0, d);
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled))
            return d;
    }
    return 6;
}

} // namespace

MetricChart::MetricChart(QWidget* parent)
    : QChartView(parent) {
    auto* chart = new QChart();
    chart->setBackgroundBrush(chartcolors::background());
    chart->setBackgroundRoundness(6);
    chart->setMargins(QMargins(6, 4, 6, 2));
    chart->setAnimationOptions(QChart::NoAnimation);
    QFont titleFont = font();
    titleFont.setPointSizeF(font().pointSizeF() + 0.5);
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->setTitleBrush(chartcolors::text());
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->legend()->setLabelColor(chartcolors::text());
    chart->legend()->setShowToolTips(true);
    QFont legendFont = font();
    legendFont.setPointSizeF(std::max(7.0, font().pointSizeF() - 1.0));
    chart->legend()->setFont(legendFont);

    m_axisX = new QCategoryAxis(chart);
    m_axisX->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_axisY = new QValueAxis(chart);
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(m_axisX), static_cast<QAbstractAxis*>(m_axisY)}) {
        axis->setLabelsBrush(chartcolors::text());
        axis->setLabelsFont(legendFont);
        axis->setGridLineColor(chartcolors::grid());
        axis->setLinePenColor(chartcolors::grid());
        axis->setTitleBrush(chartcolors::text());
        axis->setTitleFont(legendFont);
    }
    m_axisY->setTickCount(5);
    chart->addAxis(m_axisX, Qt::AlignBottom);
    chart->addAxis(m_axisY, Qt::AlignLeft);

    m_bandUpper = new QLineSeries(chart);
    m_bandLower = new QLineSeries(chart);
    m_band = new QAreaSeries(m_bandUpper, m_bandLower);
    m_band->setName(QStringLiteral("expected"));
    m_band->setBrush(chartcolors::band());
    m_band->setPen(Qt::NoPen);
    chart->addSeries(m_band);

    m_line = new QLineSeries();
    m_line->setName(QStringLiteral("observed"));
    QPen pen(chartcolors::line());
    pen.setWidthF(1.4);
    m_line->setPen(pen);
    chart->addSeries(m_line);

    m_marks = new QScatterSeries();
    m_marks->setName(QStringLiteral("anomaly"));
    m_marks->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_marks->setMarkerSize(9);
    m_marks->setColor(chartcolors::anomaly());
    m_marks->setBorderColor(QColor(0xff, 0xd6, 0xd3));
    chart->addSeries(m_marks);

    for (QAbstractSeries* s : {static_cast<QAbstractSeries*>(m_band), static_cast<QAbstractSeries*>(m_line),
                               static_cast<QAbstractSeries*>(m_marks)}) {
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
    }
    connect(m_marks, &QScatterSeries::hovered, this, [this](const QPointF& p, bool state) {
        if (!state)
            return;
        const auto t = static_cast<TimeMs>(p.x());
        for (const auto& a : m_data.anomalies) {
            if (a.peak == t) {
                QToolTip::showText(
                    QCursor::pos(),
                    QString::fromStdString(a.explanation.empty() ? a.series.toString() : a.explanation),
                    this);
                return;
            }
        }
    });

    setChart(chart);
    connect(chart, &QChart::plotAreaChanged, this, [this](const QRectF& area) {
        // The column count follows the plot width; redraw once the layout has settled on a new width.
        if (std::abs(area.width() - m_drawnPlotWidth) >= 1.0)
            QTimer::singleShot(0, this, [this] { redraw(); });
        emit plotAreaChanged();
    });
    setRenderHint(QPainter::Antialiasing, true);
    setMinimumHeight(200);
    setMouseTracking(false);
    setFocusPolicy(Qt::NoFocus);
    setToolTip(
        QStringLiteral("Wheel: zoom  ·  Drag: pan  ·  Shift+drag: zoom to area  ·  Double-click: reset"));
}

void MetricChart::setData(ChartData data) {
    m_data = std::move(data);
    m_lower.assign(m_data.main.series.size(), std::numeric_limits<double>::quiet_NaN());
    m_upper = m_lower;
    if (m_data.estimates.size() == m_data.main.series.size()) {
        for (std::size_t i = 0; i < m_data.estimates.size(); ++i) {
            const auto& e = m_data.estimates[i];
            if (e.ready) {
                m_lower[i] = e.lower;
                m_upper[i] = e.upper;
            }
        }
    }
    QString title = m_data.title;
    if (!m_data.error.isEmpty())
        title += QStringLiteral(" — ") + m_data.error;
    chart()->setTitle(title);
    chart()->setTitleBrush(m_data.error.isEmpty() ? chartcolors::text() : chartcolors::anomaly());
    m_axisY->setTitleText(m_data.unit);
    m_line->setName(m_data.main.name.isEmpty() ? QStringLiteral("observed") : m_data.main.name);
    m_nonNegative = std::all_of(m_data.main.series.value.begin(), m_data.main.series.value.end(),
                                [](double v) { return !(v < 0.0); });
    for (const auto& e : m_data.extras)
        m_nonNegative = m_nonNegative && std::all_of(e.series.value.begin(), e.series.value.end(),
                                                     [](double v) { return !(v < 0.0); });
    if (m_nonNegative) {
        // A band below zero means nothing for a quantity that cannot be negative (rates, ratios, bytes).
        for (double& v : m_lower)
            if (v < 0.0)
                v = 0.0;
    }
    const bool hasBand =
        std::any_of(m_lower.begin(), m_lower.end(), [](double v) { return std::isfinite(v); });
    m_band->setVisible(hasBand);
    rebuildExtras();
    // Hide legend entries for series with nothing to show.
    const auto markers = chart()->legend()->markers();
    for (QLegendMarker* m : markers) {
        if (m->series() == m_band)
            m->setVisible(hasBand);
        if (m->series() == m_marks)
            m->setVisible(!m_data.anomalies.empty());
    }
    redraw();
}

void MetricChart::rebuildExtras() {
    for (auto* s : m_extraLines) {
        chart()->removeSeries(s);
        delete s;
    }
    m_extraLines.clear();
    int i = 0;
    for (const auto& e : m_data.extras) {
        auto* s = new QLineSeries();
        s->setName(e.name);
        QPen pen(chartcolors::extra(i++));
        pen.setWidthF(1.2);
        if (e.dashed)
            pen.setStyle(Qt::DashLine);
        s->setPen(pen);
        chart()->addSeries(s);
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
        m_extraLines.push_back(s);
    }
    // Keep the main line and the marks on top of the extras.
    chart()->removeSeries(m_line);
    chart()->removeSeries(m_marks);
    chart()->addSeries(m_line);
    chart()->addSeries(m_marks);
    for (QAbstractSeries* s :
         {static_cast<QAbstractSeries*>(m_line), static_cast<QAbstractSeries*>(m_marks)}) {
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
    }
}

void MetricChart::setViewRange(TimeRange range) {
    if (!range.valid() || range == m_view)
        return;
    m_view = range;
    redraw();
}

void MetricChart::redraw() {
    if (!m_view.valid())
        return;
    const double plotWidth = chart()->plotArea().width();
    m_drawnPlotWidth = plotWidth;
    const auto columns =
        static_cast<std::size_t>(std::clamp(plotWidth > 10 ? plotWidth : 800.0, 50.0, 4000.0));
    const double scale = m_data.scale;

    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    auto track = [&](const QList<QPointF>& pts) {
        for (const auto& p : pts) {
            if (p.x() < static_cast<double>(m_view.start) || p.x() >= static_cast<double>(m_view.end))
                continue;
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
        }
    };

    const auto main = toPoints(ts::downsampleM4(m_data.main.series, m_view, columns), scale);
    // Antialiasing a line with several vertices per pixel column costs a lot and shows nothing; keep it for
    // sparse lines, where it makes the slopes smooth.
    setRenderHint(QPainter::Antialiasing,
                  static_cast<double>(main.size()) < static_cast<double>(columns) * 1.5);
    track(main);
    m_line->replace(main);

    for (std::size_t i = 0; i < m_extraLines.size(); ++i) {
        const auto pts = toPoints(ts::downsampleM4(m_data.extras[i].series, m_view, columns), scale);
        track(pts);
        m_extraLines[i]->replace(pts);
    }

    if (m_band->isVisible()) {
        const auto band = ts::downsampleBand(m_data.main.series.time, m_lower, m_upper, m_view, columns);
        QList<QPointF> up, down;
        up.reserve(static_cast<qsizetype>(band.size()));
        down.reserve(static_cast<qsizetype>(band.size()));
        for (std::size_t i = 0; i < band.size(); ++i) {
            up.append(QPointF(static_cast<double>(band.time[i]), band.upper[i] * scale));
            down.append(QPointF(static_cast<double>(band.time[i]), band.lower[i] * scale));
        }
        track(up);
        track(down);
        m_bandUpper->replace(up);
        m_bandLower->replace(down);
    }

    QList<QPointF> marks;
    for (const auto& a : m_data.anomalies) {
        if (!m_view.contains(a.peak) || !std::isfinite(a.observed))
            continue;
        marks.append(QPointF(static_cast<double>(a.peak), a.observed * scale));
    }
    track(marks);
    m_marks->replace(marks);

    if (!std::isfinite(lo)) {
        lo = 0.0;
        hi = 1.0;
    }
    if (hi - lo < 1e-9) {
        const double pad = std::max(std::abs(hi) * 0.1, 1e-6);
        lo -= pad;
        hi += pad;
    }
    if (m_nonNegative && lo >= 0.0 && lo < (hi - lo) * 0.5)
        lo = 0.0; // show the zero line when it is close anyway
    const int ticks = height() < 260 ? 4 : 5;
    const double step = niceStep((hi - lo) / (ticks - 1));
    const double yMin = std::floor(lo / step) * step;
    const double yMax = std::max(yMin + step, std::ceil(hi / step) * step);
    m_axisY->setLabelFormat(QStringLiteral("%.") + QString::number(decimalsFor(step)) + QStringLiteral("f"));
    m_axisY->setTickCount(static_cast<int>(std::llround((yMax - yMin) / step)) + 1);
    m_axisY->setRange(yMin, yMax);
    updateTimeAxis();
}

void MetricChart::updateTimeAxis() {
    static constexpr TimeMs kSteps[] = {kMinuteMs,      2 * kMinuteMs,  5 * kMinuteMs, 10 * kMinuteMs,
                                        15 * kMinuteMs, 30 * kMinuteMs, kHourMs,       2 * kHourMs,
                                        3 * kHourMs,    6 * kHourMs,    12 * kHourMs,  kDayMs,
                                        2 * kDayMs,     7 * kDayMs};
    const double width = chart()->plotArea().width() > 10 ? chart()->plotArea().width() : 800.0;
    const auto maxTicks = std::max(2, static_cast<int>(width / 105.0));
    TimeMs step = kSteps[std::size(kSteps) - 1];
    for (TimeMs s : kSteps) {
        if (m_view.duration() / s <= maxTicks) {
            step = s;
            break;
        }
    }
    // Ticks fall on round local times (00:00, 06:00...), so align in local time.
    const TimeMs offset =
        static_cast<TimeMs>(QDateTime::fromMSecsSinceEpoch(m_view.start).offsetFromUtc()) * kSecondMs;
    TimeMs t = ((m_view.start + offset) / step) * step - offset;
    if (t <= m_view.start)
        t += step;
    const QString format = timeFormatFor(step, m_view.duration());
    const QStringList old = m_axisX->categoriesLabels();
    for (const QString& label : old)
        m_axisX->remove(label);
    m_axisX->setStartValue(static_cast<double>(m_view.start));
    for (; t < m_view.end; t += step)
        m_axisX->append(QDateTime::fromMSecsSinceEpoch(t).toString(format), static_cast<double>(t));
    m_axisX->setRange(static_cast<double>(m_view.start), static_cast<double>(m_view.end));
}

qreal MetricChart::naturalPlotLeft() const {
    return chart()->plotArea().left() - m_extraLeft;
}

void MetricChart::setExtraLeftMargin(int extra) {
    extra = std::max(0, extra);
    if (extra == m_extraLeft)
        return;
    QMargins m = chart()->margins();
    m.setLeft(m.left() - m_extraLeft + extra);
    m_extraLeft = extra;
    chart()->setMargins(m);
}

int MetricChart::drawnPointCount() const {
    return static_cast<int>(m_line->count());
}

int MetricChart::drawnBandPointCount() const {
    return m_band->isVisible() ? static_cast<int>(m_bandUpper->count()) : 0;
}

int MetricChart::drawnAnomalyCount() const {
    return static_cast<int>(m_marks->count());
}

TimeMs MetricChart::timeAtX(double x) const {
    const QRectF plot = chart()->plotArea();
    if (plot.width() <= 0)
        return m_view.start;
    const double f = std::clamp((x - plot.left()) / plot.width(), 0.0, 1.0);
    return m_view.start + static_cast<TimeMs>(f * static_cast<double>(m_view.duration()));
}

void MetricChart::wheelEvent(QWheelEvent* event) {
    if (!m_view.valid())
        return;
    const int delta = event->angleDelta().y();
    if (delta == 0)
        return;
    const double factor = delta > 0 ? 0.8 : 1.25;
    const TimeMs anchor = timeAtX(event->position().x());
    const auto newDuration =
        std::max<TimeMs>(kMinViewMs, static_cast<TimeMs>(static_cast<double>(m_view.duration()) * factor));
    const double f = static_cast<double>(anchor - m_view.start) / static_cast<double>(m_view.duration());
    const TimeMs start = anchor - static_cast<TimeMs>(f * static_cast<double>(newDuration));
    emit viewRangeRequested({start, start + newDuration});
    event->accept();
}

void MetricChart::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !m_view.valid()) {
        QChartView::mousePressEvent(event);
        return;
    }
    m_pressPos = event->position().toPoint();
    m_pressView = m_view;
    if (event->modifiers() & Qt::ShiftModifier) {
        m_drag = Drag::Zoom;
        if (!m_rubber)
            m_rubber = new QRubberBand(QRubberBand::Rectangle, this);
        const QRectF plot = chart()->plotArea();
        m_rubber->setGeometry(
            QRect(m_pressPos.x(), static_cast<int>(plot.top()), 1, static_cast<int>(plot.height())));
        m_rubber->show();
    } else {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    }
    event->accept();
}

void MetricChart::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    if (m_drag == Drag::Pan) {
        const double width = chart()->plotArea().width();
        if (width > 0) {
            const double dx = pos.x() - m_pressPos.x();
            const auto shift = static_cast<TimeMs>(-dx / width * static_cast<double>(m_pressView.duration()));
            emit viewRangeRequested({m_pressView.start + shift, m_pressView.end + shift});
        }
        event->accept();
        return;
    }
    if (m_drag == Drag::Zoom && m_rubber) {
        const QRectF plot = chart()->plotArea();
        const int x0 = std::min(pos.x(), m_pressPos.x());
        const int x1 = std::max(pos.x(), m_pressPos.x());
        m_rubber->setGeometry(
            QRect(x0, static_cast<int>(plot.top()), std::max(1, x1 - x0), static_cast<int>(plot.height())));
        event->accept();
        return;
    }
    QChartView::mouseMoveEvent(event);
}

void MetricChart::mouseReleaseEvent(QMouseEvent* event) {
    if (m_drag == Drag::None) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    if (m_drag == Drag::Zoom && m_rubber) {
        m_rubber->hide();
        const double x = event->position().x();
        if (std::abs(x - m_pressPos.x()) >= 4) {
            // Map through the view as it was when the drag started.
            const QRectF plot = chart()->plotArea();
            auto at = [&](double px) {
                const double f = std::clamp((px - plot.left()) / plot.width(), 0.0, 1.0);
                return m_pressView.start +
                       static_cast<TimeMs>(f * static_cast<double>(m_pressView.duration()));
            };
            TimeMs a = at(std::min<double>(x, m_pressPos.x()));
            TimeMs b = at(std::max<double>(x, m_pressPos.x()));
            if (b - a < kMinViewMs)
                b = a + kMinViewMs;
            emit viewRangeRequested({a, b});
        }
    }
    m_drag = Drag::None;
    unsetCursor();
    event->accept();
}

void MetricChart::mouseDoubleClickEvent(QMouseEvent* event) {
    emit resetRequested();
    event->accept();
}

void MetricChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    redraw();
}

} // namespace cairn::ui
