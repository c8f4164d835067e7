// Tests for cairn/logs: record formats, masking, template mining, persistence, pattern analytics and
// bad input (invalid UTF-8, 1 MB lines, empty lines, binary garbage, formats that match nothing).
#include "cairn/detect/robust.h"
#include "cairn/logs/loganalyzer.h"
#include "cairn/logs/logformat.h"
#include "cairn/logs/loghub.h"
#include "cairn/logs/masker.h"
#include "cairn/logs/patternstore.h"
#include "cairn/logs/templateminer.h"
#include "cairn/storage/workspace.h"

#include <QtTest>

#include <random>

using namespace cairn;
using namespace cairn::logs;

namespace {

std::string maskedText(std::string_view message) {
    Tokens t;
    tokenize(message, t);
    std::string out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (i)
            out += ' ';
        out += t.masked[i];
    }
    return out;
}

} // namespace

class TestLogs : public QObject {
    Q_OBJECT
private slots:
    void formatSplitsHeaderAndMessage() {
        auto f = LogFormat::compile("<Date> <Time> <Level> <Component>: <Content>");
        QVERIFY(f.has_value());
        ParsedLine p;
        f->match("2024-01-02 10:00:01 INFO api.server: started on port 8080", p);
        QVERIFY(p.matched);
        QCOMPARE(p.values[f->fieldIndex("Level")], std::string_view("INFO"));
        QCOMPARE(p.values[f->fieldIndex("Component")], std::string_view("api.server"));
        QCOMPARE(p.message, std::string_view("started on port 8080"));
    }

    void formatHandlesEscapesAndOptionalGroups() {
        auto f = LogFormat::compile("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>");
        QVERIFY(f.has_value());
        ParsedLine p;
        f->match("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown", p);
        QVERIFY(p.matched);
        QCOMPARE(p.values[f->fieldIndex("PID")], std::string_view("19939"));
        QCOMPARE(p.message, std::string_view("check pass; user unknown"));
        f->match("Jun 14 15:16:01 combo kernel: no pid here", p);
        QVERIFY(p.matched);
        QCOMPARE(p.values[f->fieldIndex("PID")], std::string_view());
        QCOMPARE(p.values[f->fieldIndex("Component")], std::string_view("kernel"));
    }

    void formatFieldsMaySpanSpacesInsideBrackets() {
        auto f = LogFormat::compile("\\[<Time>\\] \\[<Level>\\] <Content>");
        QVERIFY(f.has_value());
        ParsedLine p;
        f->match("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok", p);
        QVERIFY(p.matched);
        QCOMPARE(p.values[0], std::string_view("Sun Dec 04 04:47:44 2005"));
        QCOMPARE(p.message, std::string_view("workerEnv.init() ok"));
    }

    void formatRejectsUnsupportedRegex_data() {
        QTest::addColumn<QString>("format");
        QTest::addRow("star") << "<Date>* <Content>";
        QTest::addRow("class") << "[<Level>] <Content>";
        QTest::addRow("unbalanced") << "(<Level> <Content>";
        QTest::addRow("duplicate field") << "<A> <A>";
        QTest::addRow("letter escape") << "<A>\\d<Content>";
        QTest::addRow("trailing backslash") << "<Content>\\";
    }
    void formatRejectsUnsupportedRegex() {
        QFETCH(QString, format);
        auto f = LogFormat::compile(format.toStdString());
        QVERIFY(!f.has_value());
        QVERIFY(f.error().code == ErrorCode::InvalidArgument);
        QVERIFY(!f.error().message.empty());
    }

    void unmatchedLineKeepsWholeLineAsMessage() {
        auto f = LogFormat::compile("<Date> <Time> <Level> \\[<Thread>\\] <Content>");
        QVERIFY(f.has_value());
        ParsedLine p;
        f->match("this line has no header", p);
        QVERIFY(!p.matched);
        QCOMPARE(p.message, std::string_view("this line has no header"));
        for (auto v : p.values)
            QVERIFY(v.empty());
    }

    void emptyFormatTakesWholeLine() {
        auto f = LogFormat::compile("");
        QVERIFY(f.has_value());
        ParsedLine p;
        f->match("anything at all", p);
        QVERIFY(p.matched);
        QCOMPARE(p.message, std::string_view("anything at all"));
    }

