// Tools the cairn app's command-line modes use: the startup probe (--bench-startup), the screenshot
// (--screenshot) and the chart drawing benchmark. They live in ui so main.cpp stays a composition root.
// Thread-safety: UI thread only.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

class QTimer;
class QWidget;

namespace cairn::ui {

class MainWindow;

// Milliseconds since this process started (from /proc/self/stat; -1 where unavailable).
qint64 processAgeMs();

// Measures time to the first painted frame of a window and the event loop's worst lateness (a 10 ms timer
// that checks how late it fires) until stop() is called.
class StartupProbe : public QObject {
    Q_OBJECT
public:
    explicit StartupProbe(QWidget* window, QObject* parent = nullptr);
    // Stops measuring and notes the time (the load has settled).
    void stop();
    // "first paint: ... / settled: ... / max event-loop lateness: ..." lines.
    QString report() const;
    qint64 firstPaintMs() const { return m_firstPaintMs; } // since process start; -1 until painted
    qint64 maxLatenessMs() const { return m_maxLatenessMs; }
    int ticks() const { return m_ticks; }
    // UI-thread CPU time spent inside the worst gap, and the most CPU the UI thread used between two ticks:
    // tells our own work apart from time the scheduler gave to other processes.
    double cpuInWorstGapMs() const { return m_cpuInWorstGapMs; }
    double maxCpuGapMs() const { return m_maxCpuGapMs; }

signals:
    void firstPainted();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_window;
    qint64 m_startAgeMs;
    QElapsedTimer m_clock;
    qint64 m_firstPaintMs = -1;
    bool m_paintSeen = false;
    qint64 m_lastTickMs = -1;
    qint64 m_maxLatenessMs = 0;
    int m_ticks = 0;
    qint64 m_settledMs = -1;
    double m_lastTickCpuMs = 0.0;
    double m_cpuInWorstGapMs = 0.0;
    double m_maxCpuGapMs = 0.0;
    QTimer* m_timer;
};

// Renders the widget into a PNG. Returns an error sentence, or empty on success.
QString saveScreenshot(QWidget* widget, const QString& path);

// Draws a 14-day, 1-minute series (20,160 samples) with a band and anomaly marks in a MetricChart of the
// given size, then times a full redraw and a sequence of pans (downsample + render). Returns a report.
QString benchmarkChart(int width = 1200, int height = 320);

} // namespace cairn::ui
