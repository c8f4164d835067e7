// Tests for cairn/forecast/earlywarning.h: forecast threshold crossings and learned incident precursors,
// with lead time and precision measured leave-one-incident-out on a synthetic fleet.
#include "cairn/forecast/earlywarning.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace cairn;
using namespace cairn::forecast;

namespace {

constexpr TimeMs kT0 = 1'800'000'000'000;
constexpr TimeMs kStep = 5 * kMinuteMs;
constexpr TimeMs kSpan = 6 * kDayMs;

// A pod with daily memory and CPU patterns; a leak makes memory climb for 3 h before `leakAt` (the OOM).
EntityMetrics pod(const std::string& name, unsigned seed, TimeMs leakAt = 0) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0, 1);
    EntityMetrics e;
    e.entity = name;
    auto& mem = e.series["memory_used_bytes"];
    auto& lim = e.series["memory_limit_bytes"];
    auto& cpu = e.series["cpu_usage_ratio"];
    for (TimeMs t = 0; t <= kSpan; t += kStep) {
        const TimeMs at = kT0 + t;
        const double h = static_cast<double>(t) / kHourMs;
        double m = 400 + 60 * std::sin(2 * 3.14159 * h / 24) + 8 * noise(rng);
        if (leakAt && at > leakAt - 3 * kHourMs && at <= leakAt)
            m += 500.0 * static_cast<double>(at - (leakAt - 3 * kHourMs)) / (3 * kHourMs);
        if (leakAt && at > leakAt && at < leakAt + 20 * kMinuteMs)
            m = 100; // restarted
        mem.time.push_back(at);
        mem.value.push_back(m * 1e6);
        lim.time.push_back(at);
        lim.value.push_back(1000e6);
        cpu.time.push_back(at);
        cpu.value.push_back(0.3 + 0.1 * std::sin(2 * 3.14159 * h / 24) + 0.03 * noise(rng));
    }
    return e;
}

SeriesForecast linearForecast(double perHour, double start) {
    ts::Series s;
    for (int i = 0; i < 72; ++i) {
        s.time.push_back(kT0 + i * kHourMs);
        s.value.push_back(start + perHour * i);
    }
    SeriesForecastOptions o;
    o.horizon = 24 * kHourMs;
    return forecastSeries(s, o);
}

} // namespace

class TestEarlyWarning : public QObject {
    Q_OBJECT
private slots:
    void warnsWhenForecastCrossesThreshold() {
        const auto f = linearForecast(1.0, 0.0); // 71 at the last sample
        const auto w = forecastCrossing(f, 80.0);
        QVERIFY(w.has_value());
        QVERIFY(w->level == WarningLevel::Likely);
        const double hours = static_cast<double>(w->crossing - w->now) / kHourMs;
        QVERIFY2(std::abs(hours - 9) <= 1, qPrintable(QString::number(hours)));
        QVERIFY(w->earliest <= w->crossing);
    }
    void noWarningWhenForecastStaysBelow() {
        const auto f = linearForecast(0.0, 10.0);
        QVERIFY(!forecastCrossing(f, 80.0).has_value());
        QVERIFY(forecastCrossing(f, 5.0, /*above=*/false) == std::nullopt);
    }
    void downwardCrossingIsDetected() {
        const auto f = linearForecast(-1.0, 100.0); // 29 at the end
        const auto w = forecastCrossing(f, 20.0, false);
        QVERIFY(w.has_value());
        QVERIFY(w->crossing > w->now);
    }
    void learningNeedsHistory() {
        PrecursorModel m;
        const auto r = m.learn({}, {{"i1", "pod-a", "oom", kT0, 0}});
        QVERIFY(!r.has_value());
        QVERIFY(r.error().code == ErrorCode::InsufficientData);
        QVERIFY(m.empty());
    }
    void learnedPrecursorWarnsBeforeRecurrence() {
        std::vector<EntityMetrics> fleet;
        std::vector<Incident> incidents;
        for (int i = 0; i < 4; ++i) {
            const TimeMs at = kT0 + (2 + i) * kDayMs + (3 + 4 * i) * kHourMs;
            fleet.push_back(pod("leaky-" + std::to_string(i), 10 + i, at));
            incidents.push_back(
                {"inc" + std::to_string(i), "leaky-" + std::to_string(i), "oom", at, at + 20 * kMinuteMs});
        }
        for (int i = 0; i < 4; ++i)
            fleet.push_back(pod("healthy-" + std::to_string(i), 50 + i));
        const TimeRange range{kT0 + kDayMs + 2 * kHourMs, kT0 + kSpan};
        const auto ev = evaluatePrecursors(fleet, incidents, range);
        QCOMPARE(ev.incidents, 4);
        QVERIFY2(ev.warned >= 3, qPrintable(QString("warned %1").arg(ev.warned)));
        QVERIFY2(ev.medianLeadMinutes >= 30, qPrintable(QString("lead %1 min").arg(ev.medianLeadMinutes)));
        QVERIFY2(ev.precision() >= 0.5,
                 qPrintable(QString("precision %1 of %2").arg(ev.precision()).arg(ev.warnings)));

        PrecursorModel model;
        QVERIFY(model.learn(fleet, incidents).has_value());
        QCOMPARE(model.kinds(), std::vector<std::string>{"oom"});
        // A new pod that starts leaking is warned about before it dies; a healthy one is not.
        const TimeMs newLeak = kT0 + 4 * kDayMs + 12 * kHourMs;
        const auto w = model.scan(pod("new", 99, newLeak), {newLeak - 4 * kHourMs, newLeak});
        QVERIFY(!w.empty());
        QVERIFY(w.front().at < newLeak - 30 * kMinuteMs);
        QVERIFY(model.scan(pod("calm", 98), range).empty());
    }
};

QTEST_GUILESS_MAIN(TestEarlyWarning)
#include "tst_forecast_earlywarning.moc"
