#include "tracespage.h"
#include "lazyreload.h"

#include "mainwindow.h"
#include "taskrunner.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace cairn::ui {

namespace {

constexpr std::size_t kTraceLimit = 50;

struct TraceRow {
    TimeUs startUs = 0;
    std::string traceId;
    std::string root; // "service: operation"
    double durationMs = 0;
    std::size_t spans = 0;
    std::size_t errors = 0;
};

struct TracesResult {
    std::vector<std::string> services;
    std::string service; // whose traces are listed
    std::vector<sources::DependencyEdge> edges;
    std::vector<TraceRow> traces;
    QString error;
};

TraceRow summarise(const sources::Trace& t) {
    TraceRow row;
    row.traceId = t.traceId;
    row.spans = t.spans.size();
    if (t.spans.empty())
        return row;
    TimeUs start = t.spans.front().startUs, end = start;
    const sources::Span* root = &t.spans.front();
    for (const auto& s : t.spans) {
        start = std::min(start, s.startUs);
        end = std::max(end, s.startUs + s.durationUs);
        row.errors += s.error ? 1 : 0;
        if (s.parentSpanId.empty() && (!root->parentSpanId.empty() || s.startUs < root->startUs))
            root = &s;
    }
    row.startUs = start;
    row.durationMs = static_cast<double>(end - start) / 1000.0;
    row.root = root->service + ": " + root->operation;
    return row;
}

QStandardItem* item(const QString& text) {
    auto* i = new QStandardItem(text);
    i->setEditable(false);
    return i;
}

QStandardItem* number(double value, int decimals = 0) {
    auto* i = new QStandardItem;
    i->setEditable(false);
    const double scale = std::pow(10.0, decimals);
    i->setData(std::round(value * scale) / scale, Qt::DisplayRole); // a number: sorts numerically
    i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return i;
}

} // namespace

