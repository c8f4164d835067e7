#include "anomalypage.h"
#include "lazyreload.h"

#include "anomalymodel.h"
#include "mainwindow.h"
#include "metricchart.h"
#include "taskrunner.h"

#include "cairn/detect/alerts.h"
#include "cairn/detect/analyze.h"
#include "cairn/detect/correlate.h"
#include "cairn/detect/fleet.h"
#include "cairn/storage/workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace cairn::ui {

namespace {

// History analysed before the visible range, so the seasonal baseline has learnt by then.
constexpr TimeMs kWarmup = 3 * kDayMs;
// Anomalies shorter than this (and not huge) are listed as suppressed by the persistence rule.
constexpr TimeMs kPersistFor = 5 * kMinuteMs;
// Band of the group detector at medium sensitivity, in sigma-equivalents of the reconstruction error; a
// series or service sensitivity scales it like the single-series band (low 4/3, high 2.5/3 of it).
constexpr double kGroupBandMedium = 5.0;

QString shortMember(const ts::SeriesId& id) {
    for (const char* key : {"pod", "instance"})
        if (auto v = id.label(key); !v.empty())
            return QString::fromStdString(v);
    return QString::fromStdString(id.toString());
}

std::unique_ptr<detect::DetectStore> defaultStore(QString* note) {
    auto ws = storage::Workspace::openDefault();
    if (ws)
        return std::make_unique<detect::WorkspaceDetectStore>(*ws);
    if (note)
        *note = QString::fromStdString("Feedback and silences are kept for this session only: " +
                                       ws.error().what());
    return std::make_unique<detect::MemoryDetectStore>();
}

QString describe(const detect::Silence& s) {
    QString what = s.matcher.equals.empty() && s.matcher.metric.empty()
                       ? QStringLiteral("all series")
                       : QString::fromStdString(s.matcher.toString());
    QString when =
        QDateTime::fromMSecsSinceEpoch(s.start, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    when += QStringLiteral(" for %1 min").arg(s.duration / kMinuteMs);
    if (s.every)
        when += *s.every == kDayMs    ? QStringLiteral(", daily")
                : *s.every == kWeekMs ? QStringLiteral(", weekly")
                                      : QStringLiteral(", recurring");
    return QStringLiteral("%1%2: %3, %4%5")
        .arg(s.maintenance ? QStringLiteral("[maintenance] ") : QString(), QString::fromStdString(s.id), what,
             when, s.comment.empty() ? QString() : QStringLiteral(" — ") + QString::fromStdString(s.comment));
}

} // namespace

struct AnomalyPage::ScanResult {
    std::vector<ts::Series> series;
    std::vector<std::vector<detect::Estimate>> estimates;
    std::vector<detect::Anomaly> anomalies;
    std::vector<int> alertGroupOf; // per anomaly, 1-based; -1 when not in a group (suppressed)
    std::vector<QString> headlines;
    std::size_t raised = 0;
    std::size_t groupAnomalies = 0;
    QString error;
};

AnomalyPage::AnomalyPage(MainWindow* window, std::unique_ptr<detect::DetectStore> store, QWidget* parent)
    : QWidget(parent)
    , m_window(window) {
    QString storeNote;
    m_store = store ? std::move(store) : defaultStore(&storeNote);
    m_tuning = std::make_unique<detect::Tuning>(*m_store);
    if (auto r = m_tuning->load(); !r && m_window)
        m_window->showError(QString::fromStdString(r.error().what()));

    m_model = new AnomalyTableModel(this);
    m_proxy = new AnomalyFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    auto* bar = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter by series, service or detector (Ctrl+Shift+F)"));
    m_filter->setObjectName(QStringLiteral("anomalyFilter"));
    m_minScore = new QDoubleSpinBox(this);
    m_minScore->setRange(0.0, 1.0);
    m_minScore->setSingleStep(0.05);
    m_minScore->setPrefix(tr("min score "));
    m_showSuppressed = new QCheckBox(tr("Show su&ppressed"), this);
    m_showSuppressed->setChecked(true);
    m_kind = new QComboBox(this);
    m_kind->addItem(tr("All detectors"));
    m_kind->addItem(tr("Single series"));
    m_kind->addItem(tr("Group anomalies"));
    m_kind->setToolTip(tr("Group anomalies: related series (the instances of a service, the metrics of a "
                          "host) parting ways (Ctrl+G)"));
    auto* rescan = new QPushButton(tr("Scan"), this);
    rescan->setToolTip(tr("Scan every series again (Ctrl+R)"));
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_kind);
    bar->addWidget(m_minScore);
    bar->addWidget(m_showSuppressed);
    bar->addWidget(rescan);

    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AnomalyTableModel::Score, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();

