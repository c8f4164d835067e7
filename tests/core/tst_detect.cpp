// Tests for cairn/detect: the streaming detectors, the ensemble and analyzeSeries.
#include "cairn/detect/analyze.h"
#include "cairn/detect/changepoint.h"
#include "cairn/detect/ensemble.h"
#include "cairn/detect/robust.h"
#include "cairn/detect/seasonal.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace cairn;
using namespace cairn::detect;

namespace {

constexpr TimeMs kStart = 1'700'006'400'000; // a Wednesday, 00:00 UTC is not needed: slots use UTC phase
constexpr double kPi = 3.14159265358979323846;

// A daily sine (period one day) plus noise, sampled every `step`.
ts::Series dailySeries(int points, TimeMs step, double noise, unsigned seed = 7) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> n(0.0, noise);
    ts::Series s;
    s.id.metric = "requests";
    for (int i = 0; i < points; ++i) {
        const TimeMs t = kStart + i * step;
        const double phase = 2 * kPi * static_cast<double>(t % kDayMs) / static_cast<double>(kDayMs);
        s.time.push_back(t);
        s.value.push_back(100.0 + 40.0 * std::sin(phase) + n(rng));
    }
    return s;
}

} // namespace

class TestDetect : public QObject {
    Q_OBJECT
private slots:
    void spikeIsScoredHigh() {
        ts::Series s = dailySeries(3000, 5 * kMinuteMs, 2.0);
        s.value[2500] += 60.0;
        const SeriesAnalysis a = analyzeSeries(s, {});
        QVERIFY(a.points[2500].score > 0.99);
        QCOMPARE(a.points[2499].score < 0.5, true);
        bool found = false;
        for (const Anomaly& an : a.anomalies)
            found = found || (an.start <= s.time[2500] && an.end > s.time[2500]);
        QVERIFY(found);
    }

    void bandFollowsDailySeason() {
        const ts::Series s = dailySeries(288 * 5, 5 * kMinuteMs, 1.0);
        const SeriesAnalysis a = analyzeSeries(s, {});
        // On day 5 the expected value tracks the sine: the band contains the clean curve nearly everywhere.
        int inside = 0;
        int total = 0;
        for (std::size_t i = 288 * 4; i < s.size(); ++i) {
            const double phase =
                2 * kPi * static_cast<double>(s.time[i] % kDayMs) / static_cast<double>(kDayMs);
            const double clean = 100.0 + 40.0 * std::sin(phase);
            ++total;
            inside += (a.points[i].lower <= clean && clean <= a.points[i].upper) ? 1 : 0;
            QVERIFY2(std::fabs(a.points[i].expected - clean) < 6.0, qPrintable(QString::number(i)));
        }
        QVERIFY(inside > total * 95 / 100);
        // The band is much narrower than the daily swing (it follows the season, not the range).
        QVERIFY(a.points.back().upper - a.points.back().lower < 20.0);
    }

    void causalScoreIgnoresFuture() {
        ts::Series s = dailySeries(2000, 5 * kMinuteMs, 2.0);
        s.value[1500] += 50.0;
        ts::Series prefix = s;
        prefix.time.resize(1200);
        prefix.value.resize(1200);
        const SeriesAnalysis full = analyzeSeries(s, {});
        const SeriesAnalysis part = analyzeSeries(prefix, {});
        for (std::size_t i = 0; i < prefix.size(); ++i) {
            QCOMPARE(part.points[i].score, full.points[i].score);
            QCOMPARE(part.points[i].expected, full.points[i].expected);
        }
    }

    void nanIsSkipped() {
        ts::Series s = dailySeries(1000, 5 * kMinuteMs, 2.0);
        s.value[600] = std::numeric_limits<double>::quiet_NaN();
        s.value[601] = std::numeric_limits<double>::infinity();
        s.value[602] = -std::numeric_limits<double>::infinity();
        const SeriesAnalysis a = analyzeSeries(s, {});
        QCOMPARE(a.points.size(), s.size());
        QCOMPARE(a.skippedPoints, std::size_t(3));
        for (int i = 600; i <= 602; ++i) {
            QCOMPARE(a.points[static_cast<std::size_t>(i)].score, 0.0);
            QVERIFY(std::isfinite(a.points[static_cast<std::size_t>(i)].expected));
        }
        for (const Estimate& e : a.points)
            QVERIFY(std::isfinite(e.score) && std::isfinite(e.expected));
        QVERIFY(a.anomalies.empty());
    }

    void constantSeriesGivesNoAnomalies() {
        ts::Series s;
        for (int i = 0; i < 5000; ++i) {
            s.time.push_back(kStart + i * kMinuteMs);
            s.value.push_back(42.5);
        }
        const SeriesAnalysis a = analyzeSeries(s, {});
        QVERIFY(a.anomalies.empty());
        for (const Estimate& e : a.points)
            QCOMPARE(e.score < 0.01, true);
        QCOMPARE(a.points.back().expected, 42.5);
    }
};

QTEST_GUILESS_MAIN(TestDetect)
#include "tst_detect.moc"
