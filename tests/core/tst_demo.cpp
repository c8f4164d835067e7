// Tests for cairn/demo: the simulated web shop (topology, metrics with seasonality, incidents with ground
// truth, logs, traces, live tail, remediation hooks, the source adapters) and its speed.
#include "cairn/demo/demoenvironment.h"
#include "cairn/demo/demosources.h"
#include "cairn/demo/exporter.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <set>
#include <thread>

using namespace cairn;
using namespace cairn::demo;

namespace {

// 2026-11-10T09:17:00Z: a Tuesday; the history then ends on 2026-11-24T09:17:00Z.
constexpr TimeMs kStart = 1794302220000;

struct FakeClock {
    std::shared_ptr<std::atomic<TimeMs>> now = std::make_shared<std::atomic<TimeMs>>(kStart + 14 * kDayMs);
    std::function<TimeMs()> fn() const {
        auto n = now;
        return [n] { return n->load(); };
    }
};

DemoConfig config(std::uint64_t seed, const FakeClock& clock) {
    DemoConfig c;
    c.seed = seed;
    c.historyStart = kStart;
    c.clock = clock.fn();
    return c;
}

ts::Series one(const DemoEnvironment& env, const std::string& metric, ts::Labels labels, TimeRange range,
               TimeMs step = kMinuteMs) {
    auto r = env.query({metric, std::move(labels)}, range, step);
    if (!r || r->size() != 1)
        qFatal("expected exactly one series for %s", metric.c_str());
    return r->front();
}

double mean(const ts::Series& s) {
    if (s.empty())
        return 0;
    double sum = 0;
    for (double v : s.value)
        sum += v;
    return sum / static_cast<double>(s.size());
}

double at(const DemoEnvironment& env, const std::string& metric, ts::Labels labels, TimeMs t) {
    auto s = one(env, metric, std::move(labels), {t, t + kMinuteMs});
    if (s.size() != 1)
        qFatal("no sample for %s at %lld", metric.c_str(), static_cast<long long>(t));
    return s.value.front();
}

// Mean over [t, t + span).
double around(const DemoEnvironment& env, const std::string& metric, ts::Labels labels, TimeMs t,
              TimeMs span = 10 * kMinuteMs) {
    return mean(one(env, metric, std::move(labels), {t, t + span}));
}

const IncidentTruth* find(const std::vector<IncidentTruth>& all, IncidentKind kind, bool historical,
                          TimeMs anchor) {
    for (const auto& i : all)
        if (i.kind == kind && (historical ? i.end < anchor - kHourMs : i.end >= anchor - 6 * kHourMs))
            return &i;
    return nullptr;
}

std::size_t countLogs(const DemoEnvironment& env, TimeRange range, const std::string& contains,
                      const std::string& service = {}) {
    sources::LogQuery q;
    q.range = range;
    q.contains = contains;
    q.service = service;
    q.limit = 0;
    auto n = env.scanLogs(q, [](const sources::LogRecord&) { return true; });
    if (!n)
        qFatal("%s", n.error().what().c_str());
    return *n;
}

} // namespace

class TestDemo : public QObject {
    Q_OBJECT
private slots:
    void topologyHasTheShopsShape() {
        const auto t = makeWebShopTopology();
        QVERIFY(t.services.size() >= 10);
        QVERIFY(t.pods.size() >= 20);
        QCOMPARE(t.hosts.size(), std::size_t(5));
        QCOMPARE(t.services.front().name, std::string("frontend"));
        std::set<std::string> names;
        for (const auto& s : t.services)
            QVERIFY(names.insert(s.name).second);
        for (const auto& e : t.edges) {
            QVERIFY(t.service(e.parent) && t.service(e.child));
            QVERIFY(e.callsPerRequest > 0);
        }
        for (const auto& [p, c] :
             std::vector<std::pair<std::string, std::string>>{{"frontend", "checkout"},
                                                              {"checkout", "payment"},
                                                              {"checkout", "orders-db"},
                                                              {"cart", "redis-cache"},
                                                              {"catalog", "orders-db"}}) {
            const auto ch = t.children(p);
            QVERIFY2(std::find(ch.begin(), ch.end(), c) != ch.end(), (p + " -> " + c).c_str());
        }
        std::set<std::string> podNames;
        for (const auto& p : t.pods) {
            QVERIFY(podNames.insert(p.name).second);
            QVERIFY(t.service(p.service));
            QVERIFY(t.host(p.host));
        }
        for (const auto& h : t.hosts)
            QVERIFY(t.podsOnHost(h.name).size() >= 4);
        for (const auto& s : t.services)
            QVERIFY(!t.podsOf(s.name).empty());
    }

