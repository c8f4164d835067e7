// Tests for the SSH plugin against a real sshd (Debian's openssh-server) on 127.0.0.1, through the real
// OpenSSH client, cairn-plugin-runner and PluginExecutor: dry runs show the exact command and change nothing,
// actions run real commands in a test directory, injection attempts are refused, host keys are checked, and
// timeout, cancel and a dying target end the remote command without hurting Cairn.
#include "api/pluginexecutor.h"
#include "api/pluginhost.h"
#include "sshdfixture.h"

#include "cairn/remediation/lifecycle.h"

#include <QtTest>

#include <atomic>
#include <thread>

using namespace cairn;
using namespace cairn::plugins;
using namespace cairn::remediation;

namespace {

Action sshAction(const QString& kind, std::map<std::string, std::string> params) {
    Action a;
    a.id = "ssh-test";
    a.kind = kind.toStdString();
    a.targets.push_back(Target{"127.0.0.1", "web", "test"});
    a.parameters = std::move(params);
    return a;
}

bool processAlive(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !f.open(QIODevice::ReadOnly))
        return false;
    return !f.readAll().contains(") Z "); // a zombie has finished
}

qint64 readPid(const QString& file, int waitMs) {
    for (int i = 0; i < waitMs / 50; ++i) {
        QFile f(file);
        if (f.open(QIODevice::ReadOnly)) {
            const qint64 pid = f.readAll().trimmed().toLongLong();
            if (pid > 0)
                return pid;
        }
        QThread::msleep(50);
    }
    return -1;
}

} // namespace

class TestSshPlugin : public QObject {
    Q_OBJECT
    SshdFixture m_sshd;
    PluginHost m_host;
    QString m_runner;
    QJsonObject m_config;

    QString work(const QString& name) const { return m_sshd.path(QStringLiteral("work/") + name); }

    PluginExecutor executor(const QJsonObject& overrides = {}) {
        QJsonObject c = m_config;
        for (auto it = overrides.begin(); it != overrides.end(); ++it)
            c[it.key()] = it.value();
        return PluginExecutor(m_host, m_runner, QJsonObject{{"ssh", c}}, 60000);
    }

private slots:
    void initTestCase() {
        if (!m_sshd.prepare())
            QSKIP(qPrintable(m_sshd.error));
        QVERIFY2(m_sshd.start(), qPrintable(m_sshd.error));
        m_runner = QStringLiteral(CAIRN_BINARY_DIR "/bin/cairn-plugin-runner");
        m_host.discover({QStringLiteral(CAIRN_BINARY_DIR "/plugins")});
        QVERIFY(m_host.specForKind(QStringLiteral("ssh.restart-unit")));
        QDir().mkpath(work(QStringLiteral("tmp")));
        QDir().mkpath(m_sshd.path(QStringLiteral("bin")));
        // No systemd in a test container: a stand-in systemctl records what it was asked to do.
        m_sshd.writeFile(QStringLiteral("bin/systemctl"),
                         QStringLiteral("#!/bin/sh\nprintf '%s\\n' \"$*\" >> %1\necho \"restarted $3\"\n")
                             .arg(work(QStringLiteral("systemctl.log")))
                             .toUtf8(),
                         true);
        m_sshd.writeFile(QStringLiteral("bin/write-marker.sh"),
                         QStringLiteral("#!/bin/sh\nprintf '%s' \"$1\" > %1\necho \"marked $1\"\n")
                             .arg(work(QStringLiteral("marker")))
                             .toUtf8(),
                         true);
        m_sshd.writeFile(QStringLiteral("bin/sleeper.sh"),
                         QStringLiteral("#!/bin/sh\necho started\necho $$ > %1\nexec sleep 300\n")
                             .arg(work(QStringLiteral("sleeper.pid")))
                             .toUtf8(),
                         true);
        m_config = m_sshd.pluginConfig();
        m_config["systemctl"] = m_sshd.path(QStringLiteral("bin/systemctl"));
        m_config["scripts"] = QJsonObject{
            {"write-marker", QJsonObject{{"path", m_sshd.path(QStringLiteral("bin/write-marker.sh"))},
                                         {"args", QJsonArray{QJsonObject{{"name", "label"},
                                                                         {"pattern", "[a-z0-9-]{1,20}"}}}}}},
            {"sleeper",
             QJsonObject{{"path", m_sshd.path(QStringLiteral("bin/sleeper.sh"))}, {"args", QJsonArray{}}}}};
        m_config["freeDiskCommands"] = QJsonObject{
            {"old-logs", QJsonArray{"find", work(QStringLiteral("tmp")), "-name", "*.log", "-delete"}}};
        m_config["diagnostics"] =
            QJsonArray{QJsonArray{"uptime"}, QJsonArray{"df", "-h", m_sshd.path(QString())}};
    }
    void cleanupTestCase() { m_sshd.stop(); }