    void masksGenericVariables_data() {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("masked");
        QTest::addRow("numbers") << "took 125 ms"
                                 << "took <*> <*>";
        QTest::addRow("ip and port") << "connect to 10.0.0.1:8080 failed"
                                     << "connect to <*> failed";
        QTest::addRow("uuid") << "req 123e4567-e89b-12d3-a456-426614174000 done"
                              << "req <*> done";
        QTest::addRow("hex") << "addr 0x7fff5fbff8a8 deadbeefcafe"
                             << "addr <*> <*>";
        QTest::addRow("path") << "open /var/log/app.log"
                              << "open <*>";
        QTest::addRow("url") << "GET https://example.com/a?b=1"
                             << "GET <*>";
        QTest::addRow("key value keeps key") << "(uid=0) user=root"
                                             << "(uid=<*>) user=root";
        QTest::addRow("size unit") << "size 384.0 B, free 3.2 KB)"
                                   << "size <*> <*>, free <*> <*>)";
        QTest::addRow("host name") << "rhost=host.example.org"
                                   << "rhost=<*>";
        QTest::addRow("timestamp words") << "at Fri Jun 17 20:55:07 2005"
                                         << "at <*> <*> <*> <*> <*>";
        QTest::addRow("plain words stay") << "session opened for user"
                                          << "session opened for user";
        QTest::addRow("empty brackets") << "from x () at"
                                        << "from x (<*>) at";
    }
    void masksGenericVariables() {
        QFETCH(QString, message);
        QFETCH(QString, masked);
        QCOMPARE(QString::fromStdString(maskedText(message.toStdString())), masked);
    }

    void minerGroupsLinesThatDifferOnlyInVariables() {
        TemplateMiner m;
        const auto a = m.add("Connection from 10.0.0.1 port 4431 closed");
        const auto b = m.add("Connection from 10.0.0.7 port 5012 closed");
        QVERIFY(a.created);
        QVERIFY(!b.created);
        QCOMPARE(a.id, b.id);
        QCOMPARE(QString::fromStdString(m.find(a.id)->text()),
                 QString("Connection from <*> port <*> closed"));
    }

    void minerSeparatesLinesThatDifferInWords() {
        TemplateMiner m;
        const auto a = m.add("Block 12 stored as bytes in memory");
        const auto b = m.add("Block 13 stored as values in memory");
        QVERIFY(a.id != b.id);
    }

    void minerLearnsWordVariableFromSiblings() {
        TemplateMiner m;
        std::vector<TemplateId> ids;
        for (const char* user : {"cyrus", "news", "test", "alice", "bob"})
            ids.push_back(m.resolve(m.add(std::string("session closed for user ") + user).id));
        for (auto& id : ids)
            id = m.resolve(id);
        QCOMPARE(ids.front(), TemplateId(1));
        for (auto id : ids)
            QCOMPARE(id, ids.front());
        QCOMPARE(QString::fromStdString(m.find(1)->text()), QString("session closed for user <*>"));
        QCOMPARE(m.size(), std::size_t(1));
        // A new user now matches the learned template without creating one.
        QCOMPARE(m.add("session closed for user zed").created, false);
    }

    void minerDoesNotGeneraliseShortMessages() {
        TemplateMiner m;
        for (const char* w : {"normal", "warning", "running", "blocked", "critical"})
            m.add(w);
        QCOMPARE(m.size(), std::size_t(5));
    }

    void memoryDoesNotGrowWithLines() {
        TemplateMiner m;
        std::mt19937 rng(11);
        auto feed = [&](int n) {
            for (int i = 0; i < n; ++i)
                m.add("request " + std::to_string(rng()) + " from 10.0." + std::to_string(rng() % 256) +
                      ".1 took " + std::to_string(rng() % 1000) + " ms status " + (i % 2 ? "ok" : "failed"));
        };
        feed(10000);
        const std::size_t after10k = m.memoryBytes();
        feed(100000);
        QCOMPARE(m.size(), std::size_t(2));
        QCOMPARE(m.memoryBytes(), after10k);
    }

    void templateIdsSurviveSerialisation() {
        TemplateMiner m;
        m.add("job 1 started");
        m.add("job 2 finished in 3 s");
        for (const char* u : {"a", "b", "c", "d"})
            m.add(std::string("login ok for user ") + u + " from web");
        auto restored = TemplateMiner::fromJson(m.toJson());
        QVERIFY2(restored.has_value(), restored ? "" : restored.error().what().c_str());
        QCOMPARE(restored->size(), m.size());
        QCOMPARE(*restored->match("job 77 started"), TemplateId(1));
        QCOMPARE(*restored->match("job 5 finished in 9 s"), TemplateId(2));
        QCOMPARE(restored->resolve(4), m.resolve(4));
        QCOMPARE(*restored->match("login ok for user zz from web"), m.resolve(3));
        QCOMPARE(restored->add("job 8 started").id, TemplateId(1));
    }

