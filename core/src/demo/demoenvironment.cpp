#include "cairn/demo/demoenvironment.h"

#include "model.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>

namespace cairn::demo {

using detail::Action;
using detail::Injection;
using detail::MetricKind;
using detail::MinuteState;
using detail::Model;

std::string_view toString(IncidentKind kind) {
    switch (kind) {
    case IncidentKind::MemoryLeak:
        return "memory_leak";
    case IncidentKind::DiskFill:
        return "disk_fill";
    case IncidentKind::DependencyLatency:
        return "dependency_latency";
    case IncidentKind::DeployErrors:
        return "deploy_errors";
    case IncidentKind::NoisyNeighbour:
        return "noisy_neighbour";
    case IncidentKind::LoadImbalance:
        return "load_imbalance";
    }
    return "unknown";
}

struct DemoEnvironment::Impl {
    Impl(const DemoConfig& config, TimeMs start)
        : clock(config.clock ? config.clock : std::function<TimeMs()>(&nowMs))
        , model(config.seed, start, config.historyLength) {}

    std::function<TimeMs()> clock;
    Model model;
    mutable std::shared_mutex mutex;
    std::vector<Action> actions; // sorted by time

    std::vector<Action> snapshot() const {
        std::shared_lock lock(mutex);
        return actions;
    }
    TimeMs dataEnd() const { return detail::floorDiv(clock(), kMinuteMs) * kMinuteMs + kMinuteMs; }
};

namespace {

TimeMs startFor(const DemoConfig& config) {
    const TimeMs length = std::max<TimeMs>(config.historyLength, kHourMs);
    TimeMs start =
        config.historyStart ? *config.historyStart : (config.clock ? config.clock() : nowMs()) - length;
    return detail::floorDiv(start, kMinuteMs) * kMinuteMs;
}

DemoConfig normalised(DemoConfig config) {
    config.historyLength =
        std::max<TimeMs>(detail::floorDiv(config.historyLength, kMinuteMs) * kMinuteMs, kHourMs);
    return config;
}

Result<TimeRange> checkRange(const TimeRange& range, const char* what) {
    if (range.end < range.start)
        return fail(ErrorCode::InvalidArgument, "The time range is inverted: its end is before its start.",
                    std::string(what) + " [" + formatIso(range.start) + ", " + formatIso(range.end) + ")");
    return range;
}

} // namespace

DemoEnvironment::DemoEnvironment(DemoConfig config) {
    config = normalised(std::move(config));
    m_impl = std::make_unique<Impl>(config, startFor(config));
}

DemoEnvironment::~DemoEnvironment() = default;

const Topology& DemoEnvironment::topology() const {
    return m_impl->model.topo;
}
std::uint64_t DemoEnvironment::seed() const {
    return m_impl->model.seed;
}
TimeMs DemoEnvironment::historyStart() const {
    return m_impl->model.historyStart;
}
TimeMs DemoEnvironment::anchor() const {
    return m_impl->model.anchor;
}
TimeMs DemoEnvironment::now() const {
    return m_impl->clock();
}

TimeRange DemoEnvironment::dataRange() const {
    return {m_impl->model.historyStart, std::max(m_impl->model.historyStart, m_impl->dataEnd())};
}

std::vector<IncidentTruth> DemoEnvironment::incidents() const {
    const TimeMs now = m_impl->clock();
    auto all = m_impl->model.truths(m_impl->model.effective(m_impl->snapshot()), now);
    // Incidents scheduled in the live tail become known once they start.
    std::erase_if(all, [&](const IncidentTruth& t) { return t.start > now; });
    return all;
}

std::vector<IncidentTruth> DemoEnvironment::incidents(const TimeRange& range) const {
    auto all = incidents();
    std::erase_if(all, [&](const IncidentTruth& t) { return !t.window().overlaps(range); });
    return all;
}

std::vector<DemoEvent> DemoEnvironment::events(const TimeRange& range) const {
    const auto actions = m_impl->snapshot();
    const TimeRange clipped{range.start, std::min(range.end, m_impl->clock() + 1)};
    return m_impl->model.events(m_impl->model.effective(actions), actions, clipped);
}

const std::vector<ts::SeriesId>& DemoEnvironment::seriesIds() const {
    return m_impl->model.seriesIds;
}

Result<std::vector<ts::Series>> DemoEnvironment::query(const ts::Selector& selector, const TimeRange& range,
                                                       TimeMs step, const CancelToken& cancel) const {
    if (auto r = checkRange(range, "demo metrics query"); !r)
        return std::unexpected(r.error());
    if (step <= 0)
        return fail(ErrorCode::InvalidArgument, "The step must be positive.",
                    "demo metrics query, step " + std::to_string(step) + " ms");
    if (cancel.isCancelled())
        return fail(ErrorCode::Cancelled, "The metrics query was cancelled.", "demo metrics query");
    const Model& model = m_impl->model;
    std::vector<const detail::SeriesDesc*> wanted;
    for (const auto& d : model.series)
        if (selector.matches(d.id))
            wanted.push_back(&d);
    std::vector<ts::Series> out(wanted.size());
    for (std::size_t i = 0; i < wanted.size(); ++i)
        out[i].id = wanted[i]->id;
    if (wanted.empty())
        return out;

    step = std::max(step, kMinuteMs);
    const TimeRange data = dataRange();
    const TimeMs from = std::max(range.start, data.start);
    const TimeMs to = std::min(range.end, data.end);
    if (from >= to)
        return out;
    const auto actions = m_impl->snapshot();
    const auto eff = model.effective(actions);

    // Buckets on multiples of step; minutes of [from, to) only.
    const std::int64_t firstMinute = detail::floorDiv(from + kMinuteMs - 1, kMinuteMs);
    const std::int64_t endMinute = detail::floorDiv(to + kMinuteMs - 1, kMinuteMs);
    const auto expected = static_cast<std::size_t>((endMinute - firstMinute) * kMinuteMs / step + 2);
    for (auto& s : out) {
        s.time.reserve(expected);
        s.value.reserve(expected);
    }
    std::vector<double> sum(wanted.size(), 0.0);
    std::vector<double> last(wanted.size(), 0.0);
    int count = 0;
    TimeMs bucket = 0;
    auto flush = [&]() {
        if (count == 0)
            return;
        for (std::size_t i = 0; i < wanted.size(); ++i) {
            out[i].time.push_back(std::max(bucket, firstMinute * kMinuteMs));
            out[i].value.push_back(wanted[i]->metric == MetricKind::Restarts ? last[i] : sum[i] / count);
            sum[i] = 0.0;
        }
        count = 0;
    };
    MinuteState st;
    model.resize(st);
    for (std::int64_t m = firstMinute; m < endMinute; ++m) {
        if ((m & 1023) == 0 && cancel.isCancelled())
            return fail(ErrorCode::Cancelled, "The metrics query was cancelled.", "demo metrics query");
        const TimeMs t = m * kMinuteMs;
        if (step == kMinuteMs) {
            model.evaluate(m, eff, actions, st);
            for (std::size_t i = 0; i < wanted.size(); ++i) {
                out[i].time.push_back(t);
                out[i].value.push_back(model.value(*wanted[i], st));
            }
            continue;
        }
        const TimeMs b = detail::floorDiv(t, step) * step;
        if (count > 0 && b != bucket)
            flush();
        bucket = b;
        model.evaluate(m, eff, actions, st);
        for (std::size_t i = 0; i < wanted.size(); ++i) {
            const double v = model.value(*wanted[i], st);
            sum[i] += v;
            last[i] = v;
        }
        ++count;
    }
    flush();
    return out;
}

Result<std::size_t> DemoEnvironment::scanLogs(const sources::LogQuery& query,
                                              const std::function<bool(const sources::LogRecord&)>& sink,
                                              const CancelToken& cancel) const {
    if (auto r = checkRange(query.range, "demo log query"); !r)
        return std::unexpected(r.error());
    const Model& model = m_impl->model;
    int only = -1;
    if (!query.service.empty()) {
        only = model.serviceIndex(query.service);
        if (only < 0)
            return std::size_t{0};
    }
    const TimeRange data = dataRange();
    const TimeMs now = m_impl->clock();
    const TimeMs from = std::max(query.range.start, data.start);
    const TimeMs to = std::min(query.range.end, std::min(data.end, now + 1));
    if (from >= to)
        return std::size_t{0};
    const auto actions = m_impl->snapshot();
    const auto eff = model.effective(actions);
    MinuteState st;
    model.resize(st);
    std::vector<sources::LogRecord> lines;
    std::size_t delivered = 0;
    for (std::int64_t m = detail::floorDiv(from, kMinuteMs); m * kMinuteMs < to; ++m) {
        if (cancel.isCancelled())
            return fail(ErrorCode::Cancelled, "The log scan was cancelled.", "demo log query");
        model.evaluate(m, eff, actions, st);
        lines.clear();
        model.logs(st, eff, actions, only, lines);
        for (const auto& r : lines) {
            if (r.time < from || r.time >= to)
                continue;
            if (r.level < query.minLevel)
                continue;
            if (!query.host.empty() && r.host != query.host)
                continue;
            if (!query.contains.empty() && r.message.find(query.contains) == std::string::npos)
                continue;
            ++delivered;
            if (!sink(r))
                return delivered;
            if (query.limit != 0 && delivered >= query.limit)
                return delivered;
        }
    }
    return delivered;
}

std::vector<std::string> DemoEnvironment::services() const {
    std::vector<std::string> out;
    for (const auto& s : m_impl->model.topo.services)
        out.push_back(s.name);
    std::sort(out.begin(), out.end());
    return out;
}

Result<std::vector<sources::Trace>> DemoEnvironment::findTraces(const sources::TraceQuery& query,
                                                                const CancelToken& cancel) const {
    if (auto r = checkRange(query.range, "demo trace query"); !r)
        return std::unexpected(r.error());
    const Model& model = m_impl->model;
    std::vector<sources::Trace> out;
    if (!query.service.empty() && model.serviceIndex(query.service) < 0)
        return out;
    const TimeRange data = dataRange();
    const TimeMs now = m_impl->clock();
    const TimeMs from = std::max(query.range.start, data.start);
    const TimeMs to = std::min(query.range.end, std::min(data.end, now + 1));
    if (from >= to)
        return out;
    const auto actions = m_impl->snapshot();
    const auto eff = model.effective(actions);
    MinuteState st;
    model.resize(st);
    const TimeUs fromUs = from * 1000;
    const TimeUs toUs = to * 1000;
    // Newest first, like Jaeger.
    for (std::int64_t m = detail::floorDiv(to - 1, kMinuteMs); m * kMinuteMs + kMinuteMs > from; --m) {
        if (cancel.isCancelled())
            return fail(ErrorCode::Cancelled, "The trace search was cancelled.", "demo trace query");
        model.evaluate(m, eff, actions, st);
        const int n = model.traceCount(st);
        std::vector<sources::Trace> minute;
        for (int i = 0; i < n; ++i) {
            auto trace = model.makeTrace(st, i);
            const auto& root = trace.spans.front();
            if (root.startUs < fromUs || root.startUs >= toUs)
                continue;
            bool match = query.service.empty() && query.operation.empty();
            bool anyError = false;
            TimeUs matchedDuration = query.service.empty() && query.operation.empty() ? root.durationUs : 0;
            for (const auto& sp : trace.spans) {
                anyError = anyError || sp.error;
                if ((query.service.empty() || sp.service == query.service) &&
                    (query.operation.empty() || sp.operation == query.operation) &&
                    !(query.service.empty() && query.operation.empty())) {
                    match = true;
                    matchedDuration = std::max(matchedDuration, sp.durationUs);
                }
            }
            if (!match || matchedDuration < query.minDurationUs || (query.errorsOnly && !anyError))
                continue;
            minute.push_back(std::move(trace));
        }
        std::sort(minute.begin(), minute.end(), [](const sources::Trace& a, const sources::Trace& b) {
            return a.spans.front().startUs > b.spans.front().startUs;
        });
        for (auto& t : minute) {
            out.push_back(std::move(t));
            if (query.limit != 0 && out.size() >= query.limit)
                return out;
        }
    }
    return out;
}

Result<sources::Trace> DemoEnvironment::trace(const std::string& traceId) const {
    const Model& model = m_impl->model;
    std::int64_t minute = 0;
    int index = 0;
    auto notFound = [&]() {
        return fail(ErrorCode::NotFound, "No trace with this id in the demo environment.",
                    "trace " + traceId);
    };
    if (!model.decodeTraceId(traceId, minute, index))
        return notFound();
    const TimeRange data = dataRange();
    // Compare in minutes: a forged id may decode to any 60-bit number.
    if (minute < detail::floorDiv(data.start, kMinuteMs) || minute >= detail::floorDiv(data.end, kMinuteMs))
        return notFound();
    const auto actions = m_impl->snapshot();
    const auto eff = model.effective(actions);
    MinuteState st;
    model.evaluate(minute, eff, actions, st);
    if (index >= model.traceCount(st))
        return notFound();
    auto t = model.makeTrace(st, index);
    std::string lower = traceId;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (t.traceId != lower || t.spans.front().startUs > m_impl->clock() * 1000)
        return notFound();
    return t;
}

Result<std::vector<sources::DependencyEdge>> DemoEnvironment::dependencies(const TimeRange& range,
                                                                           const CancelToken& cancel) const {
    if (auto r = checkRange(range, "demo dependencies query"); !r)
        return std::unexpected(r.error());
    if (cancel.isCancelled())
        return fail(ErrorCode::Cancelled, "The dependencies query was cancelled.", "demo dependencies");
    const Model& model = m_impl->model;
    std::vector<double> calls(model.topo.edges.size(), 0.0);
    const TimeRange data = dataRange();
    const TimeMs from = std::max(range.start, data.start);
    const TimeMs to = std::min(range.end, data.end);
    if (from < to) {
        const auto actions = m_impl->snapshot();
        const auto eff = model.effective(actions);
        MinuteState st;
        model.resize(st);
        for (std::int64_t m = detail::floorDiv(from + kMinuteMs - 1, kMinuteMs); m * kMinuteMs < to; ++m) {
            if ((m & 1023) == 0 && cancel.isCancelled())
                return fail(ErrorCode::Cancelled, "The dependencies query was cancelled.",
                            "demo dependencies");
            model.evaluate(m, eff, actions, st);
            for (std::size_t e = 0; e < model.topo.edges.size(); ++e) {
                const auto& edge = model.topo.edges[e];
                calls[e] += st.rps[static_cast<std::size_t>(model.serviceIndex(edge.parent))] *
                            edge.callsPerRequest * 60.0;
            }
        }
    }
    std::vector<sources::DependencyEdge> out;
    for (std::size_t e = 0; e < model.topo.edges.size(); ++e)
        out.push_back({model.topo.edges[e].parent, model.topo.edges[e].child,
                       static_cast<std::uint64_t>(std::llround(calls[e]))});
    return out;
}

Result<void> DemoEnvironment::restartPod(const std::string& pod, TimeMs at) {
    const int p = m_impl->model.podIndex(pod);
    if (p < 0)
        return fail(ErrorCode::NotFound, "There is no pod with this name in the demo environment.",
                    "pod " + pod);
    if (at < m_impl->model.historyStart)
        return fail(ErrorCode::InvalidArgument, "A restart cannot happen before the demo history starts.",
                    "restart of " + pod + " at " + formatIso(at));
    std::unique_lock lock(m_impl->mutex);
    Action a{true, p, at, 0};
    auto it = std::upper_bound(m_impl->actions.begin(), m_impl->actions.end(), a,
                               [](const Action& x, const Action& y) { return x.at < y.at; });
    m_impl->actions.insert(it, a);
    return {};
}

Result<void> DemoEnvironment::freeDisk(const std::string& pod, std::int64_t bytes, TimeMs at) {
    const int p = m_impl->model.podIndex(pod);
    if (p < 0)
        return fail(ErrorCode::NotFound, "There is no pod with this name in the demo environment.",
                    "pod " + pod);
    if (bytes <= 0)
        return fail(ErrorCode::InvalidArgument, "The number of bytes to free must be positive.",
                    "free disk on " + pod + ": " + std::to_string(bytes) + " bytes");
    if (at < m_impl->model.historyStart)
        return fail(ErrorCode::InvalidArgument, "Disk space cannot be freed before the demo history starts.",
                    "free disk on " + pod + " at " + formatIso(at));
    std::unique_lock lock(m_impl->mutex);
    Action a{false, p, at, bytes};
    auto it = std::upper_bound(m_impl->actions.begin(), m_impl->actions.end(), a,
                               [](const Action& x, const Action& y) { return x.at < y.at; });
    m_impl->actions.insert(it, a);
    return {};
}

std::vector<RemediationRecord> DemoEnvironment::remediations() const {
    std::vector<RemediationRecord> out;
    for (const auto& a : m_impl->snapshot())
        out.push_back({a.restart ? "restart_pod" : "free_disk",
                       m_impl->model.topo.pods[static_cast<std::size_t>(a.pod)].name, a.at, a.bytes});
    return out;
}

} // namespace cairn::demo
