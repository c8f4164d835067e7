// Tests for alert-noise reduction (cairn/detect/alerts.h) and alert correlation (cairn/detect/correlate.h).
#include "cairn/detect/alerts.h"
#include "cairn/detect/correlate.h"

#include <QtTest>

using namespace cairn;
using namespace cairn::detect;

namespace {

constexpr TimeMs kT0 = 1'700'000'000'000 - 1'700'000'000'000 % kDayMs; // a midnight UTC

ts::SeriesId sid(const std::string& service, const std::string& metric = "latency",
                 const std::string& host = {}) {
    ts::SeriesId id;
    id.metric = metric;
    id.labels["service"] = service;
    if (!host.empty())
        id.labels["host"] = host;
    return id;
}

Estimate est(double score) {
    Estimate e;
    e.score = score;
    e.expected = 10;
    e.lower = 8;
    e.upper = 12;
    e.ready = true;
    e.deviation = score >= 0.5 ? 5.0 : 0.5;
    return e;
}

// Feeds one score per minute starting at `start`.
void feedScores(AlertEngine& engine, const ts::SeriesId& id, TimeMs start,
                const std::vector<double>& scores) {
    for (std::size_t i = 0; i < scores.size(); ++i)
        engine.feed(id, start + static_cast<TimeMs>(i) * kMinuteMs, scores[i] >= 0.5 ? 20.0 : 10.0,
                    est(scores[i]));
}

Alert alertAt(const std::string& service, TimeMs start, const std::string& host = {}) {
    Alert a;
    a.series = sid(service, "latency", host);
    a.start = start;
    a.end = start + 5 * kMinuteMs;
    a.peakScore = 0.9;
    a.peak.explanation = service + " latency 20 vs expected 10";
    a.state = AlertState::Resolved;
    return a;
}

} // namespace

class TestDetectAlerts : public QObject {
    Q_OBJECT
private slots:
    void persistenceDelaysAlert() {
        AlertPolicy p;
        p.persistFor = 3 * kMinuteMs;
        AlertEngine short_(p);
        feedScores(short_, sid("a"), kT0, {0, 0.9, 0.9, 0.9, 0, 0}); // lasts 2 minutes: no alert
        QVERIFY(short_.finish().empty());
        AlertEngine long_(p);
        feedScores(long_, sid("a"), kT0, {0, 0.9, 0.9, 0.9, 0.9, 0.9, 0});
        const auto alerts = long_.finish();
        QCOMPARE(alerts.size(), std::size_t(1));
        QCOMPARE(alerts[0].start, kT0 + kMinuteMs);
        QCOMPARE(alerts[0].raisedAt, kT0 + 4 * kMinuteMs);
        QVERIFY(alerts[0].state == AlertState::Resolved);
        QCOMPARE(alerts[0].end, kT0 + 6 * kMinuteMs);
    }

    void hysteresisKeepsAlertOpen() {
        AlertEngine e;
        // Scores dip to 0.4 (above clear 0.3) in the middle: still one alert; 0.35 never raises on its own.
        feedScores(e, sid("a"), kT0, {0.35, 0.9, 0.4, 0.45, 0.9, 0.1, 0.35, 0.35});
        const auto alerts = e.finish();
        QCOMPARE(alerts.size(), std::size_t(1));
        QCOMPARE(alerts[0].occurrences, 1);
        QCOMPARE(alerts[0].end, kT0 + 5 * kMinuteMs);
    }

    void dedupMergesQuickReraise() {
        AlertPolicy p;
        p.dedupWindow = 10 * kMinuteMs;
        p.flapRaises = 0;
        AlertEngine e(p);
        std::vector<double> s(60, 0.0);
        s[5] = s[10] = 0.9; // 4 minutes apart: same alert
        s[40] = 0.9;        // 29 minutes later: a new alert
        feedScores(e, sid("a"), kT0, s);
        const auto alerts = e.finish();
        QCOMPARE(alerts.size(), std::size_t(2));
        QCOMPARE(alerts[0].occurrences, 2);
        QCOMPARE(alerts[1].occurrences, 1);
    }

    void flappingIsSuppressedWithReason() {
        AlertPolicy p;
        p.dedupWindow = 0;
        p.flapRaises = 3;
        p.flapWindow = kHourMs;
        AlertEngine e(p);
        std::vector<double> s(60, 0.0);
        for (int i = 0; i < 6; ++i)
            s[static_cast<std::size_t>(5 + i * 8)] = 0.9;
        feedScores(e, sid("a"), kT0, s);
        const auto alerts = e.finish();
        QCOMPARE(alerts.size(), std::size_t(6));
        QVERIFY(alerts[0].state == AlertState::Resolved);
        QVERIFY(alerts[1].state == AlertState::Resolved);
        for (std::size_t i = 2; i < alerts.size(); ++i) {
            QVERIFY(alerts[i].state == AlertState::Suppressed); // kept, visible, with the reason
            QVERIFY(QString::fromStdString(alerts[i].suppressedReason).startsWith("flapping"));
        }
    }

