// Tests for cairn/forecast/fleet.h: collecting bounded resources from a MetricSource, replaying exhaustion
// warnings, and — on the demo environment — predicting the disk-filling incident before it happens.
#include "cairn/demo/demoenvironment.h"
#include "cairn/demo/demosources.h"
#include "cairn/forecast/fleet.h"

#include <QtTest>

#include <cmath>
#include <memory>

using namespace cairn;
using namespace cairn::forecast;

namespace {

constexpr TimeMs kT0 = 1'800'000'000'000;

ts::Series series(const std::string& metric, const std::string& pod, TimeMs span, TimeMs step,
                  const std::function<double(double)>& f) {
    ts::Series s;
    s.id = {metric, {{"pod", pod}}};
    for (TimeMs t = 0; t <= span; t += step) {
        s.time.push_back(kT0 + t);
        s.value.push_back(f(static_cast<double>(t) / kHourMs));
    }
    return s;
}

// An in-memory MetricSource over fixed series (stands in for Prometheus here).
class FixedSource : public sources::MetricSource {
public:
    std::vector<ts::Series> all;
    std::string name() const override { return "fixed"; }
    Result<std::vector<ts::SeriesId>> listSeries(const ts::Selector& sel, const CancelToken&) override {
        std::vector<ts::SeriesId> ids;
        for (const auto& s : all)
            if (sel.matches(s.id))
                ids.push_back(s.id);
        return ids;
    }
    Result<std::vector<ts::Series>> query(const sources::MetricQuery& q, const CancelToken&) override {
        std::vector<ts::Series> out;
        for (const auto& s : all)
            if (q.selector.matches(s.id))
                out.push_back(s);
        return out;
    }
};

} // namespace

