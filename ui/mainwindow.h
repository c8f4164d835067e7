// MainWindow: Cairn's top-level window. A page switcher (sidebar) over registered pages, a navigator dock
// (services -> pods, hosts -> pods), a toolbar with the time range and zoom, an error banner and a status bar
// showing background work. Overview and Metrics are built in; other features add their own pages with
// addPage() and follow selectionChanged()/timeRangeChanged(), running their work through taskRunner().
// All source and analysis calls run on TaskRunner's pool; the UI thread never waits on them.
// Window geometry, dock state, page, selection and time range persist in QSettings.
// Thread-safety: UI thread only.
#pragma once

#include "backends.h"
#include "inventory.h"

#include <QDateTime>
#include <QKeySequence>
#include <QMainWindow>
#include <QMetaType>
#include <QSet>

#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSortFilterProxyModel;
class QStackedWidget;
class QTimer;
class QTreeView;

namespace cairn::ui {

class ErrorBanner;
class MetricsPage;
class NavigatorModel;
class OverviewPage;
class SourceMonitor;
class TaskRunner;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class RangePreset { LastHour, Last6Hours, Last24Hours, Last7Days, Last14Days, Custom };

    explicit MainWindow(Backends backends, QWidget* parent = nullptr);
    ~MainWindow() override;

    // --- Page registration (for other features) ---
    // Adds a page to the sidebar and the stack; the shortcut (e.g. Ctrl+3) switches to it. The window takes
    // ownership. Returns the page's index. Titles must be unique; a duplicate title returns -1.
    int addPage(const QString& title, QWidget* page, const QKeySequence& shortcut = {});
    bool showPage(const QString& title);
    QWidget* page(const QString& title) const;
    QString currentPageTitle() const;
    QStringList pageTitles() const;

    // Switches every view to new backends (the data sources were edited): jobs of the old backends are
    // superseded or cancelled so their results are dropped, the navigator and charts are listed afresh from
    // the new metric source (keeping the selection when it still exists) and backendsChanged() tells the
    // pages to reload. Never blocks: the reload runs on the task runner like the first load.
    void setBackends(Backends backends);

    // --- Shared state for pages ---
    TaskRunner* taskRunner() const { return m_runner; }
    const Backends& backends() const { return m_backends; }
    const Inventory& inventory() const;
    Selection selection() const { return m_selection; }
    TimeRange timeRange() const { return m_range; }
    RangePreset rangePreset() const { return m_preset; }
    // Shows a failure in the banner (one sentence; context in parentheses).
    void showError(const QString& message);
    QString errorText() const;

    void select(const Selection& selection);
    // What start() selects once the services are listed (instead of the last session's selection).
    void setInitialSelection(const Selection& selection) { m_restoredSelectionKey = selection.key(); }
    void setRangePreset(RangePreset preset);
    void setCustomRange(TimeRange range);
    void setLiveRefreshInterval(int ms); // 0 disables the live tail; default 30 s

    // Live mode over configured sources: the monitor polls each source on its own interval off the UI thread.
    // Each successful cycle of the metric source refreshes the charts (skipped while the previous load is
    // still in flight) instead of the window's own timer; when a source behind a view fails, the views keep
    // their last data and the stale banner says which source is down since when and how old the data is;
    // when it answers again the views reload by themselves (sourceRecovered).
    void attachSourceMonitor(SourceMonitor* monitor);
    // The stale banner's text; empty when every view shows fresh data.
    QString staleText() const;

    MetricsPage* metricsPage() const { return m_metrics; }
    OverviewPage* overviewPage() const { return m_overview; }
    NavigatorModel* navigatorModel() const { return m_navModel; }
    // True once the initial load and analysis have finished (successfully or with an error shown).
    bool isSettled() const { return m_settled; }

public slots:
    // Lists the series, fills the navigator, restores the last selection, then loads health and charts.
    // Called automatically the first time the window is shown.
    void start();
    void refresh(); // reloads health and charts for the current range (F5, live tail)

signals:
    void selectionChanged(const cairn::ui::Selection& selection);
    void timeRangeChanged(cairn::TimeRange range);
    void inventoryLoaded();
    void healthUpdated();
    void chartsUpdated();
    void settled();
    // setBackends() replaced the backends: pages drop their old jobs and reload from backends().
    void backendsChanged();
    // A configured source answered again after failing (the name from its configuration).
    void sourceRecovered(const QString& name);

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildUi();
    void buildToolBar();
    void restoreSettings();
    void saveSettings() const;
    void onNavigatorCurrentChanged(const QModelIndex& current);
    void onRangeComboActivated(int index);
    void recomputeRange();
    void loadHealth();
    void loadCharts(bool keepView);
    void updateHeading();
    void checkSettled();
    void liveTick();
    void updateStale();
    void updateSourceLabel();
    int liveIntervalMs() const;

    Backends m_backends;
    TaskRunner* m_runner = nullptr;

    QListWidget* m_pageList = nullptr;
    QStackedWidget* m_stack = nullptr;
    ErrorBanner* m_banner = nullptr;
    QTreeView* m_navView = nullptr;
    QLineEdit* m_navFilter = nullptr;
    NavigatorModel* m_navModel = nullptr;
    QSortFilterProxyModel* m_navProxy = nullptr;
    QComboBox* m_rangeCombo = nullptr;
    QLabel* m_sourceLabel = nullptr;
    QLabel* m_updatedLabel = nullptr;
    QTimer* m_liveTimer = nullptr;
    bool m_liveEnabled = true;
    QLabel* m_staleBanner = nullptr;
    SourceMonitor* m_monitor = nullptr;
    QString m_chartsStaleError; // the last chart refresh failed: the charts show older data
    QDateTime m_chartsLoadedAt;
    QSet<QString> m_failingSources;
    OverviewPage* m_overview = nullptr;
    MetricsPage* m_metrics = nullptr;

    Selection m_selection;
    RangePreset m_preset = RangePreset::Last24Hours;
    TimeRange m_range;
    TimeRange m_customRange;
    TimeRange m_pendingView; // zoom to apply when the charts being loaded arrive
    bool m_started = false;
    bool m_inventoryDone = false; // the listing finished, successfully or not
    bool m_inventoryOk = false;
    bool m_settled = false;
    quint64 m_inventoryJob = 0;
    quint64 m_healthJob = 0;
    quint64 m_chartsJob = 0;
    QString m_restoredSelectionKey;
    QString m_restoredPage;
};

} // namespace cairn::ui

Q_DECLARE_METATYPE(cairn::ui::Selection)
Q_DECLARE_METATYPE(cairn::TimeRange)
