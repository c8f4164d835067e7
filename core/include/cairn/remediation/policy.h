// The remediation policy engine: decides whether an action is allowed, needs approval (and how many people)
// or is denied, and says why. Rules: read-only mode, allowlist of action kinds per environment and target,
// parameter validation, blast radius (at most N targets, at most X% of a service's replicas), rate limits
// per target, change-freeze windows (UTC ms ranges). Thread-safety: evaluate() is const and pure; the
// ExecutionHistory is a plain value the caller owns.
#pragma once

#include "cairn/common/error.h"
#include "cairn/common/time.h"
#include "cairn/remediation/action.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cairn::remediation {

enum class Decision { Allow, NeedsApproval, Deny };
std::string_view toString(Decision decision);

// One allowlist entry: `kind` may run on targets whose name matches `targetGlob` ('*' and '?') in
// `environment` ("*" = any), needing `approvals` people (0, 1 or 2).
struct AllowRule {
    std::string kind;
    std::string environment = "*";
    std::string targetGlob = "*";
    int approvals = 1;
};

// A parameter an action kind accepts. Values must fully match `pattern` (ECMAScript regex);
// integers may carry bounds. Parameters not listed for a kind are refused.
struct ParameterRule {
    std::string name;
    std::string pattern = "[A-Za-z0-9._-]{1,64}";
    bool required = false;
    std::optional<long long> min;
    std::optional<long long> max;
};

struct FreezeWindow {
    TimeRange range;
    std::string environment = "*";
    std::string reason;
};

struct PolicyConfig {
    bool readOnly = false;
    std::vector<AllowRule> allow;
    std::map<std::string, std::vector<ParameterRule>> parameters; // by action kind
    int maxTargets = 5;
    double maxReplicaFraction = 0.5;            // of a service's replicas, per action
    std::map<std::string, int> serviceReplicas; // service -> replica count
    int maxExecutionsPerTarget = 3;             // within rateWindowMs
    TimeMs rateWindowMs = kHourMs;
    std::vector<FreezeWindow> freezes;
    int minApprovalsHighRisk = 1; // high and critical risk never run unapproved
    int minApprovalsCritical = 2;
    bool autoRollback = true; // run the rollback when verification fails
};

Result<PolicyConfig> policyFromJson(const nlohmann::json& json);
Result<PolicyConfig> parsePolicy(std::string_view text);

// Executions that already happened, for rate limits.
struct ExecutionHistory {
    std::vector<std::pair<std::string, TimeMs>> executions; // target name, start time
    void record(const Action& action, TimeMs at);
    int countSince(const std::string& target, TimeMs since) const;
};

struct Verdict {
    Decision decision = Decision::Deny;
    int requiredApprovals = 0;        // distinct people; with 2 the proposer cannot approve alone
    std::vector<std::string> reasons; // why: every rule that denied, or which rule allowed
    std::string summary() const;
};

class PolicyEngine {
public:
    explicit PolicyEngine(PolicyConfig config)
        : m_config(std::move(config)) {}
    const PolicyConfig& config() const { return m_config; }
    Verdict evaluate(const Action& action, TimeMs now, const ExecutionHistory& history) const;

private:
    PolicyConfig m_config;
};

// Shell-style glob with '*' and '?', used for target names.
bool globMatch(std::string_view pattern, std::string_view text);

} // namespace cairn::remediation