class TestForecastFleet : public QObject {
    Q_OBJECT
private slots:
    void collectsResourcesPairedByPod() {
        FixedSource src;
        const auto flat = [](double) { return 10.0; };
        src.all = {series("disk_used_bytes", "a", kDayMs, kHourMs, flat),
                   series("disk_capacity_bytes", "a", kDayMs, kHourMs, [](double) { return 100.0; }),
                   series("disk_used_bytes", "orphan", kDayMs, kHourMs, flat), // no capacity: skipped
                   series("memory_used_bytes", "a", kDayMs, kHourMs, flat),
                   series("memory_limit_bytes", "a", kDayMs, kHourMs, [](double) { return 50.0; })};
        const auto r = collectResources(src, {kT0, kT0 + kDayMs}, kHourMs);
        QVERIFY(r.has_value());
        QCOMPARE(r->size(), std::size_t(2));
        QCOMPARE((*r)[0].owner, std::string("a"));
        QCOMPARE((*r)[0].resource, std::string("disk"));
        QCOMPARE((*r)[1].resource, std::string("memory"));
    }
    void serviceForecastsAggregatePodsWithWeeklySeason() {
        // Two pods of one service, four weeks hourly: a daily wave and quiet weekends.
        FixedSource src;
        for (const char* pod : {"api-1", "api-2"}) {
            auto s = series("cpu_usage_ratio", pod, 28 * kDayMs, kHourMs, [](double h) {
                const int day = static_cast<int>(h / 24) % 7;
                return 0.3 + 0.1 * std::sin(2 * 3.14159265 * std::fmod(h, 24.0) / 24) -
                       (day >= 5 ? 0.15 : 0.0);
            });
            s.id.labels["service"] = "api";
            src.all.push_back(s);
        }
        const auto r = forecastServices(src, {kT0, kT0 + 29 * kDayMs}, kHourMs, 2 * kDayMs,
                                        {{"cpu_usage_ratio", Aggregation::Mean}});
        QVERIFY(r.has_value());
        QCOMPARE(r->size(), std::size_t(1));
        const auto& f = (*r)[0];
        QCOMPARE(f.service, std::string("api"));
        QVERIFY(f.forecast.result.ok());
        QVERIFY(f.forecast.result.seasonality.has(24));
        QVERIFY(f.forecast.result.seasonality.has(168));
        QVERIFY(std::abs(f.peak - 0.4) < 0.03); // mean of the two pods, not their sum
        QVERIFY(f.peakUpper95 >= f.peak);
    }
    void replayWarnsBeforeFailureAndNotOnSawtooth() {
        // "filling": flat at 30 for 3 days, then 4 per hour until full at 100 (at 3 d + 17.5 h).
        const TimeMs span = 4 * kDayMs;
        const auto filling = [](double h) { return std::min(100.0, h < 72 ? 30.0 : 30.0 + 4 * (h - 72)); };
        const auto saw = [](double h) { return 40.0 + 30.0 * std::fmod(h, 6.0) / 6.0; }; // rotation every 6 h
        const auto cap = [](double) { return 100.0; };
        std::vector<Resource> rs{{"filling", "disk", series("u", "filling", span, 5 * kMinuteMs, filling),
                                  series("c", "filling", span, kHourMs, cap)},
                                 {"saw", "disk", series("u", "saw", span, 5 * kMinuteMs, saw),
                                  series("c", "saw", span, kHourMs, cap)}};
        const TimeMs failAt = kT0 + 72 * kHourMs + static_cast<TimeMs>(17.5 * kHourMs);
        WarningReplayOptions o;
        o.every = 30 * kMinuteMs;
        const auto r =
            replayExhaustionWarnings(rs, {{"F1", "filling", "disk", failAt}}, {kT0 + kDayMs, kT0 + span}, o);
        QCOMPARE(r.failures.size(), std::size_t(1));
        QVERIFY(r.failures[0].firstWarning > 0);
        QVERIFY2(r.failures[0].leadMinutes() >= 6 * 60,
                 qPrintable(QString::number(r.failures[0].leadMinutes())));
        QVERIFY2(std::abs(static_cast<double>(r.failures[0].predictedAt - failAt)) < 2.0 * kHourMs,
                 "predicted exhaustion time off by more than 2 h");
        QCOMPARE(r.warnings, 1);
        QCOMPARE(r.truePositives, 1);
        QVERIFY(r.falseWarnings.empty());
        QCOMPARE(r.precision(), 1.0);
        QCOMPARE(r.recall(), 1.0);
    }
    void demoDiskFillIsPredictedBeforeItHappens() {
        // The demo's history ends at 2026-11-24T09:17Z; a volume fills up a few hours after that.
        constexpr TimeMs start = 1794302220000;
        demo::DemoConfig config;
        config.seed = 7;
        config.historyStart = start;
        config.clock = [] { return start + 14 * kDayMs; };
        auto env = std::make_shared<demo::DemoEnvironment>(config);
        demo::DemoMetricSource src(env);
        const TimeMs now = env->dataRange().end;
        const auto resources = collectResources(src, {now - kDayMs, now}, 5 * kMinuteMs);
        QVERIFY2(resources.has_value(), resources ? "" : resources.error().what().c_str());
        ExhaustionOptions o;
        o.lookback = kDayMs;
        const auto rows = fleetCapacity(*resources, o);
        const demo::IncidentTruth* fill = nullptr;
        const auto incidents = env->incidents(); // by value: keep it alive while `fill` points into it
        for (const auto& inc : incidents)
            if (inc.kind == demo::IncidentKind::DiskFill && inc.end > now)
                fill = &inc;
        QVERIFY2(fill, "the demo has no disk fill still ahead");
        // Among the first rows of "what runs out first", with the right time.
        bool found = false;
        for (std::size_t i = 0; i < rows.size() && i < 3; ++i) {
            const auto& r = rows[i];
            if (r.owner != fill->rootPod || r.resource != "disk")
                continue;
            found = true;
            QVERIFY(r.exhaustion.status == ExhaustionStatus::WillExhaust);
            const double errMin = static_cast<double>(r.exhaustion.at - fill->end) / kMinuteMs;
            QVERIFY2(std::abs(errMin) < 60, qPrintable(QString("off by %1 min").arg(errMin)));
            QVERIFY(r.exhaustion.earliest <= r.exhaustion.at && r.exhaustion.at < fill->end + kHourMs);
        }
        QVERIFY2(found, "the filling disk is not among the three most urgent resources");
    }
};

QTEST_GUILESS_MAIN(TestForecastFleet)
#include "tst_forecast_fleet.moc"
