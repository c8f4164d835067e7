#include "metricspage.h"

#include <QAction>
#include <QLabel>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace cairn::ui {

namespace {
constexpr TimeMs kMinViewMs = 5 * kMinuteMs;
}

MetricsPage::MetricsPage(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("metricsPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 6);
    layout->setSpacing(4);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("pageTitle"));
    m_subtitle = new QLabel(this);
    m_subtitle->setObjectName(QStringLiteral("pageSubtitle"));
    layout->addWidget(m_title);
    layout->addWidget(m_subtitle);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("pageMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    layout->addWidget(m_message, 1);

    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_chartsHost = new QWidget(m_scroll);
    m_chartsLayout = new QVBoxLayout(m_chartsHost);
    m_chartsLayout->setContentsMargins(0, 0, 0, 0);
    m_chartsLayout->setSpacing(8);
    m_scroll->setWidget(m_chartsHost);
    layout->addWidget(m_scroll, 1);
    m_scroll->hide();

    setFocusPolicy(Qt::StrongFocus);
    auto addKey = [this](const QList<QKeySequence>& keys, void (MetricsPage::*slot)(), const QString& text) {
        auto* a = new QAction(text, this);
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
    };
    addKey({QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal), QKeySequence::ZoomIn},
           &MetricsPage::zoomIn, QStringLiteral("Zoom in"));
    addKey({QKeySequence(Qt::Key_Minus), QKeySequence::ZoomOut}, &MetricsPage::zoomOut,
           QStringLiteral("Zoom out"));
    addKey({QKeySequence(Qt::Key_Left)}, &MetricsPage::panLeft, QStringLiteral("Pan left"));
    addKey({QKeySequence(Qt::Key_Right)}, &MetricsPage::panRight, QStringLiteral("Pan right"));
    addKey({QKeySequence(Qt::Key_0), QKeySequence(Qt::Key_Home)}, &MetricsPage::resetZoom,
           QStringLiteral("Reset zoom"));

    setMessage(QStringLiteral("Select a service, pod or host in the navigator."));
}

void MetricsPage::setHeading(const QString& title, const QString& subtitle) {
    m_title->setText(title);
    m_subtitle->setText(subtitle);
}

void MetricsPage::setMessage(const QString& message) {
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
    m_scroll->setVisible(message.isEmpty() && !m_charts.empty());
}

void MetricsPage::clear() {
    for (auto* c : m_charts)
        c->deleteLater();
    m_charts.clear();
}

void MetricsPage::setCharts(std::vector<ChartData> charts, TimeRange range, bool keepView) {
    const bool keep = keepView && m_view.valid() && m_view.start >= range.start && m_view.end <= range.end &&
                      m_view != m_range;
    // Reuse chart widgets when the panel count is unchanged (live refresh) to avoid flicker.
    if (m_charts.size() != charts.size()) {
        clear();
        for (std::size_t i = 0; i < charts.size(); ++i) {
            auto* chart = new MetricChart(m_chartsHost);
            chart->setMinimumHeight(charts.size() > 3 ? 210 : 240);
            connect(chart, &MetricChart::viewRangeRequested, this, &MetricsPage::setViewRange);
            connect(chart, &MetricChart::resetRequested, this, &MetricsPage::resetZoom);
            connect(chart, &MetricChart::plotAreaChanged, this, &MetricsPage::scheduleAlign);
            m_chartsLayout->addWidget(chart);
            m_charts.push_back(chart);
        }
    }
    m_range = range;
    if (!keep)
        m_view = range;
    for (std::size_t i = 0; i < charts.size(); ++i) {
        m_charts[i]->setViewRange(m_view);
        m_charts[i]->setData(std::move(charts[i]));
    }
    setMessage(m_charts.empty() ? QStringLiteral("No metrics for this selection.") : QString());
    emit viewRangeChanged(m_view);
}

void MetricsPage::setViewRange(TimeRange view) {
    if (!view.valid() || !m_range.valid())
        return;
    // Clamp to the selected range, keeping the duration where possible.
    TimeMs duration =
        std::clamp(view.duration(), std::min(kMinViewMs, m_range.duration()), m_range.duration());
    TimeMs start = std::clamp(view.start, m_range.start, m_range.end - duration);
    const TimeRange clamped{start, start + duration};
    if (clamped == m_view)
        return;
    m_view = clamped;
    for (auto* c : m_charts)
        c->setViewRange(m_view);
    emit viewRangeChanged(m_view);
}

void MetricsPage::scheduleAlign() {
    if (m_alignPending)
        return;
    m_alignPending = true;
    QTimer::singleShot(0, this, &MetricsPage::alignPlots);
}

void MetricsPage::alignPlots() {
    // Stacked charts share one time axis, so their plot areas start at the same x.
    m_alignPending = false;
    qreal target = 0;
    for (auto* c : m_charts)
        target = std::max(target, c->naturalPlotLeft());
    for (auto* c : m_charts)
        c->setExtraLeftMargin(static_cast<int>(std::lround(target - c->naturalPlotLeft())));
}

void MetricsPage::zoomBy(double factor) {
    if (!m_view.valid())
        return;
    const TimeMs mid = m_view.start + m_view.duration() / 2;
    const auto half = static_cast<TimeMs>(static_cast<double>(m_view.duration()) * factor / 2.0);
    setViewRange({mid - half, mid + half});
}

void MetricsPage::panBy(double fraction) {
    if (!m_view.valid())
        return;
    const auto shift = static_cast<TimeMs>(static_cast<double>(m_view.duration()) * fraction);
    setViewRange({m_view.start + shift, m_view.end + shift});
}

void MetricsPage::zoomIn() {
    zoomBy(0.5);
}
void MetricsPage::zoomOut() {
    zoomBy(2.0);
}
void MetricsPage::panLeft() {
    panBy(-0.2);
}
void MetricsPage::panRight() {
    panBy(0.2);
}
void MetricsPage::resetZoom() {
    setViewRange(m_range);
}

} // namespace cairn::ui
