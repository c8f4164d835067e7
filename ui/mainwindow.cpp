#include "mainwindow.h"

#include "errorbanner.h"
#include "healthmodel.h"
#include "metricpanels.h"
#include "metricspage.h"
#include "navigatormodel.h"
#include "overviewpage.h"
#include "sourcemonitor.h"
#include "taskrunner.h"
#include "taskstatuswidget.h"
#include "timerangedialog.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace cairn::ui {

namespace {

constexpr TimeMs kHealthHistoryMs = 7 * kDayMs;

struct PresetInfo {
    MainWindow::RangePreset preset;
    const char* label;
    const char* key;
    TimeMs duration;
};
constexpr PresetInfo kPresets[] = {
    {MainWindow::RangePreset::LastHour, "Last 1 hour", "1h", kHourMs},
    {MainWindow::RangePreset::Last6Hours, "Last 6 hours", "6h", 6 * kHourMs},
    {MainWindow::RangePreset::Last24Hours, "Last 24 hours", "24h", kDayMs},
    {MainWindow::RangePreset::Last7Days, "Last 7 days", "7d", kWeekMs},
    {MainWindow::RangePreset::Last14Days, "Last 14 days", "14d", 2 * kWeekMs},
    {MainWindow::RangePreset::Custom, "Custom…", "custom", 0},
};

QString formatRange(TimeRange r) {
    const auto a = QDateTime::fromMSecsSinceEpoch(r.start);
    const auto b = QDateTime::fromMSecsSinceEpoch(r.end);
    const QString fmt = QStringLiteral("yyyy-MM-dd HH:mm");
    return a.toString(fmt) + QStringLiteral("  →  ") + b.toString(fmt);
}

} // namespace

