#include "model.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <numbers>
#include <set>

namespace cairn::demo::detail {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = 1024.0 * kMiB;
constexpr double kTwoPi = 2.0 * std::numbers::pi;

double frac(double x) {
    return x - std::floor(x);
}

// 0 outside [start, end), rising to 1 over `rampMs` after start and falling over `rampMs` before end.
double ramp(TimeMs t, TimeMs start, TimeMs end, TimeMs rampMs) {
    if (t < start || t >= end)
        return 0.0;
    const double up = static_cast<double>(t - start + kMinuteMs) / static_cast<double>(rampMs);
    const double down = static_cast<double>(end - t) / static_cast<double>(rampMs);
    return std::clamp(std::min(up, down), 0.0, 1.0);
}

std::string fmt(const char* format, double a, double b = 0, double c = 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, format, a, b, c);
    return buf;
}

} // namespace

Model::Model(std::uint64_t seed_, TimeMs historyStart_, TimeMs historyLength)
    : seed(seed_)
    , historyStart(historyStart_)
    , anchor(historyStart_ + historyLength)
    , topo(makeWebShopTopology()) {
    const auto nServices = topo.services.size();
    children.resize(nServices);
    parents.resize(nServices);
    podsOfService.resize(nServices);
    for (const auto& e : topo.edges) {
        const int p = serviceIndex(e.parent);
        const int c = serviceIndex(e.child);
        children[static_cast<std::size_t>(p)].emplace_back(c, e.callsPerRequest);
        parents[static_cast<std::size_t>(c)].push_back(p);
    }
    for (std::size_t i = 0; i < topo.pods.size(); ++i) {
        const int s = serviceIndex(topo.pods[i].service);
        podService.push_back(s);
        podsOfService[static_cast<std::size_t>(s)].push_back(static_cast<int>(i));
        int h = 0;
        for (std::size_t k = 0; k < topo.hosts.size(); ++k)
            if (topo.hosts[k].name == topo.pods[i].host)
                h = static_cast<int>(k);
        podHost.push_back(h);
    }

    // Children before parents (post-order DFS); the graph is acyclic by construction.
    std::vector<char> seen(nServices, 0);
    std::function<void(int)> visit = [&](int s) {
        if (seen[static_cast<std::size_t>(s)])
            return;
        seen[static_cast<std::size_t>(s)] = 1;
        for (const auto& [c, w] : children[static_cast<std::size_t>(s)])
            visit(c);
        order.push_back(s);
    };
    for (std::size_t s = 0; s < nServices; ++s)
        visit(static_cast<int>(s));

    // Request rates at the weekday peak: 140 req/s on the frontend, propagated down the call graph.
    rpsAtPeak.assign(nServices, 0.0);
    rpsAtPeak[0] = 140.0;
    for (auto it = order.rbegin(); it != order.rend(); ++it)
        for (const auto& [c, w] : children[static_cast<std::size_t>(*it)])
            rpsAtPeak[static_cast<std::size_t>(c)] += rpsAtPeak[static_cast<std::size_t>(*it)] * w;
    for (std::size_t s = 0; s < nServices; ++s)
        cpuPerUtil.push_back(topo.services[s].peakCpuRatio - 0.04);

    // The series catalogue: service level first, then pod level.
    const std::pair<const char*, MetricKind> serviceMetrics[] = {{"request_rate", MetricKind::RequestRate},
                                                                 {"latency_p50_ms", MetricKind::LatencyP50},
                                                                 {"latency_p95_ms", MetricKind::LatencyP95},
                                                                 {"error_ratio", MetricKind::ErrorRatio}};
    const std::pair<const char*, MetricKind> podMetrics[] = {
        {"cpu_usage_ratio", MetricKind::Cpu},
        {"memory_used_bytes", MetricKind::MemoryUsed},
        {"memory_limit_bytes", MetricKind::MemoryLimit},
        {"disk_used_bytes", MetricKind::DiskUsed},
        {"disk_capacity_bytes", MetricKind::DiskCapacity},
        {"restarts_total", MetricKind::Restarts}};
    for (const auto& [name, kind] : serviceMetrics)
        for (std::size_t s = 0; s < nServices; ++s)
            series.push_back({{name, {{"service", topo.services[s].name}}}, kind, static_cast<int>(s)});
    for (const auto& [name, kind] : podMetrics)
        for (std::size_t p = 0; p < topo.pods.size(); ++p)
            series.push_back({{name,
                               {{"service", topo.pods[p].service},
                                {"pod", topo.pods[p].name},
                                {"host", topo.pods[p].host}}},
                              kind,
                              static_cast<int>(p)});
    for (auto& d : series) {
        d.salt =
            hashOf(seed, 1000 + static_cast<std::uint64_t>(d.metric), static_cast<std::uint64_t>(d.entity));
        seriesIds.push_back(d.id);
    }
    for (std::size_t s = 0; s < nServices; ++s) {
        rpsSalt.push_back(hashOf(seed, 101, s));
        errSalt.push_back(hashOf(seed, 103, s));
    }
    for (std::size_t p = 0; p < topo.pods.size(); ++p) {
        cpuSalt.push_back(hashOf(seed, 102, p));
        memPeriod.push_back(static_cast<double>((19 + (static_cast<int>(p) * 7) % 17) * kMinuteMs));
        memPhase.push_back(static_cast<double>(hashOf(seed, 31, p) % 1000) / 1000.0);
        diskOffset.push_back(static_cast<double>(hashOf(seed, 41, p) % 200) * kMiB);
        initialRestarts.push_back(static_cast<double>(hashOf(seed, 5, p) % 3));
    }

    // Which services each entry operation reaches, for the extra traces through a troubled service.
    std::function<void(std::size_t, std::vector<char>&)> reach = [&](std::size_t s, std::vector<char>& seen) {
        if (seen[s])
            return;
        seen[s] = 1;
        for (const auto& [c, w] : children[s])
            reach(static_cast<std::size_t>(c), seen);
    };
    for (const auto& op : topo.services[0].operations) {
        std::vector<char> seen(nServices, 0);
        seen[0] = 1;
        for (const auto& call : op.calls)
            reach(static_cast<std::size_t>(serviceIndex(call.service)), seen);
        entryReach.push_back(std::move(seen));
    }

    placeIncidents();
}

