// Tests for cairn/forecast/capacity.h: time to exhaustion (linear growth, sawtooth, runaway, change point,
// edge cases), Theil-Sen, the fleet table and over-provisioning hints.
#include "cairn/forecast/capacity.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

using namespace cairn;
using namespace cairn::forecast;

namespace {

constexpr double kGB = 1e9;
constexpr TimeMs kT0 = 1'800'000'000'000; // an arbitrary UTC origin

// Samples every `step` for `span`, value from f(hours since start).
template <class F> ts::Series makeSeries(TimeMs span, TimeMs step, F f) {
    ts::Series s;
    for (TimeMs t = 0; t <= span; t += step) {
        s.time.push_back(kT0 + t);
        s.value.push_back(f(static_cast<double>(t) / kHourMs));
    }
    return s;
}

ts::Series constant(double v) {
    ts::Series s;
    s.time = {kT0};
    s.value = {v};
    return s;
}

} // namespace

class TestCapacity : public QObject {
    Q_OBJECT
private slots:
    void linearGrowthGivesTimeToExhaustion() {
        std::mt19937 rng(1);
        std::normal_distribution<double> noise(0, 0.2 * kGB);
        // 50 GB growing 1 GB per day, capacity 100 GB: 57 GB after the 7 days of history, 43 days left.
        const auto s = makeSeries(7 * kDayMs, 10 * kMinuteMs,
                                  [&](double h) { return 50 * kGB + h / 24 * kGB + noise(rng); });
        const auto ex = timeToExhaustion(s, 100 * kGB);
        QVERIFY2(ex.status == ExhaustionStatus::WillExhaust, ex.message.c_str());
        QVERIFY2(std::abs(ex.daysLeft() - 43) < 2, qPrintable(QString::number(ex.daysLeft())));
        QVERIFY(std::abs(ex.growthPerDay - kGB) < 0.1 * kGB);
        QVERIFY(ex.earliest <= ex.at && ex.at <= ex.latest);
        QCOMPARE(ex.resets, 0);
    }
    void timeToExhaustionIgnoresSawtooth() {
        // Log rotation: grows 20 GB over each day, dropped back every 24 h; peaks stay at 80 of 100 GB.
        const auto s = makeSeries(7 * kDayMs, 5 * kMinuteMs,
                                  [](double h) { return 60 * kGB + std::fmod(h, 24.0) / 24.0 * 20 * kGB; });
        const auto ex = timeToExhaustion(s, 100 * kGB);
        // A straight line through the last segment would say "full in about a day": it must not.
        QVERIFY2(ex.status == ExhaustionStatus::NotGrowing, ex.message.c_str());
        QVERIFY(ex.resets >= 6);
        QVERIFY(!ex.runaway);
    }
    void sawtoothWithGrowingPeaksUsesEnvelope() {
        // Garbage collection every 2 h; the peaks creep up 1 GB per day from 60 GB; capacity 100 GB.
        const auto s = makeSeries(10 * kDayMs, 5 * kMinuteMs, [](double h) {
            return 40 * kGB + h / 24 * kGB + std::fmod(h, 2.0) / 2.0 * 20 * kGB;
        });
        ExhaustionOptions o;
        o.lookback = 10 * kDayMs;
        const auto ex = timeToExhaustion(s, 100 * kGB, o);
        QVERIFY2(ex.status == ExhaustionStatus::WillExhaust, ex.message.c_str());
        // Peaks at 70 GB now (60 + 10 days), 30 GB to go at 1 GB/day.
        QVERIFY2(std::abs(ex.daysLeft() - 30) < 2, qPrintable(QString::number(ex.daysLeft())));
        QVERIFY(ex.message.find("peaks") != std::string::npos);
    }
    void runawayInsideSawtoothIsCaught() {
        // Daily rotation with peaks at 70 GB, then the current segment runs away: 5 GB per hour past the
        // peaks.
        const auto s = makeSeries(6 * kDayMs + 12 * kHourMs, 5 * kMinuteMs, [](double h) {
            const double day = std::fmod(h, 24.0);
            if (h < 6 * 24)
                return 50 * kGB + day / 24 * 20 * kGB;
            return 50 * kGB + day * 5 * kGB; // after 12 h: 110 GB would be over; stop at 6 h
        });
        ts::Series cut = s;
        while (cut.time.back() > kT0 + 6 * kDayMs + 6 * kHourMs) {
            cut.time.pop_back();
            cut.value.pop_back();
        }
        const auto ex = timeToExhaustion(cut, 100 * kGB);
        QVERIFY2(ex.status == ExhaustionStatus::WillExhaust, ex.message.c_str());
        QVERIFY(ex.runaway);
        // 80 GB now, 5 GB/h: 4 h left.
        const double hours = static_cast<double>(ex.at - ex.now) / kHourMs;
        QVERIFY2(std::abs(hours - 4) < 0.5, qPrintable(QString::number(hours)));
    }
    void changePointUsesRecentRegime() {
        // Flat at 30% for six days, then 2 GB per hour for the last 8 hours.
        const auto s = makeSeries(6 * kDayMs + 8 * kHourMs, 5 * kMinuteMs, [](double h) {
            return h < 144 ? 30 * kGB : 30 * kGB + (h - 144) * 2 * kGB;
        });
        const auto ex = timeToExhaustion(s, 100 * kGB);
        QVERIFY2(ex.status == ExhaustionStatus::WillExhaust, ex.message.c_str());
        // 46 GB now, 54 GB to go at 2 GB/h: 27 h.
        const double hours = static_cast<double>(ex.at - ex.now) / kHourMs;
        QVERIFY2(std::abs(hours - 27) < 2, qPrintable(QString::number(hours)));
    }
    void alreadyExhaustedIsReported() {
        const auto s = makeSeries(kDayMs, kHourMs, [](double h) { return 90 + h; });
        const auto ex = timeToExhaustion(s, 100.0);
        QVERIFY(ex.status == ExhaustionStatus::Exhausted);
        QCOMPARE(ex.at, ex.now);
    }
    void missingCapacityOrSamplesIsInsufficientData() {
        const auto s = makeSeries(kDayMs, kHourMs, [](double h) { return h; });
        QVERIFY(timeToExhaustion(s, 0.0).status == ExhaustionStatus::InsufficientData);
        QVERIFY(timeToExhaustion(s, std::nan("")).status == ExhaustionStatus::InsufficientData);
        const auto few = makeSeries(3 * kHourMs, kHourMs, [](double h) { return h; });
        QVERIFY(timeToExhaustion(few, 100.0).status == ExhaustionStatus::InsufficientData);
        ts::Series nans = s;
        for (auto& v : nans.value)
            v = std::numeric_limits<double>::quiet_NaN();
        QVERIFY(timeToExhaustion(nans, 100.0).status == ExhaustionStatus::InsufficientData);
    }
    void slowGrowthIsNotWithinHorizon() {
        const auto s = makeSeries(7 * kDayMs, kHourMs, [](double h) { return 10 + h * 0.001; });
        ExhaustionOptions o;
        o.horizon = 30 * kDayMs;
        const auto ex = timeToExhaustion(s, 100.0, o);
        QVERIFY2(ex.status == ExhaustionStatus::NotWithinHorizon, ex.message.c_str());
    }
    void theilSenResistsOutliers() {
        std::vector<double> t, v;
        for (int i = 0; i < 30; ++i) {
            t.push_back(i);
            v.push_back(2.0 * i + 1 + (i % 7 == 0 ? 500.0 : 0.0));
        }
        const auto e = theilSen(t, v, 0.9);
        QVERIFY(e.has_value());
        QVERIFY(std::abs(e->slope - 2.0) < 1e-9);
        QVERIFY(e->lower <= 2.0 && e->upper >= 2.0);
        QVERIFY(!theilSen({1, 2}, {1, 2}).has_value());
    }
    void fleetTableRanksByTimeLeft() {
        std::vector<Resource> rs;
        auto add = [&](std::string owner, double perHour, double start) {
            rs.push_back(
                {owner, "disk",
                 makeSeries(2 * kDayMs, 10 * kMinuteMs, [=](double h) { return start + perHour * h; }),
                 constant(100.0)});
        };
        add("slow", 0.1, 10);  // ~ 37 days
        add("flat", 0.0, 95);  // not growing but fullest
        add("fast", 1.0, 20);  // ~ 32 h
        add("full", 0.0, 100); // exhausted
        rs.push_back({"unknown", "disk", ts::Series{}, constant(100.0)});
        const auto rows = fleetCapacity(rs);
        QCOMPARE(rows.size(), std::size_t(5));
        QCOMPARE(rows[0].owner, std::string("full"));
        QCOMPARE(rows[1].owner, std::string("fast"));
        QCOMPARE(rows[2].owner, std::string("slow"));
        QCOMPARE(rows[3].owner, std::string("flat"));
        QCOMPARE(rows[4].owner, std::string("unknown"));
        QVERIFY(std::abs(rows[3].fractionUsed - 0.95) < 1e-9);
    }
    void overProvisioningHintWhenP95FarBelowLimit() {
        const auto used = makeSeries(kDayMs, 5 * kMinuteMs, [](double h) { return 1.0 + 0.5 * std::sin(h); });
        const auto hint = overProvisioning({"api", "memory", used, constant(16.0)});
        QVERIFY(hint.has_value());
        QVERIFY(hint->p95Fraction < 0.1);
        QVERIFY(hint->advice.find("p95") != std::string::npos);
        QVERIFY(!overProvisioning({"api", "memory", used, constant(2.0)}).has_value());
    }
};

QTEST_GUILESS_MAIN(TestCapacity)
#include "tst_forecast_capacity.moc"
