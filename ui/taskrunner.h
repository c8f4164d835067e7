// TaskRunner: the one way the UI runs core work off the UI thread.
// Each job has an id, a key, a label, a CancelToken and progress. The work runs on the runner's own
// QThreadPool; its result is delivered queued, on the thread that owns the runner (the UI thread), and only
// if the job is still the newest one for its key and was not cancelled — results of a superseded job are
// dropped. Submitting a job with a key cancels the previous job with that key.
// Thread-safety: call every method from the owner's thread; the work functions run on pool threads and must
// only touch what they capture by value. Destroying the runner cancels every job and waits for the workers.
#pragma once

#include "cairn/common/cancel.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <string_view>
#include <type_traits>

namespace cairn::ui {

// What a running job sees: its cancel token and a progress sink (thread-safe, throttled by the runner).
struct TaskContext {
    CancelToken cancel;
    ProgressSink progress;
};

class TaskRunner : public QObject {
    Q_OBJECT
public:
    using JobId = quint64;

    explicit TaskRunner(QObject* parent = nullptr, int maxThreads = 0);
    ~TaskRunner() override;

    // Runs work(ctx) on the pool, then done(result) on the owner thread unless superseded or cancelled.
    template <class Work, class Done>
    JobId run(const QString& key, const QString& label, Work work, Done done) {
        using R = std::invoke_result_t<Work&, const TaskContext&>;
        return submit(key, label,
                      [work = std::move(work),
                       done = std::move(done)](const TaskContext& ctx) mutable -> std::function<void()> {
                          auto result = std::make_shared<R>(work(ctx));
                          return [done = std::move(done), result]() mutable { done(std::move(*result)); };
                      });
    }

    // Type-erased form: work returns the closure to run on the owner thread (or an empty function).
    JobId submit(const QString& key, const QString& label,
                 std::function<std::function<void()>(const TaskContext&)> work);

    void cancel(JobId id);
    // Cancels the newest job submitted with this key (its result is dropped); nothing when none is active.
    void cancelKey(const QString& key);
    void cancelAll();

    int activeCount() const { return static_cast<int>(m_jobs.size()); }
    bool isActive(JobId id) const { return m_jobs.contains(id); }
    // Label and last progress of the oldest active job (for the status bar); empty when idle.
    QString currentLabel() const;
    double currentProgress() const;
    // Blocks until the pool is idle (tests and shutdown only; never from UI code paths).
    void waitForWorkers();

signals:
    void jobStarted(cairn::ui::TaskRunner::JobId id, const QString& label);
    void jobProgress(cairn::ui::TaskRunner::JobId id, double fraction, const QString& stage);
    // delivered: the result reached its done callback; false when superseded, cancelled or thrown away.
    void jobFinished(cairn::ui::TaskRunner::JobId id, bool delivered);
    void busyChanged(bool busy);

private:
    struct Job {
        JobId id = 0;
        QString key;
        QString label;
        CancelToken cancel;
        double progress = 0.0;
        QString stage;
    };
    void finish(JobId id, const std::function<void()>& deliver);
    void reportFromWorker(JobId id, double fraction, std::string_view stage);

    QThreadPool m_pool;
    JobId m_nextId = 1;
    QHash<JobId, Job> m_jobs;
    QHash<QString, JobId> m_latestByKey;
    // Shared with workers so a late progress report after destruction is ignored.
    std::shared_ptr<std::atomic<bool>> m_alive;
};

} // namespace cairn::ui
