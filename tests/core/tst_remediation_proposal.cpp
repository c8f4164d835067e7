// Proposing a remediation from an anomaly: the mapping (memory leak -> restart, disk fill -> free disk,
// service latency -> restart the service, restarts -> diagnostics) on each route (demo, SSH, kubectl), the
// verification derived from the anomaly's own series, the rollback, the refusals; then the proposed action
// run through the lifecycle on the demo (directly, and through DemoMirrorExecutor as the SSH route does)
// until the demo reacts and the verification holds.
#include "../support/demoworld.h"
#include "cairn/demo/demoenvironment.h"
#include "cairn/remediation/demoexecutor.h"
#include "cairn/remediation/lifecycle.h"
#include "cairn/remediation/proposal.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <atomic>
#include <cmath>
#include <memory>

using namespace cairn;
using namespace cairn::remediation;
using cairn::testing::SharedClock;

namespace {

// A stand-in for the SSH plugin: succeeds (or fails) without touching anything, and counts its calls.
class RecordingExecutor final : public Executor {
public:
    bool succeed = true;
    int executions = 0;
    Result<ExecutionReport> dryRun(const Action& a, const CancelToken&) override {
        return ExecutionReport{true, "would run " + a.kind, {}, {}};
    }
    Result<ExecutionReport> execute(const Action& a, const CancelToken&, const OutputSink& out) override {
        ++executions;
        if (out)
            out("ran " + a.kind + "\n");
        return ExecutionReport{succeed, "ran " + a.kind, "", succeed ? "" : "exit status 1"};
    }
};

PolicyConfig openPolicy() {
    PolicyConfig p;
    for (const char* k : {"demo.restart-pod", "demo.free-disk", "ssh.restart-unit"})
        p.allow.push_back(AllowRule{k, "demo", "*", 1});
    p.parameters["demo.free-disk"].push_back(ParameterRule{"bytes", "[0-9]{1,15}", true, 1, {}});
    p.parameters["ssh.restart-unit"].push_back(ParameterRule{"unit", "[A-Za-z0-9._-]{1,64}", true, {}, {}});
    p.maxReplicaFraction = 1.0;
    return p;
}

struct Fixture : testing::DemoWorld {
    MemoryAuditStore store; // the audit trail of runLifecycle()
    AuditLog log{store};
    double value(const std::string& metric, const std::string& label, const std::string& v, TimeMs at) {
        ts::Selector sel;
        sel.metric = metric;
        sel.equals[label] = v;
        auto s = env->query(sel, TimeRange{at - 2 * kMinuteMs, at + 1}, kMinuteMs);
        return s && !s->empty() && !s->front().empty() ? s->front().value.back() : std::nan("");
    }
    // The anomaly a detector reports for the incident's primary metric: expected = before the fault,
    // observed = now.
    detect::Anomaly anomalyOf(const demo::IncidentTruth& i) {
        detect::Anomaly a;
        a.series.metric = i.primaryMetric;
        a.series.labels = {{"service", i.rootService}, {"pod", i.rootPod}};
        a.start = i.start;
        a.peak = now->load();
        a.end = a.peak + kMinuteMs;
        a.expected = value(i.primaryMetric, "pod", i.rootPod, i.start - kMinuteMs);
        a.observed = value(i.primaryMetric, "pod", i.rootPod, now->load());
        a.score = 0.9;
        a.explanation = "grows";
        return a;
    }
    // Runs an action through the whole lifecycle on the demo's simulated time under openPolicy(): alice
    // proposes, dry-runs, approves and executes; verification reads the demo. Returns the final state.
    Result<State> runLifecycle(const Action& action, Executor& executor, OutputSink output = {}) {
        DemoMetricProbe probe(*env);
        SharedClock clock(now);
        PolicyEngine policy(openPolicy());
        ExecutionHistory h;
        auto r = Remediation::propose(action, "alice", policy, h, log, clock.now());
        if (!r)
            return std::unexpected(r.error());
        if (auto d = r->dryRun(executor, policy, h, {}, clock.now()); !d)
            return std::unexpected(d.error());
        if (auto p = r->approve("alice", "test", clock.now()); !p)
            return std::unexpected(p.error());
        return r->execute("alice", {executor, policy, h, clock, &probe, {}, std::move(output)});
    }
};

} // namespace

