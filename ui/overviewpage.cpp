#include "overviewpage.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace cairn::ui {

namespace {
constexpr int kServiceRole = Qt::UserRole + 1;
constexpr int kPeakRole = Qt::UserRole + 2;
constexpr std::size_t kMaxAnomalyRows = 200;

void styleTable(QTableView* v) {
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setSelectionMode(QAbstractItemView::SingleSelection);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->verticalHeader()->hide();
    v->setShowGrid(false);
    v->setAlternatingRowColors(true);
    v->horizontalHeader()->setHighlightSections(false);
    v->setWordWrap(false);
}
} // namespace

OverviewPage::OverviewPage(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_health(new HealthModel(this))
    , m_healthView(new QTableView(this))
    , m_anomalies(new QStandardItemModel(this))
    , m_anomalyView(new QTableView(this)) {
    setObjectName(QStringLiteral("overviewPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 6);
    auto* title = new QLabel(QStringLiteral("Service health"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    m_summary->setObjectName(QStringLiteral("pageSubtitle"));
    layout->addWidget(title);
    layout->addWidget(m_summary);

    m_healthView->setObjectName(QStringLiteral("healthView"));
    m_healthView->setModel(m_health);
    styleTable(m_healthView);
    m_healthView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_healthView->horizontalHeader()->setSectionResizeMode(HealthModel::FindingCol, QHeaderView::Stretch);
    layout->addWidget(m_healthView, 3);

    auto* recent = new QLabel(QStringLiteral("Latest anomalies"), this);
    recent->setObjectName(QStringLiteral("sectionTitle"));
    layout->addWidget(recent);
    m_anomalyView->setObjectName(QStringLiteral("anomalyView"));
    m_anomalies->setHorizontalHeaderLabels({QStringLiteral("When"), QStringLiteral("Service"),
                                            QStringLiteral("Metric"), QStringLiteral("Score"),
                                            QStringLiteral("Finding")});
    m_anomalyView->setModel(m_anomalies);
    styleTable(m_anomalyView);
    m_anomalyView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_anomalyView->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_anomalyView, 2);

    connect(m_healthView, &QTableView::activated, this, [this](const QModelIndex& idx) {
        emit serviceActivated(idx.data(HealthModel::ServiceRole).toString());
    });
    connect(m_healthView, &QTableView::clicked, this, [this](const QModelIndex& idx) {
        emit serviceActivated(idx.data(HealthModel::ServiceRole).toString());
    });
    connect(m_anomalyView, &QTableView::activated, this, [this](const QModelIndex& idx) {
        const QModelIndex first = idx.siblingAtColumn(0);
        emit anomalyActivated(first.data(kServiceRole).toString(), first.data(kPeakRole).toLongLong());
    });
    setMessage(QStringLiteral("Loading service health…"));
}

void OverviewPage::setMessage(const QString& message) {
    m_summary->setText(message);
}

void OverviewPage::setHealth(std::vector<ServiceHealth> rows, TimeRange analysed) {
    int counts[4] = {0, 0, 0, 0};
    std::vector<std::pair<std::string, detect::Anomaly>> all;
    for (const auto& r : rows) {
        ++counts[static_cast<int>(r.status)];
        for (const auto& a : r.anomalies)
            all.emplace_back(r.service, a);
    }
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a.second.peak > b.second.peak; });
    if (all.size() > kMaxAnomalyRows)
        all.resize(kMaxAnomalyRows);

    m_anomalies->removeRows(0, m_anomalies->rowCount());
    for (const auto& [service, a] : all) {
        QList<QStandardItem*> row;
        auto* when =
            new QStandardItem(QDateTime::fromMSecsSinceEpoch(a.peak).toString(QStringLiteral("MMM d HH:mm")));
        when->setData(QString::fromStdString(service), kServiceRole);
        when->setData(QVariant::fromValue<qint64>(a.peak), kPeakRole);
        row << when << new QStandardItem(QString::fromStdString(service))
            << new QStandardItem(QString::fromStdString(a.series.metric))
            << new QStandardItem(QString::number(a.score, 'f', 2))
            << new QStandardItem(QString::fromStdString(a.explanation));
        row[3]->setForeground(statusColor(a.score >= 0.9 ? HealthStatus::Critical : HealthStatus::Warning));
        for (auto* item : row)
            item->setEditable(false);
        m_anomalies->appendRow(row);
    }
    m_health->setRows(std::move(rows));
    const TimeMs span = analysed.duration();
    const QString spanText = span >= 2 * kDayMs ? QStringLiteral("%1 days").arg(span / kDayMs)
                                                : QStringLiteral("%1 hours").arg(span / kHourMs);
    auto badge = [](HealthStatus s, int n, const QString& word) {
        return QStringLiteral("<span style='color:%1'>●</span>&nbsp;<b>%2</b>&nbsp;%3")
            .arg(statusColor(s).name())
            .arg(n)
            .arg(word);
    };
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setText(
        QStringLiteral(
            "%1 services &nbsp;&nbsp; %2 &nbsp;&nbsp; %3 &nbsp;&nbsp; %4 &nbsp;&nbsp;&nbsp;"
            "<span style='color:#6e7681'>— anomalies over the last %5, status from the last hour</span>")
            .arg(m_health->rowCount())
            .arg(badge(HealthStatus::Critical, counts[static_cast<int>(HealthStatus::Critical)],
                       QStringLiteral("critical")),
                 badge(HealthStatus::Warning, counts[static_cast<int>(HealthStatus::Warning)],
                       QStringLiteral("degraded")),
                 badge(HealthStatus::Ok, counts[static_cast<int>(HealthStatus::Ok)],
                       QStringLiteral("healthy")),
                 spanText));
}

} // namespace cairn::ui
