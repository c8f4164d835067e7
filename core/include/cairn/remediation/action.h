// Remediation actions as values: what to change (kind, targets, parameters), how risky and reversible it is,
// what it should achieve, how to verify it (a metric condition that must hold within a time, ms) and how to
// undo it. Actions serialise to canonical JSON; their fingerprint (SHA-256 of that JSON) ties approvals to
// exactly what was dry-run. Thread-safety: plain values and pure functions.
#pragma once

#include "cairn/common/error.h"
#include "cairn/common/time.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::remediation {

enum class RiskClass { Low, Medium, High, Critical };
std::string_view toString(RiskClass risk);
Result<RiskClass> parseRiskClass(std::string_view text);

// Where an action applies: a host, pod or node, the service it belongs to and its environment ("prod").
struct Target {
    std::string name;
    std::string service;
    std::string environment;
    bool operator==(const Target&) const = default;
};

enum class Comparator { Below, Above };

// Verification: metric `metric` must be below/above `threshold` within `withinMs`. Without `labels` it is
// read for every target (the target's name as the series' entity); with `labels` it is read once, from the
// series those labels select (an anomaly's own series: {service="checkout"}, {pod="checkout-...-x2k4p"}).
struct VerificationCheck {
    std::string metric;
    Comparator comparator = Comparator::Below;
    double threshold = 0.0;
    TimeMs withinMs = 5 * kMinuteMs;
    TimeMs pollMs = 10 * kSecondMs;
    std::map<std::string, std::string> labels; // last, so {metric, comparator, threshold, ...} still reads
    bool operator==(const VerificationCheck&) const = default;
    bool holdsFor(double value) const {
        return comparator == Comparator::Below ? value < threshold : value > threshold;
    }
};

// The action that undoes one: same targets, its own kind and parameters.
struct RollbackSpec {
    std::string kind;
    std::map<std::string, std::string> parameters;
    bool operator==(const RollbackSpec&) const = default;
};

struct Action {
    std::string id;   // stable id chosen by the proposer ("rem-2026-11-24-001")
    std::string kind; // "ssh.restart-unit", "k8s.scale"
    std::vector<Target> targets;
    std::map<std::string, std::string> parameters;
    RiskClass risk = RiskClass::Medium;
    bool reversible = false;
    std::string expectedEffect;
    std::optional<VerificationCheck> verification;
    std::optional<RollbackSpec> rollback;
    bool operator==(const Action&) const = default;
};

nlohmann::json toJson(const Action& action);
// Validates shape and types; unknown fields are refused so typos do not silently drop a limit.
Result<Action> actionFromJson(const nlohmann::json& json);

// A plan file: {"actions": [ ... ]} or one action object. Every action needs a unique id.
Result<std::vector<Action>> parsePlan(std::string_view text);

// The action's rollback as an action of its own (same targets, id "<id>.rollback").
std::optional<Action> rollbackAction(const Action& action);

// SHA-256 (hex) of the canonical JSON of everything that changes what runs: kind, targets, parameters,
// rollback. Changing any of them voids approvals given for an earlier dry run.
std::string fingerprint(const Action& action);

// Lower-case hex SHA-256 of bytes (OpenSSL libcrypto).
std::string sha256Hex(std::string_view bytes);

} // namespace cairn::remediation
