#include "cairn/remediation/demoexecutor.h"

#include <chrono>
#include <thread>

namespace cairn::remediation {

Result<std::vector<std::string>> DemoExecutor::plan(const Action& action, std::int64_t* bytes) const {
    const std::string ctx = "demo remediation " + action.id;
    const bool restart = action.kind == "demo.restart-pod";
    const bool disk = action.kind == "demo.free-disk";
    if (!restart && !disk)
        return fail(ErrorCode::Unsupported,
                    "the demo executor does not handle action kind \"" + action.kind + "\"", ctx);
    for (const auto& [name, value] : action.parameters)
        if (!(disk && name == "bytes"))
            return fail(ErrorCode::InvalidArgument,
                        "parameter \"" + name + "\" is not accepted by " + action.kind, ctx);
    if (disk) {
        auto it = action.parameters.find("bytes");
        if (it == action.parameters.end())
            return fail(ErrorCode::InvalidArgument, "demo.free-disk needs the parameter \"bytes\"", ctx);
        try {
            std::size_t used = 0;
            *bytes = std::stoll(it->second, &used);
            if (used != it->second.size() || *bytes <= 0)
                throw std::invalid_argument("bytes");
        } catch (const std::exception&) {
            return fail(ErrorCode::InvalidArgument, "parameter \"bytes\" must be a positive whole number",
                        ctx);
        }
    }
    std::vector<std::string> lines;
    for (const auto& t : action.targets) {
        if (!m_env.topology().pod(t.name))
            return fail(ErrorCode::NotFound, "the demo has no pod named \"" + t.name + "\"", ctx);
        lines.push_back(restart ? "restartPod(" + t.name + ")"
                                : "freeDisk(" + t.name + ", " + std::to_string(*bytes) + " bytes)");
    }
    return lines;
}

Result<ExecutionReport> DemoExecutor::dryRun(const Action& action, const CancelToken&) {
    std::int64_t bytes = 0;
    auto lines = plan(action, &bytes);
    if (!lines)
        return ExecutionReport{false, {}, {}, lines.error().message};
    ExecutionReport r;
    r.ok = true;
    for (const auto& l : *lines)
        r.command += (r.command.empty() ? "" : "\n") + std::string("demo ") + l;
    r.output = "would apply at the demo's now, " + formatIso(m_env.now());
    return r;
}

Result<ExecutionReport> DemoExecutor::execute(const Action& action, const CancelToken& cancel,
                                              const OutputSink& output) {
    std::int64_t bytes = 0;
    auto lines = plan(action, &bytes);
    if (!lines)
        return ExecutionReport{false, {}, {}, lines.error().message};
    ExecutionReport r;
    r.ok = true;
    for (std::size_t i = 0; i < action.targets.size(); ++i) {
        if (cancel.isCancelled())
            return fail(ErrorCode::Cancelled, "cancelled before " + action.targets[i].name,
                        "demo remediation " + action.id);
        const TimeMs at = m_env.now();
        auto done = action.kind == "demo.restart-pod" ? m_env.restartPod(action.targets[i].name, at)
                                                      : m_env.freeDisk(action.targets[i].name, bytes, at);
        r.command += (r.command.empty() ? "" : "\n") + std::string("demo ") + (*lines)[i];
        const std::string line = done ? (*lines)[i] + " at " + formatIso(at) + "\n"
                                      : (*lines)[i] + " failed: " + done.error().message + "\n";
        r.output += line;
        if (output)
            output(line);
        if (!done) {
            r.ok = false;
            r.error = done.error().message;
            return r;
        }
    }
    return r;
}

Result<double> DemoMetricProbe::latest(const std::string& metric,
                                       const std::map<std::string, std::string>& labels, TimeMs now) const {
    ts::Selector sel;
    sel.metric = metric;
    for (const auto& [k, v] : labels)
        sel.equals[k] = v;
    auto series = m_env.query(sel, TimeRange{now - 5 * kMinuteMs, now + 1}, kMinuteMs);
    if (!series)
        return std::unexpected(series.error());
    std::string what;
    for (const auto& [k, v] : labels)
        what += (what.empty() ? "" : ", ") + k + " " + v;
    if (series->empty() || series->front().empty())
        return fail(ErrorCode::NotFound, "no " + metric + " samples for " + what, "demo");
    if (series->size() > 1)
        return fail(ErrorCode::InvalidArgument,
                    std::to_string(series->size()) + " series of " + metric + " match " + what +
                        "; a verification reads exactly one",
                    "demo");
    return series->front().value.back();
}

Result<double> DemoMetricProbe::sampleSeries(const std::string& metric,
                                             const std::map<std::string, std::string>& labels, TimeMs now) {
    if (metric == "memory_used_ratio" || metric == "disk_used_ratio") {
        const bool mem = metric == "memory_used_ratio";
        auto used = latest(mem ? "memory_used_bytes" : "disk_used_bytes", labels, now);
        auto cap = latest(mem ? "memory_limit_bytes" : "disk_capacity_bytes", labels, now);
        if (!used || !cap)
            return std::unexpected(!used ? used.error() : cap.error());
        if (*cap <= 0)
            return fail(ErrorCode::InsufficientData, "the capacity behind " + metric + " is zero", "demo");
        return *used / *cap;
    }
    return latest(metric, labels, now);
}

Result<double> DemoMetricProbe::sample(const std::string& metric, const Target& target, TimeMs now) {
    return sampleSeries(metric, {{"pod", target.name}}, now);
}

Result<ExecutionReport> DemoMirrorExecutor::dryRun(const Action& action, const CancelToken& cancel) {
    return m_real->dryRun(action, cancel);
}

Result<ExecutionReport> DemoMirrorExecutor::execute(const Action& action, const CancelToken& cancel,
                                                    const OutputSink& output) {
    auto result = m_real->execute(action, cancel, output);
    if (!result || !result->ok)
        return result;
    const auto& topo = m_env.topology();
    const bool restart = action.kind == "ssh.restart-unit" || action.kind == "k8s.rollout-restart" ||
                         action.kind == "k8s.delete-pod";
    const bool disk = action.kind == "ssh.free-disk";
    if (!restart && !disk)
        return result;
    std::vector<std::string> pods;
    for (const auto& t : action.targets) {
        if (action.kind == "k8s.delete-pod") {
            if (topo.pod(t.name))
                pods.push_back(t.name);
        } else if (action.kind == "k8s.rollout-restart") {
            for (const auto& p : topo.podsOf(t.name))
                pods.push_back(p);
        } else {
            for (const auto& p : topo.podsOnHost(t.name)) {
                const auto* spec = topo.pod(p);
                if (spec && (t.service.empty() ? disk : spec->service == t.service))
                    pods.push_back(p);
            }
        }
    }
    for (const auto& pod : pods) {
        const TimeMs at = m_env.now();
        std::string line;
        if (restart) {
            auto r = m_env.restartPod(pod, at);
            line = r ? "demo: restarted pod " + pod + " at " + formatIso(at)
                     : "demo: could not restart pod " + pod + ": " + r.error().message;
        } else {
            ts::Selector sel;
            sel.metric = "disk_used_bytes";
            sel.equals["pod"] = pod;
            auto used = m_env.query(sel, TimeRange{at - 5 * kMinuteMs, at + 1}, kMinuteMs);
            std::int64_t bytes = 0;
            if (used && !used->empty() && !used->front().empty())
                bytes = std::int64_t(used->front().value.back() / 2);
            Result<void> r = fail(ErrorCode::NotFound, "no disk usage to free", "demo");
            if (bytes > 0)
                r = m_env.freeDisk(pod, bytes, at);
            line =
                r ? "demo: freed " + std::to_string(bytes) + " bytes on pod " + pod + " at " + formatIso(at)
                  : "demo: could not free disk on pod " + pod + ": " + r.error().message;
        }
        result->output += line + "\n";
        if (output)
            output(line + "\n");
    }
    return result;
}

void DemoClock::sleepFor(TimeMs ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<TimeMs>(ms, 1000)));
}

} // namespace cairn::remediation
