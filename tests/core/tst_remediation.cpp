// Tests for cairn/remediation: action parsing, policy rules, the lifecycle guard and the audit chain.
#include "cairn/remediation/action.h"
#include "cairn/remediation/auditlog.h"
#include "cairn/remediation/lifecycle.h"
#include "cairn/remediation/policy.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <sstream>

using namespace cairn;
using namespace cairn::remediation;
using nlohmann::json;

namespace {

constexpr TimeMs kT0 = 1'800'000'000'000;

Action restartAction(std::vector<std::string> names = {"web-1"}) {
    Action a;
    a.id = "rem-1";
    a.kind = "ssh.restart-unit";
    for (const auto& n : names)
        a.targets.push_back(Target{n, "web", "prod"});
    a.parameters["unit"] = "nginx.service";
    a.risk = RiskClass::Medium;
    a.reversible = true;
    a.expectedEffect = "memory back under 80%";
    return a;
}

PolicyConfig basePolicy() {
    PolicyConfig p;
    p.allow.push_back(AllowRule{"ssh.restart-unit", "prod", "web-*", 1});
    p.allow.push_back(AllowRule{"ssh.diagnostics", "*", "*", 0});
    p.parameters["ssh.restart-unit"].push_back(
        ParameterRule{"unit", "[A-Za-z0-9@._-]+\\.service", true, {}, {}});
    p.parameters["k8s.scale"].push_back(ParameterRule{"replicas", "[0-9]+", true, 1, 10});
    p.allow.push_back(AllowRule{"k8s.scale", "*", "*", 1});
    p.maxTargets = 3;
    p.maxReplicaFraction = 0.5;
    p.serviceReplicas["web"] = 4;
    p.maxExecutionsPerTarget = 2;
    p.rateWindowMs = kHourMs;
    return p;
}

class FakeExecutor final : public Executor {
public:
    bool failExecute = false;
    int executions = 0;
    std::vector<std::string> kinds;
    Result<ExecutionReport> dryRun(const Action& a, const CancelToken&) override {
        return ExecutionReport{true, "would run " + a.kind, "", ""};
    }
    Result<ExecutionReport> execute(const Action& a, const CancelToken&, const OutputSink& out) override {
        ++executions;
        kinds.push_back(a.kind);
        if (out)
            out("running\n");
        if (failExecute)
            return fail(ErrorCode::Io, "target went away");
        return ExecutionReport{true, a.kind, "done", ""};
    }
};

class FixedProbe final : public MetricProbe {
public:
    std::vector<double> values; // returned in turn, last one repeats
    std::size_t i = 0;
    Result<double> sample(const std::string&, const Target&, TimeMs) override {
        const double v = values[std::min(i, values.size() - 1)];
        ++i;
        return v;
    }
};

// What the lifecycle tests share: an audit log in memory, a policy, an empty execution history, a fake
// executor and a manual clock at kT0.
struct Rig {
    explicit Rig(PolicyConfig config = basePolicy())
        : policy(std::move(config)) {}
    MemoryAuditStore store;
    AuditLog log{store};
    PolicyEngine policy;
    ExecutionHistory h;
    FakeExecutor ex;
    ManualClock clock{kT0};
};

} // namespace