int Model::serviceIndex(const std::string& name) const {
    for (std::size_t i = 0; i < topo.services.size(); ++i)
        if (topo.services[i].name == name)
            return static_cast<int>(i);
    return -1;
}

int Model::podIndex(const std::string& name) const {
    for (std::size_t i = 0; i < topo.pods.size(); ++i)
        if (topo.pods[i].name == name)
            return static_cast<int>(i);
    return -1;
}

double Model::traffic(TimeMs t) const {
    const std::int64_t day = floorDiv(t, kDayMs);
    const double hour = static_cast<double>(t - day * kDayMs) / static_cast<double>(kHourMs);
    // Trough at 04:00 UTC, peak at 16:00 UTC.
    const double phase = 0.5 - 0.5 * std::cos(kTwoPi * (hour - 4.0) / 24.0);
    const double daily = 0.2 + 0.8 * std::pow(phase, 1.4);
    static constexpr double kWeekly[7] = {0.62, 1.0, 1.0, 1.0, 1.0, 0.93, 0.68}; // Sunday first
    const int dow = static_cast<int>(((day + 4) % 7 + 7) % 7);
    // Slow wander: smooth value noise on hourly knots.
    const std::int64_t k = floorDiv(t, kHourMs);
    double f = static_cast<double>(t - k * kHourMs) / static_cast<double>(kHourMs);
    f = f * f * (3.0 - 2.0 * f);
    const double wander = gauss(hashOf(seed, 77, static_cast<std::uint64_t>(k))) * (1.0 - f) +
                          gauss(hashOf(seed, 77, static_cast<std::uint64_t>(k + 1))) * f;
    return daily * kWeekly[dow] * (1.0 + 0.04 * wander);
}

double Model::normalMemory(int pod, TimeMs t, double util) const {
    const auto& spec = topo.services[static_cast<std::size_t>(podService[static_cast<std::size_t>(pod)])];
    const double base = static_cast<double>(spec.memoryBaseBytes) * (1.0 + 0.08 * util);
    if (spec.kind == "cache" || spec.kind == "database")
        return base * (1.0 + 0.01 * std::sin(kTwoPi * static_cast<double>(t) / static_cast<double>(kDayMs)));
    // Garbage-collected heap: a sawtooth with a pod-specific period and phase.
    const auto p = static_cast<std::size_t>(pod);
    return base + 0.07 * base * frac(static_cast<double>(t) / memPeriod[p] + memPhase[p]);
}

double Model::normalDisk(int pod, TimeMs t) const {
    const auto& spec = topo.services[static_cast<std::size_t>(podService[static_cast<std::size_t>(pod)])];
    const double base = static_cast<double>(spec.diskBaseBytes);
    const double dayFrac = frac(static_cast<double>(t) / static_cast<double>(kDayMs));
    const double offset = diskOffset[static_cast<std::size_t>(pod)];
    if (spec.kind == "cache")
        return base + offset +
               0.03 * base *
                   std::sin(kTwoPi * static_cast<double>(t) / static_cast<double>(6 * kHourMs) + pod);
    if (spec.kind == "database")
        // Tables grow 0.35 GiB a day; the WAL is recycled daily.
        return base + offset +
               0.35 * kGiB * static_cast<double>(t - historyStart) / static_cast<double>(kDayMs) +
               0.4 * kGiB * dayFrac;
    // Application logs, rotated at midnight UTC.
    return base + offset + 400.0 * kMiB * dayFrac;
}