class TestRemediationProposal : public QObject {
    Q_OBJECT
private slots:
    void memoryLeakOnDemoRestartsThePodAndVerifiesOnItsSeries() {
        Fixture f;
        auto leak = f.into(demo::IncidentKind::MemoryLeak);
        QVERIFY2(leak, "the demo has no memory leak");
        const auto anomaly = f.anomalyOf(*leak);
        QVERIFY(anomaly.observed > anomaly.expected);
        ProposalOptions o;
        o.now = f.now->load();
        o.verifyWithinMs = 10 * kMinuteMs;
        o.verifyPollMs = kMinuteMs;
        auto a = proposeForAnomaly(anomaly, f.env->topology(), o);
        QVERIFY2(a, a ? "" : a.error().what().c_str());
        QCOMPARE(a->kind, std::string("demo.restart-pod"));
        QCOMPARE(a->targets.size(), std::size_t(1));
        QCOMPARE(a->targets[0].name, leak->rootPod);
        QCOMPARE(a->targets[0].environment, std::string("demo"));
        QVERIFY(a->verification);
        QCOMPARE(a->verification->metric, std::string("memory_used_bytes"));
        QCOMPARE(a->verification->labels.at("pod"), leak->rootPod);
        QCOMPARE(int(a->verification->comparator), int(Comparator::Below));
        QCOMPARE(a->verification->threshold, (anomaly.expected + anomaly.observed) / 2);
        QVERIFY(QString::fromStdString(a->id).startsWith(QStringLiteral("rem-") +
                                                         QString::fromStdString(leak->rootService)));
        // The action survives its JSON form, labels included.
        auto back = actionFromJson(toJson(*a));
        QVERIFY(back);
        QCOMPARE(*back, *a);

        // Run it: the demo reacts, the memory falls below the threshold.
        DemoExecutor ex(*f.env);
        auto s = f.runLifecycle(*a, ex);
        QVERIFY2(s, s ? "" : s.error().what().c_str());
        QCOMPARE(int(*s), int(State::Succeeded));
        QVERIFY(f.log.verify()->ok);
        const auto last = f.store.entriesForTesting().back();
        QCOMPARE(last.type, std::string("verify"));
        QVERIFY(QString::fromStdString(last.payload).contains("memory_used_bytes{pod=\\\""));
    }

    void sshRouteRestartsTheUnitOnThePodsHostWithRollbackScript() {
        Fixture f;
        auto leak = f.into(demo::IncidentKind::MemoryLeak);
        QVERIFY(leak);
        ProposalOptions o;
        o.via = ProposalOptions::Via::Ssh;
        o.sshRollbackScript = "rollback-release";
        auto a = proposeForAnomaly(f.anomalyOf(*leak), f.env->topology(), o);
        QVERIFY(a);
        QCOMPARE(a->kind, std::string("ssh.restart-unit"));
        QCOMPARE(a->parameters.at("unit"), leak->rootService + ".service");
        QCOMPARE(a->targets.size(), std::size_t(1));
        QCOMPARE(a->targets[0].name, f.env->topology().pod(leak->rootPod)->host);
        QCOMPARE(a->targets[0].service, leak->rootService);
        QVERIFY(a->reversible);
        QCOMPARE(a->rollback->kind, std::string("ssh.run-script"));
        QCOMPARE(a->rollback->parameters.at("service"), leak->rootService);
        o.sshRollbackScript.clear();
        auto noRollback = proposeForAnomaly(f.anomalyOf(*leak), f.env->topology(), o);
        QVERIFY(noRollback && !noRollback->rollback && !noRollback->reversible);
    }

    void sshRouteThroughMirrorEndsTheDemoLeak() {
        Fixture f;
        auto leak = f.into(demo::IncidentKind::MemoryLeak);
        QVERIFY(leak);
        ProposalOptions o;
        o.via = ProposalOptions::Via::Ssh;
        o.verifyWithinMs = 10 * kMinuteMs;
        o.verifyPollMs = kMinuteMs;
        auto a = proposeForAnomaly(f.anomalyOf(*leak), f.env->topology(), o);
        QVERIFY(a);
        auto real = std::make_shared<RecordingExecutor>();
        DemoMirrorExecutor mirror(real, *f.env);
        auto dry = mirror.dryRun(*a, {});
        QVERIFY(dry && dry->ok);
        QVERIFY(f.env->remediations().empty()); // a dry run never reaches the demo
        std::string out;
        auto s = f.runLifecycle(*a, mirror, [&](std::string_view c) { out += c; });
        QVERIFY2(s, s ? "" : s.error().what().c_str());
        QCOMPARE(int(*s), int(State::Succeeded));
        QCOMPARE(real->executions, 1);
        bool restartedRoot = false;
        for (const auto& rec : f.env->remediations()) {
            QCOMPARE(f.env->topology().pod(rec.pod)->service, leak->rootService);
            QCOMPARE(f.env->topology().pod(rec.pod)->host, a->targets[0].name);
            restartedRoot = restartedRoot || rec.pod == leak->rootPod;
        }
        QVERIFY(restartedRoot);
        QVERIFY2(QString::fromStdString(out).contains(QStringLiteral("demo: restarted pod ") +
                                                      QString::fromStdString(leak->rootPod)),
                 out.c_str());
    }