    auto* detail = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(detail);
    m_chart = new MetricChart(detail);
    m_chart->setMinimumHeight(220);
    m_explanation =
        new QLabel(tr("Select an anomaly to see it on its chart with the expected band."), detail);
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* actions = new QHBoxLayout;
    m_notAnomaly = new QPushButton(tr("&Not an anomaly"), detail);
    m_notAnomaly->setToolTip(
        tr("Stop raising this pattern on this series (same direction, similar time of day, "
           "no larger deviation). Remembered in the workspace."));
    m_notAnomaly->setEnabled(false);
    m_sensitivity = new QComboBox(detail);
    m_sensitivity->addItem(tr("Sensitivity…"));
    m_sensitivity->addItem(tr("Series: low"), QStringList{"series", "low"});
    m_sensitivity->addItem(tr("Series: medium"), QStringList{"series", "medium"});
    m_sensitivity->addItem(tr("Series: high"), QStringList{"series", "high"});
    m_sensitivity->addItem(tr("Service: low"), QStringList{"service", "low"});
    m_sensitivity->addItem(tr("Service: medium"), QStringList{"service", "medium"});
    m_sensitivity->addItem(tr("Service: high"), QStringList{"service", "high"});
    m_sensitivity->setEnabled(false);
    m_silencesButton = new QPushButton(tr("S&ilences…"), detail);
    m_silencesButton->setToolTip(tr("Silences and maintenance windows, one-off or recurring (Alt+I)"));
    m_remediate = new QPushButton(tr("Remediate…"), detail);
    m_remediate->setObjectName(QStringLiteral("remediate"));
    m_remediate->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+R")));
    m_remediate->setToolTip(
        tr("Propose a remediation for this anomaly on the Remediation page (Ctrl+Shift+R)"));
    m_remediate->setEnabled(false);
    actions->addWidget(m_remediate);
    actions->addWidget(m_notAnomaly);
    actions->addWidget(m_sensitivity);
    actions->addStretch(1);
    actions->addWidget(m_silencesButton);
    detailLayout->addWidget(m_chart, 1);
    detailLayout->addWidget(m_explanation);
    detailLayout->addLayout(actions);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(detail);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    m_status = new QLabel(storeNote.isEmpty() ? tr("Not scanned yet.") : storeNote, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &AnomalyFilterProxy::setText);
    connect(m_minScore, &QDoubleSpinBox::valueChanged, m_proxy, &AnomalyFilterProxy::setMinScore);
    connect(m_showSuppressed, &QCheckBox::toggled, m_proxy, &AnomalyFilterProxy::setShowSuppressed);
    connect(rescan, &QPushButton::clicked, this, &AnomalyPage::scan);
    connect(m_kind, &QComboBox::currentIndexChanged, m_proxy, [this](int i) {
        m_proxy->setKind(i == 1   ? AnomalyFilterProxy::Kind::Series
                         : i == 2 ? AnomalyFilterProxy::Kind::Group
                                  : AnomalyFilterProxy::Kind::All);
    });
    // Page-wide keys (only while this page is shown).
    auto shortcut = [this](const QKeySequence& key, auto fn) {
        auto* sc = new QShortcut(key, this);
        sc->setContext(Qt::WidgetWithChildrenShortcut);
        connect(sc, &QShortcut::activated, this, fn);
    };
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_R), [this] { scan(); });
    shortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_G),
             [this] { m_kind->setCurrentIndex(m_kind->currentIndex() == 2 ? 0 : 2); });
    // Esc in the filter clears it (before any window-wide Esc shortcut sees it).
    m_filter->installEventFilter(this);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showDetail(); });
    connect(m_notAnomaly, &QPushButton::clicked, this, &AnomalyPage::markSelectedNotAnomaly);
    connect(m_remediate, &QPushButton::clicked, this, &AnomalyPage::remediateSelected);
    connect(m_sensitivity, &QComboBox::activated, this, &AnomalyPage::applySensitivity);
    connect(m_silencesButton, &QPushButton::clicked, this, &AnomalyPage::editSilences);
    if (m_window) {
        // Scans when first shown, and again when the range or the data sources change (dropping a scan
        // of the old source).
        m_lazy = new LazyReload(this, [this] { scan(); });
        LazyReload::Triggers triggers;
        triggers.selection = false;
        triggers.cancelKeys = {QStringLiteral("anomalies")};
        triggers.onSourcesChanged = [this] { m_scanning = false; };
        m_lazy->follow(m_window, triggers);
    }
}

