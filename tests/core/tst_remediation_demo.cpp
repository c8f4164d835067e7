// The whole remediation loop on the demo environment: a leaking pod is restarted through the DemoExecutor,
// verification reads the demo's memory through DemoMetricProbe and holds, and every step is in the audit log.
#include "../support/demoworld.h"
#include "cairn/demo/demoenvironment.h"
#include "cairn/remediation/demoexecutor.h"
#include "cairn/remediation/lifecycle.h"

#include <QtTest>

#include <atomic>
#include <memory>

using namespace cairn;
using namespace cairn::remediation;
using cairn::testing::SharedClock;

namespace {

// The demo on simulated time; intoLeak() moves into the middle of its first memory leak.
struct Fixture : testing::DemoWorld {
    std::optional<demo::IncidentTruth> intoLeak() { return into(demo::IncidentKind::MemoryLeak); }
};

Action restart(const std::string& pod) {
    Action a;
    a.id = "demo-restart";
    a.kind = "demo.restart-pod";
    a.targets.push_back(Target{pod, "", "demo"});
    a.risk = RiskClass::Medium;
    a.expectedEffect = "the leak ends and memory drops";
    return a;
}

PolicyConfig demoPolicy() {
    PolicyConfig p;
    p.allow.push_back(AllowRule{"demo.restart-pod", "demo", "*", 1});
    p.allow.push_back(AllowRule{"demo.free-disk", "demo", "*", 1});
    p.parameters["demo.free-disk"].push_back(ParameterRule{"bytes", "[0-9]{1,15}", true, 1, {}});
    return p;
}

} // namespace

class TestRemediationDemo : public QObject {
    Q_OBJECT
private slots:
    void restartingLeakingPodVerifiesAndIsAudited() {
        Fixture f;
        auto leak = f.intoLeak();
        QVERIFY2(leak.has_value(), "the demo has no memory leak incident");
        DemoExecutor ex(*f.env);
        DemoMetricProbe probe(*f.env);
        SharedClock clock(f.now);
        const Target pod{leak->rootPod, leak->rootService, "demo"};
        auto before = probe.sample("memory_used_ratio", pod, clock.now());
        QVERIFY(before.has_value());

        MemoryAuditStore store;
        AuditLog log(store);
        PolicyEngine policy(demoPolicy());
        ExecutionHistory h;
        Action a = restart(leak->rootPod);
        a.verification = VerificationCheck{"memory_used_ratio", Comparator::Below, *before * 0.8,
                                           10 * kMinuteMs,      kMinuteMs,         {}};
        auto r = Remediation::propose(a, "alice", policy, h, log, clock.now());
        QVERIFY(r->dryRun(ex, policy, h, {}, clock.now()).has_value());
        QCOMPARE(r->dryRunReport()->command, "demo restartPod(" + leak->rootPod + ")");
        QVERIFY(f.env->remediations().empty()); // a dry run changes nothing
        QVERIFY(r->approve("bob", "leak confirmed", clock.now()).has_value());
        std::string streamed;
        auto s =
            r->execute("bob", {ex, policy, h, clock, &probe, {}, [&](std::string_view c) { streamed += c; }});
        QVERIFY(s.has_value());
        QCOMPARE(int(*s), int(State::Succeeded));
        QCOMPARE(f.env->remediations().size(), std::size_t(1));
        QCOMPARE(f.env->remediations()[0].pod, leak->rootPod);
        QVERIFY(QString::fromStdString(streamed).contains("restartPod"));
        auto after = probe.sample("memory_used_ratio", pod, clock.now());
        QVERIFY2(*after < *before * 0.8, qPrintable(QStringLiteral("%1 -> %2").arg(*before).arg(*after)));
        QVERIFY(log.verify()->ok);
        QCOMPARE(store.entriesForTesting().back().type, std::string("verify"));
    }
    void unreachableVerificationProposesRollback() {
        Fixture f;
        auto leak = f.intoLeak();
        QVERIFY(leak.has_value());
        DemoExecutor ex(*f.env);
        DemoMetricProbe probe(*f.env);
        SharedClock clock(f.now);
        PolicyConfig cfg = demoPolicy();
        cfg.autoRollback = false;
        PolicyEngine policy(cfg);
        MemoryAuditStore store;
        AuditLog log(store);
        ExecutionHistory h;
        Action a = restart(leak->rootPod);
        a.kind = "demo.free-disk";
        a.parameters["bytes"] = "1000";
        a.verification =
            VerificationCheck{"disk_used_ratio", Comparator::Below, 0.0, 5 * kMinuteMs, kMinuteMs, {}};
        a.rollback = RollbackSpec{"demo.restart-pod", {}};
        auto r = Remediation::propose(a, "alice", policy, h, log, clock.now());
        QVERIFY(r->dryRun(ex, policy, h, {}, clock.now()).has_value());
        QVERIFY(r->approve("bob", "ok", clock.now()).has_value());
        auto s = r->execute("bob", {ex, policy, h, clock, &probe, {}, {}});
        QCOMPARE(int(*s), int(State::Failed));
        QVERIFY(r->proposedRollback().has_value());
        QCOMPARE(r->proposedRollback()->kind, std::string("demo.restart-pod"));
    }
    void routingExecutorSendsDemoKindsToTheDemo() {
        Fixture f;
        RoutingExecutor router;
        router.add("demo.", std::make_shared<DemoExecutor>(*f.env));
        const std::string pod = f.env->topology().pods.front().name;
        auto ok = router.dryRun(restart(pod), {});
        QVERIFY(ok.has_value() && ok->ok);
        Action other = restart(pod);
        other.kind = "ssh.restart-unit";
        auto none = router.dryRun(other, {});
        QVERIFY(!none.has_value());
        QCOMPARE(int(none.error().code), int(ErrorCode::NotFound));
    }
    void refusesUnknownPodAndBadBytes() {
        Fixture f;
        DemoExecutor ex(*f.env);
        auto r = ex.dryRun(restart("no-such-pod"), {});
        QVERIFY(r.has_value() && !r->ok);
        QVERIFY(QString::fromStdString(r->error).contains("no pod named"));
        Action disk = restart(f.env->topology().pods.front().name);
        disk.kind = "demo.free-disk";
        disk.parameters["bytes"] = "-5";
        auto d = ex.execute(disk, {}, {});
        QVERIFY(d.has_value() && !d->ok);
        QVERIFY(f.env->remediations().empty());
    }
};

QTEST_GUILESS_MAIN(TestRemediationDemo)
#include "tst_remediation_demo.moc"
