#include "ui/sourcemonitor.h"

#include "ui/taskrunner.h"

#include <QColor>
#include <QIcon>
#include <QPainter>
#include <QPixmap>

namespace cairn::ui {

QString describe(const SourceHealthEntry& e) {
    const QString name = QString::fromStdString(e.config.name);
    switch (e.status) {
    case SourceStatus::Unknown:
        return name + QStringLiteral(": checking…");
    case SourceStatus::Ok:
        return name + QStringLiteral(": ok, ") +
               (e.version.isEmpty() ? QStringLiteral("version unknown") : e.version) +
               QStringLiteral(", %1 ms").arg(e.latencyMs);
    case SourceStatus::Degraded:
    case SourceStatus::Down: {
        QString s = name +
                    (e.status == SourceStatus::Down ? QStringLiteral(": down since ")
                                                    : QStringLiteral(": failing since ")) +
                    e.downSince.toLocalTime().toString(QStringLiteral("HH:mm:ss")) + QStringLiteral(" — ") +
                    e.error;
        s += e.lastOk.isValid() ? QStringLiteral("; showing data from ") +
                                      e.lastOk.toLocalTime().toString(QStringLiteral("HH:mm:ss"))
                                : QStringLiteral("; no data yet");
        return s;
    }
    }
    return name;
}

SourceMonitor::SourceMonitor(TaskRunner* runner, sources::SecretResolver resolver, QObject* parent)
    : QObject(parent)
    , m_runner(runner)
    , m_resolver(std::move(resolver))
    , m_check(sources::checkSource) {}

SourceMonitor::~SourceMonitor() = default;

void SourceMonitor::setCheckFunction(CheckFn check) {
    m_check = check ? std::move(check) : CheckFn(sources::checkSource);
}

void SourceMonitor::setSources(const std::vector<sources::SourceConfig>& configs) {
    const bool wasRunning = m_running;
    stop();
    // Keep the health of sources that are still configured the same way (no flicker after an edit elsewhere).
    std::vector<SourceHealthEntry> next;
    for (const auto& c : configs) {
        SourceHealthEntry e;
        e.config = c;
        for (const auto& old : m_entries)
            if (old.config == c) {
                e = old;
                e.inFlight = false;
            }
        next.push_back(std::move(e));
    }
    m_entries = std::move(next);
    for (const auto& e : m_entries)
        emit healthChanged(QString::fromStdString(e.config.name));
    if (wasRunning)
        start();
}

void SourceMonitor::start() {
    stop();
    m_running = true;
    m_timers.clear();
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        auto timer = std::make_unique<QTimer>();
        timer->setInterval(
            static_cast<int>(std::clamp<TimeMs>(m_entries[i].config.pollIntervalMs, 200, 24 * kHourMs)));
        connect(timer.get(), &QTimer::timeout, this, [this, i] { tick(i); });
        timer->start();
        m_timers.push_back(std::move(timer));
        tick(i); // first check right away
    }
}

void SourceMonitor::stop() {
    m_running = false;
    for (auto& t : m_timers)
        t->stop();
}

void SourceMonitor::checkNow(const QString& name) {
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        if (QString::fromStdString(m_entries[i].config.name) == name)
            tick(i);
}

const SourceHealthEntry* SourceMonitor::entry(const QString& name) const {
    for (const auto& e : m_entries)
        if (QString::fromStdString(e.config.name) == name)
            return &e;
    return nullptr;
}

void SourceMonitor::tick(std::size_t index) {
    if (index >= m_entries.size())
        return;
    auto& e = m_entries[index];
    if (e.inFlight) { // the previous check has not come back: skip this cycle rather than pile up
        ++e.skippedCycles;
        return;
    }
    e.inFlight = true;
    const auto config = e.config;
    const auto resolver = m_resolver;
    const auto check = m_check;
    const QString name = QString::fromStdString(config.name);
    m_runner->run(
        QStringLiteral("source-health:") + name, QStringLiteral("Checking ") + name,
        [config, resolver, check](const TaskContext& ctx) { return check(config, resolver, ctx.cancel); },
        [this, name, config](sources::SourceHealth h) {
            SourceHealthEntry* target = nullptr;
            for (auto& x : m_entries)
                if (x.config == config)
                    target = &x;
            if (!target)
                return; // reconfigured meanwhile
            target->inFlight = false;
            const SourceStatus before = target->status;
            const QDateTime now = QDateTime::currentDateTimeUtc();
            if (h.state == sources::SourceState::Ok) {
                target->status = SourceStatus::Ok;
                target->version = QString::fromStdString(h.version);
                target->latencyMs = h.latencyMs;
                target->error.clear();
                target->lastOk = now;
                target->downSince = {};
                target->consecutiveFailures = 0;
            } else {
                if (target->consecutiveFailures == 0)
                    target->downSince = now;
                ++target->consecutiveFailures;
                target->error = QString::fromStdString(h.error.what());
                target->status =
                    target->consecutiveFailures >= 2 ? SourceStatus::Down : SourceStatus::Degraded;
            }
            const bool ok = target->status == SourceStatus::Ok;
            emit healthChanged(name);
            if (before != target->status)
                emit statusChanged(name, target->status);
            emit cycleFinished(name, ok);
        });
}

SourceHealthModel::SourceHealthModel(SourceMonitor* monitor, QObject* parent)
    : QAbstractListModel(parent)
    , m_monitor(monitor) {
    connect(monitor, &SourceMonitor::healthChanged, this, [this](const QString& name) {
        const auto& entries = m_monitor->entries();
        if (rowCount() != static_cast<int>(entries.size())) {
            beginResetModel();
            endResetModel();
            return;
        }
        for (int r = 0; r < rowCount(); ++r)
            if (QString::fromStdString(entries[static_cast<std::size_t>(r)].config.name) == name)
                emit dataChanged(index(r), index(r));
    });
}

int SourceHealthModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_monitor->entries().size());
}

QVariant SourceHealthModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto& e = m_monitor->entries()[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return describe(e);
    case Qt::DecorationRole: {
        const QColor colour = e.status == SourceStatus::Ok         ? QColor(0x2e, 0xa0, 0x43)
                              : e.status == SourceStatus::Degraded ? QColor(0xd9, 0x8a, 0x00)
                              : e.status == SourceStatus::Down     ? QColor(0xc6, 0x28, 0x28)
                                                                   : QColor(0x90, 0x90, 0x90);
        QPixmap dot(12, 12);
        dot.fill(Qt::transparent);
        QPainter p(&dot);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(colour);
        p.setPen(Qt::NoPen);
        p.drawEllipse(1, 1, 10, 10);
        return QIcon(dot);
    }
    case StatusRole:
        return static_cast<int>(e.status);
    case NameRole:
        return QString::fromStdString(e.config.name);
    default:
        return {};
    }
}

} // namespace cairn::ui
