// One remediation's lifecycle as a state machine: proposed -> dry-run -> approved -> executing -> verifying
// -> succeeded | rolled back | failed (or rejected). Every transition is a Command object that is checked
// against the current state and written to the AuditLog before it takes effect. Approvals are bound to the
// fingerprint of the dry-run action: amending the action voids them. Execution re-evaluates the policy and
// counts only valid, distinct approvals; with two required, the proposer cannot approve alone. Times are UTC
// ms. Thread-safety: one Remediation is driven from one thread; it holds references to the log it writes.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/remediation/action.h"
#include "cairn/remediation/auditlog.h"
#include "cairn/remediation/executor.h"
#include "cairn/remediation/policy.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cairn::remediation {

enum class State {
    Proposed,
    DryRun,
    Approved,
    Executing,
    Verifying,
    Succeeded,
    RolledBack,
    Failed,
    Rejected
};
std::string_view toString(State state);
bool isTerminal(State state);

struct Approval {
    std::string actor;
    std::string reason;
    std::string fingerprint; // of the action as dry-run when approved
    TimeMs at = 0;
};

// A transition request. `type` names it in the audit log.
struct Command {
    enum class Type {
        Propose,
        DryRun,
        Approve,
        WithdrawApproval,
        Reject,
        Amend,
        StartExecution,
        FinishExecution,
        FinishVerification,
        StartRollback,
        FinishRollback,
        Fail,
    };
    Type type;
    std::string actor;
    TimeMs at = 0;
    nlohmann::json data = nlohmann::json::object();
};
std::string_view toString(Command::Type type);

class Remediation {
public:
    // Proposes `action`: evaluates the policy and writes the first audit entry.
    static Result<Remediation> propose(Action action, const std::string& proposer, const PolicyEngine& policy,
                                       const ExecutionHistory& history, AuditLog& log, TimeMs now);

    const Action& action() const { return m_action; }
    State state() const { return m_state; }
    const std::string& proposer() const { return m_proposer; }
    const Verdict& verdict() const { return m_verdict; }
    const std::optional<ExecutionReport>& dryRunReport() const { return m_dryRun; }
    const std::optional<ExecutionReport>& executionReport() const { return m_execution; }
    const std::vector<Approval>& approvals() const { return m_approvals; }
    // Approvals that still count: bound to the current dry-run fingerprint.
    std::vector<Approval> validApprovals() const;
    // Set when verification failed and the policy says to propose (not run) the rollback.
    const std::optional<Action>& proposedRollback() const { return m_proposedRollback; }
    const std::string& failureReason() const { return m_failure; }

    Result<void> dryRun(Executor& executor, const PolicyEngine& policy, const ExecutionHistory& history,
                        const CancelToken& cancel, TimeMs now);
    Result<void> approve(const std::string& actor, const std::string& reason, TimeMs now);
    Result<void> withdrawApproval(const std::string& actor, const std::string& reason, TimeMs now);
    Result<void> reject(const std::string& actor, const std::string& reason, TimeMs now);
    // Replaces the action (kind, targets, parameters...). Back to proposed; earlier approvals are void.
    Result<void> amend(const Action& changed, const std::string& actor, const PolicyEngine& policy,
                       const ExecutionHistory& history, TimeMs now);

    struct RunContext {
        Executor& executor;
        const PolicyEngine& policy;
        ExecutionHistory& history;
        Clock& clock;
        MetricProbe* probe = nullptr; // needed when the action has a verification check
        CancelToken cancel;
        OutputSink output;
    };
    // Executes (after the guard), verifies, and rolls back when verification fails and the policy says so.
    // Returns the final state; an Error when the guard refuses (nothing ran) or the audit log failed.
    Result<State> execute(const std::string& actor, RunContext ctx);

    // Applies one command: checks it is legal in the current state, audits it, then changes state.
    Result<void> apply(const Command& command);

private:
    Remediation(AuditLog& log)
        : m_log(&log) {}
    Result<void> record(const Command& command, State next);
    int countValidApprovals(std::vector<std::string>* who) const;

    AuditLog* m_log;
    Action m_action;
    std::string m_fingerprint;
    std::string m_proposer;
    State m_state = State::Proposed;
    Verdict m_verdict;
    std::optional<ExecutionReport> m_dryRun;
    std::string m_dryRunFingerprint;
    std::optional<ExecutionReport> m_execution;
    std::vector<Approval> m_approvals;
    std::optional<Action> m_proposedRollback;
    std::string m_failure;
    bool m_verificationFailed = false;
    bool m_rollingBack = false;
};

nlohmann::json toJson(const Verdict& verdict);

} // namespace cairn::remediation
