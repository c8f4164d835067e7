#include "taskrunner.h"

#include <QMetaObject>
#include <QPointer>
#include <QRunnable>
#include <QThread>

#include <atomic>
#include <chrono>
#include <exception>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace cairn::ui {

namespace {
// Background work yields to the UI thread: pool threads run at a lower scheduling priority (Linux nice +5,
// per thread). Elsewhere QThread priorities are used.
void lowerWorkerPriority() {
    thread_local bool lowered = false;
    if (lowered)
        return;
    lowered = true;
#ifdef __linux__
    const auto tid = static_cast<id_t>(syscall(SYS_gettid));
    const int current = getpriority(PRIO_PROCESS, tid);
    setpriority(PRIO_PROCESS, tid, std::min(19, current + 5));
#else
    QThread::currentThread()->setPriority(QThread::LowPriority);
#endif
}
} // namespace

TaskRunner::TaskRunner(QObject* parent, int maxThreads)
    : QObject(parent)
    , m_alive(std::make_shared<std::atomic<bool>>(true)) {
    if (maxThreads > 0)
        m_pool.setMaxThreadCount(maxThreads);
}

TaskRunner::~TaskRunner() {
    m_alive->store(false);
    cancelAll();
    m_pool.waitForDone();
}

TaskRunner::JobId TaskRunner::submit(const QString& key, const QString& label,
                                     std::function<std::function<void()>(const TaskContext&)> work) {
    if (!key.isEmpty()) {
        if (auto it = m_latestByKey.find(key); it != m_latestByKey.end())
            cancel(it.value());
    }
    const JobId id = m_nextId++;
    Job job{id, key, label, CancelToken::create(), 0.0, {}};
    const bool wasIdle = m_jobs.isEmpty();
    m_jobs.insert(id, job);
    if (!key.isEmpty())
        m_latestByKey.insert(key, id);

    QPointer<TaskRunner> self(this);
    auto alive = m_alive;
    // Progress is throttled per job to ~20 reports a second so a chatty worker cannot flood the UI queue.
    auto lastReport = std::make_shared<std::atomic<std::int64_t>>(0);
    ProgressSink sink = [self, alive, id, lastReport](double fraction, std::string_view stage) {
        using namespace std::chrono;
        const auto now = duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
        if (now - lastReport->load() < 50 && fraction < 1.0)
            return;
        lastReport->store(now);
        if (!alive->load())
            return;
        QString text = QString::fromUtf8(stage.data(), static_cast<qsizetype>(stage.size()));
        QMetaObject::invokeMethod(
            self.data(),
            [self, id, fraction, text] {
                if (self)
                    self->reportFromWorker(id, fraction, text.toStdString());
            },
            Qt::QueuedConnection);
    };
    TaskContext ctx{job.cancel, sink};

    m_pool.start([self, alive, id, ctx, work = std::move(work)]() mutable {
        lowerWorkerPriority();
        std::function<void()> deliver;
        if (!ctx.cancel.isCancelled()) {
            try {
                deliver = work(ctx);
            } catch (const std::exception& e) {
                qWarning("cairn: background job %llu threw: %s", static_cast<unsigned long long>(id),
                         e.what());
            } catch (...) {
                qWarning("cairn: background job %llu threw", static_cast<unsigned long long>(id));
            }
        }
        if (!alive->load())
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, id, deliver = std::move(deliver)] {
                if (self)
                    self->finish(id, deliver);
            },
            Qt::QueuedConnection);
    });

    emit jobStarted(id, label);
    if (wasIdle)
        emit busyChanged(true);
    return id;
}

void TaskRunner::cancel(JobId id) {
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    it->cancel.cancel();
    // The job stays in m_jobs until its worker returns, but it no longer owns its key.
    if (!it->key.isEmpty() && m_latestByKey.value(it->key) == id)
        m_latestByKey.remove(it->key);
}

void TaskRunner::cancelKey(const QString& key) {
    if (auto it = m_latestByKey.find(key); it != m_latestByKey.end())
        cancel(it.value());
}

void TaskRunner::cancelAll() {
    const auto ids = m_jobs.keys();
    for (JobId id : ids)
        cancel(id);
}

QString TaskRunner::currentLabel() const {
    if (m_jobs.isEmpty())
        return {};
    JobId oldest = std::numeric_limits<JobId>::max();
    for (auto it = m_jobs.begin(); it != m_jobs.end(); ++it)
        oldest = std::min(oldest, it.key());
    const Job& j = m_jobs[oldest];
    return j.stage.isEmpty() ? j.label : j.label + QStringLiteral(": ") + j.stage;
}

double TaskRunner::currentProgress() const {
    if (m_jobs.isEmpty())
        return 0.0;
    double sum = 0.0;
    for (const auto& j : m_jobs)
        sum += j.progress;
    return sum / static_cast<double>(m_jobs.size());
}

void TaskRunner::waitForWorkers() {
    m_pool.waitForDone();
}

void TaskRunner::reportFromWorker(JobId id, double fraction, std::string_view stage) {
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    it->progress = std::clamp(fraction, 0.0, 1.0);
    it->stage = QString::fromUtf8(stage.data(), static_cast<qsizetype>(stage.size()));
    emit jobProgress(id, it->progress, it->stage);
}

void TaskRunner::finish(JobId id, const std::function<void()>& deliver) {
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    const Job job = *it;
    m_jobs.erase(it);
    const bool current = job.key.isEmpty() || m_latestByKey.value(job.key) == id;
    const bool deliverIt = deliver && current && !job.cancel.isCancelled();
    if (!job.key.isEmpty() && m_latestByKey.value(job.key) == id)
        m_latestByKey.remove(job.key);
    if (deliverIt)
        deliver();
    emit jobFinished(id, deliverIt);
    if (m_jobs.isEmpty())
        emit busyChanged(false);
}

} // namespace cairn::ui