TracesPage::TracesPage(MainWindow* window)
    : QWidget(window)
    , m_window(window)
    , m_service(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_dependencies(new QStandardItemModel(0, 3, this))
    , m_traces(new QStandardItemModel(0, 6, this))
    , m_dependencyView(new QTableView(this))
    , m_traceView(new QTableView(this)) {
    setObjectName(QStringLiteral("tracesPage"));
    m_service->setObjectName(QStringLiteral("traceService"));
    m_dependencies->setHorizontalHeaderLabels({tr("Caller"), tr("Callee"), tr("Calls")});
    m_traces->setHorizontalHeaderLabels(
        {tr("Start (UTC)"), tr("Trace id"), tr("Root"), tr("Duration ms"), tr("Spans"), tr("Errors")});
    for (auto* view : {m_dependencyView, m_traceView}) {
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setSortingEnabled(true);
        view->verticalHeader()->hide();
        view->horizontalHeader()->setStretchLastSection(true);
    }
    m_dependencyView->setObjectName(QStringLiteral("dependencyView"));
    m_traceView->setObjectName(QStringLiteral("traceView"));
    m_dependencyView->setModel(m_dependencies);
    m_traceView->setModel(m_traces);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Service:"), this));
    top->addWidget(m_service, 1);
    top->addWidget(m_status, 3);
    auto* split = new QSplitter(Qt::Vertical, this);
    auto* deps = new QWidget(split);
    auto* dl = new QVBoxLayout(deps);
    dl->setContentsMargins(0, 0, 0, 0);
    dl->addWidget(new QLabel(tr("<b>Service dependencies</b>"), deps));
    dl->addWidget(m_dependencyView);
    auto* traces = new QWidget(split);
    auto* tl = new QVBoxLayout(traces);
    tl->setContentsMargins(0, 0, 0, 0);
    tl->addWidget(new QLabel(tr("<b>Recent traces</b>"), traces));
    tl->addWidget(m_traceView);
    auto* v = new QVBoxLayout(this);
    v->addLayout(top);
    v->addWidget(split, 1);

    connect(m_service, &QComboBox::currentTextChanged, this, [this] {
        if (!m_filling)
            reload();
    });
    auto* lazy = new LazyReload(this, [this] { reload(); });
    LazyReload::Triggers triggers;
    triggers.cancelKeys = {QStringLiteral("traces-page")};
    triggers.sourceName = [this] { return m_window->backends().tracesSourceName; };
    lazy->follow(m_window, triggers);
    m_status->setText(tr("No traces loaded"));
}

QString TracesPage::statusText() const {
    return m_status->text();
}

void TracesPage::reload() {
    const auto& backends = m_window->backends();
    if (!backends.traces) {
        m_status->setText(tr("No trace source configured"));
        return;
    }
    const TimeRange range = m_window->timeRange();
    if (!range.valid())
        return;
    const Selection sel = m_window->selection();
    const std::string wanted = sel.kind == Selection::Kind::None ? std::string() : sel.service;
    const std::string chosen = m_service->currentText().toStdString();
    auto source = backends.traces;
    m_loaded = false;
    m_status->setText(tr("Loading traces…"));
    m_window->taskRunner()->run(
        QStringLiteral("traces-page"), tr("Loading traces"),
        [source, range, wanted, chosen](const TaskContext& ctx) {
            TracesResult out;
            auto services = source->services(ctx.cancel);
            if (!services) {
                out.error = QString::fromStdString(services.error().what());
                return out;
            }
            out.services = std::move(*services);
            std::sort(out.services.begin(), out.services.end());
            auto known = [&](const std::string& s) {
                return !s.empty() && std::binary_search(out.services.begin(), out.services.end(), s);
            };
            out.service = known(wanted)          ? wanted
                          : known(chosen)        ? chosen
                          : out.services.empty() ? std::string()
                                                 : out.services.front();
            reportProgress(ctx.progress, 0.3, "dependencies");
            auto edges = source->dependencies(range, ctx.cancel);
            if (!edges) {
                out.error = QString::fromStdString(edges.error().what());
                return out;
            }
            out.edges = std::move(*edges);
            if (!out.service.empty()) {
                reportProgress(ctx.progress, 0.6, "traces of " + out.service);
                sources::TraceQuery q;
                q.range = range;
                q.service = out.service;
                q.limit = kTraceLimit;
                auto traces = source->findTraces(q, ctx.cancel);
                if (!traces) {
                    out.error = QString::fromStdString(traces.error().what());
                    return out;
                }
                for (const auto& t : *traces)
                    out.traces.push_back(summarise(t));
                std::sort(out.traces.begin(), out.traces.end(),
                          [](const TraceRow& a, const TraceRow& b) { return a.startUs > b.startUs; });
            }
            return out;
        },
        [this](TracesResult r) {
            if (!r.error.isEmpty()) {
                // What is on screen stays; say how old it is.
                m_status->setText(
                    m_loadedAt.isValid()
                        ? tr("Traces failed — showing data loaded at %1: %2")
                              .arg(m_loadedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")), r.error)
                        : tr("Traces failed: %1").arg(r.error));
                emit failed();
                return;
            }
            m_filling = true;
            m_service->clear();
            for (const auto& s : r.services)
                m_service->addItem(QString::fromStdString(s));
            m_service->setCurrentText(QString::fromStdString(r.service));
            m_filling = false;
            m_dependencies->setRowCount(0);
            m_dependencyView->setSortingEnabled(false);
            for (const auto& e : r.edges)
                m_dependencies->appendRow(QList<QStandardItem*>{item(QString::fromStdString(e.parent)),
                                                                item(QString::fromStdString(e.child)),
                                                                number(static_cast<double>(e.callCount))});
            m_dependencyView->setSortingEnabled(true);
            m_traceView->setSortingEnabled(false);
            m_traces->setRowCount(0);
            for (const auto& t : r.traces)
                m_traces->appendRow(QList<QStandardItem*>{
                    item(QDateTime::fromMSecsSinceEpoch(t.startUs / 1000, Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))),
                    item(QString::fromStdString(t.traceId)), item(QString::fromStdString(t.root)),
                    number(t.durationMs, 1), number(static_cast<double>(t.spans)),
                    number(static_cast<double>(t.errors))});
            m_traceView->setSortingEnabled(true);
            m_loadedAt = QDateTime::currentDateTimeUtc();
            m_status->setText(tr("%1 dependencies; %2 traces of %3")
                                  .arg(r.edges.size())
                                  .arg(r.traces.size())
                                  .arg(QString::fromStdString(r.service)));
            m_loaded = true;
            emit loaded();
        });
}

} // namespace cairn::ui
