// Randomised property test of the remediation lifecycle: thousands of generated lifecycles with random
// proposals, dry runs, approvals by random people, withdrawals, amendments, policy changes between steps,
// failing executors and verification probes. Checked against an oracle that replays the audit log on its own:
// no execution happens without its required, valid approvals, and every execution has a complete audit trail.
#include "cairn/remediation/action.h"
#include "cairn/remediation/auditlog.h"
#include "cairn/remediation/lifecycle.h"
#include "cairn/remediation/policy.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <map>
#include <random>
#include <set>

using namespace cairn;
using namespace cairn::remediation;
using nlohmann::json;

namespace {

constexpr TimeMs kT0 = 1'800'000'000'000;

struct Observed {
    std::string actionId;
    std::string fingerprint;
    std::string kind;
    std::size_t auditSizeAtCall;
    int requiredByOracle;
    bool deniedByOracle;
};

class RecordingExecutor final : public Executor {
public:
    std::mt19937* rng = nullptr;
    MemoryAuditStore* store = nullptr;
    std::vector<Observed> calls;
    // Filled by the test before execute() so the oracle can recompute the verdict at that instant.
    const PolicyEngine* policy = nullptr;
    ExecutionHistory historyBefore;
    TimeMs now = 0;

    Result<ExecutionReport> dryRun(const Action& a, const CancelToken&) override {
        if ((*rng)() % 10 == 0)
            return fail(ErrorCode::Network, "dry run could not reach " + a.targets.front().name);
        return ExecutionReport{true, "would " + a.kind, "", ""};
    }
    Result<ExecutionReport> execute(const Action& a, const CancelToken&, const OutputSink&) override {
        const Verdict v = policy->evaluate(a, now, historyBefore);
        calls.push_back(Observed{a.id, fingerprint(a), a.kind, store->entriesForTesting().size(),
                                 v.requiredApprovals, v.decision == Decision::Deny});
        switch ((*rng)() % 6) {
        case 0:
            return fail(ErrorCode::Timeout, "command hung past its timeout");
        case 1:
            return ExecutionReport{false, a.kind, "", "exit status 1"};
        default:
            return ExecutionReport{true, a.kind, "ok", ""};
        }
    }
};

class RandomProbe final : public MetricProbe {
public:
    std::mt19937* rng = nullptr;
    Result<double> sample(const std::string&, const Target&, TimeMs) override {
        if ((*rng)() % 15 == 0)
            return fail(ErrorCode::Network, "metric source unavailable");
        return std::uniform_real_distribution<double>(0.0, 1.0)(*rng);
    }
};

const std::vector<std::string> kPeople{"alice", "bob", "carol"};

PolicyConfig randomPolicy(std::mt19937& rng) {
    PolicyConfig p;
    p.readOnly = rng() % 20 == 0;
    for (const char* kind : {"ssh.restart-unit", "ssh.free-disk", "k8s.scale"})
        if (rng() % 8 != 0)
            p.allow.push_back(
                AllowRule{kind, rng() % 2 ? "*" : "prod", rng() % 3 ? "*" : "web-*", int(rng() % 3)});
    p.parameters["ssh.restart-unit"].push_back(ParameterRule{"unit", "[a-z]+\\.service", true, {}, {}});
    p.parameters["k8s.scale"].push_back(ParameterRule{"replicas", "[0-9]+", true, 1, 8});
    p.parameters["ssh.free-disk"].push_back(ParameterRule{"command", "journal|tmp", true, {}, {}});
    p.maxTargets = 2 + int(rng() % 3);
    p.serviceReplicas["web"] = 4;
    p.maxReplicaFraction = rng() % 2 ? 0.5 : 1.0;
    p.maxExecutionsPerTarget = 1 + int(rng() % 5);
    if (rng() % 12 == 0)
        p.freezes.push_back(FreezeWindow{TimeRange{kT0, kT0 + 365 * kDayMs}, "prod", "freeze"});
    p.autoRollback = rng() % 2;
    return p;
}

Action randomAction(std::mt19937& rng, int n) {
    static const std::vector<std::string> kinds{"ssh.restart-unit", "ssh.free-disk", "k8s.scale",
                                                "ssh.reboot"};
    Action a;
    a.id = "prop-" + std::to_string(n);
    a.kind = kinds[rng() % kinds.size()];
    const int targets = 1 + int(rng() % 2);
    for (int i = 0; i < targets; ++i)
        a.targets.push_back(Target{(rng() % 6 ? "web-" : "db-") + std::to_string(rng() % 5), "web",
                                   rng() % 5 ? "prod" : "staging"});
    if (a.kind == "ssh.restart-unit")
        a.parameters["unit"] = rng() % 6 ? "nginx.service" : "nginx.service; rm -rf /";
    else if (a.kind == "k8s.scale")
        a.parameters["replicas"] = std::to_string(1 + rng() % 9);
    else if (a.kind == "ssh.free-disk")
        a.parameters["command"] = rng() % 5 ? "journal" : "$(reboot)";
    a.risk = static_cast<RiskClass>(rng() % 4);
    if (rng() % 2)
        a.verification = VerificationCheck{"mem", Comparator::Below, 0.6, 30000, 10000, {}};
    if (rng() % 2) {
        a.rollback = RollbackSpec{a.kind, a.parameters};
        a.reversible = true;
    }
    return a;
}

// The oracle: replays one action's audit entries up to `upto` (exclusive) and returns the set of people
// whose approvals are valid for `fp`, or nullopt when there is no successful dry run of `fp`.
std::optional<std::set<std::string>> replayApprovals(const std::vector<AuditEntry>& entries, std::size_t upto,
                                                     const std::string& id, const std::string& fp,
                                                     std::string* proposer) {
    std::string current;
    bool dryOk = false;
    std::map<std::string, std::string> approvals; // person -> fingerprint
    for (std::size_t i = 0; i < upto; ++i) {
        const auto& e = entries[i];
        if (e.actionId != id)
            continue;
        const json p = json::parse(e.payload);
        if (e.type == "propose") {
            current = p["fingerprint"];
            *proposer = e.actor;
        } else if (e.type == "amend") {
            current = p["fingerprint"];
            dryOk = false;
            approvals.clear();
        } else if (e.type == "dry-run") {
            dryOk = p["report"]["ok"].get<bool>() && p["fingerprint"] == current;
        } else if (e.type == "approve") {
            approvals[e.actor] = p["fingerprint"];
        } else if (e.type == "withdraw-approval") {
            approvals.erase(e.actor);
        }
    }
    if (!dryOk || current != fp)
        return std::nullopt;
    std::set<std::string> valid;
    for (const auto& [who, f] : approvals)
        if (f == fp)
            valid.insert(who);
    return valid;
}

} // namespace

