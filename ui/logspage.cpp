#include "logspage.h"
#include "lazyreload.h"

#include "mainwindow.h"
#include "metricspage.h"
#include "overviewpage.h"
#include "taskrunner.h"

#include <QCheckBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimeZone>
#include <QVBoxLayout>

namespace cairn::ui {

namespace {

constexpr std::size_t kMaxRecords = 2'000'000; // a scan stops here; the status line says so
constexpr int kSparkPoints = 60;

QString iso(TimeMs t) {
    return QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

struct LoadResult {
    std::shared_ptr<logs::LogAnalyzer> analyzer;
    std::vector<PatternRow> rows;
    std::size_t records = 0;
    double errors = 0, warnings = 0, errorsBefore = 0;
    bool truncated = false;
    QString error;
};

} // namespace

LogsPage::LogsPage(MainWindow* window)
    : QWidget(window)
    , m_window(window)
    , m_model(new PatternModel(this))
    , m_filter(new PatternFilter(this))
    , m_view(new QTableView(this))
    , m_newOnly(new QCheckBox(tr("New patterns only"), this))
    , m_text(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_samples(new QPlainTextEdit(this))
    , m_showInCharts(new QPushButton(tr("Show in charts"), this)) {
    setObjectName(QStringLiteral("logsPage"));
    m_filter->setSourceModel(m_model);
    m_view->setModel(m_filter);
    m_view->setItemDelegate(new PatternDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(PatternModel::Count, Qt::DescendingOrder);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(PatternModel::Template, QHeaderView::Stretch);
    m_view->setColumnWidth(PatternModel::Trend, 130);
    m_view->setObjectName(QStringLiteral("patternView"));
    m_text->setPlaceholderText(tr("Filter patterns"));
    m_samples->setReadOnly(true);
    m_samples->setObjectName(QStringLiteral("patternSamples"));
    m_samples->setPlaceholderText(tr("Select a pattern to see sample lines."));
    m_showInCharts->setEnabled(false);

    auto* top = new QHBoxLayout;
    auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(tr("Log patterns")), this);
    top->addWidget(title);
    top->addWidget(m_newOnly);
    top->addWidget(m_text, 1);
    top->addWidget(m_status);
    auto* bottom = new QWidget(this);
    auto* bl = new QVBoxLayout(bottom);
    bl->setContentsMargins(0, 0, 0, 0);
    bl->addWidget(m_samples);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_showInCharts);
    bl->addLayout(buttons);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_newOnly, &QCheckBox::toggled, m_filter, &PatternFilter::setNewOnly);
    connect(m_text, &QLineEdit::textChanged, m_filter, &PatternFilter::setText);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LogsPage::showSelected);
    connect(m_showInCharts, &QPushButton::clicked, this, &LogsPage::showInCharts);
    // Scanning logs costs seconds for long ranges: a hidden page only notes that it is out of date.
    auto* lazy = new LazyReload(this, [this] { reload(); });
    LazyReload::Triggers triggers;
    triggers.cancelKeys = {QStringLiteral("logs-page"), QStringLiteral("logs-page-changes")};
    triggers.sourceName = [this] { return m_window->backends().logsSourceName; };
    lazy->follow(m_window, triggers);
    if (auto* metrics = m_window->metricsPage())
        connect(metrics, &MetricsPage::viewRangeChanged, this, [this](TimeRange view) {
            // Zooming the charts into part of the range links that window here; the full range unlinks.
            setChangeWindow(view.valid() && view != m_range && m_range.contains(view.start) ? view
                                                                                            : TimeRange{});
        });
    if (auto* overview = m_window->overviewPage())
        connect(overview, &OverviewPage::anomalyActivated, this, [this](const QString&, TimeMs peak) {
            setChangeWindow({peak - 15 * kMinuteMs, peak + 15 * kMinuteMs});
        });
    m_status->setText(tr("No logs loaded"));
}

QString LogsPage::statusText() const {
    return m_status->text();
}