    void mirrorLeavesTheDemoAloneWhenTheRealCommandFails() {
        Fixture f;
        auto leak = f.into(demo::IncidentKind::MemoryLeak);
        QVERIFY(leak);
        ProposalOptions o;
        o.via = ProposalOptions::Via::Ssh;
        auto a = proposeForAnomaly(f.anomalyOf(*leak), f.env->topology(), o);
        auto real = std::make_shared<RecordingExecutor>();
        real->succeed = false;
        DemoMirrorExecutor mirror(real, *f.env);
        auto r = mirror.execute(*a, {}, {});
        QVERIFY(r && !r->ok);
        QVERIFY(f.env->remediations().empty());
    }

    void kubernetesRouteRollsOutWithUndoAsRollback() {
        Fixture f;
        auto leak = f.into(demo::IncidentKind::MemoryLeak);
        QVERIFY(leak);
        ProposalOptions o;
        o.via = ProposalOptions::Via::Kubernetes;
        o.kubeContext = "prod-eu";
        o.kubeNamespace = "shop";
        auto a = proposeForAnomaly(f.anomalyOf(*leak), f.env->topology(), o);
        QVERIFY(a);
        QCOMPARE(a->kind, std::string("k8s.rollout-restart"));
        QCOMPARE(a->targets[0].name, leak->rootService);
        QCOMPARE(a->parameters.at("context"), std::string("prod-eu"));
        QCOMPARE(a->parameters.at("namespace"), std::string("shop"));
        QCOMPARE(a->rollback->kind, std::string("k8s.rollout-undo"));
        QCOMPARE(a->rollback->parameters.at("context"), std::string("prod-eu"));
    }

    void diskFillFreesDiskAndTheDemoRecovers() {
        Fixture f;
        auto fill = f.into(demo::IncidentKind::DiskFill);
        if (!fill)
            QSKIP("this demo seed has no long enough disk fill");
        const auto anomaly = f.anomalyOf(*fill);
        ProposalOptions o;
        o.now = f.now->load();
        o.verifyWithinMs = 5 * kMinuteMs;
        o.verifyPollMs = kMinuteMs;
        auto a = proposeForAnomaly(anomaly, f.env->topology(), o);
        QVERIFY2(a, a ? "" : a.error().what().c_str());
        QCOMPARE(a->kind, std::string("demo.free-disk"));
        QCOMPARE(a->targets[0].name, fill->rootPod);
        QCOMPARE(a->verification->metric, std::string("disk_used_bytes"));
        DemoExecutor ex(*f.env);
        auto s = f.runLifecycle(*a, ex);
        QVERIFY2(s, s ? "" : s.error().what().c_str());
        QCOMPARE(int(*s), int(State::Succeeded));
        o.via = ProposalOptions::Via::Ssh;
        auto viaSsh = proposeForAnomaly(anomaly, f.env->topology(), o);
        QVERIFY(viaSsh);
        QCOMPARE(viaSsh->kind, std::string("ssh.free-disk"));
        QCOMPARE(viaSsh->parameters.at("command"), std::string("journal"));
        QCOMPARE(viaSsh->targets[0].name, f.env->topology().pod(fill->rootPod)->host);
        o.via = ProposalOptions::Via::Kubernetes;
        QVERIFY(!proposeForAnomaly(anomaly, f.env->topology(), o));
    }

