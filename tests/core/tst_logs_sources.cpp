// Tests for the log sources the analytics read: text files and streams through a LogFormat, and the
// demo web shop, where a deploy's error burst must show as a new pattern that ranks first among the
// changed patterns in the incident window.
#include "cairn/demo/demoenvironment.h"
#include "cairn/demo/demosources.h"
#include "cairn/logs/loganalyzer.h"
#include "cairn/logs/textlogsource.h"

#include <QtTest>

#include <fstream>
#include <sstream>

using namespace cairn;
using namespace cairn::logs;

namespace {

constexpr TimeMs kStart = 1794302220000; // 2026-11-10T09:17:00Z

std::vector<sources::LogRecord> scanAll(sources::LogSource& s, sources::LogQuery q = {}) {
    q.limit = 0;
    std::vector<sources::LogRecord> out;
    auto n = s.scan(q,
                    [&](const sources::LogRecord& r) {
                        out.push_back(r);
                        return true;
                    },
                    {});
    if (!n)
        qWarning("%s", n.error().what().c_str());
    return out;
}

} // namespace

class TestLogsSources : public QObject {
    Q_OBJECT
private slots:
    void textSourceReadsFieldsTimeAndLevel() {
        std::istringstream in("2024-03-01 10:00:00,250 WARN [main] db.pool: pool 80% full\n"
                              "2024-03-01 10:00:01,000 ERROR [main] db.pool: connection refused\n");
        auto s = TextLogSource::fromStream(in, "test",
                                           "<Date> <Time> <Level> \\[<Thread>\\] <Component>: <Content>");
        QVERIFY(s.has_value());
        const auto recs = scanAll(**s);
        QCOMPARE(recs.size(), std::size_t(2));
        QCOMPARE(recs[0].time, TimeMs(1709287200250));
        QVERIFY(recs[0].level == sources::LogLevel::Warn);
        QCOMPARE(recs[0].service, std::string("db.pool"));
        QCOMPARE(recs[0].message, std::string("pool 80% full"));
        QCOMPARE(recs[1].fields.at("Thread"), std::string("main"));
        QCOMPARE(recs[1].fields.at("line"), std::string("2"));
    }

    void textSourceKeepsUnmatchedAndEmptyLines() {
        std::istringstream in("2024-03-01 10:00:00 INFO x: ok\n"
                              "\n"
                              "garbage \xff\xfe without header\n"
                              "2024-03-01 10:00:05 INFO x: ok again");
        auto s = TextLogSource::fromStream(in, "test", "<Date> <Time> <Level> <Component>: <Content>");
        QVERIFY(s.has_value());
        const auto recs = scanAll(**s);
        QCOMPARE(recs.size(), std::size_t(4)); // nothing dropped, last line without newline included
        QCOMPARE((*s)->unmatchedLines(), std::size_t(2));
        QCOMPARE(recs[1].message, std::string());
        QCOMPARE(recs[2].fields.at("unmatched"), std::string("1"));
        QCOMPARE(recs[2].message, std::string("garbage \xff\xfe without header"));
        QCOMPARE(recs[2].time, recs[0].time); // no time of its own: the time of the line before
        QCOMPARE(recs[3].time, recs[0].time + 5000);
    }

    void textSourceFileFiltersByRange() {
        const QString path = QDir::tempPath() + "/cairn-tst-logs-src-" +
                             QString::number(QCoreApplication::applicationPid()) + ".log";
        {
            std::ofstream f(path.toStdString());
            for (int i = 0; i < 10; ++i)
                f << "2024-03-01 10:00:0" << i << " INFO x: tick " << i << "\n";
        }
        auto s = TextLogSource::openFile(path.toStdString(), "<Date> <Time> <Level> <Component>: <Content>");
        QVERIFY(s.has_value());
        sources::LogQuery q;
        q.range = {1709287202000, 1709287205000};
        QCOMPARE(scanAll(**s, q).size(), std::size_t(3));
        QCOMPARE(scanAll(**s).size(), std::size_t(10)); // a file can be scanned again
        QFile::remove(path);
        QVERIFY(!TextLogSource::openFile(path.toStdString(), "<Content>").has_value());
    }

    void demoDeployErrorsShowAsNewPatternAndTopChange() {
        auto env = std::make_shared<demo::DemoEnvironment>(
            demo::DemoConfig{7, kStart, 14 * kDayMs, [] { return kStart + 14 * kDayMs; }});
        std::optional<demo::IncidentTruth> deploy;
        for (const auto& inc : env->incidents())
            if (inc.kind == demo::IncidentKind::DeployErrors) {
                deploy = inc;
                break;
            }
        if (!deploy)
            QSKIP("this demo seed injects no deploy incident");
        demo::DemoLogSource source(env);
        sources::LogQuery q;
        q.range = {deploy->start - 6 * kHourMs, deploy->end};
        LogAnalyzer a(kMinuteMs);
        for (const auto& r : scanAll(source, q))
            a.add(r);
        const auto fresh = a.newSince(deploy->start);
        bool errorPattern = false;
        for (const auto& p : fresh)
            errorPattern |= p.level == sources::LogLevel::Error && p.count >= 10;
        QVERIFY2(errorPattern, "no new error pattern after the deploy");
        const auto changes = a.changes(deploy->window(), {q.range.start, deploy->start}, 3);
        QVERIFY(!changes.empty());
        QVERIFY(changes[0].isNew);
        QVERIFY(a.pattern(changes[0].id)->level == sources::LogLevel::Error);
    }
};

QTEST_GUILESS_MAIN(TestLogsSources)
#include "tst_logs_sources.moc"
