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
#include <ctime>
#include <numeric>
#include <unistd.h>

namespace cairn::ui {

namespace {
// CPU time of the calling thread in ms: unlike wall time, not inflated when other processes share the cores.
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}
} // namespace

qint64 processAgeMs() {
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
    , m_timer(new QTimer(this)) {
    m_clock.start();
    qApp->installEventFilter(this);
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(10);
    connect(m_timer, &QTimer::timeout, this, [this] {
        const qint64 now = m_clock.elapsed();
        const double cpu = threadCpuMs();
        if (m_lastTickMs >= 0) {
            const qint64 late = now - m_lastTickMs - m_timer->interval();
            if (late > m_maxLatenessMs) {
                m_maxLatenessMs = late;
                m_cpuInWorstGapMs = cpu - m_lastTickCpuMs;
            }
            m_maxCpuGapMs = std::max(m_maxCpuGapMs, cpu - m_lastTickCpuMs);
        }
        m_lastTickMs = now;
        m_lastTickCpuMs = cpu;
        ++m_ticks;
    });
    m_timer->start();
}

void StartupProbe::stop() {
    if (!m_timer->isActive())
        return;
    m_settledMs = (m_startAgeMs >= 0 ? m_startAgeMs : 0) + m_clock.elapsed();
    m_timer->stop();
    qApp->removeEventFilter(this);
}

QString StartupProbe::report() const {
    return QStringLiteral(
               "first paint: %1 ms after process start\n"
               "settled (initial load + analysis): %2 ms after process start\n"
               "max event-loop lateness while loading: %3 ms over %4 ticks of a 10 ms timer "
               "(UI-thread CPU inside that gap: %5 ms; most UI-thread CPU between two ticks: %6 ms)")
        .arg(m_firstPaintMs)
        .arg(m_settledMs)
        .arg(m_maxLatenessMs)
        .arg(m_ticks)
        .arg(m_cpuInWorstGapMs, 0, 'f', 1)
        .arg(m_maxCpuGapMs, 0, 'f', 1);
}

bool StartupProbe::eventFilter(QObject* watched, QEvent* event) {
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

QString saveScreenshot(QWidget* widget, const QString& path) {
    const QPixmap pm = widget->grab();
    if (pm.isNull())
        return QStringLiteral("could not render the window");
    if (!pm.save(path, "PNG"))
        return QStringLiteral("could not write %1").arg(path);
    return {};
}

QString benchmarkChart(int width, int height) {
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
        p.setRenderHints(chart.renderHints()); // as the view paints itself on screen
        chart.render(&p);
    };
    QElapsedTimer t;
    std::vector<double> fullMs, fullCpu;
    for (int i = 0; i < 10; ++i) {
        t.start();
        const double c0 = threadCpuMs();
        chart.setViewRange({full.start + (i % 2), full.end});
        renderOnce();
        fullCpu.push_back(threadCpuMs() - c0);
        fullMs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    const int fullPoints = chart.drawnPointCount();
    // Pan a 1-day window across the 14 days, then the full range shifted (as a drag would).
    std::vector<double> panMs, panCpu;
    const TimeMs day = kDayMs;
    for (int i = 0; i < 130; ++i) {
        const TimeMs s = full.start + static_cast<TimeMs>(i) * (full.duration() - day) / 130;
        t.start();
        const double c0 = threadCpuMs();
        chart.setViewRange({s, s + day});
        renderOnce();
        panCpu.push_back(threadCpuMs() - c0);
        panMs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    auto maxOf = [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); };
    return QStringLiteral(
               "chart: %1 samples, %2x%3 px, %4 points drawn after M4 (full range)\n"
               "chart full-range redraw+render: wall median %5 ms, max %6 ms; UI-thread CPU median %7 ms\n"
               "chart pan step (1-day view) redraw+render: wall median %8 ms, max %9 ms; UI-thread CPU "
               "median %10 ms, max %11 ms")
        .arg(n)
        .arg(width)
        .arg(height)
        .arg(fullPoints)
        .arg(median(fullMs), 0, 'f', 2)
        .arg(maxOf(fullMs), 0, 'f', 2)
        .arg(median(fullCpu), 0, 'f', 2)
        .arg(median(panMs), 0, 'f', 2)
        .arg(maxOf(panMs), 0, 'f', 2)
        .arg(median(panCpu), 0, 'f', 2)
        .arg(maxOf(panCpu), 0, 'f', 2);
}

} // namespace cairn::ui
