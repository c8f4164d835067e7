// Tests for sensitivity, "not an anomaly" feedback and their persistence (cairn/detect/tuning.h).
#include "cairn/detect/tuning.h"
#include "cairn/storage/workspace.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace cairn;
using namespace cairn::detect;

namespace {

constexpr TimeMs kT0 = 1'700'000'000'000 - 1'700'000'000'000 % kDayMs;

ts::SeriesId sid(const std::string& service, const std::string& pod) {
    ts::SeriesId id;
    id.metric = "latency";
    id.labels = {{"service", service}, {"pod", pod}};
    return id;
}

Anomaly anomaly(const ts::SeriesId& id, TimeMs peak, double deviation) {
    Anomaly a;
    a.series = id;
    a.start = a.peak = peak;
    a.end = peak + kMinuteMs;
    a.deviation = deviation;
    a.observed = 10 + deviation;
    a.expected = 10;
    a.lower = 7;
    a.upper = 13;
    a.score = 0.9;
    return a;
}

} // namespace

class TestDetectTuning : public QObject {
    Q_OBJECT
private slots:
    void sensitivityPrecedenceSeriesOverService() {
        MemoryDetectStore store;
        Tuning t(store);
        QCOMPARE(t.bandSigmasFor(sid("checkout", "p1")), 3.0); // default: medium
        QVERIFY(t.setSensitivity("*", Sensitivity::High).has_value());
        QCOMPARE(t.bandSigmasFor(sid("checkout", "p1")), 2.5);
        QVERIFY(t.setSensitivity(Tuning::serviceScope("checkout"), Sensitivity::Low).has_value());
        QCOMPARE(t.bandSigmasFor(sid("checkout", "p1")), 4.0);
        QCOMPARE(t.bandSigmasFor(sid("cart", "p1")), 2.5);
        QVERIFY(t.setSensitivity(Tuning::seriesScope(sid("checkout", "p1")), 6.5).has_value());
        QCOMPARE(t.bandSigmasFor(sid("checkout", "p1")), 6.5);
        QCOMPARE(t.bandSigmasFor(sid("checkout", "p2")), 4.0);
        QCOMPARE(t.optionsFor(sid("checkout", "p1")).bandSigmas, 6.5);
    }

    void invalidSensitivityIsRejected() {
        MemoryDetectStore store;
        Tuning t(store);
        QVERIFY(!t.setSensitivity("*", 0.1).has_value());
        QVERIFY(!t.setSensitivity("*", std::numeric_limits<double>::quiet_NaN()).has_value());
        const auto r = t.setSensitivity("checkout", 3.0); // no scope prefix
        QVERIFY(!r.has_value());
        QVERIFY(r.error().code == ErrorCode::InvalidArgument);
    }

    void feedbackSuppressesSimilarPattern() {
        MemoryDetectStore store;
        Tuning t(store);
        const auto id = sid("checkout", "p1");
        QVERIFY(t.markNotAnomaly(anomaly(id, kT0 + 2 * kHourMs, 4.0), "batch job", kT0 + 3 * kHourMs)
                    .has_value());
        // Next day, 30 minutes later in the day, a slightly smaller spike in the same direction: covered.
        const std::string why =
            t.coveredByFeedback(anomaly(id, kT0 + kDayMs + 2 * kHourMs + 30 * kMinuteMs, 3.8));
        QVERIFY(!why.empty());
        QVERIFY(QString::fromStdString(why).contains("not an anomaly"));
        QVERIFY(QString::fromStdString(why).contains("batch job"));
        SeriesAnalysis a;
        a.anomalies = {anomaly(id, kT0 + kDayMs + 2 * kHourMs, 3.0),
                       anomaly(id, kT0 + kDayMs + 12 * kHourMs, 3.0)};
        t.apply(a);
        QVERIFY(!a.anomalies[0].suppressed.empty());
        QVERIFY(a.anomalies[1].suppressed.empty()); // another time of day
    }

    void feedbackDoesNotCoverLargerOppositeOrOtherSeries() {
        MemoryDetectStore store;
        Tuning t(store);
        const auto id = sid("checkout", "p1");
        QVERIFY(t.markNotAnomaly(anomaly(id, kT0 + 2 * kHourMs, 4.0)).has_value());
        QVERIFY(t.coveredByFeedback(anomaly(id, kT0 + kDayMs + 2 * kHourMs, 9.0)).empty());  // much larger
        QVERIFY(t.coveredByFeedback(anomaly(id, kT0 + kDayMs + 2 * kHourMs, -4.0)).empty()); // a dip
        QVERIFY(t.coveredByFeedback(anomaly(sid("checkout", "p2"), kT0 + kDayMs + 2 * kHourMs, 4.0)).empty());
    }

    void workspaceStorePersistsAcrossReopen() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        storage::OpenOptions o;
        o.path = (dir.path() + "/workspace.db").toStdString();
        const auto id = sid("checkout", "p1");
        {
            auto ws = storage::Workspace::open(o);
            QVERIFY2(ws.has_value(), ws ? "" : ws.error().what().c_str());
            WorkspaceDetectStore store(*ws);
            Tuning t(store);
            QVERIFY(t.setSensitivity(Tuning::serviceScope("checkout"), 4.5).has_value());
            QVERIFY(t.setSensitivity(Tuning::serviceScope("checkout"), 5.0).has_value()); // replaces
            QVERIFY(t.markNotAnomaly(anomaly(id, kT0 + 2 * kHourMs, 4.0), "known cron").has_value());
            Silence s;
            s.id = "nightly";
            s.matcher.metric = "latency";
            s.matcher.equals["service"] = "checkout";
            s.start = kT0 + 2 * kHourMs;
            s.duration = kHourMs;
            s.every = kDayMs;
            s.maintenance = true;
            s.comment = "backup";
            QVERIFY(store.saveSilence(s).has_value());
            Silence once = s;
            once.id = "once";
            once.every.reset();
            QVERIFY(store.saveSilence(once).has_value());
            QVERIFY(store.removeSilence("once").has_value());
        }
        auto ws = storage::Workspace::open(o);
        QVERIFY(ws.has_value());
        WorkspaceDetectStore store(*ws);
        Tuning t(store);
        QVERIFY(t.load().has_value());
        QCOMPARE(t.bandSigmasFor(id), 5.0);
        QVERIFY(!t.coveredByFeedback(anomaly(id, kT0 + kDayMs + 2 * kHourMs, 3.5)).empty());
        const auto silences = store.silences();
        QVERIFY(silences.has_value());
        QCOMPARE(silences->size(), std::size_t(1));
        const Silence& s = silences->front();
        QCOMPARE(s.id, std::string("nightly"));
        QCOMPARE(s.matcher.equals.at("service"), std::string("checkout"));
        QVERIFY(s.every.has_value() && *s.every == kDayMs);
        QVERIFY(s.maintenance);
        QVERIFY(s.activeAt(kT0 + 4 * kDayMs + 2 * kHourMs + 10 * kMinuteMs));
    }
};

QTEST_GUILESS_MAIN(TestDetectTuning)
#include "tst_detect_tuning.moc"