    void serviceLatencyRestartsEveryPodOfTheService() {
        Fixture f;
        const auto& svc = f.env->topology().services[1].name;
        detect::Anomaly a;
        a.series.metric = "latency_p95_ms";
        a.series.labels = {{"service", svc}};
        a.expected = 200;
        a.observed = 900;
        auto p = proposeForAnomaly(a, f.env->topology(), ProposalOptions{});
        QVERIFY(p);
        QCOMPARE(p->targets.size(), f.env->topology().podsOf(svc).size());
        QCOMPARE(p->verification->labels.at("service"), svc);
        QCOMPARE(p->verification->threshold, 550.0);
        QCOMPARE(int(p->verification->comparator), int(Comparator::Below));
        // A drop (observed below expected) is verified by the series coming back above half way.
        a.series.metric = "request_rate";
        QVERIFY(!proposeForAnomaly(a, f.env->topology(), ProposalOptions{})); // no remedy for traffic
        a.series.metric = "error_ratio";
        a.expected = 0.2;
        a.observed = 0.0;
        auto up = proposeForAnomaly(a, f.env->topology(), ProposalOptions{});
        QVERIFY(up);
        QCOMPARE(int(up->verification->comparator), int(Comparator::Above));
    }

    void refusesWhatItCannotMap_data() {
        QTest::addColumn<QString>("metric");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("pod");
        QTest::addColumn<double>("expected");
        QTest::addColumn<QString>("why");
        QTest::addRow("unknown metric") << "http_requests_total"
                                        << ""
                                        << "" << 1.0 << "no remediation";
        QTest::addRow("unknown pod") << "memory_used_bytes"
                                     << ""
                                     << "no-such-pod" << 1.0 << "no pod named";
        QTest::addRow("unknown service") << "latency_p95_ms"
                                         << "nope"
                                         << "" << 1.0 << "no service named";
        QTest::addRow("no labels") << "latency_p95_ms"
                                   << ""
                                   << "" << 1.0 << "neither a pod nor a service";
        QTest::addRow("NaN expectation") << "latency_p95_ms"
                                         << "frontend"
                                         << "" << std::nan("") << "no expected and observed";
        QTest::addRow("diagnostics on demo") << "restarts_total"
                                             << "frontend"
                                             << "" << 1.0 << "SSH route";
    }
    void refusesWhatItCannotMap() {
        QFETCH(QString, metric);
        QFETCH(QString, service);
        QFETCH(QString, pod);
        QFETCH(double, expected);
        QFETCH(QString, why);
        Fixture f;
        detect::Anomaly a;
        a.series.metric = metric.toStdString();
        if (!service.isEmpty())
            a.series.labels["service"] = service.toStdString();
        if (!pod.isEmpty())
            a.series.labels["pod"] = pod.toStdString();
        a.expected = expected;
        a.observed = 5;
        auto p = proposeForAnomaly(a, f.env->topology(), ProposalOptions{});
        QVERIFY(!p);
        QVERIFY2(QString::fromStdString(p.error().what()).contains(why), p.error().what().c_str());
    }

    void restartsGiveReadOnlyDiagnosticsOverSsh() {
        Fixture f;
        detect::Anomaly a;
        a.series.metric = "restarts_total";
        a.series.labels = {{"service", "frontend"}};
        ProposalOptions o;
        o.via = ProposalOptions::Via::Ssh;
        auto p = proposeForAnomaly(a, f.env->topology(), o);
        QVERIFY(p);
        QCOMPARE(p->kind, std::string("ssh.diagnostics"));
        QCOMPARE(int(p->risk), int(RiskClass::Low));
        QVERIFY(!p->verification);
        QVERIFY(p->parameters.empty());
    }

    void incidentProposalUsesItsRootPod() {
        Fixture f;
        auto leak = f.into(demo::IncidentKind::MemoryLeak);
        QVERIFY(leak);
        auto p = proposeForIncident(*leak, 1e8, 5e8, f.env->topology(), ProposalOptions{});
        QVERIFY(p);
        QCOMPARE(p->targets[0].name, leak->rootPod);
        QCOMPARE(p->verification->threshold, 3e8);
    }

    void verificationWithLabelsNeedsAProbeThatReadsSeries() {
        class TargetOnlyProbe final : public MetricProbe {
        public:
            Result<double> sample(const std::string&, const Target&, TimeMs) override { return 0.0; }
        } probe;
        auto r = probe.sampleSeries("m", {{"pod", "p"}}, 0);
        QVERIFY(!r);
        QCOMPARE(int(r.error().code), int(ErrorCode::Unsupported));
        // Labels that select several series are refused rather than read from an arbitrary one.
        Fixture f;
        DemoMetricProbe demoProbe(*f.env);
        auto many = demoProbe.sampleSeries("memory_used_bytes",
                                           {{"service", f.env->topology().services[0].name}}, f.now->load());
        if (f.env->topology().podsOf(f.env->topology().services[0].name).size() > 1)
            QVERIFY(!many);
    }
};

QTEST_GUILESS_MAIN(TestRemediationProposal)
#include "tst_remediation_proposal.moc"
