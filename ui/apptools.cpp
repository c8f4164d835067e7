#include "apptools.h"

#include "metricchart.h"

#include <QApplication>
#include <QEvent>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QTimer>
#include <QWidget>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unistd.h>

namespace cairn::ui {

qint64 processAgeMs()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray s = stat.readAll();
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const auto close = s.lastIndexOf(')');
    if (close < 0)
        return -1;
    const auto fields = s.mid(close + 2).split(' ');
    // starttime is field 22 overall; fields[0] here is field 3.
    if (fields.size() < 20)
        return -1;
    bool ok = false;
    const double startTicks = fields[19].toDouble(&ok);
    if (!ok)
        return -1;
    const double up = uptime.readAll().split(' ').value(0).toDouble(&ok);
    if (!ok)
        return -1;
    const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
    return static_cast<qint64>(std::llround((up - startTicks / hz) * 1000.0));
}

StartupProbe::StartupProbe(QWidget* window, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_startAgeMs(processAgeMs())
    , m_timer(new QTimer(this))
{
    m_clock.start();
    qApp->installEventFilter(this);
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(10);
    connect(m_timer, &QTimer::timeout, this, [this] {
        const qint64 now = m_clock.elapsed();
        if (m_lastTickMs >= 0)
            m_maxLatenessMs = std::max(m_maxLatenessMs, now - m_lastTickMs - m_timer->interval());
        m_lastTickMs = now;
        ++m_ticks;
    });
    m_timer->start();
}

void StartupProbe::stop()
{
    m_timer->stop();
    qApp->removeEventFilter(this);
}

bool StartupProbe::eventFilter(QObject* watched, QEvent* event)
{
    if (!m_paintSeen && event->type() == QEvent::Paint) {
        auto* w = qobject_cast<QWidget*>(watched);
        if (w && w->window() == m_window) {
            m_paintSeen = true;
            // The frame is flushed when this event-loop pass ends.
            QTimer::singleShot(0, this, [this] {
                m_firstPaintMs = (m_startAgeMs >= 0 ? m_startAgeMs : 0) + m_clock.elapsed();
                emit firstPainted();
            });
        }
    }
    return QObject::eventFilter(watched, event);
}

QString saveScreenshot(QWidget* widget, const QString& path)
{
    const QPixmap pm = widget->grab();
    if (pm.isNull())
        return QStringLiteral("could not render the window");
    if (!pm.save(path, "PNG"))
        return QStringLiteral("could not write %1").arg(path);
    return {};
}

QString benchmarkChart(int width, int height)
{
    constexpr std::size_t n = 14 * 24 * 60;
    const TimeMs start = (nowMs() / kMinuteMs) * kMinuteMs - static_cast<TimeMs>(n) * kMinuteMs;
    ChartData data;
    data.title = QStringLiteral("benchmark");
    data.unit = QStringLiteral("ms");
    data.main.series.id.metric = "latency_p95_ms";
    data.main.series.time.resize(n);
    data.main.series.value.resize(n);
    data.estimates.resize(n);
    std::uint64_t rng = 42;
    for (std::size_t i = 0; i < n; ++i) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        const double noise = static_cast<double>(rng >> 40) / static_cast<double>(1ULL << 24) - 0.5;
        const double daily = 200.0 + 60.0 * std::sin(static_cast<double>(i) * 2.0 * M_PI / 1440.0);
        data.main.series.time[i] = start + static_cast<TimeMs>(i) * kMinuteMs;
        data.main.series.value[i] = daily + 20.0 * noise + (i % 3001 == 0 ? 400.0 : 0.0);
        data.estimates[i] = {0.0, daily, daily - 30.0, daily + 30.0, true};
        if (i % 3001 == 0) {
            detect::Anomaly a;
            a.start = a.peak = data.main.series.time[i];
            a.end = a.start + kMinuteMs;
            a.observed = data.main.series.value[i];
            data.anomalies.push_back(a);
        }
    }
    const TimeRange full{start, start + static_cast<TimeMs>(n) * kMinuteMs};

    MetricChart chart;
    chart.resize(width, height);
    chart.setAttribute(Qt::WA_DontShowOnScreen, true);
    chart.show();
    QCoreApplication::processEvents();
    chart.setViewRange(full);
    chart.setData(data);
    QImage target(chart.size(), QImage::Format_ARGB32_Premultiplied);

    auto renderOnce = [&] {
        QPainter p(&target);
        chart.render(&p);
    };
    QElapsedTimer t;
    std::vector<double> fullMs;
    for (int i = 0; i < 10; ++i) {
        t.start();
        chart.setViewRange({full.start + (i % 2), full.end});
        renderOnce();
        fullMs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    // Pan a 1-day window across the 14 days, then the full range shifted (as a drag would).
    std::vector<double> panMs;
    const TimeMs day = kDayMs;
    for (int i = 0; i < 130; ++i) {
        const TimeMs s = full.start + static_cast<TimeMs>(i) * (full.duration() - day) / 130;
        t.start();
        chart.setViewRange({s, s + day});
        renderOnce();
        panMs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    chart.setViewRange(full);
    return QStringLiteral("chart: %1 samples, %2x%3 px, %4 points drawn after M4\n"
                          "chart full-range redraw+render: median %5 ms, max %6 ms\n"
                          "chart pan step (1-day view) redraw+render: median %7 ms, max %8 ms")
        .arg(n)
        .arg(width)
        .arg(height)
        .arg(chart.drawnPointCount())
        .arg(median(fullMs), 0, 'f', 2)
        .arg(*std::max_element(fullMs.begin(), fullMs.end()), 0, 'f', 2)
        .arg(median(panMs), 0, 'f', 2)
        .arg(*std::max_element(panMs.begin(), panMs.end()), 0, 'f', 2);
}

} // namespace cairn::ui