void Model::placeIncidents() {
    auto jitter = [&](int i, int spanMinutes) {
        return static_cast<TimeMs>(hashOf(seed, 500, static_cast<std::uint64_t>(i)) %
                                   static_cast<std::uint64_t>(2 * spanMinutes + 1)) *
                   kMinuteMs -
               spanMinutes * kMinuteMs;
    };
    auto dayStart = [&](TimeMs t) { return floorDiv(t, kDayMs) * kDayMs; };
    auto pick = [&](const std::string& service, int i) {
        return podsOfService[static_cast<std::size_t>(serviceIndex(service))][static_cast<std::size_t>(i)];
    };
    auto hostIndex = [&](const std::string& name) {
        for (std::size_t k = 0; k < topo.hosts.size(); ++k)
            if (topo.hosts[k].name == name)
                return static_cast<int>(k);
        return 0;
    };

    Injection deploy;
    deploy.kind = IncidentKind::DeployErrors;
    deploy.service = serviceIndex("checkout");
    deploy.start = dayStart(anchor - 11 * kDayMs) + 10 * kHourMs + 20 * kMinuteMs + jitter(1, 45);
    deploy.end = deploy.start + 38 * kMinuteMs;
    deploy.errorAdd = 0.22;
    deploy.fromVersion = "v1.8.2";
    deploy.toVersion = "v1.8.3";
    deploy.commit = "4f2a9c1";
    injections.push_back(deploy);

    // Routine deploys around the bad one, so a deploy alone is no proof of guilt.
    auto rollout = [&](const std::string& service, TimeMs at, std::string version, std::string commit) {
        rollouts.push_back({serviceIndex(service), at, std::move(version), std::move(commit), false, 0});
    };
    rollout("catalog", dayStart(anchor - 12 * kDayMs) + 14 * kHourMs + 30 * kMinuteMs + jitter(11, 45),
            "v1.8.3", "4f2a9c1");
    rollout("checkout", deploy.start, deploy.toVersion, deploy.commit);
    rollouts.push_back({deploy.service, deploy.end, deploy.fromVersion, "9b1e07d", true, deploy.start});
    rollout("checkout", dayStart(anchor - 10 * kDayMs) + 11 * kHourMs + jitter(12, 45), "v1.8.4", "7c1e2d9");
    rollout("frontend", dayStart(anchor - 7 * kDayMs) + 13 * kHourMs + 40 * kMinuteMs + jitter(13, 45),
            "v1.8.4", "7c1e2d9");
    rollout("cart", dayStart(anchor - 3 * kDayMs) + 10 * kHourMs + 15 * kMinuteMs + jitter(14, 45), "v1.8.4",
            "7c1e2d9");
    rollout("recommendation", dayStart(anchor - kDayMs) + 16 * kHourMs + 5 * kMinuteMs + jitter(15, 45),
            "v1.8.4", "7c1e2d9");
    std::stable_sort(rollouts.begin(), rollouts.end(),
                     [](const Rollout& a, const Rollout& b) { return a.at < b.at; });

    Injection shipping;
    shipping.kind = IncidentKind::DependencyLatency;
    shipping.service = serviceIndex("shipping");
    shipping.start = dayStart(anchor - 9 * kDayMs) + 14 * kHourMs + 5 * kMinuteMs + jitter(2, 45);
    shipping.end = shipping.start + 75 * kMinuteMs;
    shipping.extraMs = 1400;
    shipping.errorAdd = 0.03;
    injections.push_back(shipping);

    Injection noisy;
    noisy.kind = IncidentKind::NoisyNeighbour;
    noisy.host = hostIndex("node-3");
    noisy.start = dayStart(anchor - 6 * kDayMs) + 15 * kHourMs + 10 * kMinuteMs + jitter(3, 45);
    noisy.end = noisy.start + 100 * kMinuteMs;
    injections.push_back(noisy);

    // Sticky sessions after a load-balancer change: one catalog pod takes a larger share of the traffic and
    // its siblings less. Each pod's cpu stays inside its own daily range; only their relation breaks.
    Injection imbalance;
    imbalance.kind = IncidentKind::LoadImbalance;
    imbalance.pod = pick("catalog", 2);
    imbalance.service = podService[static_cast<std::size_t>(imbalance.pod)];
    imbalance.start = anchor - 9 * kHourMs - 30 * kMinuteMs + jitter(16, 30);
    imbalance.end = imbalance.start + 90 * kMinuteMs;
    imbalance.skew = 0.12;
    injections.push_back(imbalance);

    Injection leak;
    leak.kind = IncidentKind::MemoryLeak;
    leak.pod = pick("recommendation", 1);
    leak.service = podService[static_cast<std::size_t>(leak.pod)];
    leak.start = dayStart(anchor - 4 * kDayMs) + 2 * kHourMs + jitter(4, 45);
    leak.oom = leak.start + 9 * kHourMs;
    leak.end = leak.oom + 10 * kMinuteMs;
    injections.push_back(leak);

    Injection disk;
    disk.kind = IncidentKind::DiskFill;
    disk.pod = pick("orders-db", 0);
    disk.service = podService[static_cast<std::size_t>(disk.pod)];
    disk.start = dayStart(anchor - 2 * kDayMs) + 6 * kHourMs + jitter(5, 45);
    disk.fullAt = disk.start + 7 * kHourMs;
    disk.cleanup = disk.fullAt + 25 * kMinuteMs;
    disk.end = disk.cleanup;
    injections.push_back(disk);

    Injection forecast;
    forecast.kind = IncidentKind::DiskFill;
    forecast.pod = pick("redis-cache", 1);
    forecast.service = podService[static_cast<std::size_t>(forecast.pod)];
    forecast.start = anchor - 18 * kHourMs + jitter(6, 30);
    forecast.fullAt = anchor + 4 * kHourMs + jitter(7, 30) + 30 * kMinuteMs;
    forecast.end = forecast.fullAt;
    forecast.forecast = true;
    // Left alone, someone cleans it up three quarters of an hour after the outage starts.
    forecast.cleanup = forecast.fullAt + 45 * kMinuteMs;
    injections.push_back(forecast);

    Injection live;
    live.kind = IncidentKind::MemoryLeak;
    live.pod = pick("cart", 0);
    live.service = podService[static_cast<std::size_t>(live.pod)];
    live.start = anchor - 5 * kHourMs + jitter(8, 30);
    live.oom = anchor + 2 * kHourMs + 30 * kMinuteMs + jitter(9, 30);
    live.end = live.oom + 10 * kMinuteMs;
    injections.push_back(live);

    Injection payment;
    payment.kind = IncidentKind::DependencyLatency;
    payment.service = serviceIndex("payment");
    payment.start = anchor - 2 * kHourMs - 30 * kMinuteMs + jitter(10, 15);
    payment.end = payment.start + 50 * kMinuteMs;
    payment.extraMs = 1800;
    payment.errorAdd = 0.04;
    injections.push_back(payment);

    // The live tail: one incident every few hours for two weeks after the anchor, so a demo left running
    // keeps showing something to find. Each starts after the previous one ended.
    std::vector<int> appPods;
    for (std::size_t p = 0; p < topo.pods.size(); ++p) {
        const auto& kind = topo.services[static_cast<std::size_t>(podService[p])].kind;
        if (kind == "web" || kind == "api")
            appPods.push_back(static_cast<int>(p));
    }
    static constexpr const char* kSlowCandidates[] = {"payment", "shipping", "currency",
                                                      "email",   "catalog",  "orders-db"};
    static constexpr IncidentKind kCycle[] = {IncidentKind::DependencyLatency, IncidentKind::NoisyNeighbour,
                                              IncidentKind::MemoryLeak, IncidentKind::DiskFill};
    TimeMs cursor = anchor + 6 * kHourMs;
    for (std::uint64_t k = 0; cursor < anchor + 14 * kDayMs; ++k) {
        auto h = [&](std::uint64_t salt) { return hashOf(seed, 600 + k, salt); };
        auto minutes = [&](std::uint64_t salt, std::uint64_t from, std::uint64_t span) {
            return static_cast<TimeMs>(from + h(salt) % span) * kMinuteMs;
        };
        Injection inj;
        inj.kind = kCycle[k % 4];
        inj.start = cursor + minutes(1, 0, 60);
        switch (inj.kind) {
        case IncidentKind::DependencyLatency:
            inj.service = serviceIndex(kSlowCandidates[h(2) % std::size(kSlowCandidates)]);
            inj.end = inj.start + minutes(3, 30, 40);
            inj.extraMs = static_cast<double>(600 + h(4) % 1500);
            inj.errorAdd = 0.03;
            break;
        case IncidentKind::NoisyNeighbour:
            inj.host = static_cast<int>(h(2) % topo.hosts.size());
            inj.end = inj.start + minutes(3, 40, 60);
            break;
        case IncidentKind::MemoryLeak:
            inj.pod = appPods[h(2) % appPods.size()];
            inj.service = podService[static_cast<std::size_t>(inj.pod)];
            inj.oom = inj.start + minutes(3, 150, 120);
            inj.end = inj.oom + 10 * kMinuteMs;
            break;
        case IncidentKind::DiskFill:
            inj.pod = appPods[h(2) % appPods.size()];
            inj.service = podService[static_cast<std::size_t>(inj.pod)];
            inj.fullAt = inj.start + minutes(3, 180, 180);
            inj.cleanup = inj.fullAt + 20 * kMinuteMs;
            inj.end = inj.cleanup;
            break;
        case IncidentKind::DeployErrors:
        case IncidentKind::LoadImbalance:
            break;
        }
        injections.push_back(inj);
        cursor = inj.end + minutes(5, 60, 60);
    }

    for (auto& inj : injections) {
        if (inj.kind == IncidentKind::MemoryLeak)
            inj.stop = inj.oom;
        if (inj.kind == IncidentKind::DiskFill) {
            // Growth chosen so the disk is exactly full at fullAt.
            const double cap =
                static_cast<double>(topo.services[static_cast<std::size_t>(inj.service)].diskCapacityBytes);
            inj.rate = (cap - normalDisk(inj.pod, inj.fullAt)) / static_cast<double>(inj.fullAt - inj.start);
        }
        if (inj.host < 0 && inj.pod >= 0)
            inj.host = podHost[static_cast<std::size_t>(inj.pod)];
    }
    // A short history keeps only the incidents that start inside it.
    std::erase_if(injections, [&](const Injection& inj) { return inj.start < historyStart; });
    std::stable_sort(injections.begin(), injections.end(),
                     [](const Injection& a, const Injection& b) { return a.start < b.start; });
}