class TestRemediation : public QObject {
    Q_OBJECT
private slots:
    void parsesPlanAndRoundTrips() {
        const char* plan = R"({"actions":[{"id":"a1","kind":"ssh.restart-unit","targets":[{"name":"web-1",
            "service":"web","environment":"prod"}],"parameters":{"unit":"nginx.service"},"risk":"high",
            "reversible":true,"expectedEffect":"x","verification":{"metric":"mem","comparator":"below",
            "threshold":0.8,"withinMs":60000},"rollback":{"kind":"ssh.restart-unit","parameters":{"unit":"nginx.service"}}}]})";
        auto actions = parsePlan(plan);
        QVERIFY2(actions.has_value(), actions ? "" : actions.error().what().c_str());
        QCOMPARE(actions->size(), std::size_t(1));
        const Action& a = actions->front();
        QCOMPARE(int(a.risk), int(RiskClass::High));
        QVERIFY(a.verification && a.verification->withinMs == 60000);
        auto again = actionFromJson(toJson(a));
        QVERIFY(again.has_value());
        QVERIFY(*again == a);
        QCOMPARE(fingerprint(*again), fingerprint(a));
    }
    void rejectsMalformedPlans_data() {
        QTest::addColumn<QString>("text");
        QTest::addRow("not json") << "{oops";
        QTest::addRow("empty") << "";
        QTest::addRow("no actions") << R"({"actions":[]})";
        QTest::addRow("no targets") << R"({"id":"a","kind":"k","targets":[]})";
        QTest::addRow("unknown field") << R"({"id":"a","kind":"k","targets":["h"],"paramters":{}})";
        QTest::addRow("bad risk") << R"({"id":"a","kind":"k","targets":["h"],"risk":"meh"})";
        QTest::addRow("nested parameter")
            << R"({"id":"a","kind":"k","targets":["h"],"parameters":{"x":[1]}})";
        QTest::addRow("duplicate ids")
            << R"({"actions":[{"id":"a","kind":"k","targets":["h"]},{"id":"a","kind":"k","targets":["h"]}]})";
        QTest::addRow("NaN threshold")
            << R"({"id":"a","kind":"k","targets":["h"],"verification":{"metric":"m","comparator":"below","threshold":"NaN"}})";
    }
    void rejectsMalformedPlans() {
        QFETCH(QString, text);
        auto r = parsePlan(text.toStdString());
        QVERIFY(!r.has_value());
        QCOMPARE(int(r.error().code), int(ErrorCode::Parse));
        QVERIFY(!r.error().message.empty());
    }
    void fingerprintChangesWithTargetsAndParameters() {
        Action a = restartAction();
        const std::string f = fingerprint(a);
        Action b = a;
        b.expectedEffect = "changed prose only";
        QCOMPARE(fingerprint(b), f);
        b.targets.push_back(Target{"web-2", "web", "prod"});
        QVERIFY(fingerprint(b) != f);
        Action c = a;
        c.parameters["unit"] = "other.service";
        QVERIFY(fingerprint(c) != f);
        QCOMPARE(sha256Hex("abc"),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    void allowsAllowlistedActionWithApproval() {
        PolicyEngine p(basePolicy());
        Verdict v = p.evaluate(restartAction(), kT0, {});
        QCOMPARE(int(v.decision), int(Decision::NeedsApproval));
        QCOMPARE(v.requiredApprovals, 1);
    }
    void policyDenies_data() {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QString>("reasonPart");
        QTest::addRow("kind outside allowlist") << "kind"
                                                << "not allowlisted";
        QTest::addRow("target outside glob") << "target"
                                             << "not allowlisted";
        QTest::addRow("environment not allowed") << "env"
                                                 << "not allowlisted";
        QTest::addRow("too many targets") << "targets"
                                          << "blast radius";
        QTest::addRow("too many replicas") << "replicas"
                                           << "replicas of web";
        QTest::addRow("unknown parameter") << "param"
                                           << "not accepted";
        QTest::addRow("bad parameter value") << "value"
                                             << "not allowed";
        QTest::addRow("missing required parameter") << "missing"
                                                    << "missing";
        QTest::addRow("integer above max") << "max"
                                           << "above its maximum";
        QTest::addRow("rate limit") << "rate"
                                    << "rate limit";
        QTest::addRow("freeze window") << "freeze"
                                       << "change freeze";
        QTest::addRow("read-only mode") << "readonly"
                                        << "read-only";
    }
    void policyDenies() {
        QFETCH(QString, caseName);
        QFETCH(QString, reasonPart);
        PolicyConfig cfg = basePolicy();
        Action a = restartAction();
        ExecutionHistory h;
        if (caseName == "kind")
            a.kind = "ssh.reboot";
        else if (caseName == "target")
            a.targets[0].name = "db-1";
        else if (caseName == "env")
            a.targets[0].environment = "staging";
        else if (caseName == "targets") {
            cfg.serviceReplicas.clear();
            a = restartAction({"web-1", "web-2", "web-3", "web-4"});
        } else if (caseName == "replicas")
            a = restartAction({"web-1", "web-2", "web-3"});
        else if (caseName == "param")
            a.parameters["extra"] = "1";
        else if (caseName == "value")
            a.parameters["unit"] = "nginx.service; rm -rf /";
        else if (caseName == "missing")
            a.parameters.clear();
        else if (caseName == "max") {
            a.kind = "k8s.scale";
            a.parameters = {{"replicas", "11"}};
        } else if (caseName == "rate") {
            h.record(a, kT0 - 10 * kMinuteMs);
            h.record(a, kT0 - 5 * kMinuteMs);
        } else if (caseName == "freeze")
            cfg.freezes.push_back(FreezeWindow{TimeRange{kT0 - kHourMs, kT0 + kHourMs}, "prod", "release"});
        else if (caseName == "readonly")
            cfg.readOnly = true;
        Verdict v = PolicyEngine(cfg).evaluate(a, kT0, h);
        QCOMPARE(int(v.decision), int(Decision::Deny));
        QVERIFY2(QString::fromStdString(v.summary()).contains(reasonPart), v.summary().c_str());
    }
    void rateLimitForgetsOldExecutions() {
        PolicyConfig cfg = basePolicy();
        Action a = restartAction();
        ExecutionHistory h;
        h.record(a, kT0 - 2 * kHourMs);
        h.record(a, kT0 - 90 * kMinuteMs);
        QCOMPARE(int(PolicyEngine(cfg).evaluate(a, kT0, h).decision), int(Decision::NeedsApproval));
    }
    void criticalRiskNeedsTwoPeople() {
        Action a = restartAction();
        a.risk = RiskClass::Critical;
        QCOMPARE(PolicyEngine(basePolicy()).evaluate(a, kT0, {}).requiredApprovals, 2);
    }
    void parsesPolicyJsonAndRefusesBadOnes() {
        auto p = parsePolicy(
            R"({"allow":[{"kind":"ssh.restart-unit","environment":"prod","targets":"web-*","approvals":2}],
            "parameters":{"ssh.restart-unit":[{"name":"unit","pattern":"[a-z]+\\.service","required":true}]},
            "freezes":[{"start":"2027-01-01T00:00:00Z","end":"2027-01-02T00:00:00Z","reason":"new year"}],
            "maxTargets":2})");
        QVERIFY2(p.has_value(), p ? "" : p.error().what().c_str());
        QCOMPARE(p->allow.size(), std::size_t(1));
        QCOMPARE(p->allow[0].approvals, 2);
        QCOMPARE(p->freezes.size(), std::size_t(1));
        QVERIFY(!parsePolicy(R"({"allow":[{"kind":"x","approvals":3}]})").has_value());
        QVERIFY(!parsePolicy(R"({"readOnyl":true})").has_value());
        const std::string badRegex = "{\"parameters\":{\"k\":[{\"name\":\"p\",\"pattern\":\"\x28[\"}]}}";
        QVERIFY(!parsePolicy(badRegex).has_value());
        QVERIFY(!parsePolicy(R"({"maxTargets":0})").has_value());
        QVERIFY(!parsePolicy("[1,2]").has_value());
    }

    void lifecycleHappyPathIsAudited() {
        Rig rig;
        auto& [store, log, policy, h, ex, clock] = rig;
        Action a = restartAction();
        a.verification = VerificationCheck{"mem", Comparator::Below, 0.8, 60000, 10000, {}};
        auto r = Remediation::propose(a, "alice", policy, h, log, kT0);
        QVERIFY(r.has_value());
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        QCOMPARE(int(r->state()), int(State::DryRun));
        QVERIFY(r->approve("bob", "looks right", kT0).has_value());
        QCOMPARE(int(r->state()), int(State::Approved));
        FixedProbe probe;
        probe.values = {0.95, 0.9, 0.5};
        auto s = r->execute("bob", {ex, policy, h, clock, &probe, {}, {}});
        QVERIFY(s.has_value());
        QCOMPARE(int(*s), int(State::Succeeded));
        QCOMPARE(ex.executions, 1);
        auto entries = log.entries();
        QStringList types;
        for (const auto& e : *entries)
            types << QString::fromStdString(e.type);
        QCOMPARE(types,
                 QStringList({"propose", "dry-run", "approve", "execute-start", "execute-finish", "verify"}));
        QVERIFY(log.verify()->ok);
    }
    void refusesExecutionWithoutApproval() {
        Rig rig;
        auto& [store, log, policy, h, ex, clock] = rig;
        auto r = Remediation::propose(restartAction(), "alice", policy, h, log, kT0);
        QVERIFY(!r->execute("alice", {ex, policy, h, clock, nullptr, {}, {}}).has_value()); // no dry run
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        auto e = r->execute("alice", {ex, policy, h, clock, nullptr, {}, {}});
        QVERIFY(!e.has_value());
        QCOMPARE(int(e.error().code), int(ErrorCode::PermissionDenied));
        QCOMPARE(ex.executions, 0);
    }
    void approvalVoidWhenTargetsChangeAfterDryRun() {
        Rig rig;
        auto& [store, log, policy, h, ex, clock] = rig;
        auto r = Remediation::propose(restartAction(), "alice", policy, h, log, kT0);
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        QVERIFY(r->approve("bob", "ok", kT0).has_value());
        QVERIFY(r->amend(restartAction({"web-1", "web-2"}), "alice", policy, h, kT0).has_value());
        QCOMPARE(int(r->state()), int(State::Proposed));
        QVERIFY(r->validApprovals().empty());
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        QVERIFY(!r->execute("alice", {ex, policy, h, clock, nullptr, {}, {}}).has_value());
        QCOMPARE(ex.executions, 0);
    }
    void approvalWithdrawnBetweenDryRunAndExecution() {
        Rig rig;
        auto& [store, log, policy, h, ex, clock] = rig;
        auto r = Remediation::propose(restartAction(), "alice", policy, h, log, kT0);
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        QVERIFY(r->approve("bob", "ok", kT0).has_value());
        QVERIFY(r->withdrawApproval("bob", "saw a deploy in progress", kT0 + 1).has_value());
        QCOMPARE(int(r->state()), int(State::DryRun));
        QVERIFY(!r->execute("alice", {ex, policy, h, clock, nullptr, {}, {}}).has_value());
        QCOMPARE(ex.executions, 0);
    }
    void twoPersonRuleStopsProposerAlone() {
        PolicyConfig cfg = basePolicy();
        cfg.allow[0].approvals = 2;
        Rig rig(cfg);
        auto& [store, log, policy, h, ex, clock] = rig;
        auto r = Remediation::propose(restartAction(), "alice", policy, h, log, kT0);
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        QVERIFY(r->approve("alice", "mine", kT0).has_value());
        QVERIFY(!r->approve("alice", "again", kT0).has_value());
        QCOMPARE(int(r->state()), int(State::DryRun));
        QVERIFY(!r->execute("alice", {ex, policy, h, clock, nullptr, {}, {}}).has_value());
        QVERIFY(r->approve("bob", "second pair of eyes", kT0).has_value());
        QCOMPARE(int(r->state()), int(State::Approved));
        QCOMPARE(int(*r->execute("alice", {ex, policy, h, clock, nullptr, {}, {}})), int(State::Succeeded));
    }
    void policyChangeAfterApprovalStopsExecution() {
        Rig rig;
        auto& [store, log, policy, h, ex, clock] = rig;
        auto r = Remediation::propose(restartAction(), "alice", policy, h, log, kT0);
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        QVERIFY(r->approve("bob", "ok", kT0).has_value());
        PolicyConfig frozen = basePolicy();
        frozen.readOnly = true;
        PolicyEngine now(frozen);
        QVERIFY(!r->execute("alice", {ex, now, h, clock, nullptr, {}, {}}).has_value());
        QCOMPARE(ex.executions, 0);
    }
    void failedVerificationRunsRollback() {
        Rig rig;
        auto& [store, log, policy, h, ex, clock] = rig;
        Action a = restartAction();
        a.verification = VerificationCheck{"mem", Comparator::Below, 0.8, 30000, 10000, {}};
        a.rollback = RollbackSpec{"ssh.restart-unit", {{"unit", "nginx.service"}}};
        auto r = Remediation::propose(a, "alice", policy, h, log, kT0);
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        QVERIFY(r->approve("bob", "ok", kT0).has_value());
        FixedProbe probe;
        probe.values = {0.95};
        QCOMPARE(int(*r->execute("bob", {ex, policy, h, clock, &probe, {}, {}})), int(State::RolledBack));
        QCOMPARE(ex.executions, 2);
        QVERIFY(clock.now() >= kT0 + 30000);
        QCOMPARE(log.entries()->back().type, std::string("rollback-finish"));
    }
    void failedVerificationProposesRollbackWhenPolicySays() {
        PolicyConfig cfg = basePolicy();
        cfg.autoRollback = false;
        Rig rig(cfg);
        auto& [store, log, policy, h, ex, clock] = rig;
        Action a = restartAction();
        a.verification = VerificationCheck{"mem", Comparator::Below, 0.8, 30000, 10000, {}};
        a.rollback = RollbackSpec{"ssh.restart-unit", {{"unit", "nginx.service"}}};
        auto r = Remediation::propose(a, "alice", policy, h, log, kT0);
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        QVERIFY(r->approve("bob", "ok", kT0).has_value());
        FixedProbe probe;
        probe.values = {0.95};
        QCOMPARE(int(*r->execute("bob", {ex, policy, h, clock, &probe, {}, {}})), int(State::Failed));
        QCOMPARE(ex.executions, 1);
        QVERIFY(r->proposedRollback().has_value());
        QCOMPARE(r->proposedRollback()->id, std::string("rem-1.rollback"));
    }
    void failedExecutionIsRecorded() {
        MemoryAuditStore store;
        AuditLog log(store);
        PolicyEngine policy(basePolicy());
        ExecutionHistory h;
        FakeExecutor ex;
        ex.failExecute = true;
        ManualClock clock(kT0);
        auto r = Remediation::propose(restartAction(), "alice", policy, h, log, kT0);
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        QVERIFY(r->approve("bob", "ok", kT0).has_value());
        QCOMPARE(int(*r->execute("bob", {ex, policy, h, clock, nullptr, {}, {}})), int(State::Failed));
        QVERIFY(QString::fromStdString(r->failureReason()).contains("target went away"));
        QVERIFY(!r->approve("carol", "late", kT0).has_value()); // terminal
    }

    void historyRebuiltFromAuditKeepsRateLimits() {
        MemoryAuditStore store;
        AuditLog log(store);
        PolicyConfig cfg = basePolicy();
        cfg.maxExecutionsPerTarget = 1;
        PolicyEngine policy(cfg);
        ExecutionHistory h;
        FakeExecutor ex;
        ManualClock clock(kT0);
        auto r = Remediation::propose(restartAction(), "alice", policy, h, log, kT0);
        QVERIFY(r->dryRun(ex, policy, h, {}, kT0).has_value());
        QVERIFY(r->approve("bob", "ok", kT0).has_value());
        QVERIFY(r->execute("bob", {ex, policy, h, clock, nullptr, {}, {}}).has_value());
        // A fresh process knows nothing but the log.
        const ExecutionHistory rebuilt = historyFromAudit(*log.entries());
        QCOMPARE(rebuilt.countSince("web-1", kT0 - kHourMs), 1);
        QCOMPARE(int(policy.evaluate(restartAction(), kT0 + kMinuteMs, rebuilt).decision),
                 int(Decision::Deny));
        QCOMPARE(historyFromAudit({}).executions.size(), std::size_t(0));
    }
    void auditChainDetectsEditsInMemory() {
        MemoryAuditStore store;
        AuditLog log(store);
        for (int i = 0; i < 5; ++i)
            QVERIFY(log.append(kT0 + i, "rem-1", "alice", "approve", R"({"i":)" + std::to_string(i) + "}")
                        .has_value());
        QVERIFY(log.verify()->ok);
        store.entriesForTesting()[2].actor = "mallory";
        auto v = log.verify();
        QVERIFY(!v->ok);
        QCOMPARE(*v->firstBadSeq, std::int64_t(3));
    }
    void sqliteAuditDetectsHandEdits_data() {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<qint64>("badSeq");
        QTest::addColumn<QString>("problemPart");
        const QString drop =
            "DROP TRIGGER remediation_audit_no_update; DROP TRIGGER remediation_audit_no_delete; ";
        QTest::addRow("payload edited")
            << drop + "UPDATE remediation_audit SET payload='{}' WHERE seq=4;" << qint64(4) << "modified";
        QTest::addRow("actor edited")
            << drop + "UPDATE remediation_audit SET actor='mallory' WHERE seq=2;" << qint64(2) << "modified";
        QTest::addRow("middle row deleted")
            << drop + "DELETE FROM remediation_audit WHERE seq=3;" << qint64(3) << "missing";
        QTest::addRow("last row deleted")
            << drop + "DELETE FROM remediation_audit WHERE seq=6;" << qint64(6) << "deleted at the end";
        QTest::addRow("row rewritten with fresh hash")
            << drop + "UPDATE remediation_audit SET actor='mallory', hash='" + QString(64, 'a') +
                   "' WHERE seq=5;"
            << qint64(5) << "modified";
        QTest::addRow("renumbered after delete")
            << drop + "DELETE FROM remediation_audit WHERE seq=2; UPDATE remediation_audit SET seq=seq-1 "
                      "WHERE seq>2;"
            << qint64(2) << "does not link";
    }
    void sqliteAuditDetectsHandEdits() {
        QFETCH(QString, sql);
        QFETCH(qint64, badSeq);
        QFETCH(QString, problemPart);
        QTemporaryDir dir;
        const std::string path = dir.filePath("workspace.sqlite").toStdString();
        {
            auto store = WorkspaceAuditStore::open(path);
            QVERIFY2(store.has_value(), store ? "" : store.error().what().c_str());
            AuditLog log(**store);
            for (int i = 0; i < 6; ++i)
                QVERIFY(log.append(kT0 + i, "rem-1", "alice", "step", R"({"i":)" + std::to_string(i) + "}"));
            QVERIFY(log.verify()->ok);
        }
        QProcess p;
        p.start("sqlite3", {QString::fromStdString(path), sql});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        auto store = WorkspaceAuditStore::open(path);
        AuditLog log(**store);
        auto v = log.verify();
        QVERIFY(v.has_value());
        QVERIFY(!v->ok);
        QCOMPARE(*v->firstBadSeq, badSeq);
        QVERIFY2(QString::fromStdString(v->problem).contains(problemPart), v->problem.c_str());
    }
    void sqliteAuditRefusesUpdateThroughSqlite() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("w.sqlite").toStdString();
        {
            auto store = WorkspaceAuditStore::open(path);
            AuditLog log(**store);
            QVERIFY(log.append(kT0, "rem-1", "alice", "propose", "{}"));
        }
        QProcess p;
        p.start("sqlite3", {QString::fromStdString(path), "UPDATE remediation_audit SET actor='x';"});
        QVERIFY(p.waitForFinished(10000));
        QVERIFY(p.exitCode() != 0);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("append-only"));
    }
    void exportsJsonLines() {
        MemoryAuditStore store;
        AuditLog log(store);
        QVERIFY(log.append(kT0, "rem-1", "alice", "propose", R"({"a":1})"));
        QVERIFY(log.append(kT0 + 5, "rem-1", "bob", "approve", R"({"reason":"ok"})"));
        std::ostringstream out;
        QCOMPARE(*log.exportJsonLines(out), std::int64_t(2));
        std::istringstream in(out.str());
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            auto j = json::parse(line);
            QCOMPARE(j["seq"].get<int>(), ++n);
            QVERIFY(j["payload"].is_object());
            QCOMPARE(j["hash"].get<std::string>().size(), std::size_t(64));
        }
        QCOMPARE(n, 2);
    }
};

QTEST_GUILESS_MAIN(TestRemediation)
#include "tst_remediation.moc"