AnomalyPage::~AnomalyPage() = default;

bool AnomalyPage::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_filter &&
        (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier &&
            !m_filter->text().isEmpty()) {
            event->accept();
            if (event->type() == QEvent::KeyPress)
                m_filter->clear();
            return event->type() == QEvent::KeyPress;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void AnomalyPage::setFilterText(const QString& text) {
    m_filter->setText(text);
}

void AnomalyPage::scan() {
    if (!m_window)
        return;
    if (m_lazy)
        m_lazy->markFresh();
    m_scanning = true;
    m_status->setText(tr("Scanning every series for anomalies…"));
    const Backends backends = m_window->backends();
    const TimeRange range = m_window->timeRange();
    const detect::Tuning tuning = *m_tuning; // a copy: the job only reads it
    auto silences = m_store->silences();
    const std::vector<detect::Silence> silenceList = silences ? *silences : std::vector<detect::Silence>{};
    m_window->taskRunner()->run(
        QStringLiteral("anomalies"), tr("Scanning for anomalies"),
        [backends, range, tuning, silenceList](const TaskContext& ctx) {
            ScanResult out;
            auto ids = backends.listSeries({}, ctx.cancel);
            if (!ids) {
                out.error = QString::fromStdString(ids.error().what());
                return out;
            }
            // Fetch (the first half of the progress), then the one fleet scan the CLI measures too.
            sources::MetricQuery q;
            q.range = {range.start - kWarmup, range.end};
            q.step = kMinuteMs;
            std::size_t done = 0;
            for (const auto& id : *ids) {
                if (ctx.cancel.isCancelled())
                    return out;
                q.selector.metric = id.metric;
                q.selector.equals = id.labels;
                auto series = backends.queryMetrics(q, ctx.cancel);
                reportProgress(ctx.progress,
                               0.5 * static_cast<double>(++done) / static_cast<double>(ids->size()),
                               "fetching series");
                if (!series) {
                    out.error = QString::fromStdString(series.error().what());
                    continue;
                }
                for (auto& s : *series)
                    out.series.push_back(std::move(s));
            }
            detect::FleetScanOptions options;
            options.window = range;
            options.tuning = &tuning;
            options.silences = silenceList;
            options.persistFor = kPersistFor;
            options.groupBandMedium = kGroupBandMedium;
            if (backends.traces)
                if (auto deps = backends.traces->dependencies(range, ctx.cancel); deps)
                    for (const auto& d : *deps)
                        options.dependencies.push_back({d.parent, d.child});
            auto scan =
                detect::scanFleet(out.series, options, ctx.cancel, [&](double f, std::string_view stage) {
                    reportProgress(ctx.progress, 0.5 + 0.5 * f, stage);
                });
            out.anomalies = std::move(scan.anomalies);
            out.estimates = std::move(scan.estimates);
            out.alertGroupOf = std::move(scan.alertGroupOf);
            for (const auto& g : scan.alertGroups)
                out.headlines.push_back(QString::fromStdString(g.headline));
            out.raised = scan.raised;
            out.groupAnomalies = scan.groupAnomalies;
            return out;
        },
        [this](ScanResult r) {
            m_scanning = false;
            m_series.clear();
            m_estimates.clear();
            for (std::size_t i = 0; i < r.series.size(); ++i) {
                const std::string key = r.series[i].id.toString();
                m_estimates[key] = std::move(r.estimates[i]);
                m_series[key] = std::move(r.series[i]);
            }
            std::size_t suppressed = 0;
            for (const auto& a : r.anomalies)
                suppressed += a.suppressed.empty() ? 0 : 1;
            const std::size_t count = r.anomalies.size();
            m_model->setAnomalies(std::move(r.anomalies));
            m_model->setAlertGroups(std::move(r.alertGroupOf), r.headlines);
            // Columns fit their contents, the long series names within reason (full text in the tooltip).
            m_table->resizeColumnsToContents();
            m_table->setColumnWidth(AnomalyTableModel::Series,
                                    std::min(m_table->columnWidth(AnomalyTableModel::Series), 260));
            m_table->setColumnWidth(AnomalyTableModel::Deviation, 80);
            m_table->setColumnWidth(AnomalyTableModel::AlertGroup, 95);
            m_table->setColumnWidth(AnomalyTableModel::Status, 120); // the last section stretches
            m_table->setColumnWidth(AnomalyTableModel::Score,
                                    std::max(m_table->columnWidth(AnomalyTableModel::Score), 70));
            m_alertGroups = r.headlines.size();
            m_status->setText(
                tr("%1 anomalies (%2 suppressed, %3 from the group detector) in %4 series; the %5 raised "
                   "correlate into %6 alert groups: compression %7x.")
                    .arg(count)
                    .arg(suppressed)
                    .arg(r.groupAnomalies)
                    .arg(m_series.size())
                    .arg(r.raised)
                    .arg(m_alertGroups)
                    .arg(detect::compressionRatio(r.raised, m_alertGroups), 0, 'f', 1));
            if (!r.error.isEmpty())
                m_window->showError(r.error);
            if (m_proxy->rowCount() > 0)
                m_table->selectRow(0);
            emit scanFinished();
        });
}

void AnomalyPage::remediateSelected() {
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    detect::Anomaly a = m_model->anomaly(row);
    // A group anomaly is remediated where it comes from: the member with the largest share of the error
    // (its pod, host and service labels are what a runbook acts on).
    if (!a.contributors.empty())
        a.series = a.contributors.front().first;
    emit remediateRequested(a);
}

int AnomalyPage::selectedSourceRow() const {
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid())
        return -1;
    return m_proxy->mapToSource(current).row();
}

