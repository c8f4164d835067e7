// Group scan: how related series are grouped (instances of a service per metric, metrics of a host), the
// group anomalies found over them as ordinary anomalies (detector "group", contributors), and their part in
// alert correlation.
#include "cairn/detect/correlate.h"
#include "cairn/detect/groupscan.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace cairn;
using namespace cairn::detect;

namespace {

ts::SeriesId pod(const std::string& metric, const std::string& service, const std::string& name,
                 const std::string& host = "node-1") {
    return {metric, {{"service", service}, {"pod", name}, {"host", host}}};
}

// Three pods sharing a daily load pattern with independent noise; from `partAt` on (for `partFor`), the
// first pod takes 30% more load and the others 15% less (their sum stays the same).
std::vector<ts::Series> pods(TimeMs partAt, TimeMs partFor, bool nanGap = false) {
    std::vector<ts::Series> out;
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 0.01);
    const TimeMs start = 0;
    for (int p = 0; p < 3; ++p) {
        ts::Series s;
        s.id = pod("cpu_usage_ratio", "catalog", "catalog-" + std::to_string(p));
        for (TimeMs t = start; t < start + 3 * kDayMs; t += kMinuteMs) {
            const double day =
                std::sin(static_cast<double>(t % kDayMs) / static_cast<double>(kDayMs) * 6.2831853);
            double load = 0.3 + 0.15 * day;
            if (t >= partAt && t < partAt + partFor)
                load *= p == 0 ? 1.3 : 0.85;
            s.time.push_back(t);
            s.value.push_back(nanGap && p == 1 && t % (17 * kMinuteMs) == 0
                                  ? std::numeric_limits<double>::quiet_NaN()
                                  : load * (1.0 + noise(rng)));
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<ts::SeriesId> idsOf(const std::vector<ts::Series>& s) {
    std::vector<ts::SeriesId> ids;
    for (const auto& x : s)
        ids.push_back(x.id);
    return ids;
}

} // namespace

class TestDetectGroupScan : public QObject {
    Q_OBJECT

private slots:
    void groupsInstancesOfAServicePerMetric() {
        const std::vector<ts::SeriesId> ids{
            pod("cpu_usage_ratio", "catalog", "catalog-0"),
            pod("cpu_usage_ratio", "catalog", "catalog-1"),
            pod("memory_used_bytes", "catalog", "catalog-0"),
            pod("memory_used_bytes", "catalog", "catalog-1"),
            pod("cpu_usage_ratio", "email", "email-0"), // alone: no group
            pod("restarts_total", "catalog", "catalog-0"),
            pod("restarts_total", "catalog", "catalog-1"),
            {"request_rate", {{"service", "catalog"}}}, // service level: no instances
        };
        const auto groups = defineGroups(ids);
        QCOMPARE(groups.size(), std::size_t(2));
        QCOMPARE(groups[0].id.metric, std::string("cpu_usage_ratio"));
        QCOMPARE(groups[0].id.label("service"), std::string("catalog"));
        QCOMPARE(groups[0].members, (std::vector<std::size_t>{0, 1}));
        QVERIFY(groups[0].title.find("2 instances of catalog") != std::string::npos);
        QCOMPARE(groups[1].id.metric, std::string("memory_used_bytes"));
    }

    void groupsTheMetricsOfAHost() {
        const std::vector<ts::SeriesId> ids{{"node_load1", {{"instance", "node-3:9100"}, {"host", "node-3"}}},
                                            {"node_memory_used", {{"host", "node-3"}}},
                                            {"node_load1", {{"host", "node-4"}}}};
        // instance alone (no service) is not a service's instance: the host rule applies.
        const auto groups = defineGroups(ids);
        QCOMPARE(groups.size(), std::size_t(1));
        QCOMPARE(groups[0].id.label("host"), std::string("node-3"));
        QCOMPARE(groups[0].members.size(), std::size_t(2));
    }

    void splitsLargeGroups() {
        std::vector<ts::SeriesId> ids;
        for (int i = 0; i < 70; ++i)
            ids.push_back(pod("cpu_usage_ratio", "web", "web-" + std::to_string(i)));
        GroupingOptions o;
        o.maxMembers = 32;
        const auto groups = defineGroups(ids, o);
        QCOMPARE(groups.size(), std::size_t(3));
        std::size_t total = 0;
        for (const auto& g : groups) {
            QVERIFY(g.members.size() <= 32);
            total += g.members.size();
        }
        QCOMPARE(total, std::size_t(70));
        QVERIFY(groups[0].id != groups[1].id);
    }

    void findsPodsPartingWaysAndNamesTheContributor() {
        const TimeMs partAt = 2 * kDayMs + 5 * kHourMs;
        const auto series = pods(partAt, kHourMs);
        const auto groups = defineGroups(idsOf(series));
        QCOMPARE(groups.size(), std::size_t(1));
        const auto found = scanGroups(series, groups);
        QVERIFY(!found.empty());
        const Anomaly* hit = nullptr;
        for (const auto& a : found)
            if (a.start >= partAt - 5 * kMinuteMs && a.start < partAt + kHourMs)
                hit = &a;
        QVERIFY2(hit, "the parting is found");
        QCOMPARE(hit->detector, std::string("group"));
        QCOMPARE(hit->series, groups[0].id);
        QVERIFY(hit->score >= 0.5);
        QVERIFY(!hit->contributors.empty());
        QCOMPARE(hit->contributors.front().first.label("pod"), std::string("catalog-0"));
        double total = 0;
        for (const auto& [id, share] : hit->contributors) {
            QVERIFY(share >= 0 && share <= 1);
            total += share;
        }
        QVERIFY(total <= 1.0 + 1e-9);
        QVERIFY(hit->explanation.find("catalog-0") != std::string::npos);
        QVERIFY(hit->explanation.find("group detector") != std::string::npos);
    }

    void quietGroupHasNoAnomalies() {
        const auto series = pods(std::numeric_limits<TimeMs>::max() / 2, 0);
        const auto found = scanGroups(series, defineGroups(idsOf(series)));
        QCOMPARE(found.size(), std::size_t(0));
    }

    void gapsAndConstantMembersAreHandled() {
        auto series = pods(2 * kDayMs + 5 * kHourMs, kHourMs, true);
        ts::Series limit;
        limit.id = pod("cpu_usage_ratio", "catalog", "catalog-9");
        for (TimeMs t = 0; t < 3 * kDayMs; t += kMinuteMs) {
            limit.time.push_back(t);
            limit.value.push_back(1.0);
        }
        series.push_back(limit);
        const auto groups = defineGroups(idsOf(series));
        QCOMPARE(groups.front().members.size(), std::size_t(4));
        const auto found = scanGroups(series, groups);
        QVERIFY(!found.empty());
        for (const auto& a : found)
            for (const auto& [id, share] : a.contributors)
                QVERIFY(id.label("pod") != "catalog-9"); // constant: left out
        // Empty input and out-of-range member indices are not errors.
        QVERIFY(scanGroups({}, groups).empty());
        QVERIFY(scanGroups(series, {}).empty());
    }

    void cancelStopsTheScan() {
        const auto series = pods(2 * kDayMs, kHourMs);
        const CancelToken cancel = CancelToken::create();
        cancel.cancel();
        QVERIFY(scanGroups(series, defineGroups(idsOf(series)), {}, cancel).empty());
    }

    void groupAnomalyCorrelatesWithTheServiceAlerts() {
        Anomaly group;
        group.series = {"cpu_usage_ratio", {{"service", "catalog"}, {"group", "instances"}}};
        group.start = 10 * kHourMs;
        group.end = group.start + 30 * kMinuteMs;
        group.score = 0.9;
        group.detector = "group";
        Anomaly latency;
        latency.series = {"latency_p95_ms", {{"service", "catalog"}}};
        latency.start = group.start + 3 * kMinuteMs;
        latency.end = latency.start + 10 * kMinuteMs;
        latency.score = 0.7;
        Anomaly muted = latency;
        muted.suppressed = "silence 'x'";
        const std::vector<Alert> alerts{alertFromAnomaly(group, 11 * kHourMs),
                                        alertFromAnomaly(latency, 11 * kHourMs),
                                        alertFromAnomaly(muted, 11 * kHourMs)};
        QVERIFY(alerts[0].state == AlertState::Resolved);
        QVERIFY(alerts[2].state == AlertState::Suppressed);
        QCOMPARE(alerts[2].suppressedReason, std::string("silence 'x'"));
        QVERIFY(alertFromAnomaly(group, group.end).state == AlertState::Firing);
        const auto groups = correlateAlerts(alerts);
        QCOMPARE(groups.size(), std::size_t(1));
        QCOMPARE(groups[0].alerts.size(), std::size_t(2));
        QCOMPARE(compressionRatio(2, groups.size()), 2.0);
    }
};

QTEST_MAIN(TestDetectGroupScan)
#include "tst_detect_groupscan.moc"
