#include "forecastpage.h"
#include "lazyreload.h"

#include "capacitymodel.h"
#include "forecastchart.h"
#include "taskrunner.h"

#include "cairn/forecast/fleet.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace cairn::ui {

namespace {

// Adapts Backends (which serialises access to the metric source) to the MetricSource contract core expects.
class LockedSource : public sources::MetricSource {
public:
    explicit LockedSource(const Backends& b)
        : m_b(b) {}
    std::string name() const override { return m_b.metrics ? m_b.metrics->name() : std::string("none"); }
    Result<std::vector<ts::SeriesId>> listSeries(const ts::Selector& s, const CancelToken& c) override {
        return m_b.listSeries(s, c);
    }
    Result<std::vector<ts::Series>> query(const sources::MetricQuery& q, const CancelToken& c) override {
        return m_b.queryMetrics(q, c);
    }

private:
    const Backends& m_b;
};

} // namespace

ForecastPage::ForecastPage(Backends backends, TaskRunner* runner, QWidget* parent)
    : QWidget(parent)
    , m_backends(std::move(backends))
    , m_runner(runner) {
    m_lazy = new LazyReload(this, [this] { refresh(); });
    m_status = new QLabel(tr("Capacity and early warning: not loaded yet."), this);
    m_refresh = new QPushButton(tr("Refresh"), this);
    connect(m_refresh, &QPushButton::clicked, this, &ForecastPage::refresh);

    m_model = new CapacityTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("capacityTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(CapacityTableModel::Left, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    showRow(m_proxy->mapToSource(current).row());
            });

    m_warnings = new QListWidget(this);
    m_warnings->setObjectName(QStringLiteral("earlyWarnings"));
    connect(m_warnings, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { showRow(item->data(Qt::UserRole).toInt()); });

    m_chart = new ForecastChart(this);
    m_chartTitle = new QLabel(this);
    m_chartTitle->setObjectName(QStringLiteral("chartTitle"));
    connect(m_chart, &ForecastChart::titleChanged, m_chartTitle, [this](const QString& t) {
        m_chartTitle->setText(QStringLiteral("<b>%1</b>").arg(t.toHtmlEscaped()));
    });
    m_chartTitle->setText(QStringLiteral("<b>%1</b>").arg(m_chart->titleText().toHtmlEscaped()));

    auto* top = new QHBoxLayout();
    top->addWidget(m_status, 1);
    top->addWidget(m_refresh);
    auto* tables = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(tables);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("<b>What runs out first</b>"), left));
    leftLayout->addWidget(m_table);
    auto* right = new QWidget(tables);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(new QLabel(tr("<b>Early warnings</b> (running out within a day)"), right));
    rightLayout->addWidget(m_warnings);
    tables->addWidget(left);
    tables->addWidget(right);
    tables->setStretchFactor(0, 3);
    tables->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(tables);
    auto* chartBox = new QWidget(split);
    auto* chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(m_chartTitle);
    chartLayout->addWidget(m_chart, 1);
    split->addWidget(chartBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
}

void ForecastPage::setBackends(Backends backends) {
    m_backends = std::move(backends);
    if (m_runner)
        m_runner->cancelKey(QStringLiteral("forecast-page"));
    m_lazy->request();
}

void ForecastPage::refresh() {
    m_lazy->markFresh();
    if (!m_runner)
        return;
    m_status->setText(tr("Forecasting every bounded resource…"));
    const Backends backends = m_backends;
    const TimeMs lookback = m_lookback;
    m_runner->run(
        QStringLiteral("forecast-page"), tr("Capacity forecast"),
        [backends, lookback](const TaskContext& ctx) -> Result<ForecastPageData> {
            ForecastPageData d;
            const TimeMs clock = backends.clock ? backends.clock() : nowMs();
            const TimeMs end = clock / kMinuteMs * kMinuteMs + kMinuteMs;
            LockedSource source(backends);
            auto resources = forecast::collectResources(source, {end - lookback, end}, 5 * kMinuteMs, "pod",
                                                        forecast::defaultResourceMetrics(), ctx.cancel);
            if (!resources)
                return std::unexpected(resources.error());
            reportProgress(ctx.progress, 0.3, "time to exhaustion");
            forecast::ExhaustionOptions eo;
            eo.lookback = lookback;
            d.rows = forecast::fleetCapacity(*resources, eo);
            d.now = end;
            for (const auto& row : d.rows) {
                if (ctx.cancel.isCancelled())
                    return fail(ErrorCode::Cancelled, "The capacity forecast was cancelled.");
                const auto it = std::find_if(resources->begin(), resources->end(), [&](const auto& r) {
                    return r.owner == row.owner && r.resource == row.resource;
                });
                d.resources.push_back(*it);
                forecast::SeriesForecastOptions so;
                so.nonNegative = true;
                // Far enough to show the crossing when it is near; a quarter of a day otherwise.
                so.horizon = 6 * kHourMs;
                if (row.exhaustion.status == forecast::ExhaustionStatus::WillExhaust)
                    so.horizon = std::clamp<TimeMs>((row.exhaustion.at - row.exhaustion.now) * 5 / 4, kHourMs,
                                                    7 * kDayMs);
                d.forecasts.push_back(forecast::forecastSeries(it->used, so));
            }
            return d;
        },
        [this](Result<ForecastPageData> result) {
            if (!result) {
                const QString msg = QString::fromStdString(result.error().what());
                m_status->setText(tr("Capacity forecast failed: %1").arg(msg));
                emit failed(msg);
                return;
            }
            apply(std::move(*result));
        });
}

