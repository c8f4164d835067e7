// Tests for the plugin host and plugin isolation: metadata is validated before any plugin code runs, each
// plugin keeps a state and an error, and a plugin that crashes, aborts, throws or hangs during an action (or
// while loading) only ends cairn-plugin-runner: this process carries on and the lifecycle records a failure.
#include "api/pluginexecutor.h"
#include "api/pluginhost.h"
#include "api/shellquote.h"

#include "cairn/remediation/lifecycle.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace cairn;
using namespace cairn::plugins;
using namespace cairn::remediation;

namespace {

const QString kRunner = QStringLiteral(CAIRN_BINARY_DIR "/bin/cairn-plugin-runner");
const QString kTestPlugins = QStringLiteral(CAIRN_BINARY_DIR "/test-plugins");

Action chaos(const char* kind) {
    Action a;
    a.id = std::string("chaos-") + kind;
    a.kind = kind;
    a.targets.push_back(Target{"somewhere", "svc", "test"});
    return a;
}

const PluginSpec* byId(const PluginHost& host, const QString& id) {
    for (const auto& s : host.plugins())
        if (s.id == id)
            return &s;
    return nullptr;
}

} // namespace

class TestPluginHost : public QObject {
    Q_OBJECT
private slots:
    void validatesMetadataBeforeLoading() {
        QTemporaryDir extra;
        QFile junk(extra.filePath(QStringLiteral("libnotaplugin.so")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("this is not an ELF file");
        junk.close();
        PluginHost host;
        host.discover({kTestPlugins, extra.path()});
        const PluginSpec* chaosSpec = byId(host, QStringLiteral("test-chaos"));
        QVERIFY(chaosSpec);
        QCOMPARE(int(chaosSpec->state), int(PluginState::Found));
        QCOMPARE(chaosSpec->version, QStringLiteral("1.0.0"));
        QVERIFY(chaosSpec->actionKinds.contains(QStringLiteral("test.crash")));
        const PluginSpec* tooNew = byId(host, QStringLiteral("test-too-new"));
        QVERIFY(tooNew);
        QCOMPARE(int(tooNew->state), int(PluginState::Invalid));
        QVERIFY2(tooNew->error.contains(QStringLiteral("needs plugin API 9.0.0")), qPrintable(tooNew->error));
        bool sawJunk = false;
        for (const auto& s : host.plugins())
            if (s.path.endsWith(QStringLiteral("libnotaplugin.so"))) {
                sawJunk = true;
                QCOMPARE(int(s.state), int(PluginState::Invalid));
                QVERIFY(!s.error.isEmpty());
            }
        QVERIFY(sawJunk);
        QVERIFY(!host.specForKind(QStringLiteral("test.never"))); // invalid plugins never serve actions
        // The too-new plugin aborts if any of its code runs: probing must skip it, so we are still here.
        host.probeAll(kRunner);
        QCOMPARE(int(byId(host, QStringLiteral("test-chaos"))->state), int(PluginState::Initialized));
        QCOMPARE(int(byId(host, QStringLiteral("test-too-new"))->state), int(PluginState::Invalid));
    }
    // The validation PluginHost::discover applies, as the pure function it calls (and the fuzz target uses).
    void metadataValidationNamesTheFault_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error"); // empty: valid
        const QByteArray iid = CairnRemediationPlugin_iid;
        const auto wrap = [&](const QByteArray& md) {
            return "{\"IID\":\"" + iid + "\",\"MetaData\":" + md + "}";
        };
        QTest::addRow("valid")
            << wrap(R"({"id":"ssh","version":"0.1.0","compatVersion":"1.0","actionKinds":["a.b"]})")
            << QString();
        QTest::addRow("not json") << QByteArray("{\"IID\":") << QStringLiteral("not valid JSON");
        QTest::addRow("not an object") << QByteArray("[1,2]") << QStringLiteral("not a JSON object");
        QTest::addRow("other interface") << QByteArray(R"({"IID":"org.example.X","MetaData":{}})")
                                         << QStringLiteral("implements org.example.X");
        QTest::addRow("bad id")
            << wrap(R"({"id":"Bad Id","version":"1","compatVersion":"1","actionKinds":["a"]})")
            << QStringLiteral("\"id\"");
        QTest::addRow("version part too long")
            << wrap(R"({"id":"ok","version":"1.99999999999","compatVersion":"1","actionKinds":["a"]})")
            << QStringLiteral("\"version\"");
        QTest::addRow("too new")
            << wrap(R"({"id":"ok","version":"1","compatVersion":"2.0","actionKinds":["a"]})")
            << QStringLiteral("needs plugin API 2.0");
        QTest::addRow("kind not a string")
            << wrap(R"({"id":"ok","version":"1","compatVersion":"1","actionKinds":["a",7]})")
            << QStringLiteral("\"actionKinds\"");
        QTest::addRow("no kinds") << wrap(R"({"id":"ok","version":"1","compatVersion":"1","actionKinds":[]})")
                                  << QStringLiteral("no action kinds");
    }
    void metadataValidationNamesTheFault() {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const PluginSpec spec = cairn::plugins::specFromMetadataJson(json, QStringLiteral("/x/libp.so"));
        QCOMPARE(spec.path, QStringLiteral("/x/libp.so"));
        if (error.isEmpty()) {
            QCOMPARE(int(spec.state), int(PluginState::Found));
            QVERIFY(spec.error.isEmpty());
        } else {
            QCOMPARE(int(spec.state), int(PluginState::Invalid));
            QVERIFY2(spec.error.contains(error), qPrintable(spec.error));
        }
    }

    void pluginCrashingWhileLoadingIsMarkedFailed() {
        qputenv("CAIRN_TEST_CRASH_ON_INIT", "1");
        PluginHost host;
        host.discover({kTestPlugins});
        host.probeAll(kRunner);
        qunsetenv("CAIRN_TEST_CRASH_ON_INIT");
        const PluginSpec* s = byId(host, QStringLiteral("test-chaos"));
        QCOMPARE(int(s->state), int(PluginState::Failed));
        QVERIFY2(s->error.contains(QStringLiteral("crashed")), qPrintable(s->error));
        QVERIFY(!host.specForKind(QStringLiteral("test.echo")));
    }
    void pluginRefusingInitialisationKeepsItsError() {
        qputenv("CAIRN_TEST_REFUSE_INIT", "1");
        PluginHost host;
        host.discover({kTestPlugins});
        host.probeAll(kRunner);
        qunsetenv("CAIRN_TEST_REFUSE_INIT");
        QCOMPARE(byId(host, QStringLiteral("test-chaos"))->error, QStringLiteral("refused on purpose"));
    }
    void misbehavingPluginNeverTakesCairnDown_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("messagePart");
        QTest::addRow("segfault") << "test.crash" << int(ErrorCode::Internal) << "crashed";
        QTest::addRow("abort") << "test.abort" << int(ErrorCode::Internal) << "crashed";
        QTest::addRow("hang past timeout") << "test.hang" << int(ErrorCode::Timeout) << "timeout";
    }
    void misbehavingPluginNeverTakesCairnDown() {
        QFETCH(QString, kind);
        QFETCH(int, code);
        QFETCH(QString, messagePart);
        PluginHost host;
        host.discover({kTestPlugins});
        PluginExecutor ex(host, kRunner, {}, 1500);
        QString streamed;
        QElapsedTimer t;
        t.start();
        auto r = ex.execute(chaos(qPrintable(kind)), {},
                            [&](std::string_view c) { streamed += QString::fromUtf8(c.data(), c.size()); });
        QVERIFY(!r.has_value());
        QCOMPARE(int(r.error().code), code);
        QVERIFY2(QString::fromStdString(r.error().message).contains(messagePart), r.error().what().c_str());
        QVERIFY(streamed.contains(QStringLiteral("starting ")));
        QVERIFY(t.elapsed() < 12000); // hang: SIGTERM ignored, SIGKILL after the grace period
    }
    void throwingPluginReportsTheException() {
        PluginHost host;
        host.discover({kTestPlugins});
        PluginExecutor ex(host, kRunner, {}, 10000);
        auto r = ex.execute(chaos("test.throw"), {}, {});
        QVERIFY(r.has_value());
        QVERIFY(!r->ok);
        QCOMPARE(r->error, std::string("the plugin threw an exception: plugin bug"));
    }
    void crashDuringLifecycleIsRecordedAsFailure() {
        PluginHost host;
        host.discover({kTestPlugins});
        PluginExecutor ex(host, kRunner, {}, 10000);
        MemoryAuditStore store;
        AuditLog log(store);
        PolicyConfig cfg;
        cfg.allow.push_back(AllowRule{"test.crash", "*", "*", 0});
        PolicyEngine policy(cfg);
        ExecutionHistory h;
        ManualClock clock(nowMs());
        auto r = Remediation::propose(chaos("test.crash"), "alice", policy, h, log, clock.now());
        QVERIFY(r->dryRun(ex, policy, h, {}, clock.now()).has_value());
        QCOMPARE(int(r->state()), int(State::DryRun));
        auto s = r->execute("alice", {ex, policy, h, clock, nullptr, {}, {}});
        QVERIFY(s.has_value());
        QCOMPARE(int(*s), int(State::Failed));
        QVERIFY2(QString::fromStdString(r->failureReason()).contains("crashed"), r->failureReason().c_str());
        QCOMPARE(store.entriesForTesting().back().type, std::string("execute-finish"));
        QVERIFY(log.verify()->ok);
    }
    void unknownKindHasNoPlugin() {
        PluginHost host;
        host.discover({kTestPlugins});
        PluginExecutor ex(host, kRunner, {}, 1000);
        auto r = ex.dryRun(chaos("test.unknown"), {});
        QVERIFY(!r.has_value());
        QCOMPARE(int(r.error().code), int(ErrorCode::NotFound));
    }
    void runnerRejectsGarbageRequest() {
        QProcess p;
        p.start(kRunner,
                {QStringLiteral("--plugin"), kTestPlugins + QStringLiteral("/cairn_test_crashplugin.so")});
        QVERIFY(p.waitForStarted());
        p.write("{not json");
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardOutput().contains("\"ok\":false"));
    }
    void shellQuotingKeepsValuesLiteral_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("quoted");
        QTest::addRow("plain") << "nginx"
                               << "'nginx'";
        QTest::addRow("single quote") << "a'b"
                                      << "'a'\\''b'";
        QTest::addRow("substitution") << "$(id)"
                                      << "'$(id)'";
        QTest::addRow("empty") << ""
                               << "''";
    }
    void shellQuotingKeepsValuesLiteral() {
        QFETCH(QString, value);
        QFETCH(QString, quoted);
        QCOMPARE(shellQuote(value), quoted);
        // And the shell agrees: it prints the value back unchanged.
        QProcess sh;
        sh.start(QStringLiteral("/bin/sh"),
                 {QStringLiteral("-c"), QStringLiteral("printf %s ") + shellQuote(value)});
        QVERIFY(sh.waitForFinished(5000));
        QCOMPARE(QString::fromUtf8(sh.readAllStandardOutput()), value);
        QCOMPARE(hasShellMetacharacters(value), value != QLatin1String("nginx") && !value.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPluginHost)
#include "tst_pluginhost.moc"