void AnomalyPage::showDetail() {
    const int row = selectedSourceRow();
    m_notAnomaly->setEnabled(row >= 0);
    m_remediate->setEnabled(row >= 0);
    m_sensitivity->setEnabled(row >= 0);
    if (row < 0)
        return;
    const detect::Anomaly& a = m_model->anomaly(row);
    const std::string key = a.series.toString();
    ChartData data;
    data.title = QString::fromStdString(key);
    const bool isGroup = !a.contributors.empty();
    if (isGroup) {
        // The members on one chart: the top contributor analysed (band, marks), the others as lines.
        const std::string top = a.contributors.front().first.toString();
        data.title = QString::fromStdString(a.series.metric) + tr(" of ") +
                     QString::fromStdString(a.series.label("service").empty() ? a.series.label("host")
                                                                              : a.series.label("service")) +
                     tr(": group anomaly");
        if (auto it = m_series.find(top); it != m_series.end()) {
            data.main.series = it->second;
            data.main.name = shortMember(a.contributors.front().first) +
                             tr(" (%1% of the error)").arg(100.0 * a.contributors.front().second, 0, 'f', 0);
            data.estimates = m_estimates[top];
            data.anomalies.push_back(a);
            data.anomalies.back().series = it->second.id;
            for (std::size_t c = 1; c < a.contributors.size(); ++c)
                if (auto m = m_series.find(a.contributors[c].first.toString()); m != m_series.end())
                    data.extras.push_back({m->second,
                                           shortMember(a.contributors[c].first) +
                                               tr(" (%1%)").arg(100.0 * a.contributors[c].second, 0, 'f', 0),
                                           false});
        } else {
            data.error = tr("The member series are no longer available.");
        }
    } else if (auto it = m_series.find(key); it != m_series.end()) {
        data.main.series = it->second;
        data.main.name = QString::fromStdString(a.series.metric);
        data.estimates = m_estimates[key];
        for (const auto& other : m_model->anomalies())
            if (other.series == a.series)
                data.anomalies.push_back(other);
    } else {
        data.error = tr("The series is no longer available.");
    }
    // Around the anomaly, within the data (no empty future on the right).
    const TimeMs span = std::max<TimeMs>(a.end - a.start, kHourMs);
    TimeRange view{a.start - 6 * span, a.end + 6 * span};
    if (!data.main.series.empty()) {
        const TimeMs last = data.main.series.time.back() + kMinuteMs;
        if (view.end > last) {
            view.start = std::max(data.main.series.time.front(), view.start - (view.end - last));
            view.end = last;
        }
    }
    m_chart->setData(std::move(data));
    m_chart->setViewRange(view);
    QString text = QString::fromStdString(a.explanation);
    text +=
        tr("\nScore %1, from %2 to %3 (UTC).")
            .arg(a.score, 0, 'f', 2)
            .arg(
                QDateTime::fromMSecsSinceEpoch(a.start, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm")))
            .arg(QDateTime::fromMSecsSinceEpoch(a.end, Qt::UTC).toString(QStringLiteral("HH:mm")));
    if (isGroup) {
        text += tr(" Group band: %1 sigma-equivalents of the reconstruction error.")
                    .arg(kGroupBandMedium * m_tuning->bandSigmasFor(a.series) /
                             detect::bandSigmasFor(detect::Sensitivity::Medium),
                         0, 'f', 1);
        text += tr("\nContributors (share of the error):");
        for (const auto& [member, share] : a.contributors)
            text += tr("\n  • %1 — %2%")
                        .arg(QString::fromStdString(member.toString()))
                        .arg(100.0 * share, 0, 'f', 0);
    } else {
        text += tr(" Band: %1 sigma.").arg(m_tuning->bandSigmasFor(a.series), 0, 'f', 1);
    }
    if (const int g = m_model->alertGroupOf(row); g > 0)
        text += tr("\nAlert group #%1: %2").arg(g).arg(m_model->alertGroupHeadline(g));
    if (!a.suppressed.empty())
        text += tr("\nSuppressed: %1").arg(QString::fromStdString(a.suppressed));
    m_explanation->setText(text);
}

void AnomalyPage::markSelectedNotAnomaly() {
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    const detect::Anomaly a = m_model->anomaly(row);
    if (auto r = m_tuning->markNotAnomaly(a); !r) {
        if (m_window)
            m_window->showError(QString::fromStdString(r.error().what()));
        return;
    }
    // Everything the new feedback covers is suppressed now (the row itself included), with the reason.
    for (int i = 0; i < m_model->rowCount(); ++i)
        if (m_model->anomaly(i).suppressed.empty())
            if (auto why = m_tuning->coveredByFeedback(m_model->anomaly(i)); !why.empty())
                m_model->setSuppressed(i, why);
    showDetail();
}

void AnomalyPage::applySensitivity(int index) {
    const int row = selectedSourceRow();
    const QStringList choice = m_sensitivity->itemData(index).toStringList();
    m_sensitivity->setCurrentIndex(0);
    if (row < 0 || choice.size() != 2)
        return;
    const detect::Anomaly& a = m_model->anomaly(row);
    const detect::Sensitivity level = choice[1] == "low"    ? detect::Sensitivity::Low
                                      : choice[1] == "high" ? detect::Sensitivity::High
                                                            : detect::Sensitivity::Medium;
    const std::string service = a.series.label("service");
    const std::string scope = choice[0] == "service" && !service.empty()
                                  ? detect::Tuning::serviceScope(service)
                                  : detect::Tuning::seriesScope(a.series);
    if (auto r = m_tuning->setSensitivity(scope, level); !r) {
        if (m_window)
            m_window->showError(QString::fromStdString(r.error().what()));
        return;
    }
    scan();
}

void AnomalyPage::editSilences() {
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Silences and maintenance windows"));
    auto* layout = new QVBoxLayout(&dialog);
    auto* list = new QListWidget(&dialog);
    list->setObjectName(QStringLiteral("silenceList"));
    auto reload = [&] {
        list->clear();
        auto s = m_store->silences();
        if (!s) {
            list->addItem(QString::fromStdString(s.error().what()));
            return;
        }
        for (const auto& silence : *s) {
            auto* item = new QListWidgetItem(describe(silence), list);
            item->setData(Qt::UserRole, QString::fromStdString(silence.id));
        }
    };
    reload();
    auto* form = new QFormLayout;
    auto* id = new QLineEdit(&dialog);
    id->setObjectName(QStringLiteral("silenceId"));
    id->setPlaceholderText(tr("nightly-backup"));
    auto* service = new QLineEdit(&dialog);
    service->setObjectName(QStringLiteral("silenceService"));
    service->setPlaceholderText(tr("service (empty = all)"));
    const int row = selectedSourceRow();
    if (row >= 0)
        service->setText(QString::fromStdString(m_model->anomaly(row).series.label("service")));
    auto* start = new QDateTimeEdit(QDateTime::currentDateTimeUtc(), &dialog);
    start->setObjectName(QStringLiteral("silenceStart"));
    start->setTimeSpec(Qt::UTC);
    start->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    auto* minutes = new QSpinBox(&dialog);
    minutes->setObjectName(QStringLiteral("silenceMinutes"));
    minutes->setRange(1, 7 * 24 * 60);
    minutes->setValue(60);
    minutes->setSuffix(tr(" min"));
    auto* repeat = new QComboBox(&dialog);
    repeat->setObjectName(QStringLiteral("silenceRepeat"));
    repeat->addItem(tr("once"), 0);
    repeat->addItem(tr("every day"), static_cast<qlonglong>(kDayMs));
    repeat->addItem(tr("every week"), static_cast<qlonglong>(kWeekMs));
    auto* maintenance = new QCheckBox(tr("Maintenance window"), &dialog);
    maintenance->setObjectName(QStringLiteral("silenceMaintenance"));
    auto* comment = new QLineEdit(&dialog);
    comment->setObjectName(QStringLiteral("silenceComment"));
    form->addRow(tr("Id"), id);
    form->addRow(tr("Service"), service);
    form->addRow(tr("Starts (UTC)"), start);
    form->addRow(tr("Duration"), minutes);
    form->addRow(tr("Repeat"), repeat);
    form->addRow(QString(), maintenance);
    form->addRow(tr("Comment"), comment);
    auto* add = new QPushButton(tr("Add"), &dialog);
    add->setObjectName(QStringLiteral("silenceAdd"));
    auto* remove = new QPushButton(tr("Remove selected"), &dialog);
    remove->setObjectName(QStringLiteral("silenceRemove"));
    auto* error = new QLabel(&dialog);
    error->setWordWrap(true);
    connect(add, &QPushButton::clicked, &dialog, [&] {
        detect::Silence s;
        s.id = id->text().trimmed().toStdString();
        if (!service->text().trimmed().isEmpty())
            s.matcher.equals["service"] = service->text().trimmed().toStdString();
        s.start = start->dateTime().toMSecsSinceEpoch();
        s.duration = static_cast<TimeMs>(minutes->value()) * kMinuteMs;
        if (const qlonglong every = repeat->currentData().toLongLong(); every > 0)
            s.every = every;
        s.maintenance = maintenance->isChecked();
        s.comment = comment->text().toStdString();
        if (auto r = m_store->saveSilence(s); !r) {
            error->setText(QString::fromStdString(r.error().what()));
            return;
        }
        error->clear();
        reload();
    });
    connect(remove, &QPushButton::clicked, &dialog, [&] {
        if (auto* item = list->currentItem()) {
            if (auto r = m_store->removeSilence(item->data(Qt::UserRole).toString().toStdString()); !r)
                error->setText(QString::fromStdString(r.error().what()));
            reload();
        }
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::accept);
    layout->addWidget(list);
    layout->addLayout(form);
    auto* row2 = new QHBoxLayout;
    row2->addWidget(add);
    row2->addWidget(remove);
    row2->addStretch(1);
    layout->addLayout(row2);
    layout->addWidget(error);
    layout->addWidget(buttons);
    dialog.exec();
    scan();
}

} // namespace cairn::ui