    void seriesFollowTheNamingConventions() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto& ids = env.seriesIds();
        const auto& t = env.topology();
        QCOMPARE(ids.size(), t.services.size() * 4 + t.pods.size() * 6);
        std::map<std::string, int> perMetric;
        for (const auto& id : ids) {
            ++perMetric[id.metric];
            QVERIFY(!id.label("service").empty());
            if (id.labels.size() == 3) {
                const auto* pod = t.pod(id.label("pod"));
                QVERIFY(pod);
                QCOMPARE(pod->host, id.label("host"));
                QCOMPARE(pod->service, id.label("service"));
            } else {
                QCOMPARE(id.labels.size(), std::size_t(1));
            }
        }
        for (const char* m : {"request_rate", "latency_p50_ms", "latency_p95_ms", "error_ratio"})
            QCOMPARE(perMetric[m], static_cast<int>(t.services.size()));
        for (const char* m : {"cpu_usage_ratio", "memory_used_bytes", "memory_limit_bytes", "disk_used_bytes",
                              "disk_capacity_bytes", "restarts_total"})
            QCOMPARE(perMetric[m], static_cast<int>(t.pods.size()));
    }

    void isDeterministicForASeed() {
        FakeClock clock;
        DemoEnvironment a(config(7, clock)), b(config(7, clock)), c(config(8, clock));
        const TimeRange r{kStart + 13 * kDayMs, kStart + 14 * kDayMs};
        auto qa = a.query({}, r, kMinuteMs);
        auto qb = b.query({}, r, kMinuteMs);
        auto qc = c.query({}, r, kMinuteMs);
        QVERIFY(qa && qb && qc);
        QCOMPARE(qa->size(), qb->size());
        bool anyDiff = false;
        for (std::size_t i = 0; i < qa->size(); ++i) {
            QCOMPARE((*qa)[i].id, (*qb)[i].id);
            QCOMPARE((*qa)[i].time, (*qb)[i].time);
            QCOMPARE((*qa)[i].value, (*qb)[i].value);
            anyDiff = anyDiff || (*qa)[i].value != (*qc)[i].value;
        }
        QVERIFY2(anyDiff, "another seed must give other data");
        QCOMPARE(a.incidents().size(), b.incidents().size());
        for (std::size_t i = 0; i < a.incidents().size(); ++i)
            QCOMPARE(a.incidents()[i].start, b.incidents()[i].start);

        sources::LogQuery q;
        q.range = {kStart + 14 * kDayMs - kHourMs, kStart + 14 * kDayMs};
        auto la = a.scanLogs(q, [](const auto&) { return true; });
        std::vector<std::string> ma, mb;
        (void)a.scanLogs(q, [&](const sources::LogRecord& rec) {
            ma.push_back(rec.message);
            return true;
        });
        (void)b.scanLogs(q, [&](const sources::LogRecord& rec) {
            mb.push_back(rec.message);
            return true;
        });
        QVERIFY(la && *la > 0);
        QCOMPARE(ma, mb);
    }

    void samplesAreOneMinuteApartAndInRange() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto s =
            one(env, "request_rate", {{"service", "frontend"}}, {kStart - kDayMs, kStart + 2 * kHourMs});
        QCOMPARE(s.size(), std::size_t(120)); // nothing before the history starts
        QCOMPARE(s.time.front(), kStart);
        for (std::size_t i = 1; i < s.size(); ++i)
            QCOMPARE(s.time[i] - s.time[i - 1], kMinuteMs);
        auto all = env.query({}, {kStart, kStart + 14 * kDayMs}, kHourMs);
        QVERIFY(all);
        for (const auto& series : *all) {
            for (double v : series.value) {
                QVERIFY(std::isfinite(v));
                QVERIFY(v >= 0);
            }
            const auto m = series.id.metric;
            if (m == "error_ratio" || m == "cpu_usage_ratio")
                for (double v : series.value)
                    QVERIFY(v <= 1.0);
        }
    }

    void showsDailyAndWeeklySeasonality() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto s = one(env, "request_rate", {{"service", "frontend"}}, {kStart, kStart + 14 * kDayMs});
        double peak = 0, trough = 0, weekday = 0, weekend = 0;
        int np = 0, nt = 0, nd = 0, ne = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const TimeMs t = s.time[i];
            const auto day = t / kDayMs;
            const int hour = static_cast<int>((t % kDayMs) / kHourMs);
            const int dow = static_cast<int>((day + 4) % 7);
            const bool isWeekend = dow == 0 || dow == 6;
            if (!isWeekend && hour == 16)
                peak += s.value[i], ++np;
            if (!isWeekend && hour == 4)
                trough += s.value[i], ++nt;
            (isWeekend ? weekend : weekday) += s.value[i];
            ++(isWeekend ? ne : nd);
        }
        peak /= np;
        trough /= nt;
        weekday /= nd;
        weekend /= ne;
        qInfo("frontend req/s: weekday 16:00 %.1f, 04:00 %.1f; weekday mean %.1f, weekend mean %.1f", peak,
              trough, weekday, weekend);
        QVERIFY(peak > 2.5 * trough);
        QVERIFY(weekday > 1.25 * weekend);
        // Child services follow the caller's traffic.
        const auto cat = one(env, "request_rate", {{"service", "catalog"}}, {kStart, kStart + 14 * kDayMs});
        QVERIFY(mean(cat) > 0.5 * mean(s));
    }

    void placesEveryIncidentKind() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto all = env.incidents();
        QVERIFY(all.size() >= 6);
        std::set<IncidentKind> kinds;
        for (const auto& i : all) {
            kinds.insert(i.kind);
            QVERIFY(i.end > i.start);
            QVERIFY(i.start >= env.historyStart());
            if (i.kind == IncidentKind::MemoryLeak || i.kind == IncidentKind::DiskFill ||
                i.kind == IncidentKind::NoisyNeighbour)
                QVERIFY(env.topology().host(i.rootHost));
            if (i.kind == IncidentKind::MemoryLeak || i.kind == IncidentKind::DiskFill ||
                i.kind == IncidentKind::LoadImbalance)
                QCOMPARE(env.topology().pod(i.rootPod)->host, i.rootHost);
            QVERIFY(env.topology().service(i.rootService));
            QVERIFY(!i.affectedServices.empty());
            QVERIFY(!i.description.empty());
            QVERIFY(!i.primaryMetric.empty());
            QVERIFY(!i.id.empty());
        }
        QCOMPARE(kinds.size(), std::size_t(6)); // every IncidentKind
        const TimeMs anchor = env.anchor();
        QVERIFY2(
            std::any_of(all.begin(), all.end(),
                        [&](const auto& i) { return i.start >= anchor - 6 * kHourMs && i.end <= anchor; }),
            "one incident must be complete within the last 6 hours");
        QVERIFY2(std::any_of(all.begin(), all.end(),
                             [&](const auto& i) {
                                 return i.kind == IncidentKind::DiskFill && i.end > anchor + kHourMs &&
                                        i.end < anchor + 8 * kHourMs;
                             }),
                 "a disk must be forecast to fill a few hours after now");
        QVERIFY(!env.incidents({anchor - 6 * kHourMs, anchor}).empty());
    }

    void shortHistoryKeepsOnlyItsIncidents() {
        FakeClock clock;
        DemoConfig c = config(7, clock);
        c.historyLength = 2 * kDayMs;
        c.historyStart = clock.now->load() - 2 * kDayMs;
        DemoEnvironment env(c);
        QCOMPARE(env.anchor(), clock.now->load());
        const auto all = env.incidents();
        QVERIFY(!all.empty());
        for (const auto& i : all)
            QVERIFY(i.start >= env.historyStart());
        auto series = env.query({"request_rate", {{"service", "frontend"}}}, {0, env.anchor()}, kMinuteMs);
        QVERIFY(series && series->front().size() == 2 * 1440);
        // A nonsensical length is clamped to an hour rather than failing.
        c.historyLength = -5;
        c.historyStart.reset();
        DemoEnvironment tiny(c);
        QCOMPARE(tiny.dataRange().duration(), kHourMs + kMinuteMs);
        for (const auto& i : tiny.incidents())
            QVERIFY(i.start >= tiny.historyStart());
        // The range filter keeps what overlaps.
        const TimeRange window{env.anchor() - 3 * kHourMs, env.anchor()};
        for (const auto& i : env.incidents(window))
            QVERIFY(i.window().overlaps(window));
        const auto ev = env.events({env.historyStart(), env.anchor()});
        QVERIFY(std::is_sorted(ev.begin(), ev.end(),
                               [](const auto& a, const auto& b) { return a.time < b.time; }));
    }

    void memoryLeakEndsInAnOomRestart() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto all = env.incidents();
        const auto* inc = find(all, IncidentKind::MemoryLeak, true, env.anchor());
        QVERIFY(inc);
        const ts::Labels pod{{"pod", inc->rootPod}};
        const double limit = at(env, "memory_limit_bytes", pod, inc->start);
        const auto oom = env.events({inc->start, inc->end});
        QCOMPARE(oom.size(), std::size_t(1));
        QCOMPARE(oom.front().kind, std::string("oom_kill"));
        const TimeMs kill = oom.front().time;
        QVERIFY(at(env, "memory_used_bytes", pod, inc->start - kHourMs) < 0.7 * limit);
        QVERIFY(at(env, "memory_used_bytes", pod, kill - 3 * kMinuteMs) > 0.97 * limit);
        QVERIFY(at(env, "memory_used_bytes", pod, kill + 2 * kMinuteMs) < 0.7 * limit);
        QVERIFY(at(env, "memory_used_bytes", pod, inc->end + kHourMs) < 0.7 * limit);
        QCOMPARE(at(env, "restarts_total", pod, kill) - at(env, "restarts_total", pod, kill - kMinuteMs),
                 1.0);
        const ts::Labels svc{{"service", inc->rootService}};
        QVERIFY(around(env, "error_ratio", svc, kill - 2 * kMinuteMs, 5 * kMinuteMs) >
                10 * around(env, "error_ratio", svc, inc->start - 2 * kHourMs, kHourMs));
        QVERIFY(countLogs(env, {kill, kill + kMinuteMs}, "OOMKilled") == 1);
        QVERIFY(countLogs(env, {env.historyStart(), kill}, "OOMKilled") == 0);
        QVERIFY(countLogs(env, {kill - kHourMs, kill}, "GC overhead high") > 10);
    }

    void diskFillsUntilNoSpaceIsLeft() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto all = env.incidents();
        const auto* inc = find(all, IncidentKind::DiskFill, true, env.anchor());
        QVERIFY(inc);
        const ts::Labels pod{{"pod", inc->rootPod}};
        const double cap = at(env, "disk_capacity_bytes", pod, inc->start);
        QVERIFY(at(env, "disk_used_bytes", pod, inc->start - kHourMs) < 0.8 * cap);
        QVERIFY(at(env, "disk_used_bytes", pod, inc->end - 5 * kMinuteMs) > 0.99 * cap);
        QVERIFY(at(env, "disk_used_bytes", pod, inc->end + 5 * kMinuteMs) < 0.8 * cap);
        const std::string enospc = "No space left on device";
        QVERIFY(countLogs(env, {inc->start, inc->end}, enospc) > 20);
        QCOMPARE(countLogs(env, {env.historyStart(), inc->start}, enospc), std::size_t(0));
        QCOMPARE(countLogs(env, {inc->end + kMinuteMs, inc->end + kDayMs}, enospc), std::size_t(0));
        QVERIFY(around(env, "error_ratio", {{"service", inc->rootService}}, inc->end - 10 * kMinuteMs) > 0.1);
    }

    void forecastDiskClimbsTowardsCapacity() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto all = env.incidents();
        const IncidentTruth* inc = nullptr;
        for (const auto& i : all)
            if (i.kind == IncidentKind::DiskFill && i.end > env.anchor())
                inc = &i;
        QVERIFY(inc);
        const ts::Labels pod{{"pod", inc->rootPod}};
        const TimeMs now = env.anchor() - kMinuteMs;
        const double cap = at(env, "disk_capacity_bytes", pod, now);
        const double used = at(env, "disk_used_bytes", pod, now);
        QVERIFY(used < 0.95 * cap);
        QVERIFY(used - at(env, "disk_used_bytes", pod, now - 6 * kHourMs) > 0.1 * cap);
        // The live tail reaches the predicted exhaustion.
        clock.now->store(inc->end + kHourMs);
        QVERIFY(at(env, "disk_used_bytes", pod, inc->end + 10 * kMinuteMs) > 0.99 * cap);
        QVERIFY(countLogs(env, {inc->end, inc->end + kHourMs}, "No space left on device") > 10);
        // Once the outage has happened the truth covers it up to the cleanup, and nothing fails after that.
        const auto later = env.incidents();
        const auto it =
            std::find_if(later.begin(), later.end(), [&](const auto& i) { return i.id == inc->id; });
        QVERIFY(it != later.end() && it->end > inc->end);
        QVERIFY(at(env, "disk_used_bytes", pod, it->end - kMinuteMs) > 0.99 * cap);
        QVERIFY(at(env, "disk_used_bytes", pod, it->end + kMinuteMs) < 0.8 * cap);
        QCOMPARE(countLogs(env, {it->end + kMinuteMs, it->end + kHourMs}, "No space left on device"),
                 std::size_t(0));
    }

    void downstreamLatencyRaisesCallers() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto all = env.incidents();
        for (bool historical : {true, false}) {
            const auto* inc = find(all, IncidentKind::DependencyLatency, historical, env.anchor());
            QVERIFY(inc);
            const TimeMs mid = inc->start + (inc->end - inc->start) / 2;
            const ts::Labels root{{"service", inc->rootService}};
            const double before = around(env, "latency_p95_ms", root, inc->start - kHourMs);
            const double during = around(env, "latency_p95_ms", root, mid);
            const double after = around(env, "latency_p95_ms", root, inc->end + 10 * kMinuteMs);
            QVERIFY2(during > 5 * before, inc->rootService.c_str());
            QVERIFY(after < 1.5 * before);
            for (const std::string caller : {"checkout", "frontend"}) {
                const ts::Labels c{{"service", caller}};
                QVERIFY2(around(env, "latency_p95_ms", c, mid) >
                             2 * around(env, "latency_p95_ms", c, inc->start - kHourMs),
                         caller.c_str());
            }
            QVERIFY(countLogs(env, {inc->start, inc->end}, "Upstream timeout calling " + inc->rootService) >
                    0);
            QVERIFY(countLogs(env, {inc->start - 2 * kHourMs, inc->start}, "Upstream timeout calling") == 0);
        }
    }

    void deployBringsANewErrorTemplate() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto all = env.incidents();
        const auto* inc = find(all, IncidentKind::DeployErrors, true, env.anchor());
        QVERIFY(inc);
        const ts::Labels root{{"service", inc->rootService}};
        QVERIFY(around(env, "error_ratio", root, inc->start + 10 * kMinuteMs) > 0.1);
        QVERIFY(around(env, "error_ratio", root, inc->start - kHourMs, kHourMs) < 0.02);
        QVERIFY(around(env, "error_ratio", root, inc->end + 5 * kMinuteMs, kHourMs) < 0.02);
        QVERIFY(countLogs(env, {inc->start, inc->start + kMinuteMs}, "Deployed version v1.8.3") >= 1);
        QVERIFY(countLogs(env, {inc->start, inc->end}, "NullPointerException") > 20);
        QCOMPARE(countLogs(env, {env.historyStart(), inc->start}, "NullPointerException"), std::size_t(0));
        QCOMPARE(countLogs(env, {inc->end, env.anchor()}, "NullPointerException"), std::size_t(0));
        // Error lines point at failing spans of sampled traces.
        sources::LogQuery lq;
        lq.range = {inc->start, inc->end};
        lq.contains = "NullPointerException";
        int linked = 0;
        (void)env.scanLogs(lq, [&](const sources::LogRecord& r) {
            const auto it = r.fields.find("trace_id");
            if (it == r.fields.end())
                return true;
            auto t = env.trace(it->second);
            if (!t)
                qFatal("log line links to a missing trace");
            const auto sp = std::find_if(t->spans.begin(), t->spans.end(),
                                         [&](const auto& s) { return s.spanId == r.fields.at("span_id"); });
            if (sp == t->spans.end() || !sp->error || sp->service != r.service ||
                sp->tags.at("pod") != r.fields.at("pod"))
                qFatal("log line links to the wrong span");
            if (sp->tags.at("service.version") != "v1.8.3")
                qFatal("the failing span must run the deployed version");
            ++linked;
            return true;
        });
        QVERIFY(linked > 3);
        const auto ev = env.events({inc->start, inc->end + kMinuteMs});
        QVERIFY(std::any_of(ev.begin(), ev.end(), [](const auto& e) { return e.kind == "deploy"; }));
        QVERIFY(std::any_of(ev.begin(), ev.end(), [](const auto& e) { return e.kind == "rollback"; }));
        // Routine deploys happen too, without errors.
        const auto history = env.events({env.historyStart(), env.anchor()});
        const auto deploys =
            std::count_if(history.begin(), history.end(), [](const auto& e) { return e.kind == "deploy"; });
        QVERIFY(deploys >= 4);
        QVERIFY(countLogs(env, {env.historyStart(), env.anchor()}, "Deployed version") >=
                std::size_t(deploys) * 2);
    }

    void noisyNeighbourSaturatesAHost() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto all = env.incidents();
        const auto* inc = find(all, IncidentKind::NoisyNeighbour, true, env.anchor());
        QVERIFY(inc);
        const TimeMs mid = inc->start + (inc->end - inc->start) / 2;
        const ts::Labels host{{"host", inc->rootHost}};
        auto during = env.query({"cpu_usage_ratio", host}, {mid, mid + 10 * kMinuteMs}, kMinuteMs);
        auto before = env.query({"cpu_usage_ratio", host},
                                {inc->start - kHourMs, inc->start - 50 * kMinuteMs}, kMinuteMs);
        QVERIFY(during && before && !during->empty());
        for (std::size_t i = 0; i < during->size(); ++i)
            QVERIFY(mean((*during)[i]) > mean((*before)[i]) + 0.3);
        // Pods elsewhere are not affected.
        const auto& other = env.topology().podsOnHost("node-1");
        const ts::Labels o{{"pod", other.front()}};
        QVERIFY(around(env, "cpu_usage_ratio", o, mid) <
                around(env, "cpu_usage_ratio", o, inc->start - kHourMs) + 0.15);
        const ts::Labels svc{{"service", inc->rootService}};
        QVERIFY(around(env, "latency_p50_ms", svc, mid) >
                1.3 * around(env, "latency_p50_ms", svc, inc->start - kHourMs));
        QVERIFY(countLogs(env, {inc->start, inc->end}, "CPU throttled") > 20);
        QCOMPARE(countLogs(env, {inc->start - kDayMs, inc->start}, "CPU throttled"), std::size_t(0));
    }

    void loadImbalancePartsThePodsOfAServiceWays() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto all = env.incidents();
        const auto* inc = find(all, IncidentKind::LoadImbalance, true, env.anchor());
        QVERIFY(inc);
        QCOMPARE(inc->primaryMetric, std::string("cpu_usage_ratio"));
        QVERIFY(!inc->rootPod.empty());
        QCOMPARE(inc->affectedServices, std::vector<std::string>{inc->rootService});
        const TimeMs mid = inc->start + (inc->end - inc->start) / 2;
        const TimeMs before = inc->start - kHourMs;
        // Ratio of each pod's cpu to its siblings' mean, during vs before: the hot pod up, the others down.
        const auto pods = env.topology().podsOf(inc->rootService);
        QVERIFY(pods.size() >= 3);
        for (const auto& pod : pods) {
            const double during = around(env, "cpu_usage_ratio", {{"pod", pod}}, mid);
            const double calm = around(env, "cpu_usage_ratio", {{"pod", pod}}, before);
            double sibDuring = 0, sibCalm = 0;
            for (const auto& other : pods)
                if (other != pod) {
                    sibDuring += around(env, "cpu_usage_ratio", {{"pod", other}}, mid);
                    sibCalm += around(env, "cpu_usage_ratio", {{"pod", other}}, before);
                }
            const double change = (during / sibDuring) / (calm / sibCalm);
            if (pod == inc->rootPod)
                QVERIFY2(change > 1.2, pod.c_str());
            else
                QVERIFY2(change < 1.0, pod.c_str());
            // Each pod stays inside the range it covers on an ordinary day.
            QVERIFY(during < 0.995);
        }
        // The service's own metrics do not move.
        const ts::Labels svc{{"service", inc->rootService}};
        const ts::Labels front{{"service", "frontend"}};
        const double share = around(env, "request_rate", svc, mid) / around(env, "request_rate", front, mid);
        const double calmShare =
            around(env, "request_rate", svc, before) / around(env, "request_rate", front, before);
        QVERIFY(std::abs(share - calmShare) < 0.05 * calmShare);
        QVERIFY(around(env, "latency_p50_ms", svc, mid) < 1.2 * around(env, "latency_p50_ms", svc, before));
    }

    void logsAreOrderedAndFiltered() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        sources::LogQuery q;
        q.range = {env.anchor() - kHourMs, env.anchor()};
        q.limit = 0;
        std::vector<sources::LogRecord> all;
        auto n = env.scanLogs(q, [&](const sources::LogRecord& r) {
            all.push_back(r);
            return true;
        });
        QVERIFY(n);
        QCOMPARE(*n, all.size());
        QVERIFY(all.size() > 11 * 60);
        std::set<std::string> services, levels;
        for (std::size_t i = 0; i < all.size(); ++i) {
            QVERIFY(q.range.contains(all[i].time));
            if (i)
                QVERIFY(all[i - 1].time <= all[i].time);
            QVERIFY(!all[i].message.empty());
            QVERIFY(env.topology().pod(all[i].fields.at("pod")));
            services.insert(all[i].service);
            levels.insert(std::string(sources::toString(all[i].level)));
        }
        QCOMPARE(services.size(), env.topology().services.size());
        QVERIFY(levels.count("INFO") && levels.count("DEBUG") && levels.count("WARN"));

        q.service = "checkout";
        q.minLevel = sources::LogLevel::Info;
        q.limit = 5;
        auto some = env.scanLogs(q, [&](const sources::LogRecord& r) {
            if (r.service != "checkout" || r.level < sources::LogLevel::Info)
                qFatal("filter ignored");
            return true;
        });
        QVERIFY(some && *some == 5);
        q = {};
        q.range = {env.anchor() - kHourMs, env.anchor()};
        q.host = "node-2";
        q.contains = "request_id=";
        auto hosted = env.scanLogs(q, [&](const sources::LogRecord& r) {
            if (r.host != "node-2" || r.message.find("request_id=") == std::string::npos)
                qFatal("filter ignored");
            return true;
        });
        QVERIFY(hosted && *hosted > 0);
        // The sink can stop the scan.
        int seen = 0;
        auto stopped = env.scanLogs(q, [&](const sources::LogRecord&) { return ++seen < 3; });
        QVERIFY(stopped && *stopped == 3);
        q.service = "no-such-service";
        QCOMPARE(*env.scanLogs(q, [](const auto&) { return true; }), std::size_t(0));
    }

    void tracesFollowTheCallGraph() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto& topo = env.topology();
        sources::TraceQuery q;
        q.range = {env.anchor() - 6 * kHourMs, env.anchor() - 5 * kHourMs};
        q.limit = 0;
        auto traces = env.findTraces(q);
        QVERIFY(traces);
        QVERIFY(traces->size() > 60 * 3);
        std::vector<double> rootMs;
        for (std::size_t k = 0; k < traces->size(); ++k) {
            const auto& t = (*traces)[k];
            if (k)
                QVERIFY((*traces)[k - 1].spans.front().startUs >= t.spans.front().startUs); // newest first
            QCOMPARE(t.traceId.size(), std::size_t(32));
            std::map<std::string, const sources::Span*> byId;
            for (const auto& s : t.spans) {
                QCOMPARE(s.traceId, t.traceId);
                QCOMPARE(s.spanId.size(), std::size_t(16));
                QVERIFY(byId.emplace(s.spanId, &s).second);
            }
            int roots = 0;
            for (const auto& s : t.spans) {
                QVERIFY(topo.pod(s.tags.at("pod")));
                QCOMPARE(topo.pod(s.tags.at("pod"))->host, s.host);
                if (s.parentSpanId.empty()) {
                    ++roots;
                    QCOMPARE(s.service, std::string("frontend"));
                    rootMs.push_back(static_cast<double>(s.durationUs) / 1000.0);
                    continue;
                }
                const auto it = byId.find(s.parentSpanId);
                QVERIFY(it != byId.end());
                const auto& parent = *it->second;
                const auto ch = topo.children(parent.service);
                QVERIFY2(std::find(ch.begin(), ch.end(), s.service) != ch.end(),
                         (parent.service + " -> " + s.service).c_str());
                QVERIFY(s.startUs >= parent.startUs);
                QVERIFY(s.startUs + s.durationUs <= parent.startUs + parent.durationUs);
            }
            QCOMPARE(roots, 1);
            auto again = env.trace(t.traceId);
            QVERIFY(again);
            QCOMPARE(again->spans.size(), t.spans.size());
            QCOMPARE(again->spans.back().durationUs, t.spans.back().durationUs);
        }
        // Every service's span durations sit around its latency_p50_ms of the hour.
        std::map<std::string, std::vector<double>> perService;
        for (const auto& t : *traces)
            for (const auto& s : t.spans)
                perService[s.service].push_back(static_cast<double>(s.durationUs) / 1000.0);
        for (auto& [service, ms] : perService) {
            if (ms.size() < 30)
                continue;
            std::sort(ms.begin(), ms.end());
            const double med = ms[ms.size() / 2];
            const double p50 = mean(one(env, "latency_p50_ms", {{"service", service}}, q.range));
            QVERIFY2(med > 0.4 * p50 && med < 2.5 * p50,
                     (service + ": span median " + std::to_string(med) + " ms, p50 " + std::to_string(p50))
                         .c_str());
        }
        std::sort(rootMs.begin(), rootMs.end());
        const double median = rootMs[rootMs.size() / 2];
        const double metric = mean(one(env, "latency_p50_ms", {{"service", "frontend"}}, q.range));
        qInfo("frontend: trace median %.1f ms, latency_p50_ms %.1f ms", median, metric);
        QVERIFY(median > 0.5 * metric && median < 2.0 * metric);

        QVERIFY(!env.trace("0123456789abcdef0123456789abcdef"));
        QVERIFY(!env.trace("ffffffffffffffffffffffffffffffff")); // decodes to a minute far out of range
        QVERIFY(!env.trace("0000000000000000000000000000000g"));
        QVERIFY(!env.trace(""));
        QVERIFY(env.trace("not-a-trace").error().code == ErrorCode::NotFound);

        auto deps = env.dependencies(q.range);
        QVERIFY(deps);
        QCOMPARE(deps->size(), topo.edges.size());
        for (const auto& e : *deps)
            QVERIFY(e.callCount > 0);
    }

    void slowDependencyShowsInSpans() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const auto all = env.incidents();
        const auto* inc = find(all, IncidentKind::DependencyLatency, false, env.anchor());
        QVERIFY(inc);
        sources::TraceQuery q;
        q.range = {inc->start + 10 * kMinuteMs, inc->end - 10 * kMinuteMs};
        q.service = inc->rootService;
        q.limit = 0;
        auto during = env.findTraces(q);
        QVERIFY(during && !during->empty());
        std::vector<double> ms;
        for (const auto& t : *during)
            for (const auto& s : t.spans)
                if (s.service == inc->rootService)
                    ms.push_back(static_cast<double>(s.durationUs) / 1000.0);
        std::sort(ms.begin(), ms.end());
        QVERIFY(ms[ms.size() / 2] > 1000.0);
        q.minDurationUs = 1'000'000;
        auto slow = env.findTraces(q);
        QVERIFY(slow && !slow->empty());
        q.errorsOnly = true;
        q.minDurationUs = 0;
        auto errors = env.findTraces(q);
        QVERIFY(errors);
        for (const auto& t : *errors)
            QVERIFY(std::any_of(t.spans.begin(), t.spans.end(), [](const auto& s) { return s.error; }));
    }

    void liveTailGrowsWithTheClock() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const TimeRange lastHour{env.anchor() - kHourMs, env.anchor() + kHourMs};
        const auto before = one(env, "cpu_usage_ratio", {{"pod", env.topology().pods[0].name}}, lastHour);
        QCOMPARE(before.size(), std::size_t(61)); // the minute starting at now is there
        const auto logsBefore = countLogs(env, lastHour, "");
        clock.now->fetch_add(10 * kMinuteMs);
        const auto after = one(env, "cpu_usage_ratio", {{"pod", env.topology().pods[0].name}}, lastHour);
        QCOMPARE(after.size(), std::size_t(71));
        for (std::size_t i = 0; i < before.size() - 1; ++i)
            QCOMPARE(after.value[i], before.value[i]);
        QVERIFY(countLogs(env, lastHour, "") > logsBefore);
        QCOMPARE(env.dataRange().end, env.anchor() + 11 * kMinuteMs);
    }

    void liveTailBringsNewIncidents() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const TimeMs anchor = env.anchor();
        for (const auto& i : env.incidents())
            QVERIFY(i.start <= anchor); // nothing is known before it starts
        clock.now->store(anchor + 4 * kDayMs);
        std::vector<IncidentTruth> live;
        for (const auto& i : env.incidents())
            if (i.start > anchor + 5 * kHourMs)
                live.push_back(i);
        QVERIFY(live.size() >= 8);
        std::set<IncidentKind> kinds;
        for (std::size_t k = 0; k < live.size(); ++k) {
            const auto& i = live[k];
            kinds.insert(i.kind);
            if (k)
                QVERIFY(i.start >= live[k - 1].end); // one at a time
            if (i.end > clock.now->load())
                continue;
            const TimeMs before = i.start - 30 * kMinuteMs;
            switch (i.kind) {
            case IncidentKind::DependencyLatency: {
                const ts::Labels l{{"service", i.rootService}};
                const TimeMs mid = i.start + (i.end - i.start) / 2;
                QVERIFY2(around(env, "latency_p95_ms", l, mid) > 3 * around(env, "latency_p95_ms", l, before),
                         i.description.c_str());
                break;
            }
            case IncidentKind::NoisyNeighbour: {
                const ts::Labels l{{"host", i.rootHost}};
                const TimeMs mid = i.start + (i.end - i.start) / 2;
                auto during = env.query({"cpu_usage_ratio", l}, {mid, mid + 5 * kMinuteMs}, 5 * kMinuteMs);
                auto calm =
                    env.query({"cpu_usage_ratio", l}, {before, before + 5 * kMinuteMs}, 5 * kMinuteMs);
                for (std::size_t p = 0; p < during->size(); ++p)
                    QVERIFY(mean((*during)[p]) > mean((*calm)[p]) + 0.3);
                break;
            }
            case IncidentKind::MemoryLeak: {
                const ts::Labels l{{"pod", i.rootPod}};
                const double limit = at(env, "memory_limit_bytes", l, i.start);
                QVERIFY(at(env, "memory_used_bytes", l, i.end - 14 * kMinuteMs) > 0.95 * limit);
                QVERIFY(at(env, "memory_used_bytes", l, before) < 0.7 * limit);
                QVERIFY(at(env, "restarts_total", l, i.end) == at(env, "restarts_total", l, before) + 1);
                break;
            }
            case IncidentKind::DiskFill: {
                const ts::Labels l{{"pod", i.rootPod}};
                const double cap = at(env, "disk_capacity_bytes", l, i.start);
                QVERIFY(at(env, "disk_used_bytes", l, i.end - 5 * kMinuteMs) > 0.99 * cap);
                QVERIFY(at(env, "disk_used_bytes", l, before) < 0.6 * cap);
                QVERIFY(countLogs(env, {i.start, i.end}, "No space left on device") > 10);
                break;
            }
            case IncidentKind::DeployErrors:
            case IncidentKind::LoadImbalance:
                break;
            }
        }
        QCOMPARE(kinds.size(), std::size_t(4));
    }

    void restartPodEndsALeak() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        DemoEnvironment untouched(config(7, clock));
        const IncidentTruth* inc = nullptr;
        const auto all = env.incidents();
        for (const auto& i : all)
            if (i.kind == IncidentKind::MemoryLeak && i.end > env.anchor())
                inc = &i;
        QVERIFY(inc);
        const std::string pod = inc->rootPod;
        const TimeMs now = env.anchor();
        const ts::Labels labels{{"pod", pod}};
        const double limit = at(env, "memory_limit_bytes", labels, now);
        QVERIFY(at(env, "memory_used_bytes", labels, now - kMinuteMs) > 0.5 * limit);
        const double restarts = at(env, "restarts_total", labels, now - kMinuteMs);

        QVERIFY(env.restartPod(pod, now + 30 * kSecondMs));
        clock.now->store(now + 5 * kHourMs);
        QVERIFY(at(env, "memory_used_bytes", labels, now + 5 * kMinuteMs) < 0.5 * limit);
        QVERIFY(at(env, "memory_used_bytes", labels, now + 3 * kHourMs) < 0.5 * limit);
        QCOMPARE(at(env, "restarts_total", labels, now + 3 * kHourMs), restarts + 1);
        // Without the restart the leak goes on to an OOM kill.
        QVERIFY(at(untouched, "memory_used_bytes", labels, now + kHourMs) > 0.8 * limit);
        QCOMPARE(at(untouched, "restarts_total", labels, now + 4 * kHourMs), restarts + 1);
        const auto ev = env.events({now, now + 5 * kHourMs});
        QVERIFY(std::none_of(ev.begin(), ev.end(), [](const auto& e) { return e.kind == "oom_kill"; }));
        QVERIFY(std::any_of(ev.begin(), ev.end(), [](const auto& e) { return e.kind == "restart"; }));
        const auto truth = env.incidents();
        const auto it =
            std::find_if(truth.begin(), truth.end(), [&](const auto& i) { return i.id == inc->id; });
        QVERIFY(it->remediated);
        QCOMPARE(it->end, now + 30 * kSecondMs);
        QCOMPARE(env.remediations().size(), std::size_t(1));
        QCOMPARE(countLogs(env, {now, now + 5 * kHourMs}, "OOMKilled"), std::size_t(0));
        QVERIFY(countLogs(untouched, {now, now + 5 * kHourMs}, "OOMKilled") == 1);

        QVERIFY(env.restartPod("no-such-pod", now).error().code == ErrorCode::NotFound);
        QVERIFY(env.restartPod(pod, env.historyStart() - kDayMs).error().code == ErrorCode::InvalidArgument);
    }

    void freeDiskLowersUsage() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const IncidentTruth* inc = nullptr;
        const auto all = env.incidents();
        for (const auto& i : all)
            if (i.kind == IncidentKind::DiskFill && i.end > env.anchor())
                inc = &i;
        QVERIFY(inc);
        const ts::Labels labels{{"pod", inc->rootPod}};
        const TimeMs now = env.anchor();
        const double before = at(env, "disk_used_bytes", labels, now - kMinuteMs);
        const double freed = before - at(env, "disk_used_bytes", labels, inc->start - kHourMs);
        QVERIFY(env.freeDisk(inc->rootPod, static_cast<std::int64_t>(freed), now));
        clock.now->store(now + 10 * kHourMs);
        const double after = at(env, "disk_used_bytes", labels, now + kMinuteMs);
        QVERIFY(after < before - 0.9 * freed);
        const double cap = at(env, "disk_capacity_bytes", labels, now);
        QVERIFY(at(env, "disk_used_bytes", labels, now + 8 * kHourMs) < 0.8 * cap); // growth stopped
        const auto truth = env.incidents();
        QVERIFY(std::any_of(truth.begin(), truth.end(),
                            [&](const auto& i) { return i.id == inc->id && i.remediated && i.end == now; }));
        QVERIFY(env.freeDisk(inc->rootPod, 0, now).error().code == ErrorCode::InvalidArgument);
        QVERIFY(env.freeDisk("nope", 10, now).error().code == ErrorCode::NotFound);
    }

    void rejectsInvertedRanges() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const TimeRange bad{env.anchor(), env.anchor() - kHourMs};
        auto m = env.query({}, bad, kMinuteMs);
        QVERIFY(!m);
        QVERIFY(m.error().code == ErrorCode::InvalidArgument);
        QVERIFY(m.error().message.find("inverted") != std::string::npos);
        sources::LogQuery lq;
        lq.range = bad;
        QVERIFY(env.scanLogs(lq, [](const auto&) { return true; }).error().code ==
                ErrorCode::InvalidArgument);
        sources::TraceQuery tq;
        tq.range = bad;
        QVERIFY(env.findTraces(tq).error().code == ErrorCode::InvalidArgument);
        QVERIFY(env.dependencies(bad).error().code == ErrorCode::InvalidArgument);
        QVERIFY(env.query({}, {env.anchor() - kHourMs, env.anchor()}, 0).error().code ==
                ErrorCode::InvalidArgument);
        // An empty or out-of-history range is fine and empty.
        auto empty = env.query({"request_rate", {}}, {kStart - 2 * kDayMs, kStart - kDayMs}, kMinuteMs);
        QVERIFY(empty);
        QCOMPARE(empty->size(), env.topology().services.size());
        QVERIFY(empty->front().empty());
    }

    void coarserStepsAggregate() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const TimeRange r{kStart + kDayMs + 3 * kMinuteMs, kStart + kDayMs + 3 * kMinuteMs + 2 * kHourMs};
        QCOMPARE(r.start % (5 * kMinuteMs), TimeMs(0));
        const ts::Labels l{{"service", "catalog"}};
        const auto fine = one(env, "request_rate", l, r);
        const auto coarse = one(env, "request_rate", l, r, 5 * kMinuteMs);
        QCOMPARE(coarse.size(), fine.size() / 5);
        for (std::size_t i = 0; i < coarse.size(); ++i) {
            QCOMPARE(coarse.time[i] % (5 * kMinuteMs), TimeMs(0));
            double sum = 0;
            for (std::size_t k = 0; k < 5; ++k)
                sum += fine.value[i * 5 + k];
            QVERIFY(std::abs(coarse.value[i] - sum / 5) < 1e-9);
        }
        const auto sub = one(env, "request_rate", l, r, 1000);
        QCOMPARE(sub.size(), fine.size());
        // Unaligned: the first bucket holds only the minutes inside the range.
        const auto partial = one(env, "request_rate", l, {r.start + 2 * kMinuteMs, r.end}, 5 * kMinuteMs);
        QCOMPARE(partial.size(), coarse.size());
        QCOMPARE(partial.time.front(), r.start + 2 * kMinuteMs); // inside the range asked for
        QVERIFY(std::abs(partial.value.front() - (fine.value[2] + fine.value[3] + fine.value[4]) / 3) < 1e-9);
        // restarts_total is a counter: a bucket carries its last value.
        const auto restarts = one(env, "restarts_total", {{"pod", env.topology().pods[0].name}}, r, kHourMs);
        QVERIFY(!restarts.empty());
        // A step longer than the whole history gives one sample, stamped inside the range.
        const auto whole = one(env, "request_rate", l, {0, std::numeric_limits<TimeMs>::max()},
                               std::numeric_limits<TimeMs>::max() / 2);
        QCOMPARE(whole.size(), std::size_t(1));
        QCOMPARE(whole.time.front(), env.historyStart());
        QVERIFY(whole.value.front() > 0);
    }

    void sourcesServeTheContracts() {
        FakeClock clock;
        auto env = std::make_shared<DemoEnvironment>(config(7, clock));
        DemoMetricSource metrics(env);
        DemoLogSource logs(env);
        DemoTraceSource traces(env);
        auto ids = metrics.listSeries({"cpu_usage_ratio", {{"host", "node-3"}}}, {});
        QVERIFY(ids);
        QCOMPARE(ids->size(), env->topology().podsOnHost("node-3").size());
        sources::MetricQuery mq{
            {"request_rate", {{"service", "frontend"}}}, {env->anchor() - kHourMs, env->anchor()}, kMinuteMs};
        auto series = metrics.query(mq, {});
        QVERIFY(series && series->size() == 1 && series->front().size() == 60);
        sources::LogQuery lq;
        lq.range = {env->anchor() - kHourMs, env->anchor()};
        lq.limit = 100;
        auto records = logs.query(lq, {});
        QVERIFY(records && records->size() == 100);
        auto services = traces.services({});
        QVERIFY(services && services->size() == env->topology().services.size());
        auto token = CancelToken::create();
        token.cancel();
        QVERIFY(metrics.query(mq, token).error().code == ErrorCode::Cancelled);
        QVERIFY(logs.scan(
                        lq, [](const auto&) { return true; }, token)
                    .error()
                    .code == ErrorCode::Cancelled);
    }

    void isSafeFromSeveralThreads() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        const TimeRange r{env.anchor() - kDayMs, env.anchor()};
        const auto reference = env.query({"latency_p95_ms", {}}, r, kMinuteMs);
        QVERIFY(reference);
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int k = 0; k < 4; ++k)
            threads.emplace_back([&, k] {
                for (int i = 0; i < 3; ++i) {
                    auto q = env.query({"latency_p95_ms", {}}, r, kMinuteMs);
                    if (!q || q->size() != reference->size() || q->front().value != reference->front().value)
                        ++mismatches;
                    sources::LogQuery lq;
                    lq.range = {env.anchor() - kHourMs, env.anchor()};
                    (void)env.scanLogs(lq, [](const auto&) { return true; });
                    if (k == 0)
                        (void)env.freeDisk(env.topology().pods[0].name, 1024, env.anchor() + kDayMs + i);
                }
            });
        for (auto& t : threads)
            t.join();
        QCOMPARE(mismatches.load(), 0);
        QCOMPARE(env.remediations().size(), std::size_t(3));
    }

    void exportsFilesForARange() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::string dir = tmp.filePath("out/nested").toStdString();
        const TimeRange r{env.anchor() - 3 * kHourMs, env.anchor()};
        auto summary = exportDemo(env, r, dir);
        QVERIFY2(summary, summary ? "" : summary.error().what().c_str());
        QCOMPARE(summary->series, env.seriesIds().size());
        QCOMPARE(summary->samples, env.seriesIds().size() * 180);
        QVERIFY(summary->logLines > 1000 && summary->traces > 500 && summary->spans > summary->traces);
        QVERIFY(summary->incidents >= 2);
        for (const char* f : {"metrics.csv", "logs.log", "traces.json", "incidents.json"})
            QVERIFY(QFileInfo(QString::fromStdString(dir) + "/" + f).size() > 0);
        QFile csv(QString::fromStdString(dir) + "/metrics.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readLine().trimmed(), QByteArray("series,timestamp,value"));
        QVERIFY(csv.readLine().startsWith("\"request_rate{service=\"\"frontend\"\"}\","));
        QFile traces(QString::fromStdString(dir) + "/traces.json");
        QVERIFY(traces.open(QIODevice::ReadOnly));
        const auto doc = QJsonDocument::fromJson(traces.readAll());
        QVERIFY(doc.isObject());
        QCOMPARE(doc.object()["data"].toArray().size(), static_cast<qsizetype>(summary->traces));
        const auto span = doc.object()["data"].toArray()[0].toObject()["spans"].toArray()[0].toObject();
        for (const char* key : {"traceID", "spanID", "operationName", "references", "startTime", "duration",
                                "tags", "logs", "processID"})
            QVERIFY2(span.contains(key), key);

        auto inverted = exportDemo(env, {r.end, r.start}, dir);
        QVERIFY(!inverted && inverted.error().code == ErrorCode::InvalidArgument);
        auto outside = exportDemo(env, {kStart - 2 * kDayMs, kStart - kDayMs}, dir);
        QVERIFY(!outside && outside.error().code == ErrorCode::InvalidArgument);
        QFile blocker(tmp.filePath("file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        auto unwritable = exportDemo(env, r, tmp.filePath("file/sub").toStdString());
        QVERIFY(!unwritable && unwritable.error().code == ErrorCode::Io);
        QVERIFY(unwritable.error().context.find("file/sub") != std::string::npos);
    }

    void generatesTheWholeHistoryQuickly() {
        FakeClock clock;
        DemoEnvironment env(config(7, clock));
        std::vector<double> times;
        std::size_t samples = 0;
        for (int run = 0; run < 3; ++run) {
            const auto t0 = std::chrono::steady_clock::now();
            auto all = env.query({}, env.dataRange(), kMinuteMs);
            const auto t1 = std::chrono::steady_clock::now();
            QVERIFY(all);
            samples = 0;
            for (const auto& s : *all)
                samples += s.size();
            times.push_back(std::chrono::duration<double>(t1 - t0).count());
        }
        std::sort(times.begin(), times.end());
        qInfo("all %zu series, 14 days at 1 min (%zu samples): median %.3f s", env.seriesIds().size(),
              samples, times[1]);
        QVERIFY(samples >= env.seriesIds().size() * 14 * 1440);
#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
        const double limit = 20.0; // instrumented or unoptimised builds
#else
        const double limit = 3.0;
#endif
        QVERIFY(times[1] < limit);
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