    void silenceSuppressesWithReason() {
        Silence s;
        s.id = "deploy";
        s.matcher.equals["service"] = "a";
        s.start = kT0;
        s.duration = kHourMs;
        s.comment = "rolling deploy by ops";
        AlertEngine e({}, {s});
        feedScores(e, sid("a"), kT0 + 10 * kMinuteMs, {0.9, 0});
        feedScores(e, sid("b"), kT0 + 10 * kMinuteMs, {0.9, 0});
        feedScores(e, sid("a"), kT0 + 2 * kHourMs, {0.9, 0});
        const auto alerts = e.finish();
        QCOMPARE(alerts.size(), std::size_t(3));
        int suppressed = 0;
        for (const Alert& a : alerts) {
            if (a.state != AlertState::Suppressed)
                continue;
            ++suppressed;
            QCOMPARE(a.series.label("service"), std::string("a"));
            QCOMPARE(a.start, kT0 + 10 * kMinuteMs);
            QVERIFY(QString::fromStdString(a.suppressedReason).contains("deploy"));
            QVERIFY(QString::fromStdString(a.suppressedReason).contains("rolling deploy by ops"));
        }
        QCOMPARE(suppressed, 1);
    }

    void recurringMaintenanceWindowRecurs() {
        Silence m;
        m.id = "nightly-backup";
        m.start = kT0 + 2 * kHourMs; // every day 02:00-03:00
        m.duration = kHourMs;
        m.every = kDayMs;
        m.maintenance = true;
        QVERIFY(m.activeAt(kT0 + 2 * kHourMs + 30 * kMinuteMs));
        QVERIFY(m.activeAt(kT0 + 5 * kDayMs + 2 * kHourMs));
        QVERIFY(!m.activeAt(kT0 + 5 * kDayMs + 3 * kHourMs));
        QVERIFY(!m.activeAt(kT0 + kHourMs)); // before the first occurrence
        AlertEngine e({}, {m});
        feedScores(e, sid("db"), kT0 + 3 * kDayMs + 2 * kHourMs + 5 * kMinuteMs, {0.9, 0});
        const auto alerts = e.finish();
        QCOMPARE(alerts.size(), std::size_t(1));
        QVERIFY(alerts[0].state == AlertState::Suppressed);
        QVERIFY(QString::fromStdString(alerts[0].suppressedReason)
                    .startsWith("maintenance window 'nightly-backup' (daily)"));
    }

    void alertCarriesExplanation() {
        AlertEngine e;
        feedScores(e, sid("checkout"), kT0, {0, 0.7, 0.95, 0.8, 0});
        const auto alerts = e.finish();
        QCOMPARE(alerts.size(), std::size_t(1));
        QCOMPARE(alerts[0].peakScore, 0.95);
        QCOMPARE(alerts[0].peak.peak, kT0 + 2 * kMinuteMs);
        QVERIFY(QString::fromStdString(alerts[0].peak.explanation).contains("vs expected 10"));
    }

    void correlationGroupsSameServiceAndHost() {
        std::vector<Alert> alerts{alertAt("checkout", kT0), alertAt("checkout", kT0 + 3 * kMinuteMs),
                                  alertAt("cart", kT0 + 4 * kMinuteMs, "node-1"),
                                  alertAt("search", kT0 + 5 * kMinuteMs, "node-1"),
                                  alertAt("checkout", kT0 + 3 * kHourMs)};
        const auto groups = correlateAlerts(alerts);
        QCOMPARE(groups.size(), std::size_t(3));
        QCOMPARE(groups[0].alerts.size(), std::size_t(2)); // checkout x2
        QCOMPARE(groups[1].alerts.size(), std::size_t(2)); // cart + search on node-1
        QCOMPARE(groups[1].hosts, std::vector<std::string>{"node-1"});
        QCOMPARE(groups[2].alerts.size(), std::size_t(1)); // hours later: its own group
        QVERIFY(QString::fromStdString(groups[0].headline).startsWith("2 anomalies on checkout"));
        QCOMPARE(compressionRatio(alerts.size(), groups.size()), 5.0 / 3.0);
    }

    void correlationUsesDependencyEdge() {
        std::vector<Alert> alerts{alertAt("frontend", kT0 + 2 * kMinuteMs), alertAt("payments", kT0),
                                  alertAt("checkout", kT0 + kMinuteMs), alertAt("search", kT0 + kMinuteMs)};
        CorrelationOptions o;
        o.dependencies = {{"frontend", "checkout"}, {"checkout", "payments"}};
        const auto groups = correlateAlerts(alerts, o);
        QCOMPARE(groups.size(), std::size_t(2)); // frontend-checkout-payments chain, search alone
        QCOMPARE(groups[0].alerts.size(), std::size_t(3));
        QCOMPARE(groups[0].probableOrigin, std::string("payments")); // the deepest callee
        QVERIFY(QString::fromStdString(groups[0].headline).contains("likely origin: payments"));
        // Without the edges nothing is related.
        QCOMPARE(correlateAlerts(alerts).size(), std::size_t(4));
    }

    void suppressedAlertsDoNotFormGroups() {
        std::vector<Alert> alerts{alertAt("a", kT0), alertAt("a", kT0 + kMinuteMs)};
        alerts[1].state = AlertState::Suppressed;
        QCOMPARE(correlateAlerts(alerts).size(), std::size_t(1));
        QCOMPARE(correlateAlerts(alerts)[0].alerts.size(), std::size_t(1));
        QCOMPARE(compressionRatio(0, 0), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestDetectAlerts)
#include "tst_detect_alerts.moc"