const std::string& Model::versionAt(int service, TimeMs t) const {
    const std::string* v = &topo.services[static_cast<std::size_t>(service)].version;
    for (const auto& r : rollouts) {
        if (r.at > t)
            break;
        if (r.service == service)
            v = &r.version;
    }
    return *v;
}

std::vector<Injection> Model::effective(const std::vector<Action>& actions) const {
    std::vector<Injection> eff = injections;
    for (auto& inj : eff) {
        if (inj.kind == IncidentKind::MemoryLeak) {
            for (const auto& a : actions)
                if (a.restart && a.pod == inj.pod && a.at > inj.start && a.at < inj.stop) {
                    inj.stop = a.at;
                    inj.prevented = true;
                    inj.remediated = true;
                    inj.end = a.at;
                }
        } else if (inj.kind == IncidentKind::DiskFill) {
            double freed = 0;
            for (const auto& a : actions) {
                if (a.restart || a.pod != inj.pod || a.at < inj.start || a.at >= inj.cleanup ||
                    a.at >= inj.growthStop)
                    continue;
                freed += static_cast<double>(a.bytes);
                // Freeing what the runaway growth wrote means the runaway file was removed: growth stops.
                if (freed >= 0.9 * inj.rate * static_cast<double>(a.at - inj.start)) {
                    inj.growthStop = a.at;
                    inj.remediated = true;
                    inj.end = a.at;
                    break;
                }
            }
            if (!inj.remediated && freed > 0 && inj.forecast) {
                const auto delay = static_cast<TimeMs>(freed / inj.rate);
                inj.fullAt += delay;
                inj.cleanup += delay;
                inj.end = inj.fullAt;
            }
        }
    }
    return eff;
}