void LogsPage::reload() {
    const auto& backends = m_window->backends();
    if (!backends.logs) {
        m_status->setText(tr("No log source configured"));
        m_model->setRows({});
        return;
    }
    m_range = m_window->timeRange();
    if (!m_range.valid())
        return;
    const Selection sel = m_window->selection();
    const TimeRange range = m_range;
    const TimeMs bucket = std::max<TimeMs>(kMinuteMs, (range.duration() / kSparkPoints + kMinuteMs - 1) /
                                                          kMinuteMs * kMinuteMs);
    auto source = backends.logs;
    m_status->setText(tr("Loading logs…"));
    m_loaded = false;
    m_window->taskRunner()->run(
        QStringLiteral("logs-page"), tr("Mining log patterns"),
        [source, sel, range, bucket](const TaskContext& ctx) {
            LoadResult out;
            out.analyzer = std::make_shared<logs::LogAnalyzer>(bucket);
            sources::LogQuery q;
            // The baseline before the range tells new patterns from old ones.
            q.range = {range.start - range.duration(), range.end};
            q.service =
                sel.kind == Selection::Kind::Service || sel.kind == Selection::Kind::Pod ? sel.service : "";
            q.host = sel.kind == Selection::Kind::Host ? sel.host : "";
            q.limit = kMaxRecords;
            auto n = source->scan(
                q,
                [&](const sources::LogRecord& r) {
                    if (sel.kind == Selection::Kind::Pod) {
                        auto it = r.fields.find("pod");
                        if (it != r.fields.end() && it->second != sel.pod)
                            return !ctx.cancel.isCancelled();
                    }
                    out.analyzer->add(r);
                    if ((++out.records & 4095) == 0)
                        reportProgress(ctx.progress, 0.5, "reading logs");
                    return !ctx.cancel.isCancelled();
                },
                ctx.cancel);
            if (!n) {
                out.error = QString::fromStdString(n.error().what());
                return out;
            }
            out.truncated = *n >= kMaxRecords;
            // Error and warning trend: this range against the baseline before it.
            for (double v : out.analyzer->levelCounts(sources::LogLevel::Error, range).value)
                out.errors += v;
            for (double v : out.analyzer->levelCounts(sources::LogLevel::Warn, range).value)
                out.warnings += v;
            for (double v :
                 out.analyzer
                     ->levelCounts(sources::LogLevel::Error, {range.start - range.duration(), range.start})
                     .value)
                out.errorsBefore += v;
            for (auto& p : out.analyzer->patterns()) {
                PatternRow row;
                const auto s = out.analyzer->counts(p.id, range);
                row.spark = s.value;
                double inRange = 0;
                for (double v : s.value)
                    inRange += v;
                if (inRange == 0)
                    continue; // only in the baseline: not part of this range
                row.isNew = p.firstSeen >= range.start;
                row.pattern = std::move(p);
                row.pattern.count = std::uint64_t(inRange);
                out.rows.push_back(std::move(row));
            }
            return out;
        },
        [this, range](LoadResult r) {
            if (!r.error.isEmpty()) {
                // The patterns already shown stay; the status says how old they are.
                m_status->setText(
                    m_loadedAt.isValid()
                        ? tr("Logs failed — showing the patterns loaded at %1: %2")
                              .arg(m_loadedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")), r.error)
                        : tr("Logs failed: %1").arg(r.error));
                m_window->showError(tr("Loading logs failed: %1").arg(r.error));
                emit failed();
                return;
            }
            m_loadedAt = QDateTime::currentDateTimeUtc();
            std::size_t fresh = 0;
            for (const auto& row : r.rows)
                fresh += row.isNew ? 1 : 0;
            m_analyzer = r.analyzer;
            m_model->setRows(std::move(r.rows));
            m_status->setText(
                tr("%1 lines, %2 patterns, %3 new since %4; errors %5 (%6 before), warnings %7%8")
                    .arg(r.records)
                    .arg(m_model->rowCount())
                    .arg(fresh)
                    .arg(iso(range.start))
                    .arg(r.errors)
                    .arg(r.errorsBefore)
                    .arg(r.warnings)
                    .arg(r.truncated ? tr(" (stopped at %1 lines)").arg(kMaxRecords) : QString()));
            m_loaded = true;
            if (m_changeWindow.valid())
                setChangeWindow(m_changeWindow);
            emit loaded();
        });
}

void LogsPage::setChangeWindow(TimeRange window) {
    m_changeWindow = window;
    if (!m_analyzer || !window.valid()) {
        m_model->setChanges({});
        return;
    }
    // Baseline: the page's range outside the window (the part before it when there is one).
    const TimeRange baseline = window.start - m_range.start >= window.duration()
                                   ? TimeRange{m_range.start, window.start}
                                   : TimeRange{window.end, m_range.end};
    auto analyzer = m_analyzer;
    m_window->taskRunner()->run(
        QStringLiteral("logs-page-changes"), tr("Ranking changed log patterns"),
        [analyzer, window, baseline](const TaskContext&) { return analyzer->changes(window, baseline, 0); },
        [this](std::vector<logs::PatternChange> changes) {
            m_model->setChanges(changes);
            m_view->sortByColumn(PatternModel::Change, Qt::DescendingOrder);
        });
}

void LogsPage::showSelected() {
    const QModelIndex idx = m_filter->mapToSource(m_view->currentIndex());
    const PatternRow* r = m_model->row(idx.row());
    m_showInCharts->setEnabled(r != nullptr);
    if (!r) {
        m_samples->clear();
        return;
    }
    const auto& p = r->pattern;
    QString text = tr("E%1  %2\n%3 lines, level %4, first seen %5, last seen %6%7\n\nSample lines:\n")
                       .arg(p.id)
                       .arg(QString::fromStdString(p.text))
                       .arg(qulonglong(p.count))
                       .arg(QString::fromLatin1(sources::toString(p.level).data()))
                       .arg(iso(p.firstSeen), iso(p.lastSeen))
                       .arg(r->isNew ? tr(" — new in this range") : QString());
    for (const auto& s : p.samples)
        text += QString::fromStdString(s) + QLatin1Char('\n');
    m_samples->setPlainText(text);
}

void LogsPage::showInCharts() {
    const QModelIndex idx = m_filter->mapToSource(m_view->currentIndex());
    const PatternRow* r = m_model->row(idx.row());
    if (!r)
        return;
    TimeMs start = std::max(r->pattern.firstSeen, m_range.start);
    TimeMs end = std::min(r->pattern.lastSeen + kMinuteMs, m_range.end);
    if (end - start < 10 * kMinuteMs) {
        const TimeMs mid = (start + end) / 2;
        start = std::max(m_range.start, mid - 5 * kMinuteMs);
        end = std::min(m_range.end, mid + 5 * kMinuteMs);
    }
    m_window->showPage(QStringLiteral("Metrics"));
    if (auto* metrics = m_window->metricsPage())
        metrics->setViewRange({start, end});
}

} // namespace cairn::ui