void ForecastPage::apply(ForecastPageData data) {
    m_data = std::move(data);
    m_model->setRows(m_data.rows);
    m_warnings->clear();
    int exhausting = 0, soon = 0;
    for (std::size_t i = 0; i < m_data.rows.size(); ++i) {
        const auto& r = m_data.rows[i];
        const auto& e = r.exhaustion;
        QString text;
        if (e.status == forecast::ExhaustionStatus::Exhausted) {
            text = tr("%1 %2 is full (%3% used)")
                       .arg(QString::fromStdString(r.owner), QString::fromStdString(r.resource))
                       .arg(100 * r.fractionUsed, 0, 'f', 0);
        } else if (e.status == forecast::ExhaustionStatus::WillExhaust) {
            ++exhausting;
            if (e.at - e.now > m_warnWithin)
                continue;
            text =
                tr("%1 %2 runs out in %3 (%4 – %5), at %6 UTC")
                    .arg(QString::fromStdString(r.owner), QString::fromStdString(r.resource),
                         CapacityTableModel::formatDuration(e.at - e.now),
                         CapacityTableModel::formatDuration(e.earliest - e.now),
                         e.latest ? CapacityTableModel::formatDuration(e.latest - e.now)
                                  : tr("beyond horizon"),
                         QDateTime::fromMSecsSinceEpoch(e.at, Qt::UTC).toString(QStringLiteral("ddd HH:mm")));
        } else {
            continue;
        }
        ++soon;
        auto* item = new QListWidgetItem(text, m_warnings);
        item->setData(Qt::UserRole, static_cast<int>(i));
        item->setToolTip(QString::fromStdString(e.message));
    }
    if (m_warnings->count() == 0)
        m_warnings->addItem(
            tr("No resource runs out within %1.").arg(CapacityTableModel::formatDuration(m_warnWithin)));
    m_status->setText(tr("%1 bounded resources, %2 expected to run out, %3 within %4 — as of %5 UTC")
                          .arg(m_data.rows.size())
                          .arg(exhausting)
                          .arg(soon)
                          .arg(CapacityTableModel::formatDuration(m_warnWithin))
                          .arg(QDateTime::fromMSecsSinceEpoch(m_data.now, Qt::UTC)
                                   .toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    m_loaded = true;
    m_shown = -1;
    if (!m_data.rows.empty())
        showRow(0);
    else
        m_chart->clear(tr("No bounded resources (disk, memory with a limit) in the metric source."));
    emit loaded();
}

void ForecastPage::showRow(int row) {
    if (row < 0 || row >= static_cast<int>(m_data.rows.size()))
        return;
    m_shown = row;
    const auto i = static_cast<std::size_t>(row);
    const auto& r = m_data.rows[i];
    ForecastChartData cd;
    cd.title =
        QStringLiteral("%1 — %2").arg(QString::fromStdString(r.owner), QString::fromStdString(r.resource));
    const double cap = r.exhaustion.capacity;
    const bool gib = cap >= 4.0 * 1073741824.0;
    cd.unit = gib ? QStringLiteral("GiB") : QStringLiteral("MiB");
    cd.scale = gib ? 1.0 / 1073741824.0 : 1.0 / 1048576.0;
    cd.forecast = m_data.forecasts[i];
    cd.threshold = cap;
    cd.exhaustion = r.exhaustion;
    m_chart->setData(std::move(cd));
}

} // namespace cairn::ui
