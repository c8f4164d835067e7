// SourceMonitor: live mode's watchdog. Each configured source is checked on its own poll interval off the UI
// thread (through the TaskRunner); a cycle is skipped while the previous check is still in flight. Each
// source has a health state: Ok, Degraded (one failure), Down (two or more in a row) — views keep their last
// data and say since when; the source recovers by itself at the next successful check.
// SourceHealthModel shows one row per source with a coloured dot, version, latency or the error.
// Thread-safety: UI thread only.
#pragma once

#include "cairn/sources/sourceconfig.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>
#include <vector>

namespace cairn::ui {

class TaskRunner;

enum class SourceStatus { Unknown, Ok, Degraded, Down };

struct SourceHealthEntry {
    sources::SourceConfig config;
    SourceStatus status = SourceStatus::Unknown;
    QString version;
    qint64 latencyMs = 0;
    QString error;       // last failure, one sentence
    QDateTime lastOk;    // when the source last answered
    QDateTime downSince; // first failure of the current run of failures
    int consecutiveFailures = 0;
    int skippedCycles = 0; // ticks skipped because a check was still running
    bool inFlight = false;
};

// One sentence for the status bar / tooltip: "prod: ok, 2.42.0, 12 ms" or "prod: down since 22:50 — <error>;
// showing data from 22:49".
QString describe(const SourceHealthEntry& entry);

class SourceMonitor : public QObject {
    Q_OBJECT
public:
    SourceMonitor(TaskRunner* runner, sources::SecretResolver resolver, QObject* parent = nullptr);
    ~SourceMonitor() override;

    void setSources(const std::vector<sources::SourceConfig>& sources);
    void start();
    void stop();
    // Checks one source now (the Test button; the poll timer for it keeps its rhythm).
    void checkNow(const QString& name);

    const std::vector<SourceHealthEntry>& entries() const { return m_entries; }
    const SourceHealthEntry* entry(const QString& name) const;
    // For tests: replaces checkSource (runs on a worker thread).
    using CheckFn = std::function<sources::SourceHealth(const sources::SourceConfig&,
                                                        const sources::SecretResolver&, const CancelToken&)>;
    void setCheckFunction(CheckFn check);

signals:
    void healthChanged(const QString& name);
    void statusChanged(const QString& name, cairn::ui::SourceStatus status);
    // Every finished cycle of a source, after healthChanged: ok when it answered.
    void cycleFinished(const QString& name, bool ok);

private:
    void tick(std::size_t index);

    TaskRunner* m_runner;
    sources::SecretResolver m_resolver;
    CheckFn m_check;
    std::vector<SourceHealthEntry> m_entries;
    std::vector<std::unique_ptr<QTimer>> m_timers;
    bool m_running = false;
};

class SourceHealthModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { StatusRole = Qt::UserRole + 1, NameRole };
    explicit SourceHealthModel(SourceMonitor* monitor, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    SourceMonitor* m_monitor;
};

} // namespace cairn::ui
