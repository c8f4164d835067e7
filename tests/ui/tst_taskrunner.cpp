// Tests for ui/TaskRunner: queued delivery on the owner thread, superseded and cancelled results dropped,
// progress reported.
#include "ui/taskrunner.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace cairn;
using namespace cairn::ui;

namespace {

// Work that sets `started`, runs until its job is cancelled, then sets `sawCancel`.
auto untilCancelled(std::atomic<bool>& started, std::atomic<bool>& sawCancel) {
    return [&started, &sawCancel](const TaskContext& ctx) {
        started = true;
        while (!ctx.cancel.isCancelled())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        sawCancel = true;
        return 0;
    };
}

} // namespace

class TestTaskRunner : public QObject {
    Q_OBJECT
private slots:
    void deliversResultOnOwnerThread() {
        TaskRunner runner;
        QThread* workerThread = nullptr;
        QThread* deliveryThread = nullptr;
        int result = 0;
        runner.run(
            QStringLiteral("k"), QStringLiteral("answer"),
            [&workerThread](const TaskContext&) {
                workerThread = QThread::currentThread();
                return 42;
            },
            [&](int r) {
                deliveryThread = QThread::currentThread();
                result = r;
            });
        QTRY_COMPARE(result, 42);
        QCOMPARE(deliveryThread, QThread::currentThread());
        QVERIFY(workerThread != QThread::currentThread());
        QCOMPARE(runner.activeCount(), 0);
    }

    void dropsResultOfSupersededJob() {
        TaskRunner runner;
        QStringList delivered;
        QSignalSpy finished(&runner, &TaskRunner::jobFinished);
        std::atomic<bool> release{false};
        runner.run(
            QStringLiteral("chart"), QStringLiteral("slow"),
            [&release](const TaskContext&) {
                while (!release)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                return QStringLiteral("old");
            },
            [&](QString s) { delivered << s; });
        runner.run(
            QStringLiteral("chart"), QStringLiteral("fast"),
            [](const TaskContext&) { return QStringLiteral("new"); }, [&](QString s) { delivered << s; });
        QTRY_COMPARE(delivered, QStringList{QStringLiteral("new")});
        release = true;
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(delivered, QStringList{QStringLiteral("new")});
        // The superseded job reports delivered == false.
        int dropped = 0;
        for (const auto& args : finished)
            dropped += args.at(1).toBool() ? 0 : 1;
        QCOMPARE(dropped, 1);
    }

    void jobsWithDifferentKeysAreIndependent() {
        TaskRunner runner;
        int a = 0, b = 0;
        runner.run(
            QStringLiteral("a"), QStringLiteral("a"), [](const TaskContext&) { return 1; },
            [&](int v) { a = v; });
        runner.run(
            QStringLiteral("b"), QStringLiteral("b"), [](const TaskContext&) { return 2; },
            [&](int v) { b = v; });
        QTRY_COMPARE(a, 1);
        QTRY_COMPARE(b, 2);
    }

    void cancelStopsTheJobAndDropsItsResult() {
        TaskRunner runner;
        std::atomic<bool> sawCancel{false};
        std::atomic<bool> started{false};
        bool delivered = false;
        QSignalSpy finished(&runner, &TaskRunner::jobFinished);
        QSignalSpy busy(&runner, &TaskRunner::busyChanged);
        const auto id = runner.run(QStringLiteral("k"), QStringLiteral("loop"),
                                   untilCancelled(started, sawCancel), [&](int) { delivered = true; });
        QVERIFY(runner.isActive(id));
        QTRY_VERIFY(started.load());
        runner.cancel(id);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(sawCancel);
        QVERIFY(!delivered);
        QCOMPARE(finished.at(0).at(1).toBool(), false);
        QCOMPARE(busy.count(), 2); // true then false
        QCOMPARE(busy.at(1).at(0).toBool(), false);
    }

    void cancelKeyDropsOnlyThatKeysJob() {
        TaskRunner runner;
        bool keptDelivered = false, cancelledDelivered = false;
        std::atomic<bool> sawCancel{false}, started{false};
        const auto id =
            runner.run(QStringLiteral("old-source"), QStringLiteral("slow"),
                       untilCancelled(started, sawCancel), [&](int) { cancelledDelivered = true; });
        runner.run(
            QStringLiteral("other"), QStringLiteral("other"), [](const TaskContext&) { return 1; },
            [&](int) { keptDelivered = true; });
        QTRY_VERIFY(started.load());
        runner.cancelKey(QStringLiteral("old-source"));
        runner.cancelKey(QStringLiteral("no-such-key")); // nothing to cancel: no effect
        QTRY_VERIFY(!runner.isActive(id));
        QTRY_VERIFY(keptDelivered);
        QVERIFY(sawCancel);
        QVERIFY(!cancelledDelivered);
    }

    void reportsProgressToTheOwnerThread() {
        TaskRunner runner;
        QSignalSpy progress(&runner, &TaskRunner::jobProgress);
        bool done = false;
        runner.run(
            QStringLiteral("k"), QStringLiteral("steps"),
            [](const TaskContext& ctx) {
                reportProgress(ctx.progress, 0.0, "start");
                std::this_thread::sleep_for(std::chrono::milliseconds(60));
                reportProgress(ctx.progress, 0.5, "half");
                std::this_thread::sleep_for(std::chrono::milliseconds(60));
                reportProgress(ctx.progress, 1.0, "done");
                return true;
            },
            [&](bool) { done = true; });
        QTRY_VERIFY(done);
        QVERIFY(progress.count() >= 2);
        QCOMPARE(progress.last().at(1).toDouble(), 1.0);
        QCOMPARE(progress.last().at(2).toString(), QStringLiteral("done"));
    }

    void aThrowingJobIsReportedNotDelivered() {
        TaskRunner runner;
        QSignalSpy finished(&runner, &TaskRunner::jobFinished);
        bool delivered = false;
        runner.run(
            QStringLiteral("k"), QStringLiteral("throws"),
            [](const TaskContext&) -> int { throw std::runtime_error("boom"); },
            [&](int) { delivered = true; });
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(!delivered);
        QCOMPARE(runner.activeCount(), 0);
    }

    void destroyingTheRunnerCancelsRunningJobs() {
        std::atomic<bool> sawCancel{false};
        std::atomic<bool> started{false};
        {
            TaskRunner runner;
            runner.run(
                QStringLiteral("k"), QStringLiteral("loop"),
                [&sawCancel, &started](const TaskContext& ctx) {
                    started = true;
                    while (!ctx.cancel.isCancelled())
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                    sawCancel = true;
                    return 0;
                },
                [](int) {});
            QTRY_VERIFY(started.load());
        }
        QVERIFY(sawCancel);
    }
};

QTEST_MAIN(TestTaskRunner)
#include "tst_taskrunner.moc"