MainWindow::MainWindow(Backends backends, QWidget* parent)
    : QMainWindow(parent)
    , m_backends(std::move(backends))
    , m_runner(new TaskRunner(this, 2)) {
    qRegisterMetaType<cairn::ui::Selection>();
    qRegisterMetaType<cairn::TimeRange>();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Cairn"));
    buildUi();
    buildToolBar();
    restoreSettings();
    recomputeRange();

    m_liveTimer = new QTimer(this);
    m_liveTimer->setInterval(30'000);
    connect(m_liveTimer, &QTimer::timeout, this, &MainWindow::liveTick);
    connect(m_runner, &TaskRunner::busyChanged, this, [this](bool busy) {
        if (!busy)
            checkSettled();
    });
}

MainWindow::~MainWindow() {
    // Workers capture only values, but stop them before the pages they would report to go away.
    m_runner->cancelAll();
    m_runner->waitForWorkers();
}

void MainWindow::buildUi() {
    auto* central = new QWidget(this);
    auto* h = new QHBoxLayout(central);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(0);

    // The page switcher sits in a left tool bar so it stays outside (left of) the navigator dock.
    auto* side = new QToolBar(QStringLiteral("Pages"), this);
    side->setObjectName(QStringLiteral("pagesToolBar"));
    side->setMovable(false);
    side->setFloatable(false);
    m_pageList = new QListWidget(side);
    m_pageList->setObjectName(QStringLiteral("pageList"));
    m_pageList->setFixedWidth(132);
    m_pageList->setFocusPolicy(Qt::NoFocus);
    side->addWidget(m_pageList);
    addToolBar(Qt::LeftToolBarArea, side);

    auto* right = new QWidget(central);
    auto* v = new QVBoxLayout(right);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(0);
    m_banner = new ErrorBanner(right);
    connect(m_banner, &ErrorBanner::retryRequested, this, [this] {
        if (!m_inventoryOk)
            start();
        else
            refresh();
    });
    v->addWidget(m_banner);
    m_staleBanner = new QLabel(right);
    m_staleBanner->setObjectName(QStringLiteral("staleBanner"));
    m_staleBanner->setWordWrap(true);
    m_staleBanner->setStyleSheet(
        QStringLiteral("QLabel { background: #fff4ce; color: #5c4400; border-bottom: 1px solid #e0c060; "
                       "padding: 6px 10px; }"));
    m_staleBanner->hide();
    v->addWidget(m_staleBanner);
    m_stack = new QStackedWidget(right);
    m_stack->setObjectName(QStringLiteral("pageStack"));
    v->addWidget(m_stack, 1);
    h->addWidget(right, 1);
    setCentralWidget(central);
    connect(m_pageList, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

    // Navigator dock.
    auto* dock = new QDockWidget(QStringLiteral("Navigator"), this);
    dock->setObjectName(QStringLiteral("navigatorDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    auto* navHost = new QWidget(dock);
    auto* nv = new QVBoxLayout(navHost);
    nv->setContentsMargins(6, 4, 6, 6);
    m_navFilter = new QLineEdit(navHost);
    m_navFilter->setObjectName(QStringLiteral("navigatorFilter"));
    m_navFilter->setPlaceholderText(QStringLiteral("Filter (Ctrl+F)"));
    m_navFilter->setClearButtonEnabled(true);
    nv->addWidget(m_navFilter);
    m_navModel = new NavigatorModel(this);
    m_navProxy = new QSortFilterProxyModel(this);
    m_navProxy->setSourceModel(m_navModel);
    m_navProxy->setRecursiveFilteringEnabled(true);
    m_navProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_navView = new QTreeView(navHost);
    m_navView->setObjectName(QStringLiteral("navigator"));
    m_navView->setModel(m_navProxy);
    m_navView->setHeaderHidden(true);
    m_navView->setUniformRowHeights(true);
    m_navView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    nv->addWidget(m_navView, 1);
    dock->setWidget(navHost);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {230}, Qt::Horizontal);
    connect(m_navFilter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_navProxy->setFilterFixedString(text);
        if (!text.isEmpty())
            m_navView->expandAll();
    });
    connect(m_navView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onNavigatorCurrentChanged(current); });
    auto* focusFilter = new QAction(this);
    focusFilter->setShortcut(QKeySequence::Find);
    connect(focusFilter, &QAction::triggered, this, [this] {
        m_navFilter->setFocus();
        m_navFilter->selectAll();
    });
    addAction(focusFilter);

    // Built-in pages.
    m_overview = new OverviewPage(this);
    m_metrics = new MetricsPage(this);
    addPage(QStringLiteral("Overview"), m_overview, QKeySequence(Qt::CTRL | Qt::Key_1));
    addPage(QStringLiteral("Metrics"), m_metrics, QKeySequence(Qt::CTRL | Qt::Key_2));
    connect(m_overview, &OverviewPage::serviceActivated, this, [this](const QString& service) {
        if (service.isEmpty())
            return;
        select(Selection::ofService(service.toStdString()));
        showPage(QStringLiteral("Metrics"));
    });
    connect(m_overview, &OverviewPage::anomalyActivated, this, [this](const QString& service, TimeMs peak) {
        // Zoom to two hours around the anomaly once its charts are there (now, or when the load lands).
        m_pendingView = m_range.contains(peak) ? TimeRange{peak - kHourMs, peak + kHourMs} : TimeRange{};
        select(Selection::ofService(service.toStdString()));
        showPage(QStringLiteral("Metrics"));
        if (m_pendingView.valid() && !m_runner->isActive(m_chartsJob)) {
            m_metrics->setViewRange(m_pendingView);
            m_pendingView = {};
        }
    });

    // Status bar.
    m_sourceLabel = new QLabel(this);
    m_sourceLabel->setObjectName(QStringLiteral("sourceLabel"));
    m_updatedLabel = new QLabel(this);
    statusBar()->addWidget(m_sourceLabel);
    statusBar()->addWidget(new TaskStatusWidget(m_runner, this));
    statusBar()->addPermanentWidget(m_updatedLabel);
    updateSourceLabel();
    auto* quit = new QAction(QStringLiteral("Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    addAction(quit);
    auto* cancel = new QAction(this);
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    cancel->setShortcutContext(Qt::WindowShortcut);
    connect(cancel, &QAction::triggered, m_runner, &TaskRunner::cancelAll);
    addAction(cancel);
}

void MainWindow::buildToolBar() {
    auto* tb = addToolBar(QStringLiteral("Time"));
    tb->setObjectName(QStringLiteral("timeToolBar"));
    tb->setMovable(false);
    tb->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto* brand = new QLabel(QStringLiteral("  Cairn  "), tb);
    brand->setObjectName(QStringLiteral("brand"));
    tb->addWidget(brand);
    tb->addSeparator();

    tb->addWidget(new QLabel(QStringLiteral(" Range "), tb));
    m_rangeCombo = new QComboBox(tb);
    m_rangeCombo->setObjectName(QStringLiteral("rangeCombo"));
    for (const auto& p : kPresets)
        m_rangeCombo->addItem(QString::fromUtf8(p.label), static_cast<int>(p.preset));
    m_rangeCombo->setToolTip(QStringLiteral("Time range (Ctrl+T: custom range)"));
    connect(m_rangeCombo, &QComboBox::activated, this, &MainWindow::onRangeComboActivated);
    tb->addWidget(m_rangeCombo);

    auto* custom = new QAction(QStringLiteral("Custom range…"), this);
    custom->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(custom, &QAction::triggered, this,
            [this] { onRangeComboActivated(m_rangeCombo->findData(static_cast<int>(RangePreset::Custom))); });
    addAction(custom);

    tb->addSeparator();
    auto addButton = [&](const QString& text, const QString& tip, auto slot) {
        auto* a = tb->addAction(text);
        a->setToolTip(tip);
        connect(a, &QAction::triggered, m_metrics, slot);
        return a;
    };
    addButton(QStringLiteral("Zoom +"), QStringLiteral("Zoom in (+ on the chart page, or mouse wheel)"),
              &MetricsPage::zoomIn);
    addButton(QStringLiteral("Zoom −"), QStringLiteral("Zoom out (-)"), &MetricsPage::zoomOut);
    addButton(QStringLiteral("◀"), QStringLiteral("Pan left (Left arrow, or drag)"), &MetricsPage::panLeft);
    addButton(QStringLiteral("▶"), QStringLiteral("Pan right (Right arrow, or drag)"),
              &MetricsPage::panRight);
    addButton(QStringLiteral("Reset"), QStringLiteral("Show the whole range (0, or double-click)"),
              &MetricsPage::resetZoom);
    tb->addSeparator();
    auto* refreshAction = tb->addAction(QStringLiteral("Refresh"));
    refreshAction->setShortcut(QKeySequence::Refresh);
    refreshAction->setToolTip(QStringLiteral("Reload health and charts (F5)"));
    connect(refreshAction, &QAction::triggered, this, &MainWindow::refresh);
}

int MainWindow::addPage(const QString& title, QWidget* page, const QKeySequence& shortcut) {
    if (!page || title.isEmpty() || pageTitles().contains(title))
        return -1;
    page->setParent(m_stack);
    const int index = m_stack->addWidget(page);
    auto* item = new QListWidgetItem(title, m_pageList);
    item->setData(Qt::UserRole, title);
    item->setSizeHint(QSize(120, 38));
    if (!shortcut.isEmpty()) {
        item->setToolTip(title + QStringLiteral(" (") + shortcut.toString(QKeySequence::NativeText) +
                         QLatin1Char(')'));
        auto* a = new QAction(title, this);
        a->setShortcut(shortcut);
        a->setShortcutContext(Qt::ApplicationShortcut);
        connect(a, &QAction::triggered, this, [this, title] { showPage(title); });
        addAction(a);
    }
    if (m_pageList->currentRow() < 0)
        m_pageList->setCurrentRow(0);
    if (!m_restoredPage.isEmpty() && title == m_restoredPage)
        showPage(title);
    return index;
}

bool MainWindow::showPage(const QString& title) {
    const int i = static_cast<int>(pageTitles().indexOf(title));
    if (i < 0)
        return false;
    m_pageList->setCurrentRow(i);
    if (QWidget* w = m_stack->widget(i))
        w->setFocus();
    return true;
}

QWidget* MainWindow::page(const QString& title) const {
    const int i = static_cast<int>(pageTitles().indexOf(title));
    return i < 0 ? nullptr : m_stack->widget(i);
}

QString MainWindow::currentPageTitle() const {
    auto* item = m_pageList->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

QStringList MainWindow::pageTitles() const {
    QStringList out;
    for (int i = 0; i < m_pageList->count(); ++i)
        out << m_pageList->item(i)->data(Qt::UserRole).toString();
    return out;
}

const Inventory& MainWindow::inventory() const {
    return m_navModel->inventory();
}

void MainWindow::showError(const QString& message) {
    m_banner->showError(message);
}

QString MainWindow::errorText() const {
    return m_banner->message();
}

void MainWindow::setLiveRefreshInterval(int ms) {
    m_liveEnabled = ms > 0;
    if (ms <= 0) {
        m_liveTimer->stop();
        return;
    }
    m_liveTimer->setInterval(ms);
    if (m_started && !m_monitor)
        m_liveTimer->start();
}

void MainWindow::attachSourceMonitor(SourceMonitor* monitor) {
    if (m_monitor)
        disconnect(m_monitor, nullptr, this, nullptr);
    m_monitor = monitor;
    if (!monitor)
        return;
    const QString metricsName = QString::fromStdString(m_backends.metricsSourceName);
    if (!metricsName.isEmpty())
        m_liveTimer->stop(); // the monitor's cycles of that source drive the live tail now
    connect(monitor, &SourceMonitor::healthChanged, this, [this](const QString&) { updateStale(); });
    connect(monitor, &SourceMonitor::cycleFinished, this, [this, metricsName](const QString& name, bool ok) {
        if (ok && m_liveEnabled && name == metricsName)
            liveTick();
    });
    connect(monitor, &SourceMonitor::statusChanged, this,
            [this, metricsName](const QString& name, SourceStatus status) {
                if (status == SourceStatus::Degraded || status == SourceStatus::Down) {
                    m_failingSources.insert(name);
                    return;
                }
                // Back after failing: reload now rather than at the next cycle.
                if (status != SourceStatus::Ok || !m_failingSources.remove(name))
                    return;
                if (name == metricsName)
                    refresh();
                emit sourceRecovered(name);
            });
    updateStale();
}

void MainWindow::updateSourceLabel() {
    m_sourceLabel->setText(m_backends.metrics ? QStringLiteral("Source: ") +
                                                    QString::fromStdString(m_backends.metrics->name())
                                              : QStringLiteral("No metric source"));
}

void MainWindow::setBackends(Backends backends) {
    // The window's own jobs of the old backends: their results must not land on the new views.
    for (quint64* job : {&m_inventoryJob, &m_healthJob, &m_chartsJob}) {
        m_runner->cancel(*job);
        *job = 0;
    }
    m_backends = std::move(backends);
    updateSourceLabel();
    const TimeRange before = m_range;
    recomputeRange(); // relative ranges end at the new backends' clock
    // Keep the selection if the new source has it too; otherwise start() picks the first service.
    if (m_selection.isValid())
        m_restoredSelectionKey = m_selection.key();
    m_selection = {};
    m_inventoryDone = false;
    m_inventoryOk = false;
    m_settled = false;
    m_pendingView = {};
    m_chartsStaleError.clear();
    m_banner->hide();
    m_navModel->setInventory({});
    m_overview->setHealth({}, {});
    m_metrics->clear();
    updateHeading();
    attachSourceMonitor(m_monitor); // which configured source feeds the metrics (live tail, stale banner)
    emit backendsChanged();
    if (m_range != before)
        emit timeRangeChanged(m_range);
    if (m_started)
        start();
}

int MainWindow::liveIntervalMs() const {
    if (m_monitor && !m_backends.metricsSourceName.empty())
        if (const auto* e = m_monitor->entry(QString::fromStdString(m_backends.metricsSourceName)))
            return static_cast<int>(e->config.pollIntervalMs);
    return m_liveTimer ? m_liveTimer->interval() : 30'000;
}

QString MainWindow::staleText() const {
    return m_staleBanner->isHidden() ? QString() : m_staleBanner->text();
}

void MainWindow::updateStale() {
    QStringList lines;
    if (m_monitor) {
        const std::pair<const std::string*, QString> roles[] = {
            {&m_backends.metricsSourceName, tr("Metrics")},
            {&m_backends.logsSourceName, tr("Logs")},
            {&m_backends.tracesSourceName, tr("Traces")}};
        for (const auto& [name, role] : roles) {
            if (name->empty())
                continue;
            const SourceHealthEntry* e = m_monitor->entry(QString::fromStdString(*name));
            if (e && (e->status == SourceStatus::Degraded || e->status == SourceStatus::Down))
                lines << tr("%1 source %2. The views keep their last data and reload by themselves when it "
                            "answers again.")
                             .arg(role, describe(*e));
        }
    }
    if (!m_chartsStaleError.isEmpty())
        lines << tr("Charts show data from %1: the refresh failed — %2")
                     .arg(m_chartsLoadedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                          m_chartsStaleError);
    if (lines.isEmpty()) {
        m_staleBanner->clear();
        m_staleBanner->hide();
        return;
    }
    m_staleBanner->setText(lines.join(QLatin1Char('\n')));
    m_staleBanner->show();
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (!m_started)
        QTimer::singleShot(0, this, &MainWindow::start);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    m_runner->cancelAll();
    QMainWindow::closeEvent(event);
}

void MainWindow::restoreSettings() {
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1440, 900);
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_restoredSelectionKey = s.value(QStringLiteral("navigator/selection")).toString();
    const QString preset = s.value(QStringLiteral("range/preset"), QStringLiteral("24h")).toString();
    for (const auto& p : kPresets)
        if (preset == QLatin1String(p.key))
            m_preset = p.preset;
    m_customRange = {s.value(QStringLiteral("range/customStart")).toLongLong(),
                     s.value(QStringLiteral("range/customEnd")).toLongLong()};
    if (m_preset == RangePreset::Custom && !m_customRange.valid())
        m_preset = RangePreset::Last24Hours;
    m_rangeCombo->setCurrentIndex(m_rangeCombo->findData(static_cast<int>(m_preset)));
    m_restoredPage = s.value(QStringLiteral("window/page")).toString();
    if (!m_restoredPage.isEmpty())
        showPage(m_restoredPage);
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/page"), currentPageTitle());
    if (m_selection.isValid())
        s.setValue(QStringLiteral("navigator/selection"), m_selection.key());
    for (const auto& p : kPresets)
        if (p.preset == m_preset)
            s.setValue(QStringLiteral("range/preset"), QString::fromLatin1(p.key));
    if (m_customRange.valid()) {
        s.setValue(QStringLiteral("range/customStart"), QVariant::fromValue<qint64>(m_customRange.start));
        s.setValue(QStringLiteral("range/customEnd"), QVariant::fromValue<qint64>(m_customRange.end));
    }
}

void MainWindow::recomputeRange() {
    if (m_preset == RangePreset::Custom) {
        m_range = m_customRange;
        return;
    }
    // Align "now" to the minute so repeated refreshes query identical buckets.
    const TimeMs now = (m_backends.clock ? m_backends.clock() : nowMs()) / kMinuteMs * kMinuteMs + kMinuteMs;
    for (const auto& p : kPresets)
        if (p.preset == m_preset)
            m_range = {now - p.duration, now};
}

void MainWindow::start() {
    if (m_started && m_runner->isActive(m_inventoryJob))
        return;
    m_started = true;
    if (m_liveEnabled && m_liveTimer->interval() > 0 && (!m_monitor || m_backends.metricsSourceName.empty()))
        m_liveTimer->start();
    if (!m_backends.metrics) {
        showError(QStringLiteral("No metric source is configured."));
        m_inventoryDone = true;
        checkSettled();
        return;
    }
    m_overview->setMessage(
        QStringLiteral("Loading services from %1…").arg(QString::fromStdString(m_backends.metrics->name())));
    const Backends backends = m_backends;
    m_inventoryJob = m_runner->run(
        QStringLiteral("inventory"), QStringLiteral("Listing services"),
        [backends](const TaskContext& ctx) -> Result<Inventory> {
            reportProgress(ctx.progress, 0.1, "listing series");
            auto ids = backends.listSeries(ts::Selector{}, ctx.cancel);
            if (!ids)
                return std::unexpected(ids.error());
            return buildInventory(*ids);
        },
        [this](Result<Inventory> inv) {
            m_inventoryDone = true;
            if (!inv) {
                showError(QStringLiteral("Could not list the services: ") +
                          QString::fromStdString(inv.error().what()));
                m_overview->setMessage(QStringLiteral("No data: the metric source failed."));
                checkSettled();
                return;
            }
            m_inventoryOk = true;
            m_banner->hide();
            m_navModel->setInventory(*inv);
            m_navView->expandToDepth(0);
            m_navView->setFocus();
            emit inventoryLoaded();
            Selection wanted = Selection::fromKey(m_restoredSelectionKey);
            if (wanted.kind == Selection::Kind::Pod && wanted.host.empty()) {
                // "pod:SERVICE/POD" without the host: take it from the inventory.
                for (const auto& p : inv->pods)
                    if (p.service == wanted.service && p.pod == wanted.pod)
                        wanted.host = p.host;
            }
            if (!m_navModel->indexFor(wanted).isValid() && !inv->services.empty())
                wanted = Selection::ofService(inv->services.front());
            loadHealth();
            if (wanted.isValid())
                select(wanted);
            else
                m_metrics->setMessage(QStringLiteral("The source has no services."));
        });
}

void MainWindow::refresh() {
    if (!m_inventoryOk) {
        start();
        return;
    }
    recomputeRange();
    loadHealth();
    loadCharts(true);
}

void MainWindow::liveTick() {
    // Live tail only follows relative ranges, and never piles up behind a slow source.
    if (m_preset == RangePreset::Custom || !m_inventoryOk || m_runner->isActive(m_healthJob) ||
        m_runner->isActive(m_chartsJob))
        return;
    const TimeRange before = m_range;
    recomputeRange();
    if (m_range != before)
        emit timeRangeChanged(m_range);
    loadHealth();
    loadCharts(true);
}

void MainWindow::select(const Selection& selection) {
    if (!selection.isValid())
        return;
    const QModelIndex src = m_navModel->indexFor(selection);
    if (src.isValid()) {
        const QModelIndex proxy = m_navProxy->mapFromSource(src);
        if (proxy.isValid() && m_navView->currentIndex() != proxy) {
            m_navView->scrollTo(proxy);
            m_navView->setCurrentIndex(proxy); // re-enters through onNavigatorCurrentChanged
            return;
        }
    }
    if (selection == m_selection && (m_runner->isActive(m_chartsJob) || !m_metrics->charts().empty()))
        return;
    m_selection = selection;
    updateHeading();
    emit selectionChanged(m_selection);
    loadCharts(false);
}

void MainWindow::onNavigatorCurrentChanged(const QModelIndex& current) {
    const Selection sel = NavigatorModel::selectionAt(m_navProxy->mapToSource(current));
    if (!sel.isValid() || sel == m_selection)
        return;
    m_selection = sel;
    updateHeading();
    emit selectionChanged(m_selection);
    if (currentPageTitle() == QLatin1String("Overview") && m_inventoryDone && m_settled)
        showPage(QStringLiteral("Metrics"));
    loadCharts(false);
}

void MainWindow::onRangeComboActivated(int index) {
    const auto preset = static_cast<RangePreset>(m_rangeCombo->itemData(index).toInt());
    if (preset == RangePreset::Custom) {
        TimeRangeDialog dialog(m_range.valid() ? m_range : TimeRange{nowMs() - kDayMs, nowMs()}, this);
        if (dialog.exec() != QDialog::Accepted) {
            m_rangeCombo->setCurrentIndex(m_rangeCombo->findData(static_cast<int>(m_preset)));
            return;
        }
        setCustomRange(dialog.range());
        return;
    }
    setRangePreset(preset);
}

void MainWindow::setRangePreset(RangePreset preset) {
    if (preset == RangePreset::Custom) {
        if (m_customRange.valid())
            setCustomRange(m_customRange);
        return;
    }
    m_preset = preset;
    m_rangeCombo->setCurrentIndex(m_rangeCombo->findData(static_cast<int>(preset)));
    recomputeRange();
    updateHeading();
    emit timeRangeChanged(m_range);
    loadCharts(false);
}

void MainWindow::setCustomRange(TimeRange range) {
    if (!range.valid())
        return;
    m_customRange = range;
    m_preset = RangePreset::Custom;
    m_rangeCombo->setCurrentIndex(m_rangeCombo->findData(static_cast<int>(RangePreset::Custom)));
    recomputeRange();
    updateHeading();
    emit timeRangeChanged(m_range);
    loadCharts(false);
}

void MainWindow::updateHeading() {
    QString sub = formatRange(m_range);
    if (m_preset != RangePreset::Custom)
        sub += QStringLiteral("   ·   live, refreshed every %1 s").arg(liveIntervalMs() / 1000);
    m_metrics->setHeading(m_selection.title(), sub);
    setWindowTitle(m_selection.isValid() ? m_selection.title() + QStringLiteral(" — Cairn")
                                         : QStringLiteral("Cairn"));
}

void MainWindow::loadHealth() {
    const auto& services = m_navModel->inventory().services;
    if (services.empty())
        return;
    const Backends backends = m_backends;
    const TimeMs now = (m_backends.clock ? m_backends.clock() : nowMs()) / kMinuteMs * kMinuteMs + kMinuteMs;
    const TimeRange analysed{now - kHealthHistoryMs, now};
    m_healthJob = m_runner->run(
        QStringLiteral("health"), QStringLiteral("Analysing service health"),
        [backends, services, now](const TaskContext& ctx) {
            return cairn::ui::loadHealth(backends, services, now, kHealthHistoryMs, ctx.cancel, ctx.progress);
        },
        [this, analysed](HealthResult result) {
            if (!result.error.isEmpty())
                showError(QStringLiteral("Service health is unavailable: ") + result.error);
            for (const auto& r : result.rows)
                m_navModel->setServiceStatus(QString::fromStdString(r.service), r.status);
            m_overview->setHealth(std::move(result.rows), analysed);
            m_updatedLabel->setText(QStringLiteral("Updated ") +
                                    QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")));
            emit healthUpdated();
        });
}

void MainWindow::loadCharts(bool keepView) {
    if (!m_selection.isValid() || !m_range.valid())
        return;
    if (!keepView || m_metrics->charts().empty())
        m_metrics->setMessage(
            m_metrics->charts().empty() ? QStringLiteral("Loading %1…").arg(m_selection.title()) : QString());
    const Backends backends = m_backends;
    const Selection selection = m_selection;
    const TimeRange range = m_range;
    m_chartsJob = m_runner->run(
        QStringLiteral("charts"), QStringLiteral("Loading %1").arg(selection.title()),
        [backends, selection, specs = panelsFor(selection, &m_navModel->inventory()),
         range](const TaskContext& ctx) {
            return cairn::ui::loadCharts(backends, selection, specs, range, warmupFor(range), ctx.cancel,
                                         ctx.progress);
        },
        [this, range, keepView](ChartsResult result) {
            if (!result.error.isEmpty() && keepView && !m_metrics->charts().empty()) {
                // A live refresh failed: keep what is on screen and say how old it is.
                m_chartsStaleError = result.error;
                updateStale();
                emit chartsUpdated();
                return;
            }
            if (!result.error.isEmpty()) {
                showError(QStringLiteral("Could not load %1: %2").arg(m_selection.title(), result.error));
            } else {
                m_chartsLoadedAt = QDateTime::currentDateTimeUtc();
            }
            if (!m_chartsStaleError.isEmpty()) {
                m_chartsStaleError.clear();
                updateStale();
            }
            m_metrics->setCharts(std::move(result.charts), range, keepView);
            if (m_pendingView.valid()) {
                m_metrics->setViewRange(m_pendingView);
                m_pendingView = {};
            }
            emit chartsUpdated();
        });
}

void MainWindow::checkSettled() {
    if (m_settled || !m_inventoryDone || m_runner->activeCount() > 0)
        return;
    m_settled = true;
    emit settled();
}

} // namespace cairn::ui