    void rejectsCorruptTemplateJson_data() {
        QTest::addColumn<QString>("json");
        QTest::addRow("not json") << "{nope";
        QTest::addRow("no version") << "{\"templates\":[]}";
        QTest::addRow("ids out of order") << "{\"version\":1,\"templates\":[{\"id\":2,\"tokens\":[\"a\"]}]}";
        QTest::addRow("newer") << "{\"version\":99,\"templates\":[]}";
        QTest::addRow("bad learned")
            << "{\"version\":1,\"templates\":[{\"id\":1,\"tokens\":[\"a\"],\"learned\":[5]}]}";
    }
    void rejectsCorruptTemplateJson() {
        QFETCH(QString, json);
        auto m = TemplateMiner::fromJson(json.toStdString());
        QVERIFY(!m.has_value());
        QVERIFY(!m.error().message.empty());
    }

    void templateSetPersistsInWorkspace() {
        const QString dir =
            QDir::tempPath() + "/cairn-tst-logs-" + QString::number(QCoreApplication::applicationPid());
        QDir().mkpath(dir);
        storage::OpenOptions o;
        o.path = (dir + "/ws.db").toStdString();
        TemplateId id = 0;
        {
            auto ws = storage::Workspace::open(o);
            QVERIFY2(ws.has_value(), ws ? "" : ws.error().what().c_str());
            TemplateMiner m;
            m.add("disk sda full");
            id = m.add("user 42 logged in").id;
            QVERIFY(saveTemplateSet(**ws, "default", m, 1000).has_value());
            auto none = loadTemplateSet(**ws, "other");
            QVERIFY(none.has_value());
            QVERIFY(!none->has_value());
        }
        auto ws = storage::Workspace::open(o);
        QVERIFY(ws.has_value());
        auto loaded = loadTemplateSet(**ws, "default");
        QVERIFY2(loaded.has_value(), loaded ? "" : loaded.error().what().c_str());
        QVERIFY(loaded->has_value());
        QCOMPARE(*(*loaded)->match("user 7 logged in"), id);
        QDir(dir).removeRecursively();
    }

    void badInputIsKeptAndGrouped() {
        // Invalid UTF-8, binary garbage, empty lines and a 1 MB line: each gets a template, none lost.
        TemplateMiner m;
        std::string garbage;
        std::mt19937 rng(7);
        for (int i = 0; i < 4096; ++i)
            garbage += char(rng() & 0xff);
        const std::string invalidUtf8 = "bad \xff\xfe\xc3 bytes";
        const std::string huge(1 << 20, 'x');
        std::string hugeWords;
        for (int i = 0; i < (1 << 20) / 8; ++i)
            hugeWords += "word" + std::to_string(i % 1000) + " ";
        std::vector<std::string> lines = {"", invalidUtf8, garbage, huge, hugeWords, "", "   \t "};
        std::vector<TemplateId> ids;
        for (const auto& l : lines)
            ids.push_back(m.add(l).id);
        for (auto id : ids)
            QVERIFY(id != 0);
        QCOMPARE(m.resolve(ids[0]), m.resolve(ids[5])); // empty lines share one template
        QCOMPARE(m.find(ids[1])->tokens.size(), std::size_t(3));
        auto json = m.toJson(); // serialisable even with invalid UTF-8 inside
        QVERIFY(TemplateMiner::fromJson(json).has_value());
    }

    void formatMatchOnHugeAndGarbageLinesIsDefined() {
        auto f = LogFormat::compile("<A> <B> <C> <D> <E> <F> <G> <H>: <Content>");
        QVERIFY(f.has_value());
        ParsedLine p;
        std::string manySpaces;
        for (int i = 0; i < 200000; ++i)
            manySpaces += "a ";
        QElapsedTimer timer;
        timer.start();
        f->match(manySpaces, p); // no ':' anywhere: cannot match, must give up quickly
        QVERIFY(!p.matched);
        QCOMPARE(p.message.size(), manySpaces.size());
        const std::string bigMessage = "1 2 3 4 5 6 7 8: " + std::string(1 << 20, 'y');
        f->match(bigMessage, p);
        QVERIFY(p.matched);
        QCOMPARE(p.message.size(), std::size_t(1 << 20));
        QVERIFY(timer.elapsed() <
                20000); // bounded work (a step budget), generous for sanitizer and valgrind runs
    }

    void groupingAccuracyFollowsLogpai() {
        // Groups {0,1} and {2} vs truth {0,1,2}: nothing is correct. {3} alone matches truth B.
        const std::vector<std::uint64_t> pred = {1, 1, 2, 3};
        const std::vector<std::string> truth = {"A", "A", "A", "B"};
        QCOMPARE(groupingAccuracy(pred, truth), 0.25);
        QCOMPARE(groupingAccuracy({1, 1, 2}, {"A", "A", "B"}), 1.0);
        QCOMPARE(groupingAccuracy({1, 1}, {"A", "B"}), 0.0);
        QCOMPARE(groupingAccuracy({}, {}), 0.0);
    }

