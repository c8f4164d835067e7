// LogsPage: log patterns for the main window's time range and selection. A background job scans the
// log source over the range plus an equally long baseline before it, mines templates (core LogAnalyzer)
// and fills the pattern list: template with variables highlighted, count, sparkline, first seen, level.
// "New patterns only" keeps templates first seen inside the range (not in the baseline) — after a deploy
// that is "new since the deploy". Selecting a pattern shows its sample lines; "Show in charts" zooms the
// metric charts to where the pattern occurs. Time is linked with the charts: zooming the charts to a
// window (or activating an anomaly on the overview) ranks patterns by how much they changed in that
// window ("In window" column).
// Thread-safety: UI thread only; core work runs on the window's TaskRunner.
#pragma once

#include "cairn/common/time.h"
#include "patternmodel.h"

#include <QDateTime>
#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace cairn::ui {

class MainWindow;

class LogsPage : public QWidget {
    Q_OBJECT
public:
    explicit LogsPage(MainWindow* window);

    PatternModel* model() const { return m_model; }
    PatternFilter* filter() const { return m_filter; }
    QTableView* view() const { return m_view; }
    QCheckBox* newOnlyBox() const { return m_newOnly; }
    QPlainTextEdit* samplesView() const { return m_samples; }
    QPushButton* showInChartsButton() const { return m_showInCharts; }
    QString statusText() const;
    TimeRange changeWindow() const { return m_changeWindow; }
    bool isLoaded() const { return m_loaded; }

    // Ranks patterns by their change in `window` against the rest of the page's range (invalid: clear).
    void setChangeWindow(cairn::TimeRange window);

public slots:
    // Rescans the log source for the window's current range and selection.
    void reload();

signals:
    void loaded();
    void failed(); // a reload failed; the last patterns stay

private:
    void showSelected();
    void showInCharts();

    MainWindow* m_window;
    PatternModel* m_model;
    PatternFilter* m_filter;
    QTableView* m_view;
    QCheckBox* m_newOnly;
    QLineEdit* m_text;
    QLabel* m_status;
    QPlainTextEdit* m_samples;
    QPushButton* m_showInCharts;
    std::shared_ptr<const logs::LogAnalyzer> m_analyzer;
    TimeRange m_range;
    TimeRange m_changeWindow;
    bool m_loaded = false;
    QDateTime m_loadedAt; // of the patterns on screen
};

} // namespace cairn::ui
