// Tests for the fleet scan (cairn/detect/fleet.h): per-series analysis with tuning, persistence, silences,
// the analysis window, the group detector, correlation into alert groups, and cancellation.
#include "cairn/detect/fleet.h"
#include "cairn/detect/tuning.h"

#include <QtTest>

#include <cmath>
#include <cstdint>

using namespace cairn;
using namespace cairn::detect;

namespace {

constexpr TimeMs kT0 = 1'767'225'600'000; // 2026-01-01 00:00 UTC
constexpr int kPoints = 3 * 1440;         // three days at one minute
const TimeRange kWindow{kT0 + 2 * kDayMs, kT0 + 3 * kDayMs};

ts::SeriesId sid(const std::string& service, const std::string& pod,
                 const std::string& metric = "latency_ms") {
    ts::SeriesId id;
    id.metric = metric;
    id.labels["service"] = service;
    if (!pod.empty())
        id.labels["pod"] = pod;
    return id;
}

// A daily cycle plus deterministic noise (a linear congruential generator per series), and a level jump of
// `jump` for `minutes` starting `at` (0 = none).
ts::Series makeSeries(const ts::SeriesId& id, std::uint32_t seed, TimeMs at = 0, int minutes = 0,
                      double jump = 0) {
    ts::Series s;
    s.id = id;
    std::uint32_t x = seed * 2654435761u + 1;
    for (int i = 0; i < kPoints; ++i) {
        const TimeMs t = kT0 + static_cast<TimeMs>(i) * kMinuteMs;
        x = x * 1664525u + 1013904223u;
        const double noise = (static_cast<double>(x >> 8) / 16777216.0 - 0.5) * 2.0;
        double v = 100 + 20 * std::sin(2 * M_PI * static_cast<double>(i % 1440) / 1440.0) + noise;
        if (at && t >= at && t < at + minutes * kMinuteMs)
            v += jump;
        s.time.push_back(t);
        s.value.push_back(v);
    }
    return s;
}

const Anomaly* anomalyOn(const FleetScan& scan, const ts::SeriesId& id, TimeMs around) {
    for (const auto& a : scan.anomalies)
        if (a.series == id && a.start <= around + 10 * kMinuteMs && a.end >= around)
            return &a;
    return nullptr;
}

} // namespace

class TestDetectFleet : public QObject {
    Q_OBJECT
private slots:
    void persistenceRuleOnAList() {
        Anomaly shortSmall;
        shortSmall.start = kT0;
        shortSmall.end = kT0 + 2 * kMinuteMs;
        shortSmall.deviation = -5.0;
        Anomaly shortHuge = shortSmall;
        shortHuge.deviation = -9.0;
        Anomaly lasting = shortSmall;
        lasting.end = kT0 + 6 * kMinuteMs;
        Anomaly alreadySuppressed = shortSmall;
        alreadySuppressed.suppressed = "marked not an anomaly";
        std::vector<Anomaly> list{shortSmall, shortHuge, lasting, alreadySuppressed};
        applyPersistence(list, 5 * kMinuteMs);
        QCOMPARE(list[0].suppressed, std::string("shorter than 5 min (persistence rule)"));
        QVERIFY(list[1].suppressed.empty()); // |deviation| >= 8 raises at once
        QVERIFY(list[2].suppressed.empty());
        QCOMPARE(list[3].suppressed, std::string("marked not an anomaly"));
        applyPersistence(list, 0); // off: changes nothing
        QVERIFY(list[1].suppressed.empty());
    }

    void silencesKeepTheFirstReason() {
        Silence daily;
        daily.id = "nightly";
        daily.matcher.equals["service"] = "catalog";
        daily.start = kT0;
        daily.duration = kMinuteMs * 60;
        daily.every = kDayMs;
        daily.maintenance = true;
        Anomaly inside;
        inside.series = sid("catalog", "catalog-0");
        inside.start = kT0 + kDayMs + 10 * kMinuteMs;
        Anomaly outside = inside;
        outside.start = kT0 + kDayMs + 2 * 60 * kMinuteMs;
        Anomaly otherService = inside;
        otherService.series = sid("cart", "cart-0");
        std::vector<Anomaly> list{inside, outside, otherService};
        applySilences(list, {daily});
        QCOMPARE(list[0].suppressed, std::string("maintenance window 'nightly' (daily)"));
        QVERIFY(list[1].suppressed.empty());
        QVERIFY(list[2].suppressed.empty());
    }

