// Crash safety of the workspace: a writer process (tests/crash/crash_writer.cpp) commits anomalies,
// feedback and hash-chained audit entries; this test SIGKILLs it at random moments, hundreds of
// times, and after every kill reopens the file: PRAGMA integrity_check is ok, every transaction the
// writer reported as committed is there whole (anomaly + feedback + audit entry), no deliberately
// rolled-back write is, and the audit chain verifies.
// CAIRN_CRASH_ITERATIONS and CAIRN_CRASH_SEED override the defaults (220 kills, fixed seed).
#include "../crash/crashschema.h"

#include "cairn/storage/workspace.h"

#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <random>
#include <set>
#include <thread>

using namespace cairn;
using namespace cairn::storage;

namespace {

Result<std::set<std::int64_t>> column(Connection& c, const std::string& sql) {
    auto st = c.prepare(sql);
    if (!st)
        return std::unexpected(st.error());
    std::set<std::int64_t> out;
    while (true) {
        auto row = st->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return out;
        out.insert(st->int64(0));
    }
}

} // namespace

class TestCrashSafety : public QObject {
    Q_OBJECT
private slots:
    void committedTransactionsSurviveSigkill() {
        const QString writer = QStringLiteral(CAIRN_BINARY_DIR "/bin/cairn_crash_writer");
        QVERIFY2(QFileInfo(writer).isExecutable(),
                 qPrintable(writer + " is missing (build cairn_crash_writer)"));
        const int iterations = qEnvironmentVariableIsSet("CAIRN_CRASH_ITERATIONS")
                                   ? qEnvironmentVariableIntValue("CAIRN_CRASH_ITERATIONS")
                                   : 220;
        const unsigned seed = qEnvironmentVariableIsSet("CAIRN_CRASH_SEED")
                                  ? static_cast<unsigned>(qEnvironmentVariableIntValue("CAIRN_CRASH_SEED"))
                                  : 20261124u;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(QStringLiteral("workspace.db"));
        std::mt19937 rng(seed);

        std::set<std::int64_t> committed;
        std::int64_t lastSeq = 0;
        int rolledBack = 0;
        int killedBeforeReady = 0;
        std::chrono::steady_clock::duration verifyTime{};
        for (int i = 0; i < iterations; ++i) {
            QProcess p;
            p.setProgram(writer);
            p.setArguments({db, QString::number(rng())});
            p.start();
            QVERIFY2(p.waitForStarted(5000), qPrintable(p.errorString()));
            // One kill in eight lands anywhere from process start (so during open and migrations);
            // the others land at a random moment after the workspace is open, mid-writing.
            QByteArray early;
            if (rng() % 8 != 0) {
                while (!early.contains('\n') && p.waitForReadyRead(10000))
                    early += p.readAllStandardOutput();
                QVERIFY2(early.startsWith("ready\n"),
                         qPrintable(QString("iteration %1: the writer did not open the workspace: %2")
                                        .arg(i)
                                        .arg(QString::fromUtf8(early + p.readAllStandardError()))));
            }
            std::this_thread::sleep_for(std::chrono::microseconds(rng() % 12000));
            const bool stillRunning = p.state() == QProcess::Running;
            p.kill(); // SIGKILL
            QVERIFY(p.waitForFinished(10000));
            const QByteArray out = early + p.readAllStandardOutput();
            QVERIFY2(stillRunning && p.exitStatus() == QProcess::CrashExit,
                     qPrintable(QString("iteration %1: the writer ended on its own (exit %2): %3")
                                    .arg(i)
                                    .arg(p.exitCode())
                                    .arg(QString::fromUtf8(p.readAllStandardError()))));
            if (!out.startsWith("ready\n"))
                ++killedBeforeReady;
            QList<QByteArray> lines = out.split('\n');
            lines.removeLast(); // the empty piece after the last '\n', or a line the kill cut short
            for (const QByteArray& line : lines) {
                const QList<QByteArray> f = line.split(' ');
                if (f.value(0) == "committed" && f.size() == 3) {
                    committed.insert(f[1].toLongLong());
                    lastSeq = std::max<std::int64_t>(lastSeq, f[2].toLongLong());
                } else if (f.value(0) == "rolledback") {
                    ++rolledBack;
                }
            }

            const auto verifyStart = std::chrono::steady_clock::now();
            // Reopen as the next Cairn start would (quick check, migrations), then the full integrity check.
            OpenOptions o;
            o.path = db.toStdString();
            o.migrations = {crashtest::schema()};
            auto ws = Workspace::open(o);
            QVERIFY2(ws,
                     qPrintable(QString("iteration %1: %2").arg(i).arg(ws ? "" : ws.error().what().c_str())));
            QVERIFY2((*ws)->checkIntegrity(), qPrintable(QString("iteration %1").arg(i)));
            auto anomalies = column(**ws, "SELECT id FROM crashtest_anomaly");
            auto feedback = column(**ws, "SELECT anomaly_id FROM crashtest_feedback");
            QVERIFY(anomalies && feedback);
            for (auto id : committed)
                QVERIFY2(anomalies->contains(id),
                         qPrintable(QString("iteration %1: committed anomaly %2 is missing").arg(i).arg(id)));
            // Atomicity: every anomaly has its feedback and its audit entry, no more, no less.
            QCOMPARE(*feedback, *anomalies);
            auto chain = crashtest::verifyAudit(**ws);
            QVERIFY2(chain,
                     qPrintable(
                         QString("iteration %1: %2").arg(i).arg(chain ? "" : chain.error().what().c_str())));
            QCOMPARE(*chain, static_cast<std::int64_t>(anomalies->size()));
            QVERIFY(*chain >= lastSeq);
            QCOMPARE(**(*ws)->queryOne<std::int64_t>(
                         "SELECT count(*) FROM crashtest_anomaly WHERE series LIKE 'rollback-%'"),
                     std::int64_t{0});
            // Closing checkpoints the WAL; the fsyncs it would make only matter for power loss, which
            // this test does not simulate, and they would dominate its run time.
            QVERIFY((*ws)->exec("PRAGMA synchronous=OFF"));
            ws->reset();
            verifyTime += std::chrono::steady_clock::now() - verifyStart;
        }
        qInfo(
            "%d SIGKILLs survived: %zu transactions reported committed and found whole, %d rolled back and "
            "absent, %d kills before the workspace was open; seed %u; %lld ms spent reopening and verifying",
            iterations, committed.size(), rolledBack, killedBeforeReady, seed,
            static_cast<long long>(
                std::chrono::duration_cast<std::chrono::milliseconds>(verifyTime).count()));
        QVERIFY(committed.size() > static_cast<std::size_t>(iterations)); // the kills did land mid-writing
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
