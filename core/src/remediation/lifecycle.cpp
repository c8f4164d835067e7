#include "cairn/remediation/lifecycle.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <thread>

namespace cairn::remediation {

using nlohmann::json;

namespace {
// Readable values for the output: 1.43e+09 -> "1430000000", 0.4 -> "0.4", 1526.77 -> "1526.77".
std::string formatNumber(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, std::abs(v) >= 1e6 ? "%.0f" : "%.6g", v);
    return buf;
}
} // namespace

TimeMs SystemClock::now() {
    return nowMs();
}

void SystemClock::sleepFor(TimeMs ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

Result<double> MetricProbe::sampleSeries(const std::string& metric, const std::map<std::string, std::string>&,
                                         TimeMs) {
    return fail(ErrorCode::Unsupported, "this metric probe cannot read a series selected by labels",
                "verification of " + metric);
}

void RoutingExecutor::add(std::string kindPrefix, std::shared_ptr<Executor> executor) {
    m_routes.emplace_back(std::move(kindPrefix), std::move(executor));
}

Executor* RoutingExecutor::route(const Action& action) const {
    const std::pair<std::string, std::shared_ptr<Executor>>* best = nullptr;
    for (const auto& r : m_routes)
        if (action.kind.starts_with(r.first) && (!best || r.first.size() > best->first.size()))
            best = &r;
    return best ? best->second.get() : nullptr;
}

Result<ExecutionReport> RoutingExecutor::dryRun(const Action& action, const CancelToken& cancel) {
    if (Executor* e = route(action))
        return e->dryRun(action, cancel);
    return fail(ErrorCode::NotFound, "nothing executes action kind \"" + action.kind + "\"",
                "action " + action.id);
}

Result<ExecutionReport> RoutingExecutor::execute(const Action& action, const CancelToken& cancel,
                                                 const OutputSink& output) {
    if (Executor* e = route(action))
        return e->execute(action, cancel, output);
    return fail(ErrorCode::NotFound, "nothing executes action kind \"" + action.kind + "\"",
                "action " + action.id);
}

std::string_view toString(State s) {
    switch (s) {
    case State::Proposed:
        return "proposed";
    case State::DryRun:
        return "dry-run";
    case State::Approved:
        return "approved";
    case State::Executing:
        return "executing";
    case State::Verifying:
        return "verifying";
    case State::Succeeded:
        return "succeeded";
    case State::RolledBack:
        return "rolled-back";
    case State::Failed:
        return "failed";
    case State::Rejected:
        return "rejected";
    }
    return "unknown";
}

bool isTerminal(State s) {
    return s == State::Succeeded || s == State::RolledBack || s == State::Failed || s == State::Rejected;
}

std::string_view toString(Command::Type t) {
    using T = Command::Type;
    switch (t) {
    case T::Propose:
        return "propose";
    case T::DryRun:
        return "dry-run";
    case T::Approve:
        return "approve";
    case T::WithdrawApproval:
        return "withdraw-approval";
    case T::Reject:
        return "reject";
    case T::Amend:
        return "amend";
    case T::StartExecution:
        return "execute-start";
    case T::FinishExecution:
        return "execute-finish";
    case T::FinishVerification:
        return "verify";
    case T::StartRollback:
        return "rollback-start";
    case T::FinishRollback:
        return "rollback-finish";
    case T::Fail:
        return "fail";
    }
    return "unknown";
}

json toJson(const Verdict& v) {
    return json{{"decision", toString(v.decision)},
                {"requiredApprovals", v.requiredApprovals},
                {"reasons", v.reasons}};
}

namespace {

json reportJson(const ExecutionReport& r) {
    // Keep audit rows bounded: the head and tail of long output.
    constexpr std::size_t kMax = 64 * 1024;
    std::string out = r.output;
    if (out.size() > kMax) {
        const std::string tail = out.substr(out.size() - kMax / 2);
        const std::size_t omitted = out.size() - kMax;
        out.resize(kMax / 2);
        out += "\n[... " + std::to_string(omitted) + " bytes omitted ...]\n" + tail;
    }
    return json{{"ok", r.ok}, {"command", r.command}, {"output", out}, {"error", r.error}};
}

// The policy verdict recorded in an audit row (anything unreadable denies).
Verdict verdictFrom(const json& v) {
    Verdict out;
    const std::string d = v.value("decision", std::string("deny"));
    out.decision = d == "allow"            ? Decision::Allow
                   : d == "needs approval" ? Decision::NeedsApproval
                                           : Decision::Deny;
    out.requiredApprovals = v.value("requiredApprovals", 0);
    out.reasons = v.value("reasons", std::vector<std::string>());
    return out;
}

ExecutionReport reportFrom(const json& j) {
    ExecutionReport r;
    r.ok = j.value("ok", false);
    r.command = j.value("command", std::string());
    r.output = j.value("output", std::string());
    r.error = j.value("error", std::string());
    return r;
}

std::unexpected<Error> refuse(const std::string& why, const Action& a) {
    return std::unexpected(Error{ErrorCode::PermissionDenied, why, "remediation " + a.id});
}

} // namespace

Result<Remediation> Remediation::propose(Action action, const std::string& proposer,
                                         const PolicyEngine& policy, const ExecutionHistory& history,
                                         AuditLog& log, TimeMs now) {
    if (proposer.empty())
        return fail(ErrorCode::InvalidArgument, "a proposal needs the proposer's name",
                    "remediation " + action.id);
    Remediation r(log);
    r.m_proposer = proposer;
    Command c{Command::Type::Propose, proposer, now, json::object()};
    c.data["action"] = toJson(action);
    c.data["fingerprint"] = fingerprint(action);
    c.data["verdict"] = toJson(policy.evaluate(action, now, history));
    r.m_action = std::move(action);
    if (auto ok = r.apply(c); !ok)
        return std::unexpected(ok.error());
    return r;
}

std::vector<Approval> Remediation::validApprovals() const {
    std::vector<Approval> out;
    if (m_dryRunFingerprint.empty() || m_dryRunFingerprint != m_fingerprint)
        return out;
    for (const auto& a : m_approvals)
        if (a.fingerprint == m_fingerprint)
            out.push_back(a);
    return out;
}

int Remediation::countValidApprovals(std::vector<std::string>* who) const {
    std::set<std::string> people;
    for (const auto& a : validApprovals())
        people.insert(a.actor);
    if (who)
        who->assign(people.begin(), people.end());
    return static_cast<int>(people.size());
}

Result<void> Remediation::record(const Command& c, State next) {
    json payload = c.data;
    payload["from"] = toString(m_state);
    payload["state"] = toString(next);
    auto e = m_log->append(c.at, m_action.id, c.actor, std::string(toString(c.type)), payload.dump());
    if (!e)
        return std::unexpected(e.error());
    m_state = next;
    return {};
}

Result<void> Remediation::apply(const Command& c) {
    using T = Command::Type;
    const State s = m_state;
    auto illegal = [&]() {
        return refuse(std::string("cannot ") + std::string(toString(c.type)) + " a remediation that is " +
                          std::string(toString(s)),
                      m_action);
    };
    if (isTerminal(s))
        return illegal();
    switch (c.type) {
    case T::Propose: {
        m_fingerprint = fingerprint(m_action);
        m_verdict = verdictFrom(c.data.at("verdict"));
        return record(c, State::Proposed);
    }
    case T::DryRun: {
        if (s != State::Proposed && s != State::DryRun)
            return illegal();
        if (c.data.value("fingerprint", std::string()) != m_fingerprint)
            return refuse("the dry run was made for a different version of the action", m_action);
        if (auto r = record(c, State::DryRun); !r)
            return r;
        m_dryRun = reportFrom(c.data.at("report"));
        m_dryRunFingerprint = m_fingerprint;
        m_verdict = verdictFrom(c.data.at("verdict"));
        return {};
    }
    case T::Approve: {
        if (s != State::DryRun && s != State::Approved)
            return illegal();
        if (m_verdict.decision == Decision::Deny)
            return refuse("the policy denies this action: " + m_verdict.summary(), m_action);
        if (!m_dryRun || !m_dryRun->ok)
            return refuse("an action can only be approved after a successful dry run", m_action);
        if (c.data.value("fingerprint", std::string()) != m_fingerprint ||
            m_dryRunFingerprint != m_fingerprint)
            return refuse("the approval was given for a different version of the action", m_action);
        if (c.actor.empty())
            return refuse("an approval needs the approver's name", m_action);
        for (const auto& a : validApprovals())
            if (a.actor == c.actor)
                return refuse(c.actor + " has already approved this action", m_action);
        std::vector<Approval> next = m_approvals;
        next.push_back(Approval{c.actor, c.data.value("reason", std::string()), m_fingerprint, c.at});
        std::swap(next, m_approvals);
        const bool enough = countValidApprovals(nullptr) >= m_verdict.requiredApprovals;
        std::swap(next, m_approvals);
        if (auto r = record(c, enough ? State::Approved : State::DryRun); !r)
            return r;
        m_approvals.push_back(Approval{c.actor, c.data.value("reason", std::string()), m_fingerprint, c.at});
        return {};
    }
    case T::WithdrawApproval: {
        if (s != State::DryRun && s != State::Approved)
            return illegal();
        auto it = std::find_if(m_approvals.begin(), m_approvals.end(),
                               [&](const Approval& a) { return a.actor == c.actor; });
        if (it == m_approvals.end())
            return refuse(c.actor + " has no approval to withdraw", m_action);
        std::vector<Approval> remaining;
        for (const auto& a : m_approvals)
            if (a.actor != c.actor)
                remaining.push_back(a);
        std::swap(remaining, m_approvals);
        const bool enough = countValidApprovals(nullptr) >= m_verdict.requiredApprovals && m_dryRun &&
                            m_dryRun->ok && m_verdict.decision != Decision::Deny;
        std::swap(remaining, m_approvals);
        if (auto r = record(c, enough ? State::Approved : State::DryRun); !r)
            return r;
        m_approvals = std::move(remaining);
        return {};
    }
    case T::Reject: {
        if (s != State::Proposed && s != State::DryRun && s != State::Approved)
            return illegal();
        return record(c, State::Rejected);
    }
    case T::Amend: {
        if (s != State::Proposed && s != State::DryRun && s != State::Approved)
            return illegal();
        auto changed = actionFromJson(c.data.at("action"));
        if (!changed)
            return std::unexpected(changed.error());
        if (changed->id != m_action.id)
            return refuse("an amendment cannot change the action's id", m_action);
        if (auto r = record(c, State::Proposed); !r)
            return r;
        m_action = std::move(*changed);
        m_fingerprint = fingerprint(m_action);
        m_dryRun.reset();
        m_dryRunFingerprint.clear();
        m_approvals.clear(); // void: they were given for what is no longer the action
        m_verdict = verdictFrom(c.data.at("verdict"));
        return {};
    }
    case T::StartExecution: {
        // The guard: recomputed here from state the command cannot forge.
        if (s != State::Approved && s != State::DryRun)
            return illegal();
        if (!m_dryRun || !m_dryRun->ok || m_dryRunFingerprint != m_fingerprint)
            return refuse("the action has no successful dry run for its current form", m_action);
        const std::string decision = c.data.at("verdict").value("decision", std::string("deny"));
        const int required = c.data.at("verdict").value("requiredApprovals", 2);
        if (decision == "deny")
            return refuse("the policy denies this action now", m_action);
        std::vector<std::string> who;
        const int have = countValidApprovals(&who);
        if (have < required)
            return refuse("the action needs " + std::to_string(required) + " approval(s) and has " +
                              std::to_string(have),
                          m_action);
        if (required >= 2 &&
            std::all_of(who.begin(), who.end(), [&](const auto& w) { return w == m_proposer; }))
            return refuse("two-person rule: the proposer cannot approve alone", m_action);
        if (c.data.value("fingerprint", std::string()) != m_fingerprint)
            return refuse("the execution request is for a different version of the action", m_action);
        return record(c, State::Executing);
    }
    case T::FinishExecution: {
        if (s != State::Executing || m_rollingBack)
            return illegal();
        const bool ok = c.data.at("report").value("ok", false);
        State next = !ok ? State::Failed : m_action.verification ? State::Verifying : State::Succeeded;
        if (auto r = record(c, next); !r)
            return r;
        m_execution = reportFrom(c.data.at("report"));
        if (!ok)
            m_failure = m_execution->error.empty() ? "execution failed" : m_execution->error;
        return {};
    }
    case T::FinishVerification: {
        if (s != State::Verifying || m_verificationFailed)
            return illegal();
        const bool held = c.data.value("held", false);
        if (auto r = record(c, held ? State::Succeeded : State::Verifying); !r)
            return r;
        m_verificationFailed = !held;
        return {};
    }
    case T::StartRollback: {
        if (s != State::Verifying || !m_verificationFailed || !m_action.rollback)
            return illegal();
        if (auto r = record(c, State::Executing); !r)
            return r;
        m_rollingBack = true;
        return {};
    }
    case T::FinishRollback: {
        if (s != State::Executing || !m_rollingBack)
            return illegal();
        const bool ok = c.data.at("report").value("ok", false);
        if (auto r = record(c, ok ? State::RolledBack : State::Failed); !r)
            return r;
        if (!ok)
            m_failure = "the rollback failed: " + c.data.at("report").value("error", std::string());
        return {};
    }
    case T::Fail: {
        if (auto r = record(c, State::Failed); !r)
            return r;
        m_failure = c.data.value("reason", std::string("failed"));
        return {};
    }
    }
    return illegal();
}

Result<void> Remediation::dryRun(Executor& executor, const PolicyEngine& policy,
                                 const ExecutionHistory& history, const CancelToken& cancel, TimeMs now) {
    if (m_state != State::Proposed && m_state != State::DryRun)
        return refuse("cannot dry-run a remediation that is " + std::string(toString(m_state)), m_action);
    auto report = executor.dryRun(m_action, cancel);
    ExecutionReport rep = report ? *report : ExecutionReport{false, {}, {}, report.error().what()};
    Command c{Command::Type::DryRun, "cairn", now, json::object()};
    c.data["fingerprint"] = m_fingerprint;
    c.data["report"] = reportJson(rep);
    c.data["verdict"] = toJson(policy.evaluate(m_action, now, history));
    return apply(c);
}

Result<void> Remediation::approve(const std::string& actor, const std::string& reason, TimeMs now) {
    return apply(Command{Command::Type::Approve, actor, now,
                         json{{"fingerprint", m_fingerprint}, {"reason", reason}}});
}

Result<void> Remediation::withdrawApproval(const std::string& actor, const std::string& reason, TimeMs now) {
    return apply(Command{Command::Type::WithdrawApproval, actor, now, json{{"reason", reason}}});
}

Result<void> Remediation::reject(const std::string& actor, const std::string& reason, TimeMs now) {
    return apply(Command{Command::Type::Reject, actor, now, json{{"reason", reason}}});
}

Result<void> Remediation::amend(const Action& changed, const std::string& actor, const PolicyEngine& policy,
                                const ExecutionHistory& history, TimeMs now) {
    Command c{Command::Type::Amend, actor, now, json::object()};
    c.data["action"] = toJson(changed);
    c.data["fingerprint"] = fingerprint(changed);
    c.data["verdict"] = toJson(policy.evaluate(changed, now, history));
    return apply(c);
}

Result<State> Remediation::execute(const std::string& actor, RunContext ctx) {
    const TimeMs start = ctx.clock.now();
    const Verdict now = ctx.policy.evaluate(m_action, start, ctx.history);
    std::vector<std::string> who;
    countValidApprovals(&who);
    Command c{Command::Type::StartExecution, actor, start, json::object()};
    c.data["fingerprint"] = m_fingerprint;
    c.data["verdict"] = toJson(now);
    c.data["approvers"] = who;
    if (auto r = apply(c); !r)
        return std::unexpected(r.error());
    ctx.history.record(m_action, start);

    auto result = ctx.executor.execute(m_action, ctx.cancel, ctx.output);
    ExecutionReport rep = result ? *result : ExecutionReport{false, {}, {}, result.error().what()};
    if (auto r = apply(Command{Command::Type::FinishExecution, "cairn", ctx.clock.now(),
                               json{{"report", reportJson(rep)}}});
        !r)
        return std::unexpected(r.error());
    if (m_state != State::Verifying)
        return m_state;

    // Verification: poll until every target satisfies the condition or the time is up.
    const auto& v = *m_action.verification;
    const TimeMs deadline = ctx.clock.now() + v.withinMs;
    bool held = false;
    json values = json::object();
    std::string why;
    while (true) {
        if (ctx.cancel.isCancelled()) {
            why = "verification cancelled";
            break;
        }
        if (!ctx.probe) {
            why = "no metric probe to verify with";
            break;
        }
        held = true;
        if (!v.labels.empty()) {
            std::string key = v.metric + "{";
            for (const auto& [k, val] : v.labels)
                key += (key.back() == '{' ? "" : ",") + k + "=\"" + val + "\"";
            key += "}";
            auto val = ctx.probe->sampleSeries(v.metric, v.labels, ctx.clock.now());
            if (!val) {
                held = false;
                values[key] = val.error().what();
            } else {
                values[key] = *val;
                held = v.holdsFor(*val);
            }
        }
        for (const auto& t : v.labels.empty() ? m_action.targets : std::vector<Target>{}) {
            auto val = ctx.probe->sample(v.metric, t, ctx.clock.now());
            if (!val) {
                held = false;
                values[t.name] = val.error().what();
                continue;
            }
            values[t.name] = *val;
            if (!v.holdsFor(*val))
                held = false;
        }
        if (held || ctx.clock.now() >= deadline)
            break;
        ctx.clock.sleepFor(std::min(v.pollMs, std::max<TimeMs>(1, deadline - ctx.clock.now())));
    }
    if (!held && why.empty())
        why = "the condition " + v.metric + (v.comparator == Comparator::Below ? " < " : " > ") +
              std::to_string(v.threshold) + " did not hold within " + std::to_string(v.withinMs) + " ms";
    if (ctx.output) {
        std::string line = held ? "verification held:" : "verification did not hold:";
        for (const auto& [key, value] : values.items())
            line += " " + key + " = " +
                    (value.is_number() ? formatNumber(value.get<double>()) : value.get<std::string>());
        ctx.output(line + (held ? "\n" : " (" + why + ")\n"));
    }
    if (auto r = apply(Command{Command::Type::FinishVerification, "cairn", ctx.clock.now(),
                               json{{"held", held}, {"values", values}, {"detail", why}}});
        !r)
        return std::unexpected(r.error());
    if (held)
        return m_state;

    auto rb = rollbackAction(m_action);
    if (rb && ctx.policy.config().autoRollback && !ctx.cancel.isCancelled()) {
        if (auto r = apply(Command{Command::Type::StartRollback, "policy", ctx.clock.now(),
                                   json{{"action", toJson(*rb)}}});
            !r)
            return std::unexpected(r.error());
        if (ctx.output)
            ctx.output("rolling back with " + rb->kind + "\n");
        auto rres = ctx.executor.execute(*rb, CancelToken(), ctx.output);
        ExecutionReport rrep = rres ? *rres : ExecutionReport{false, {}, {}, rres.error().what()};
        if (auto r = apply(Command{Command::Type::FinishRollback, "cairn", ctx.clock.now(),
                                   json{{"report", reportJson(rrep)}}});
            !r)
            return std::unexpected(r.error());
        return m_state;
    }
    if (rb)
        m_proposedRollback = rb;
    if (auto r = apply(
            Command{Command::Type::Fail, "cairn", ctx.clock.now(),
                    json{{"reason", "verification failed: " + why}, {"rollbackProposed", rb.has_value()}}});
        !r)
        return std::unexpected(r.error());
    return m_state;
}

} // namespace cairn::remediation