class TestRemediationProperty : public QObject {
    Q_OBJECT
private slots:
    void noExecutionWithoutApprovalsAndEveryExecutionAudited() {
        const int lifecycles = qEnvironmentVariableIntValue("CAIRN_PROPERTY_LIFECYCLES") > 0
                                   ? qEnvironmentVariableIntValue("CAIRN_PROPERTY_LIFECYCLES")
                                   : 10000;
        const unsigned seed = qEnvironmentVariableIsSet("CAIRN_PROPERTY_SEED")
                                  ? unsigned(qEnvironmentVariableIntValue("CAIRN_PROPERTY_SEED"))
                                  : 20261124u;
        std::mt19937 rng(seed);
        MemoryAuditStore store;
        AuditLog log(store);
        RecordingExecutor ex;
        ex.rng = &rng;
        ex.store = &store;
        RandomProbe probe;
        probe.rng = &rng;
        ExecutionHistory history;
        ManualClock clock(kT0);
        std::map<std::string, int> finals;
        int executed = 0, refused = 0;

        for (int n = 0; n < lifecycles; ++n) {
            std::vector<PolicyEngine> policies{PolicyEngine(randomPolicy(rng)),
                                               PolicyEngine(randomPolicy(rng))};
            const PolicyEngine* policy = &policies[0];
            const std::string proposer = kPeople[rng() % kPeople.size()];
            auto r = Remediation::propose(randomAction(rng, n), proposer, *policy, history, log, clock.now());
            QVERIFY(r.has_value());
            const int steps = 1 + int(rng() % 16);
            for (int s = 0; s < steps && !isTerminal(r->state()); ++s) {
                clock.advance(1000 + rng() % 120000);
                if (rng() % 5 == 0)
                    policy = &policies[rng() % 2]; // the policy changes between steps
                const std::string who = kPeople[rng() % kPeople.size()];
                // Mostly the natural next step for the state, otherwise any step at all.
                int op = int(rng() % 9);
                if (rng() % 10 < 6) {
                    switch (r->state()) {
                    case State::Proposed:
                        op = 0;
                        break;
                    case State::DryRun:
                        op = r->dryRunReport() && r->dryRunReport()->ok ? 2 : 0;
                        break;
                    case State::Approved:
                        op = 7;
                        break;
                    default:
                        break;
                    }
                }
                switch (op) {
                case 0:
                case 1:
                    (void)r->dryRun(ex, *policy, history, {}, clock.now());
                    break;
                case 2:
                case 3:
                    (void)r->approve(who, "random approval", clock.now());
                    break;
                case 4:
                    (void)r->withdrawApproval(who, "random withdrawal", clock.now());
                    break;
                case 5: {
                    Action changed = r->action();
                    if (rng() % 2)
                        changed.targets.push_back(Target{"web-" + std::to_string(rng() % 5), "web", "prod"});
                    else
                        changed.parameters["unit"] = rng() % 2 ? "other.service" : "`reboot`";
                    (void)r->amend(changed, who, *policy, history, clock.now());
                    break;
                }
                case 6:
                    if (rng() % 4 == 0)
                        (void)r->reject(who, "random rejection", clock.now());
                    break;
                default: {
                    ex.policy = policy;
                    ex.historyBefore = history;
                    ex.now = clock.now();
                    const std::size_t before = ex.calls.size();
                    auto res = r->execute(who, {ex, *policy, history, clock, &probe, {}, {}});
                    if (res)
                        ++executed;
                    else {
                        ++refused;
                        QCOMPARE(ex.calls.size(), before); // a refused execution ran nothing
                        QCOMPARE(int(res.error().code), int(ErrorCode::PermissionDenied));
                    }
                }
                }
            }
            ++finals[std::string(toString(r->state()))];
        }

        // Oracle over everything the executor actually ran.
        auto entries = log.entries();
        QVERIFY(entries.has_value());
        int checkedExecutions = 0, checkedRollbacks = 0;
        for (const auto& call : ex.calls) {
            const bool isRollback = call.actionId.ends_with(".rollback");
            const std::string id =
                isRollback ? call.actionId.substr(0, call.actionId.size() - 9) : call.actionId;
            // The entry just before the call must start this execution (or its rollback).
            QVERIFY(call.auditSizeAtCall >= 1);
            const AuditEntry& start = (*entries)[call.auditSizeAtCall - 1];
            QCOMPARE(start.actionId, id);
            QCOMPARE(start.type, std::string(isRollback ? "rollback-start" : "execute-start"));
            // Find the execute-start of the original action and replay approvals up to it.
            std::size_t startIdx = call.auditSizeAtCall - 1;
            if (isRollback) {
                while (startIdx > 0 &&
                       !((*entries)[startIdx].actionId == id && (*entries)[startIdx].type == "execute-start"))
                    --startIdx;
                const json v = json::parse((*entries)[call.auditSizeAtCall - 2].payload);
                QCOMPARE((*entries)[call.auditSizeAtCall - 2].type, std::string("verify"));
                QVERIFY(!v["held"].get<bool>()); // rollback only after failed verification
                ++checkedRollbacks;
            } else {
                QVERIFY2(!call.deniedByOracle, "executed although the policy denied it");
                std::string proposer;
                auto valid = replayApprovals(*entries, startIdx, id, call.fingerprint, &proposer);
                QVERIFY2(valid.has_value(), "executed without a successful dry run of exactly this action");
                QVERIFY2(int(valid->size()) >= call.requiredByOracle, "executed without enough approvals");
                if (call.requiredByOracle >= 2)
                    QVERIFY(!(valid->size() == 1 && valid->count(proposer)));
                ++checkedExecutions;
            }
            // Complete trail: after the start, a finish and a terminal state for this action.
            bool finished = false;
            std::string lastState;
            for (std::size_t i = call.auditSizeAtCall; i < entries->size(); ++i) {
                const auto& e = (*entries)[i];
                if (e.actionId != id)
                    continue;
                if (e.type == (isRollback ? "rollback-finish" : "execute-finish"))
                    finished = true;
                lastState = json::parse(e.payload)["state"];
            }
            QVERIFY2(finished, "an execution has no finish entry");
            QVERIFY2(lastState == "succeeded" || lastState == "failed" || lastState == "rolled-back",
                     lastState.c_str());
        }
        auto report = log.verify();
        QVERIFY(report->ok);
        qInfo("lifecycles=%d seed=%u executions=%d rollbacks=%d refusedExecuteCalls=%d auditEntries=%lld",
              lifecycles, seed, checkedExecutions, checkedRollbacks, refused,
              static_cast<long long>(report->entries));
        for (const auto& [state, count] : finals)
            qInfo("  final state %-12s %d", state.c_str(), count);
        QVERIFY(checkedExecutions > lifecycles / 50); // the generator does reach execution often
        (void)executed;
    }
};

QTEST_GUILESS_MAIN(TestRemediationProperty)
#include "tst_remediation_property.moc"