std::vector<IncidentTruth> Model::truths(const std::vector<Injection>& eff, TimeMs now) const {
    std::vector<IncidentTruth> out;
    std::set<int> affected;
    std::function<void(int)> up = [&](int s) {
        for (int p : parents[static_cast<std::size_t>(s)])
            if (affected.insert(p).second)
                up(p);
    };
    int n = 0;
    for (const auto& inj : eff) {
        IncidentTruth t;
        char id[16];
        std::snprintf(id, sizeof id, "INC-%02d", ++n);
        t.id = id;
        t.kind = inj.kind;
        t.start = inj.start;
        t.end = inj.end;
        const bool outage = inj.forecast && !inj.remediated && now >= inj.fullAt;
        if (outage)
            t.end = inj.cleanup;
        t.remediated = inj.remediated;
        if (inj.host >= 0)
            t.rootHost = topo.hosts[static_cast<std::size_t>(inj.host)].name;
        if (inj.pod >= 0)
            t.rootPod = topo.pods[static_cast<std::size_t>(inj.pod)].name;
        std::vector<int> roots;
        if (inj.service >= 0) {
            t.rootService = topo.services[static_cast<std::size_t>(inj.service)].name;
            roots.push_back(inj.service);
        } else {
            for (std::size_t p = 0; p < topo.pods.size(); ++p)
                if (podHost[p] == inj.host &&
                    std::find(roots.begin(), roots.end(), podService[p]) == roots.end())
                    roots.push_back(podService[p]);
        }
        affected.clear();
        // A skewed load balancer leaves the service's totals, so its callers, as they were.
        if (inj.kind != IncidentKind::LoadImbalance)
            for (int r : roots)
                up(r);
        for (int r : roots)
            t.affectedServices.push_back(topo.services[static_cast<std::size_t>(r)].name);
        for (int s : affected)
            if (std::find(roots.begin(), roots.end(), s) == roots.end())
                t.affectedServices.push_back(topo.services[static_cast<std::size_t>(s)].name);

        const double hours = static_cast<double>(inj.end - inj.start) / static_cast<double>(kHourMs);
        switch (inj.kind) {
        case IncidentKind::MemoryLeak: {
            const auto& spec = topo.services[static_cast<std::size_t>(inj.service)];
            t.primaryMetric = "memory_used_bytes";
            t.description =
                "Memory leak in " + t.rootPod + " (" + t.rootService + "): memory grows towards the " +
                fmt("%.0f MiB limit over %.1f h", static_cast<double>(spec.memoryLimitBytes) / kMiB,
                    static_cast<double>(inj.oom - inj.start) / static_cast<double>(kHourMs));
            t.description += inj.prevented ? "; the pod was restarted before the OOM kill."
                                           : " until the container is OOM-killed at " + formatIso(inj.oom) +
                                                 " and restarted; requests to it fail around the restart.";
            break;
        }
        case IncidentKind::DiskFill: {
            t.primaryMetric = "disk_used_bytes";
            const std::string growth = fmt("%.2f GiB/h", inj.rate * static_cast<double>(kHourMs) / kGiB);
            if (!inj.forecast)
                t.description = "The volume of " + t.rootPod + " (" + t.rootService + ") fills up at " +
                                growth + " until writes fail with \"No space left on device\" at " +
                                formatIso(inj.fullAt) + "; old files are cleaned up at " +
                                formatIso(inj.cleanup) + ".";
            else
                t.description = "The volume of " + t.rootPod + " (" + t.rootService + ") grows at " + growth +
                                " since " + formatIso(inj.start) +
                                (inj.remediated ? std::string("; disk space was freed, growth stopped.")
                                 : outage       ? "; it filled up at " + formatIso(inj.fullAt) +
                                                " (\"No space left on device\") and was cleaned up at " +
                                                formatIso(inj.cleanup) + "."
                                          : "; at this rate it is full at " + formatIso(inj.fullAt) + ".");
            break;
        }
        case IncidentKind::DependencyLatency:
            t.primaryMetric = "latency_p95_ms";
            t.description = t.rootService + " turns slow (" + fmt("+%.0f ms per call", inj.extraMs) +
                            ") for " + fmt("%.0f min", hours * 60.0) +
                            " as its provider degrades; its callers' latency rises and some calls time out.";
            break;
        case IncidentKind::DeployErrors:
            t.primaryMetric = "error_ratio";
            t.description =
                "Deploy of " + t.rootService + " " + inj.toVersion + " (commit " + inj.commit +
                ") introduces a NullPointerException in promotions: error burst until the rollback "
                "to " +
                inj.fromVersion + " " + fmt("%.0f min later.", hours * 60.0);
            break;
        case IncidentKind::LoadImbalance:
            t.primaryMetric = "cpu_usage_ratio";
            t.description = "After a load-balancer change, " + t.rootService + " sends " +
                            fmt("%.0f%% more traffic to ",
                                100.0 * inj.skew *
                                    static_cast<double>(
                                        podsOfService[static_cast<std::size_t>(inj.service)].size() - 1)) +
                            t.rootPod + " and less to its siblings for " + fmt("%.0f min", hours * 60.0) +
                            ": the pods' cpu parts ways while the service's totals stay normal.";
            break;
        case IncidentKind::NoisyNeighbour: {
            t.primaryMetric = "cpu_usage_ratio";
            t.rootService = t.affectedServices.empty() ? std::string() : t.affectedServices.front();
            std::string pods;
            for (std::size_t p = 0; p < topo.pods.size(); ++p)
                if (podHost[p] == inj.host)
                    pods += (pods.empty() ? "" : ", ") + topo.pods[p].name;
            t.description = "A noisy neighbour saturates the cpu of " + t.rootHost + " for " +
                            fmt("%.0f min", hours * 60.0) + ": its pods (" + pods +
                            ") are throttled and their services slow down.";
            break;
        }
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<DemoEvent> Model::events(const std::vector<Injection>& eff, const std::vector<Action>& actions,
                                     const TimeRange& range) const {
    std::vector<DemoEvent> out;
    auto add = [&](TimeMs t, std::string kind, int service, int pod, std::string text) {
        if (!range.contains(t))
            return;
        out.push_back({t, std::move(kind),
                       service >= 0 ? topo.services[static_cast<std::size_t>(service)].name : "",
                       pod >= 0 ? topo.pods[static_cast<std::size_t>(pod)].name : "", std::move(text)});
    };
    for (const auto& inj : eff) {
        const std::string svc =
            inj.service >= 0 ? topo.services[static_cast<std::size_t>(inj.service)].name : "";
        switch (inj.kind) {
        case IncidentKind::MemoryLeak:
            if (!inj.prevented)
                add(inj.oom, "oom_kill", inj.service, inj.pod,
                    "Container of " + topo.pods[static_cast<std::size_t>(inj.pod)].name +
                        " OOMKilled (exit code 137)");
            break;
        case IncidentKind::DiskFill:
            if (inj.cleanup != std::numeric_limits<TimeMs>::max())
                add(inj.cleanup, "disk_cleanup", inj.service, inj.pod,
                    "Old files removed from the volume of " +
                        topo.pods[static_cast<std::size_t>(inj.pod)].name);
            break;
        default:
            break;
        }
    }
    for (const auto& r : rollouts) {
        const std::string& svc = topo.services[static_cast<std::size_t>(r.service)].name;
        if (r.rollback)
            add(r.at, "rollback", r.service, -1, "Rolled back " + svc + " to version " + r.version);
        else
            add(r.at, "deploy", r.service, -1,
                "Deployed version " + r.version + " (commit " + r.commit + ") to " + svc);
    }
    for (const auto& a : actions) {
        const auto& pod = topo.pods[static_cast<std::size_t>(a.pod)];
        if (a.restart)
            add(a.at, "restart", podService[static_cast<std::size_t>(a.pod)], a.pod,
                "Pod " + pod.name + " restarted");
        else
            add(a.at, "disk_cleanup", podService[static_cast<std::size_t>(a.pod)], a.pod,
                fmt("%.2f GiB freed on the volume of ", static_cast<double>(a.bytes) / kGiB) + pod.name);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const DemoEvent& a, const DemoEvent& b) { return a.time < b.time; });
    return out;
}

void Model::resize(MinuteState& st) const {
    const auto ns = topo.services.size();
    const auto np = topo.pods.size();
    for (auto* v : {&st.rps, &st.selfP50, &st.p50, &st.p95, &st.selfErr, &st.err})
        v->assign(ns, 0.0);
    st.errorTemplate.assign(ns, ErrorTemplate::None);
    st.errorCause.assign(ns, -1);
    for (auto* v : {&st.podLatencyFactor, &st.cpu, &st.memory, &st.disk, &st.restarts, &st.leakProgress})
        v->assign(np, 0.0);
    st.diskFull.assign(np, 0);
}

void Model::evaluate(std::int64_t minute, const std::vector<Injection>& eff,
                     const std::vector<Action>& actions, MinuteState& st) const {
    if (st.rps.size() != topo.services.size())
        resize(st);
    const auto ns = topo.services.size();
    const auto np = topo.pods.size();
    const TimeMs t = minute * kMinuteMs;
    const auto um = static_cast<std::uint64_t>(minute);
    st.minute = minute;
    const double u = traffic(t);
    st.util = u;

    std::array<double, 32> selfAdd{}, errAdd{}, cpuAdd{};
    std::array<double, 32> cpuShare;
    cpuShare.fill(1.0);
    for (std::size_t s = 0; s < ns; ++s) {
        st.rps[s] = rpsAtPeak[s] * u * (1.0 + 0.02 * gauss(streamHash(rpsSalt[s], um)));
        st.errorTemplate[s] = ErrorTemplate::None;
        st.errorCause[s] = -1;
    }
    for (std::size_t p = 0; p < np; ++p) {
        st.podLatencyFactor[p] = 1.0;
        st.memory[p] = normalMemory(static_cast<int>(p), t, u);
        st.restarts[p] = initialRestarts[p];
        st.leakProgress[p] = 0.0;
        st.diskFull[p] = 0;
    }
    const Injection* diskInjection[32] = {};

    for (const auto& inj : eff) {
        const auto svc = static_cast<std::size_t>(std::max(inj.service, 0));
        switch (inj.kind) {
        case IncidentKind::MemoryLeak: {
            const auto p = static_cast<std::size_t>(inj.pod);
            if (t >= inj.start && t < inj.stop) {
                const double progress =
                    static_cast<double>(t - inj.start) / static_cast<double>(inj.oom - inj.start);
                const double limit = static_cast<double>(topo.services[svc].memoryLimitBytes);
                st.memory[p] += (limit - st.memory[p]) * progress;
                st.leakProgress[p] = std::max(progress, 1e-9);
                // Garbage-collection pressure near the limit: slower and busier.
                st.podLatencyFactor[p] *= 1.0 + 4.0 * std::max(0.0, progress - 0.8);
                cpuAdd[p] += 0.35 * std::max(0.0, (progress - 0.7) / 0.3);
            }
            if (!inj.prevented && t >= inj.oom) {
                st.restarts[p] += 1.0;
                if (t < inj.oom + 3 * kMinuteMs && t >= inj.oom - 2 * kMinuteMs) {
                    errAdd[svc] += 0.18;
                    st.errorTemplate[svc] = ErrorTemplate::ConnectionReset;
                }
            } else if (!inj.prevented && t >= inj.oom - 2 * kMinuteMs && t < inj.oom) {
                errAdd[svc] += 0.18;
                st.errorTemplate[svc] = ErrorTemplate::ConnectionReset;
            }
            break;
        }
        case IncidentKind::DiskFill:
            // The latest fill that has started owns the volume (several may hit one pod over time).
            if (t >= inj.start)
                diskInjection[inj.pod] = &inj;
            break;
        case IncidentKind::DependencyLatency: {
            const double r = ramp(t, inj.start, inj.end, 4 * kMinuteMs);
            if (r > 0) {
                selfAdd[svc] += inj.extraMs * r;
                errAdd[svc] += inj.errorAdd * r;
                st.errorTemplate[svc] = ErrorTemplate::Timeout;
            }
            break;
        }
        case IncidentKind::DeployErrors: {
            const double r = ramp(t, inj.start + kMinuteMs, inj.end, 2 * kMinuteMs);
            if (r > 0) {
                errAdd[svc] += inj.errorAdd * r;
                selfAdd[svc] += 0.15 * topo.services[svc].selfLatencyMs;
                st.errorTemplate[svc] = ErrorTemplate::DeployNpe;
            }
            break;
        }
        case IncidentKind::LoadImbalance: {
            const double r = ramp(t, inj.start, inj.end, 6 * kMinuteMs);
            if (r > 0) {
                const auto& pods = podsOfService[svc];
                const double n = static_cast<double>(pods.size());
                for (int p : pods)
                    cpuShare[static_cast<std::size_t>(p)] *=
                        p == inj.pod ? 1.0 + inj.skew * r * (n - 1.0) : 1.0 - inj.skew * r;
            }
            break;
        }
        case IncidentKind::NoisyNeighbour: {
            const double r = ramp(t, inj.start, inj.end, 5 * kMinuteMs);
            if (r > 0)
                for (std::size_t p = 0; p < np; ++p)
                    if (podHost[p] == inj.host) {
                        cpuAdd[p] += 0.5 * r;
                        st.podLatencyFactor[p] *= 1.0 + 2.0 * r;
                    }
            break;
        }
        }
    }

    for (std::size_t p = 0; p < np; ++p) {
        const auto s = static_cast<std::size_t>(podService[p]);
        const auto& spec = topo.services[s];
        const double cap = static_cast<double>(spec.diskCapacityBytes);
        const Injection* inj = diskInjection[p];
        auto extraAt = [&](TimeMs at) {
            if (!inj || at < inj->start || at >= inj->cleanup)
                return 0.0;
            return inj->rate * static_cast<double>(std::min(at, inj->growthStop) - inj->start);
        };
        double offset = 0;
        for (const auto& a : actions) {
            if (a.restart && a.pod == static_cast<int>(p) && a.at <= t)
                st.restarts[p] += 1.0;
            if (a.restart || a.pod != static_cast<int>(p) || a.at > t)
                continue;
            if (inj && t >= inj->cleanup && a.at < inj->cleanup)
                continue; // the scheduled cleanup reset the volume since
            const double raw = normalDisk(static_cast<int>(p), a.at) + extraAt(a.at) - offset;
            if (raw > cap)
                offset += raw - cap; // what could not be written while full is not on the disk
            offset += static_cast<double>(a.bytes);
        }
        const double used = normalDisk(static_cast<int>(p), t) + extraAt(t) - offset;
        st.disk[p] = std::clamp(used, 0.02 * cap, cap);
        if (used >= cap * 0.999) {
            st.diskFull[p] = 1;
            errAdd[s] += 0.3;
            st.errorTemplate[s] = ErrorTemplate::DiskFull;
        }
        st.cpu[p] = std::clamp(
            0.04 + cpuPerUtil[s] * u * cpuShare[p] * (1.0 + 0.03 * gauss(streamHash(cpuSalt[p], um))) +
                cpuAdd[p],
            0.005, 0.995);
    }

    const double load = 1.0 + 0.3 * u * u;
    for (std::size_t s = 0; s < ns; ++s) {
        double factor = 0;
        for (int p : podsOfService[s])
            factor += st.podLatencyFactor[static_cast<std::size_t>(p)];
        factor /= static_cast<double>(podsOfService[s].size());
        st.selfP50[s] = topo.services[s].selfLatencyMs * load * factor + selfAdd[s];
        st.selfErr[s] = std::clamp(
            topo.services[s].baseErrorRatio * (1.0 + 0.4 * gauss(streamHash(errSalt[s], um))) + errAdd[s],
            0.0, 1.0);
    }
    for (int si : order) {
        const auto s = static_cast<std::size_t>(si);
        double p50 = st.selfP50[s];
        double p95 = 2.0 * st.selfP50[s];
        double ok = 1.0 - st.selfErr[s];
        double worst = st.selfErr[s];
        for (const auto& [c, w] : children[s]) {
            const auto ci = static_cast<std::size_t>(c);
            p50 += w * st.p50[ci];
            p95 += w * 0.8 * st.p95[ci];
            // Callers retry or degrade: half of a dependency's failures surface as the caller's.
            const double share = std::min(1.0, w) * 0.5 * st.err[ci];
            ok *= 1.0 - share;
            if (share > worst) {
                worst = share;
                st.errorCause[s] = c;
            }
        }
        st.p50[s] = p50;
        st.p95[s] = std::max(p95, 1.3 * p50);
        st.err[s] = std::clamp(1.0 - ok, 0.0, 1.0);
        if (st.errorCause[s] >= 0 && st.errorTemplate[s] == ErrorTemplate::None) {
            const auto inherited = st.errorTemplate[static_cast<std::size_t>(st.errorCause[s])];
            if (inherited == ErrorTemplate::Timeout || inherited == ErrorTemplate::ConnectionReset)
                st.errorTemplate[s] = inherited;
        }
    }
}

double Model::value(const SeriesDesc& d, const MinuteState& st) const {
    const auto e = static_cast<std::size_t>(d.entity);
    const std::uint64_t h = streamHash(d.salt, static_cast<std::uint64_t>(st.minute));
    switch (d.metric) {
    case MetricKind::RequestRate:
        return st.rps[e];
    case MetricKind::LatencyP50:
        return st.p50[e] * (1.0 + 0.03 * gauss(h));
    case MetricKind::LatencyP95:
        return std::max(st.p95[e] * (1.0 + 0.05 * gauss(h)), st.p50[e] * 1.25);
    case MetricKind::ErrorRatio:
        return std::clamp(st.err[e] * (1.0 + 0.15 * gauss(h)), 0.0, 1.0);
    case MetricKind::Cpu:
        return st.cpu[e];
    case MetricKind::MemoryUsed: {
        const double limit =
            static_cast<double>(topo.services[static_cast<std::size_t>(podService[e])].memoryLimitBytes);
        return std::round(std::min(limit, st.memory[e] * (1.0 + 0.004 * gauss(h))));
    }
    case MetricKind::MemoryLimit:
        return static_cast<double>(topo.services[static_cast<std::size_t>(podService[e])].memoryLimitBytes);
    case MetricKind::DiskUsed: {
        const double cap =
            static_cast<double>(topo.services[static_cast<std::size_t>(podService[e])].diskCapacityBytes);
        return std::round(std::min(cap, st.disk[e] + 2.0 * kMiB * gauss(h)));
    }
    case MetricKind::DiskCapacity:
        return static_cast<double>(topo.services[static_cast<std::size_t>(podService[e])].diskCapacityBytes);
    case MetricKind::Restarts:
        return st.restarts[e];
    }
    return 0.0;
}

} // namespace cairn::demo::detail
