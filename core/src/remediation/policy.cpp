#include "cairn/remediation/policy.h"

#include "cairn/remediation/auditlog.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

namespace cairn::remediation {

using nlohmann::json;

std::string_view toString(Decision d) {
    switch (d) {
    case Decision::Allow:
        return "allow";
    case Decision::NeedsApproval:
        return "needs approval";
    case Decision::Deny:
        return "deny";
    }
    return "unknown";
}

std::string Verdict::summary() const {
    std::string s(toString(decision));
    if (decision == Decision::NeedsApproval)
        s += " (" + std::to_string(requiredApprovals) + (requiredApprovals == 1 ? " person)" : " people)");
    for (std::size_t i = 0; i < reasons.size(); ++i)
        s += (i == 0 ? ": " : "; ") + reasons[i];
    return s;
}

bool globMatch(std::string_view p, std::string_view t) {
    std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
    while (ti < t.size()) {
        if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
            ++pi;
            ++ti;
        } else if (pi < p.size() && p[pi] == '*') {
            star = pi++;
            mark = ti;
        } else if (star != std::string_view::npos) {
            pi = star + 1;
            ti = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '*')
        ++pi;
    return pi == p.size();
}

void ExecutionHistory::record(const Action& action, TimeMs at) {
    for (const auto& t : action.targets)
        executions.emplace_back(t.name, at);
}

int ExecutionHistory::countSince(const std::string& target, TimeMs since) const {
    return static_cast<int>(std::count_if(executions.begin(), executions.end(), [&](const auto& e) {
        return e.first == target && e.second >= since;
    }));
}

ExecutionHistory historyFromAudit(const std::vector<AuditEntry>& entries) {
    ExecutionHistory h;
    std::map<std::string, std::vector<std::string>> targets; // action id -> target names
    for (const auto& e : entries) {
        if (e.type == "propose" || e.type == "amend") {
            const json p = json::parse(e.payload, nullptr, false);
            if (!p.is_object() || !p.contains("action") || !p["action"].is_object())
                continue;
            std::vector<std::string> names;
            for (const auto& t : p["action"].value("targets", json::array()))
                if (t.is_object() && t.contains("name") && t["name"].is_string())
                    names.push_back(t["name"].get<std::string>());
            targets[e.actionId] = std::move(names);
        } else if (e.type == "execute-start") {
            for (const auto& name : targets[e.actionId])
                h.executions.emplace_back(name, e.time);
        }
    }
    return h;
}

namespace {

bool envMatch(const std::string& rule, const std::string& env) {
    return rule == "*" || rule == env;
}

// Returns an empty string when the value is acceptable, else why not.
std::string checkParameter(const ParameterRule& rule, const std::string& value) {
    std::regex re;
    try {
        re = std::regex(rule.pattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
        return "the policy's pattern for parameter \"" + rule.name + "\" is not a valid regular expression";
    }
    if (!std::regex_match(value, re))
        return "parameter \"" + rule.name + "\" value is not allowed (must match " + rule.pattern + ")";
    if (rule.min || rule.max) {
        long long v = 0;
        try {
            std::size_t used = 0;
            v = std::stoll(value, &used);
            if (used != value.size())
                return "parameter \"" + rule.name + "\" must be an integer";
        } catch (const std::exception&) {
            return "parameter \"" + rule.name + "\" must be an integer";
        }
        if (rule.min && v < *rule.min)
            return "parameter \"" + rule.name + "\" is below its minimum " + std::to_string(*rule.min);
        if (rule.max && v > *rule.max)
            return "parameter \"" + rule.name + "\" is above its maximum " + std::to_string(*rule.max);
    }
    return {};
}

} // namespace

Verdict PolicyEngine::evaluate(const Action& action, TimeMs now, const ExecutionHistory& history) const {
    Verdict v;
    std::vector<std::string> denials;
    if (m_config.readOnly)
        denials.emplace_back("read-only mode is on: no change may run");

    if (action.targets.empty())
        denials.emplace_back("the action has no targets");
    if (static_cast<int>(action.targets.size()) > m_config.maxTargets)
        denials.push_back("blast radius: " + std::to_string(action.targets.size()) +
                          " targets exceed the limit of " + std::to_string(m_config.maxTargets));

    // Allowlist: every target needs a matching rule; the strictest approval count wins.
    int approvals = 0;
    for (const auto& t : action.targets) {
        const AllowRule* match = nullptr;
        for (const auto& r : m_config.allow) {
            if (r.kind == action.kind && envMatch(r.environment, t.environment) &&
                globMatch(r.targetGlob, t.name)) {
                if (!match || r.approvals > match->approvals)
                    match = &r;
            }
        }
        if (!match) {
            denials.push_back("\"" + action.kind + "\" is not allowlisted for target " + t.name +
                              (t.environment.empty() ? "" : " in " + t.environment));
            continue;
        }
        approvals = std::max(approvals, std::clamp(match->approvals, 0, 2));
    }

    // Parameters: only the declared ones, each validated.
    auto rulesIt = m_config.parameters.find(action.kind);
    static const std::vector<ParameterRule> none;
    const auto& rules = rulesIt == m_config.parameters.end() ? none : rulesIt->second;
    for (const auto& [name, value] : action.parameters) {
        auto r = std::find_if(rules.begin(), rules.end(),
                              [&](const ParameterRule& pr) { return pr.name == name; });
        if (r == rules.end()) {
            denials.push_back("parameter \"" + name + "\" is not accepted by " + action.kind);
            continue;
        }
        if (auto why = checkParameter(*r, value); !why.empty())
            denials.push_back(why);
    }
    for (const auto& r : rules)
        if (r.required && !action.parameters.count(r.name))
            denials.push_back("required parameter \"" + r.name + "\" is missing");

    // Blast radius per service: share of its replicas touched by this action.
    std::map<std::string, std::set<std::string>> perService;
    for (const auto& t : action.targets)
        if (!t.service.empty())
            perService[t.service].insert(t.name);
    for (const auto& [service, names] : perService) {
        auto it = m_config.serviceReplicas.find(service);
        if (it == m_config.serviceReplicas.end() || it->second <= 0)
            continue;
        const double share = double(names.size()) / double(it->second);
        if (share > m_config.maxReplicaFraction + 1e-12)
            denials.push_back("blast radius: " + std::to_string(names.size()) + " of " +
                              std::to_string(it->second) + " replicas of " + service + " exceed " +
                              std::to_string(int(std::lround(m_config.maxReplicaFraction * 100))) + "%");
    }

    // Rate limit per target.
    for (const auto& t : action.targets) {
        const int n = history.countSince(t.name, now - m_config.rateWindowMs);
        if (n >= m_config.maxExecutionsPerTarget)
            denials.push_back("rate limit: " + t.name + " already had " + std::to_string(n) +
                              " remediations in the window");
    }

    // Change freezes.
    for (const auto& f : m_config.freezes) {
        if (!f.range.contains(now))
            continue;
        for (const auto& t : action.targets) {
            if (envMatch(f.environment, t.environment)) {
                denials.push_back("change freeze until " + formatIso(f.range.end) +
                                  (f.reason.empty() ? "" : " (" + f.reason + ")"));
                break;
            }
        }
    }

    if (!denials.empty()) {
        v.decision = Decision::Deny;
        v.reasons = std::move(denials);
        return v;
    }
    if (action.risk == RiskClass::High)
        approvals = std::max(approvals, std::clamp(m_config.minApprovalsHighRisk, 0, 2));
    if (action.risk == RiskClass::Critical)
        approvals = std::max(approvals, std::clamp(m_config.minApprovalsCritical, 0, 2));
    v.requiredApprovals = approvals;
    v.decision = approvals == 0 ? Decision::Allow : Decision::NeedsApproval;
    v.reasons.push_back("\"" + action.kind + "\" is allowlisted for " +
                        std::to_string(action.targets.size()) + " target(s), risk " +
                        std::string(toString(action.risk)));
    if (approvals == 2)
        v.reasons.emplace_back("two-person rule: the proposer cannot approve alone");
    return v;
}

namespace {

template <class T> Result<T> field(const json& j, const char* key, T fallback) {
    auto it = j.find(key);
    if (it == j.end())
        return fallback;
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        return fail(ErrorCode::Parse, std::string("policy field \"") + key + "\" has the wrong type");
    }
}

} // namespace

Result<PolicyConfig> policyFromJson(const json& j) {
    if (!j.is_object())
        return fail(ErrorCode::Parse, "a policy must be a JSON object");
    static const std::set<std::string> known{"readOnly",
                                             "allow",
                                             "parameters",
                                             "maxTargets",
                                             "maxReplicaFraction",
                                             "serviceReplicas",
                                             "maxExecutionsPerTarget",
                                             "rateWindowMs",
                                             "freezes",
                                             "minApprovalsHighRisk",
                                             "minApprovalsCritical",
                                             "autoRollback"};
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!known.count(it.key()))
            return fail(ErrorCode::Parse, "unknown policy field \"" + it.key() + "\"");
    PolicyConfig c;
#define CAIRN_FIELD(name)                                                                                    \
    {                                                                                                        \
        auto r = field(j, #name, c.name);                                                                    \
        if (!r)                                                                                              \
            return std::unexpected(r.error());                                                               \
        c.name = *r;                                                                                         \
    }
    CAIRN_FIELD(readOnly)
    CAIRN_FIELD(maxTargets)
    CAIRN_FIELD(maxReplicaFraction)
    CAIRN_FIELD(serviceReplicas)
    CAIRN_FIELD(maxExecutionsPerTarget)
    CAIRN_FIELD(rateWindowMs)
    CAIRN_FIELD(minApprovalsHighRisk)
    CAIRN_FIELD(minApprovalsCritical)
    CAIRN_FIELD(autoRollback)
#undef CAIRN_FIELD
    if (c.maxTargets < 1 || !(c.maxReplicaFraction > 0 && c.maxReplicaFraction <= 1) || c.rateWindowMs <= 0 ||
        c.maxExecutionsPerTarget < 0)
        return fail(
            ErrorCode::Parse,
            "policy limits out of range (maxTargets >= 1, 0 < maxReplicaFraction <= 1, rateWindowMs > 0)");
    try {
        static const json emptyArray = json::array();
        static const json emptyObject = json::object();
        const json& allowList = j.contains("allow") ? j.at("allow") : emptyArray;
        const json& paramMap = j.contains("parameters") ? j.at("parameters") : emptyObject;
        const json& freezeList = j.contains("freezes") ? j.at("freezes") : emptyArray;
        if (!allowList.is_array() || !paramMap.is_object() || !freezeList.is_array())
            return fail(ErrorCode::Parse,
                        "policy fields allow and freezes must be arrays, parameters an object");
        for (const auto& r : allowList) {
            AllowRule a;
            a.kind = r.at("kind").get<std::string>();
            a.environment = r.value("environment", std::string("*"));
            a.targetGlob = r.value("targets", std::string("*"));
            a.approvals = r.value("approvals", 1);
            if (a.approvals < 0 || a.approvals > 2)
                return fail(ErrorCode::Parse, "allow rule for " + a.kind + ": approvals must be 0, 1 or 2");
            c.allow.push_back(a);
        }
        for (const auto& [kind, list] : paramMap.items()) {
            for (const auto& p : list) {
                ParameterRule pr;
                pr.name = p.at("name").get<std::string>();
                pr.pattern = p.value("pattern", pr.pattern);
                pr.required = p.value("required", false);
                if (p.contains("min"))
                    pr.min = p.at("min").get<long long>();
                if (p.contains("max"))
                    pr.max = p.at("max").get<long long>();
                try {
                    std::regex test(pr.pattern);
                } catch (const std::regex_error&) {
                    return fail(ErrorCode::Parse, "parameter " + pr.name + " of " + kind +
                                                      ": pattern is not a valid regular expression");
                }
                c.parameters[kind].push_back(pr);
            }
        }
        for (const auto& f : freezeList) {
            FreezeWindow fw;
            auto parseT = [&](const char* key) -> Result<TimeMs> {
                const auto& v = f.at(key);
                if (v.is_number_integer())
                    return v.get<TimeMs>();
                return parseTime(v.get<std::string>());
            };
            auto s = parseT("start");
            auto e = parseT("end");
            if (!s || !e)
                return fail(ErrorCode::Parse, "freeze window has an unreadable start or end");
            fw.range = TimeRange{*s, *e};
            if (!fw.range.valid())
                return fail(ErrorCode::Parse, "freeze window ends before it starts");
            fw.environment = f.value("environment", std::string("*"));
            fw.reason = f.value("reason", std::string());
            c.freezes.push_back(fw);
        }
    } catch (const json::exception& e) {
        return fail(ErrorCode::Parse, std::string("malformed policy: ") + e.what());
    }
    return c;
}

Result<PolicyConfig> parsePolicy(std::string_view text) {
    try {
        return policyFromJson(json::parse(text));
    } catch (const json::exception& e) {
        return fail(ErrorCode::Parse, std::string("policy is not valid JSON: ") + e.what());
    }
}

} // namespace cairn::remediation
