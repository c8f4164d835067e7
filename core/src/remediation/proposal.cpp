#include "cairn/remediation/proposal.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace cairn::remediation {

namespace {

enum class Remedy { Restart, FreeDisk, Diagnostics };

std::optional<Remedy> remedyFor(const std::string& metric) {
    if (metric == "memory_used_bytes" || metric == "memory_used_ratio" || metric == "cpu_usage_ratio" ||
        metric == "latency_p95_ms" || metric == "latency_p50_ms" || metric == "error_ratio")
        return Remedy::Restart;
    if (metric == "disk_used_bytes" || metric == "disk_used_ratio")
        return Remedy::FreeDisk;
    if (metric == "restarts_total")
        return Remedy::Diagnostics;
    return std::nullopt;
}

std::string compactTime(TimeMs t) {
    std::string iso = formatIso(t); // 2026-11-25T01:02:03Z
    std::string out;
    for (char c : iso.substr(0, 19))
        if (c != '-' && c != ':')
            out += c;
    return out;
}

std::string fmt(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// A threshold as people read it: bytes in MiB/GiB, milliseconds with their unit, ratios as they are.
std::string human(const std::string& metric, double v) {
    char buf[64];
    if (metric.ends_with("_bytes")) {
        if (std::abs(v) >= 1024.0 * 1024 * 1024)
            std::snprintf(buf, sizeof buf, "%.2f GiB", v / (1024.0 * 1024 * 1024));
        else
            std::snprintf(buf, sizeof buf, "%.1f MiB", v / (1024.0 * 1024));
        return buf;
    }
    if (metric.ends_with("_ms")) {
        std::snprintf(buf, sizeof buf, "%.0f ms", v);
        return buf;
    }
    return fmt(v);
}

std::string minutes(TimeMs ms) {
    return ms % kMinuteMs == 0 ? std::to_string(ms / kMinuteMs) + " min" : std::to_string(ms / 1000) + " s";
}

// The faulty entity: a pod (with its service and host) or a whole service.
struct Subject {
    std::string service;
    std::string pod; // empty: the service as a whole
    std::string host;
    // The labels that select its series: the pod's, else the service's.
    std::map<std::string, std::string> labels() const {
        if (!pod.empty())
            return {{"pod", pod}};
        return {{"service", service}};
    }
};

Result<Subject> subjectOf(const std::string& service, const std::string& pod, const demo::Topology& topology,
                          const std::string& ctx) {
    Subject s;
    if (!pod.empty()) {
        const auto* p = topology.pod(pod);
        if (!p)
            return fail(ErrorCode::NotFound, "the topology has no pod named \"" + pod + "\"", ctx);
        s.pod = p->name;
        s.service = p->service;
        s.host = p->host;
        return s;
    }
    if (service.empty())
        return fail(ErrorCode::InvalidArgument, "the series names neither a pod nor a service", ctx);
    if (!topology.service(service))
        return fail(ErrorCode::NotFound, "the topology has no service named \"" + service + "\"", ctx);
    s.service = service;
    return s;
}

Result<Action> build(Remedy remedy, const Subject& subject, const std::string& metric,
                     const std::map<std::string, std::string>& labels, double expected, double observed,
                     const demo::Topology& topology, const ProposalOptions& o, const std::string& why,
                     const std::string& ctx) {
    Action a;
    a.id = "rem-" + subject.service + "-" + compactTime(o.now);
    a.expectedEffect.clear();
    const std::string where = subject.pod.empty() ? "service " + subject.service : "pod " + subject.pod;
    auto target = [&](const std::string& name) { return Target{name, subject.service, o.environment}; };
    // The pods a restart touches: the faulty pod, or every pod of the service.
    std::vector<std::string> pods =
        subject.pod.empty() ? topology.podsOf(subject.service) : std::vector<std::string>{subject.pod};
    if (pods.empty())
        return fail(ErrorCode::NotFound, "service " + subject.service + " has no pods", ctx);

    if (remedy == Remedy::Diagnostics) {
        if (o.via != ProposalOptions::Via::Ssh)
            return fail(ErrorCode::Unsupported,
                        "collecting diagnostics needs the SSH route; the " + std::string(toString(o.via)) +
                            " route has no read-only action for " + metric,
                        ctx);
        a.kind = "ssh.diagnostics";
        a.risk = RiskClass::Low;
        a.reversible = true; // read-only
        std::set<std::string> hosts;
        for (const auto& p : pods)
            hosts.insert(topology.pod(p)->host);
        for (const auto& h : hosts)
            a.targets.push_back(target(h));
        a.expectedEffect = "Collects uptime, disk, memory and failed units from the hosts of " + where +
                           " to explain " + why + "; changes nothing.";
        return a;
    }

    if (!std::isfinite(expected) || !std::isfinite(observed) || expected == observed)
        return fail(ErrorCode::InsufficientData,
                    "the anomaly has no expected and observed value to derive a verification from", ctx);
    VerificationCheck v;
    v.metric = metric;
    v.labels = labels;
    v.comparator = observed > expected ? Comparator::Below : Comparator::Above;
    v.threshold = expected + 0.5 * (observed - expected);
    v.withinMs = o.verifyWithinMs;
    v.pollMs = o.verifyPollMs;
    a.verification = v;
    const std::string condition = metric + (v.comparator == Comparator::Below ? " below " : " above ") +
                                  human(metric, v.threshold) + " within " + minutes(o.verifyWithinMs);

    if (remedy == Remedy::Restart) {
        a.risk = RiskClass::Medium;
        switch (o.via) {
        case ProposalOptions::Via::Demo:
            a.kind = "demo.restart-pod";
            for (const auto& p : pods)
                a.targets.push_back(target(p));
            a.expectedEffect = "Restarting " + where + " ends " + why + "; " + condition + ".";
            break;
        case ProposalOptions::Via::Ssh: {
            a.kind = "ssh.restart-unit";
            a.parameters["unit"] = subject.service + ".service";
            std::set<std::string> hosts;
            for (const auto& p : pods)
                hosts.insert(topology.pod(p)->host);
            for (const auto& h : hosts)
                a.targets.push_back(target(h));
            if (!o.sshRollbackScript.empty()) {
                a.reversible = true;
                a.rollback = RollbackSpec{"ssh.run-script",
                                          {{"script", o.sshRollbackScript}, {"service", subject.service}}};
            }
            a.expectedEffect =
                "Restarting " + subject.service + ".service on " +
                (hosts.size() == 1 ? *hosts.begin() : std::to_string(hosts.size()) + " hosts") + " ends " +
                why + "; " + condition + ".";
            break;
        }
        case ProposalOptions::Via::Kubernetes:
            a.kind = "k8s.rollout-restart";
            a.parameters = {{"context", o.kubeContext}, {"namespace", o.kubeNamespace}};
            a.targets.push_back(target(subject.service));
            a.reversible = true;
            a.rollback = RollbackSpec{"k8s.rollout-undo",
                                      {{"context", o.kubeContext}, {"namespace", o.kubeNamespace}}};
            a.expectedEffect = "A rollout restart of deployment " + subject.service +
                               " replaces its pods and ends " + why + "; " + condition + ".";
            break;
        }
        return a;
    }

    // Free disk.
    if (subject.pod.empty())
        return fail(ErrorCode::InvalidArgument, "freeing disk needs the pod whose volume fills", ctx);
    a.risk = RiskClass::Medium;
    switch (o.via) {
    case ProposalOptions::Via::Demo: {
        a.kind = "demo.free-disk";
        a.targets.push_back(target(subject.pod));
        // Frees what grew beyond the normal level at the peak, and half as much again for the growth since.
        const auto bytes = static_cast<long long>(std::llround(1.5 * std::abs(observed - expected)));
        if (bytes <= 0)
            return fail(ErrorCode::InsufficientData, "nothing to free: the disk did not grow", ctx);
        a.parameters["bytes"] = std::to_string(bytes);
        break;
    }
    case ProposalOptions::Via::Ssh:
        a.kind = "ssh.free-disk";
        a.parameters["command"] = o.sshFreeDiskCommand;
        a.targets.push_back(target(subject.host));
        break;
    case ProposalOptions::Via::Kubernetes:
        return fail(ErrorCode::Unsupported, "the kubectl plugin has no action that frees disk", ctx);
    }
    a.expectedEffect = "Freeing disk on " + where + " ends " + why + "; " + condition + ".";
    return a;
}

} // namespace

std::string_view toString(ProposalOptions::Via via) {
    switch (via) {
    case ProposalOptions::Via::Demo:
        return "demo";
    case ProposalOptions::Via::Ssh:
        return "ssh";
    case ProposalOptions::Via::Kubernetes:
        return "kubernetes";
    }
    return "demo";
}

Result<Action> proposeForAnomaly(const detect::Anomaly& anomaly, const demo::Topology& topology,
                                 const ProposalOptions& options) {
    const std::string& metric = anomaly.series.metric;
    const std::string ctx = "remediation for " + anomaly.series.toString();
    auto remedy = remedyFor(metric);
    if (!remedy)
        return fail(ErrorCode::Unsupported, "no remediation is known for anomalies in " + metric, ctx);
    auto subject = subjectOf(anomaly.series.label("service"), anomaly.series.label("pod"), topology, ctx);
    if (!subject)
        return std::unexpected(subject.error());
    const auto labels = subject->labels();
    // The explanation is shown beside the proposal already; the effect names the symptom only.
    const std::string why =
        std::string(anomaly.observed < anomaly.expected ? "the drop" : "the rise") + " in " + metric;
    return build(*remedy, *subject, metric, labels, anomaly.expected, anomaly.observed, topology, options,
                 why, ctx);
}

Result<Action> proposeForIncident(const demo::IncidentTruth& incident, double expected, double observed,
                                  const demo::Topology& topology, const ProposalOptions& options) {
    const std::string ctx = "remediation for incident " + incident.id;
    const std::string metric = incident.primaryMetric;
    auto remedy = remedyFor(metric);
    if (!remedy)
        return fail(ErrorCode::Unsupported, "no remediation is known for incidents shown by " + metric, ctx);
    const bool podMetric = metric.find("memory") != std::string::npos || metric.starts_with("disk") ||
                           metric == "cpu_usage_ratio" || metric == "restarts_total";
    auto subject =
        subjectOf(incident.rootService, podMetric ? incident.rootPod : std::string(), topology, ctx);
    if (!subject)
        return std::unexpected(subject.error());
    const auto labels = subject->labels();
    const std::string why = std::string(demo::toString(incident.kind)) + " " + incident.id;
    return build(*remedy, *subject, metric, labels, expected, observed, topology, options, why, ctx);
}

} // namespace cairn::remediation
