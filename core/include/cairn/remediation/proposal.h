// Proposes a remediation for a detected anomaly or a demo incident: the action (what to restart or free,
// where), its verification check (a condition on the anomaly's own series that must hold within a time) and
// its rollback. The mapping follows the symptom:
//   memory_used_bytes / cpu_usage_ratio of a pod, latency / error ratio of a service -> restart the
//     service (the demo's pods, the systemd unit "<service>.service" on each host running it over SSH, or a
//     kubectl rollout restart of deployment <service> with rollout undo as its rollback);
//   disk_used_bytes of a pod -> free disk (the demo's free-disk hook, or the SSH allowlisted free-disk
//     command on the pod's host);
//   restarts_total -> collect diagnostics over SSH (read-only; nothing to verify).
// Hosts, pods and services come from the demo's topology. The threshold is half way between what the
// detector expected and what it observed at the peak (never inside the expected band), so the check holds
// once the series is back to normal. Times are UTC ms.
// Thread-safety: pure functions.
#pragma once

#include "cairn/common/error.h"
#include "cairn/common/time.h"
#include "cairn/demo/incident.h"
#include "cairn/demo/topology.h"
#include "cairn/detect/detector.h"
#include "cairn/remediation/action.h"

#include <optional>
#include <string>

namespace cairn::remediation {

struct ProposalOptions {
    enum class Via { Demo, Ssh, Kubernetes };
    Via via = Via::Demo;
    std::string environment = "demo";   // the targets' environment (policy allowlists key on it)
    std::string kubeContext = "demo";   // k8s: --context
    std::string kubeNamespace = "shop"; // k8s: --namespace
    // SSH: an allowlisted script (ssh.run-script) taking the argument "service" that returns the service to
    // its previous release; when set, SSH restarts are reversible with it as their rollback.
    std::string sshRollbackScript;
    std::string sshFreeDiskCommand = "journal"; // SSH: the allowlisted free-disk command to run
    TimeMs now = 0;                             // names the action: "rem-<service>-<yyyymmddThhmmss>"
    TimeMs verifyWithinMs = 5 * kMinuteMs;
    TimeMs verifyPollMs = 10 * kSecondMs;
};

std::string_view toString(ProposalOptions::Via via); // "demo", "ssh", "kubernetes"

// Errors: a metric with no mapping, a service or pod the topology does not know, an anomaly without an
// expectation (NaN) to derive the verification from, an action the chosen route cannot do.
Result<Action> proposeForAnomaly(const detect::Anomaly& anomaly, const demo::Topology& topology,
                                 const ProposalOptions& options);

// The same mapping for an incident, from its root pod or service and its primary metric; the verification
// threshold comes from `expected` and `observed` (the primary metric's normal and faulty values).
Result<Action> proposeForIncident(const demo::IncidentTruth& incident, double expected, double observed,
                                  const demo::Topology& topology, const ProposalOptions& options);

} // namespace cairn::remediation