    void csvRecordsHonourQuotes() {
        const auto f = splitCsvRecord("1,\"a, \"\"b\"\"\",c");
        QCOMPARE(f.size(), std::size_t(3));
        QCOMPARE(f[1], std::string("a, \"b\""));
    }

    void analyzerCountsPerBucketAndLevel() {
        LogAnalyzer a(kMinuteMs);
        for (int i = 0; i < 10; ++i)
            a.add("request " + std::to_string(i) + " served in 5 ms", i * 10 * kSecondMs,
                  sources::LogLevel::Info);
        a.add("disk /dev/sda1 failed", 90 * kSecondMs, sources::LogLevel::Error);
        const auto ps = a.patterns();
        QCOMPARE(ps.size(), std::size_t(2));
        QCOMPARE(ps[0].count, std::uint64_t(10));
        QVERIFY(ps[0].level == sources::LogLevel::Info);
        QCOMPARE(ps[0].samples.size(), kSamplesPerPattern);
        const auto s = a.counts(ps[0].id, {0, 2 * kMinuteMs});
        QCOMPARE(s.size(), std::size_t(2));
        QCOMPARE(s.value[0], 6.0);
        QCOMPARE(s.value[1], 4.0);
        const auto errors = a.levelCounts(sources::LogLevel::Error, {0, 2 * kMinuteMs});
        QCOMPARE(errors.value[1], 1.0);
        QCOMPARE(ps[1].errors, std::uint64_t(1));
    }

    void analyzerFindsPatternsNewSinceDeploy() {
        LogAnalyzer a(kMinuteMs);
        for (int i = 0; i < 50; ++i)
            a.add("GET /api/items " + std::to_string(200) + " in " + std::to_string(i) + " ms",
                  i * kSecondMs);
        const TimeMs deploy = 60 * kSecondMs;
        a.add("NullPointerException in CheckoutService line 42", deploy + 5 * kSecondMs,
              sources::LogLevel::Error);
        a.add("GET /api/items 200 in 3 ms", deploy + 6 * kSecondMs);
        const auto fresh = a.newSince(deploy);
        QCOMPARE(fresh.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(fresh[0].text).startsWith("NullPointerException"));
    }

    void analyzerRanksChangedPatternsInWindow() {
        LogAnalyzer a(kMinuteMs);
        // An hour of steady traffic, then a 5-minute window where timeouts burst.
        for (TimeMs t = 0; t < 65 * kMinuteMs; t += 10 * kSecondMs)
            a.add("served request id=" + std::to_string(t) + " status 200", t);
        for (TimeMs t = 0; t < 60 * kMinuteMs; t += 10 * kMinuteMs)
            a.add("upstream timeout after 3000 ms", t);
        for (TimeMs t = 60 * kMinuteMs; t < 65 * kMinuteMs; t += 5 * kSecondMs)
            a.add("upstream timeout after 3000 ms", t);
        const auto c = a.changes({60 * kMinuteMs, 65 * kMinuteMs}, {0, 60 * kMinuteMs});
        QVERIFY(!c.empty());
        QVERIFY(QString::fromStdString(c[0].text).startsWith("upstream timeout"));
        QVERIFY(c[0].ratio > 5.0);
    }

    void analyzerReportsFrequencyAnomalies() {
        LogAnalyzer a(kMinuteMs);
        std::mt19937 rng(3);
        for (int m = 0; m < 120; ++m) {
            const int n = m == 100 ? 60 : 5 + int(rng() % 3);
            for (int i = 0; i < n; ++i)
                a.add("payment declined code " + std::to_string(i), m * kMinuteMs + i * 100);
        }
        const auto anomalies = a.frequencyAnomalies(
            {0, 120 * kMinuteMs}, [] { return std::make_unique<detect::RollingMadDetector>(); });
        QVERIFY(!anomalies.empty());
        QCOMPARE(anomalies[0].peak, 100 * kMinuteMs);
        QCOMPARE(anomalies[0].series.metric, std::string("log_pattern_count"));
        QVERIFY(!anomalies[0].explanation.empty());
    }

    void analyzerFoldsCountsWhenTemplatesMerge() {
        LogAnalyzer a(kMinuteMs);
        for (const char* u : {"ann", "ben", "cat", "dan"})
            a.add(std::string("password changed for account ") + u + " by admin", 0);
        const auto ps = a.patterns();
        QCOMPARE(ps.size(), std::size_t(1));
        QCOMPARE(ps[0].count, std::uint64_t(4));
        QCOMPARE(ps[0].samples.size(), std::size_t(4));
    }
};

QTEST_GUILESS_MAIN(TestLogs)
#include "tst_logs.moc"