    void dryRunShowsExactRemoteCommandAndChangesNothing() {
        auto ex = executor();
        auto r = ex.dryRun(sshAction("ssh.restart-unit", {{"unit", "nginx.service"}}), {});
        QVERIFY2(r.has_value(), r ? "" : r.error().what().c_str());
        QVERIFY2(r->ok, r->error.c_str());
        const QString cmd = QString::fromStdString(r->command);
        QVERIFY2(cmd.startsWith("ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=5"),
                 qPrintable(cmd));
        QVERIFY(cmd.contains(QStringLiteral("-p %1").arg(m_sshd.port)));
        QVERIFY(cmd.contains("-- 127.0.0.1 "));
        QVERIFY2(QString::fromStdString(r->output).contains(
                     QStringLiteral("exec timeout -k 5 20 '%1' 'restart' '--' 'nginx.service'")
                         .arg(m_sshd.path(QStringLiteral("bin/systemctl")))),
                 r->output.c_str());
        QVERIFY(!QFile::exists(work(QStringLiteral("systemctl.log"))));
    }
    void restartsUnitOverRealSsh() {
        auto ex = executor();
        QStringList streamed;
        auto r = ex.execute(
            sshAction("ssh.restart-unit", {{"unit", "nginx.service"}}), {},
            [&](std::string_view chunk) { streamed << QString::fromUtf8(chunk.data(), chunk.size()); });
        QVERIFY2(r.has_value(), r ? "" : r.error().what().c_str());
        QVERIFY2(r->ok, r->error.c_str());
        QFile log(work(QStringLiteral("systemctl.log")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QCOMPARE(log.readAll(), QByteArray("restart -- nginx.service\n"));
        QVERIFY2(streamed.join(QString()).contains("[127.0.0.1] restarted nginx.service"),
                 qPrintable(streamed.join("|")));
        QVERIFY(!QString::fromStdString(r->output).contains("CAIRN-PID")); // the wrapper's line is not shown
    }
    void runsAllowlistedScriptWithValidatedArgument() {
        auto ex = executor();
        auto r = ex.execute(sshAction("ssh.run-script", {{"script", "write-marker"}, {"label", "canary-7"}}),
                            {}, {});
        QVERIFY2(r.has_value() && r->ok, r ? r->error.c_str() : r.error().what().c_str());
        QFile marker(work(QStringLiteral("marker")));
        QVERIFY(marker.open(QIODevice::ReadOnly));
        QCOMPARE(marker.readAll(), QByteArray("canary-7"));
    }
    void freesDiskWithAllowlistedCommandOnly() {
        m_sshd.writeFile(QStringLiteral("work/tmp/old.log"), "x");
        m_sshd.writeFile(QStringLiteral("work/tmp/keep.txt"), "x");
        auto ex = executor();
        auto r = ex.execute(sshAction("ssh.free-disk", {{"command", "old-logs"}}), {}, {});
        QVERIFY2(r.has_value() && r->ok, r ? r->error.c_str() : r.error().what().c_str());
        QVERIFY(!QFile::exists(work(QStringLiteral("tmp/old.log"))));
        QVERIFY(QFile::exists(work(QStringLiteral("tmp/keep.txt"))));
        auto refused = ex.execute(sshAction("ssh.free-disk", {{"command", "rm-everything"}}), {}, {});
        QVERIFY(refused.has_value() && !refused->ok);
        QVERIFY(QString::fromStdString(refused->error).contains("not on the allowlist"));
    }
    void collectsDiagnosticsAndStreamsThem() {
        auto ex = executor();
        int chunks = 0;
        auto r = ex.execute(sshAction("ssh.diagnostics", {}), {}, [&](std::string_view) { ++chunks; });
        QVERIFY2(r.has_value() && r->ok, r ? r->error.c_str() : r.error().what().c_str());
        const QString out = QString::fromStdString(r->output);
        QVERIFY2(out.contains("## uptime") && out.contains("load average"), qPrintable(out));
        QVERIFY(out.contains("## df -h"));
        QVERIFY(chunks >= 4);
    }
    void refusesInjection_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("value");
        const QString pwned = work(QStringLiteral("PWNED"));
        for (const QString& kind : {QStringLiteral("ssh.restart-unit"), QStringLiteral("ssh.run-script")}) {
            const QString p =
                kind == QLatin1String("ssh.restart-unit") ? QStringLiteral("unit") : QStringLiteral("label");
            QTest::addRow("%s semicolon", qPrintable(kind)) << kind << p << "nginx.service; rm -rf /";
            QTest::addRow("%s command substitution", qPrintable(kind))
                << kind << p << "$(touch " + pwned + ")";
            QTest::addRow("%s backticks", qPrintable(kind)) << kind << p << "`touch " + pwned + "`";
            QTest::addRow("%s newline", qPrintable(kind)) << kind << p << "nginx.service\ntouch " + pwned;
            QTest::addRow("%s pipe", qPrintable(kind)) << kind << p << "a|touch " + pwned;
            QTest::addRow("%s quote", qPrintable(kind)) << kind << p << "a'; touch " + pwned + "; '";
            QTest::addRow("%s option", qPrintable(kind)) << kind << p << "--help";
            QTest::addRow("%s ampersand", qPrintable(kind)) << kind << p << "a&&touch " + pwned;
        }
        QTest::addRow("unknown parameter") << "ssh.run-script"
                                           << "extra"
                                           << "x";
        QTest::addRow("script not allowlisted") << "ssh.run-script"
                                                << "script"
                                                << "../../bin/sh";
    }
    void refusesInjection() {
        QFETCH(QString, kind);
        QFETCH(QString, param);
        QFETCH(QString, value);
        std::map<std::string, std::string> params{{param.toStdString(), value.toStdString()}};
        if (kind == QLatin1String("ssh.run-script") && param != QLatin1String("script")) {
            params["script"] = "write-marker";
            if (param != QLatin1String("label"))
                params["label"] = "ok";
        }
        auto ex = executor();
        const Action a = sshAction(kind, params);
        auto dry = ex.dryRun(a, {});
        QVERIFY(dry.has_value());
        QVERIFY2(!dry->ok, dry->command.c_str());
        QVERIFY(!dry->error.empty());
        auto run = ex.execute(a, {}, {});
        QVERIFY(run.has_value());
        QVERIFY(!run->ok);
        QVERIFY(run->command.empty()); // nothing was sent to the target
        QVERIFY(!QFile::exists(work(QStringLiteral("PWNED"))));
    }
    void refusesHostWithUnknownKey() {
        auto ex = executor(QJsonObject{{"knownHostsFile", m_sshd.path(QStringLiteral("wrong_known_hosts"))}});
        QFile::remove(work(QStringLiteral("systemctl.log")));
        auto r = ex.execute(sshAction("ssh.restart-unit", {{"unit", "nginx.service"}}), {}, {});
        QVERIFY(r.has_value());
        QVERIFY(!r->ok);
        QVERIFY2(QString::fromStdString(r->error).contains("ssh to 127.0.0.1 failed"), r->error.c_str());
        QVERIFY(!QFile::exists(work(QStringLiteral("systemctl.log"))));
    }
    void refusesHostNameThatLooksLikeAnOption() {
        auto ex = executor();
        Action a = sshAction("ssh.diagnostics", {});
        a.targets[0].name = "-oProxyCommand=touch /tmp/x";
        auto r = ex.dryRun(a, {});
        QVERIFY(r.has_value() && !r->ok);
        QVERIFY(QString::fromStdString(r->error).contains("not a plain host name"));
    }
    void timeoutEndsRemoteCommand() {
        QFile::remove(work(QStringLiteral("sleeper.pid")));
        auto ex = executor(QJsonObject{{"timeoutMs", 1500}});
        QElapsedTimer t;
        t.start();
        auto r = ex.execute(sshAction("ssh.run-script", {{"script", "sleeper"}}), {}, {});
        QVERIFY(r.has_value());
        QVERIFY(!r->ok);
        QVERIFY2(QString::fromStdString(r->error).contains("timed out"), r->error.c_str());
        QVERIFY(t.elapsed() < 15000);
        const qint64 pid = readPid(work(QStringLiteral("sleeper.pid")), 1000);
        QVERIFY(pid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pid), 5000);
    }
    void cancelEndsRemoteCommand() {
        QFile::remove(work(QStringLiteral("sleeper.pid")));
        auto ex = executor();
        CancelToken cancel = CancelToken::create();
        Result<ExecutionReport> result = fail(ErrorCode::Internal, "not run");
        std::thread worker([&] {
            result = ex.execute(sshAction("ssh.run-script", {{"script", "sleeper"}}), cancel, {});
        });
        const qint64 pid = readPid(work(QStringLiteral("sleeper.pid")), 10000);
        cancel.cancel();
        worker.join();
        QVERIFY(pid > 0);
        QVERIFY(!result.has_value());
        QCOMPARE(int(result.error().code), int(ErrorCode::Cancelled));
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pid), 5000);
    }
    void targetDyingMidCommandFailsCleanly() {
        QFile::remove(work(QStringLiteral("sleeper.pid")));
        auto ex = executor();
        Result<ExecutionReport> result = fail(ErrorCode::Internal, "not run");
        std::thread worker([&] {
            result = ex.execute(sshAction("ssh.run-script", {{"script", "sleeper"}}), {}, {});
        });
        const qint64 pid = readPid(work(QStringLiteral("sleeper.pid")), 10000);
        QVERIFY(pid > 0);
        m_sshd.killServerAndSessions();
        ::kill(pid_t(pid), SIGKILL); // the whole machine is gone, its processes too
        worker.join();
        QVERIFY(result.has_value());
        QVERIFY(!result->ok);
        QVERIFY2(QString::fromStdString(result->error).contains("failed") ||
                     QString::fromStdString(result->error).contains("exited"),
                 result->error.c_str());
        // With the server down, a new action fails fast with a clear sentence.
        auto down = ex.execute(sshAction("ssh.diagnostics", {}), {}, {});
        QVERIFY(down.has_value() && !down->ok);
        QVERIFY(QString::fromStdString(down->error).contains("ssh to 127.0.0.1 failed"));
        QVERIFY2(m_sshd.start(), qPrintable(m_sshd.error)); // later tests get a live server again
    }
    void fullLifecycleOverSshIsAuditedAndVerifies() {
        MemoryAuditStore store;
        AuditLog log(store);
        PolicyConfig cfg;
        cfg.allow.push_back(AllowRule{"ssh.restart-unit", "test", "127.0.0.1", 1});
        cfg.parameters["ssh.restart-unit"].push_back(
            ParameterRule{"unit", "[a-z.-]+\\.service", true, {}, {}});
        PolicyEngine policy(cfg);
        ExecutionHistory h;
        ManualClock clock(nowMs());
        auto ex = executor();
        QFile::remove(work(QStringLiteral("systemctl.log")));
        auto r = Remediation::propose(sshAction("ssh.restart-unit", {{"unit", "api.service"}}), "alice",
                                      policy, h, log, clock.now());
        QVERIFY(r.has_value());
        QVERIFY(r->dryRun(ex, policy, h, {}, clock.now()).has_value());
        QVERIFY(QString::fromStdString(r->dryRunReport()->command).contains("ssh -o BatchMode=yes"));
        QVERIFY(!QFile::exists(work(QStringLiteral("systemctl.log"))));
        QVERIFY(r->approve("bob", "restart is safe", clock.now()).has_value());
        auto s = r->execute("bob", {ex, policy, h, clock, nullptr, {}, {}});
        QVERIFY(s.has_value());
        QCOMPARE(int(*s), int(State::Succeeded));
        QVERIFY(QFile::exists(work(QStringLiteral("systemctl.log"))));
        QVERIFY(log.verify()->ok);
        QCOMPARE(store.entriesForTesting().size(), std::size_t(5));
    }
};

QTEST_GUILESS_MAIN(TestSshPlugin)
#include "tst_sshplugin.moc"