    void scansTheFleet() {
        const TimeMs incident = kT0 + 2 * kDayMs + 12 * 60 * kMinuteMs;
        std::vector<ts::Series> fleet{
            makeSeries(sid("catalog", "catalog-0"), 1, incident, 30, 40.0),
            makeSeries(sid("catalog", "catalog-1"), 2),
            // Its jump is in the warm-up, before the window: not listed.
            makeSeries(sid("catalog", "catalog-2"), 3, kT0 + kDayMs + 6 * 60 * kMinuteMs, 30, 40.0),
            // Calls catalog and degrades with it: one alert group.
            makeSeries(sid("frontend", ""), 4, incident + 2 * kMinuteMs, 30, 40.0),
            // Silenced during a deploy.
            makeSeries(sid("checkout", ""), 5, incident + 60 * kMinuteMs, 30, 40.0),
        };
        Silence deploy;
        deploy.id = "deploy";
        deploy.matcher.equals["service"] = "checkout";
        deploy.start = incident + 50 * kMinuteMs;
        deploy.duration = 60 * kMinuteMs;
        deploy.comment = "rollout";

        MemoryDetectStore store;
        Tuning tuning(store);
        QVERIFY(tuning.load());
        FleetScanOptions options;
        options.window = kWindow;
        options.tuning = &tuning;
        options.silences = {deploy};
        options.dependencies = {{"frontend", "catalog"}};
        std::vector<double> progress;
        const FleetScan scan =
            scanFleet(fleet, options, {}, [&](double f, std::string_view) { progress.push_back(f); });

        QVERIFY(scan.complete);
        QCOMPARE(scan.estimates.size(), fleet.size());
        for (std::size_t i = 0; i < fleet.size(); ++i)
            QCOMPARE(scan.estimates[i].size(), fleet[i].size());
        QVERIFY(!progress.empty());
        QVERIFY(std::is_sorted(progress.begin(), progress.end()));
        QCOMPARE(progress.back(), 1.0);
        QCOMPARE(scan.alertGroupOf.size(), scan.anomalies.size());

        for (const auto& a : scan.anomalies) {
            QVERIFY2(a.peak >= kWindow.start && a.start < kWindow.end, a.series.toString().c_str());
            // Every anomaly listed as raised passes the persistence rule.
            if (a.suppressed.empty())
                QVERIFY(a.end - a.start >= options.persistFor ||
                        std::fabs(a.deviation) >= options.immediateSigmas);
        }
        const Anomaly* catalog = anomalyOn(scan, fleet[0].id, incident);
        const Anomaly* frontend = anomalyOn(scan, fleet[3].id, incident + 2 * kMinuteMs);
        const Anomaly* checkout = anomalyOn(scan, fleet[4].id, incident + 60 * kMinuteMs);
        QVERIFY(catalog && frontend && checkout);
        QVERIFY(catalog->suppressed.empty());
        QVERIFY(frontend->suppressed.empty());
        QCOMPARE(checkout->suppressed, std::string("silence 'deploy': rollout"));
        const auto index = [&](const Anomaly* a) {
            return static_cast<std::size_t>(a - scan.anomalies.data());
        };
        QVERIFY(scan.alertGroupOf[index(catalog)] > 0);
        QCOMPARE(scan.alertGroupOf[index(catalog)], scan.alertGroupOf[index(frontend)]);
        QCOMPARE(scan.alertGroupOf[index(checkout)], -1); // suppressed: not raised
        QVERIFY(!anomalyOn(scan, fleet[2].id, kT0 + kDayMs + 6 * 60 * kMinuteMs));

        std::size_t suppressed = 0, group = 0, raised = 0;
        for (std::size_t i = 0; i < scan.anomalies.size(); ++i) {
            suppressed += scan.anomalies[i].suppressed.empty() ? 0 : 1;
            group += scan.anomalies[i].detector == "group" ? 1 : 0;
            raised += scan.alertGroupOf[i] > 0 ? 1 : 0;
        }
        QCOMPARE(scan.suppressed, suppressed);
        QCOMPARE(scan.groupAnomalies, group);
        QCOMPARE(scan.raised, raised);
        // The catalog instances part ways during the incident: the group detector sees it too.
        QVERIFY(group > 0);

        // "Not an anomaly" on the catalog anomaly: the next scan lists it as suppressed by feedback.
        QVERIFY(tuning.markNotAnomaly(*catalog, "load test", kWindow.end));
        const FleetScan again = scanFleet(fleet, options);
        const Anomaly* marked = anomalyOn(again, fleet[0].id, incident);
        QVERIFY(marked);
        QVERIFY2(marked->suppressed.find("not an anomaly") != std::string::npos, marked->suppressed.c_str());
    }

    void groupsCanBeTurnedOff() {
        const TimeMs incident = kT0 + 2 * kDayMs + 12 * 60 * kMinuteMs;
        std::vector<ts::Series> fleet{makeSeries(sid("catalog", "catalog-0"), 1, incident, 30, 40.0),
                                      makeSeries(sid("catalog", "catalog-1"), 2)};
        FleetScanOptions options;
        options.window = kWindow;
        options.groups = false;
        const FleetScan scan = scanFleet(fleet, options);
        QCOMPARE(scan.groupAnomalies, std::size_t{0});
        QVERIFY(!scan.anomalies.empty());
    }

    void cancelledScanSaysSo() {
        std::vector<ts::Series> fleet{makeSeries(sid("catalog", "catalog-0"), 1)};
        const CancelToken cancel = CancelToken::create();
        cancel.cancel();
        FleetScanOptions options;
        options.window = kWindow;
        const FleetScan scan = scanFleet(fleet, options, cancel);
        QVERIFY(!scan.complete);
        QCOMPARE(scan.alertGroupOf.size(), scan.anomalies.size());
    }

    void emptyFleet() {
        const FleetScan scan = scanFleet({}, FleetScanOptions{});
        QVERIFY(scan.complete);
        QVERIFY(scan.anomalies.empty());
        QVERIFY(scan.alertGroups.empty());
    }
};

QTEST_APPLESS_MAIN(TestDetectFleet)
#include "tst_detect_fleet.moc"
