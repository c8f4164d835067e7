// Tests for cairn/detect: the streaming detectors, the ensemble and analyzeSeries.
#include "cairn/detect/analyze.h"
#include "cairn/detect/changepoint.h"
#include "cairn/detect/context.h"
#include "cairn/detect/ensemble.h"
#include "cairn/detect/pipeline.h"
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
    void shortSeriesShorterThanSeasonIsHandled() {
        ts::Series s = dailySeries(100, 5 * kMinuteMs, 2.0); // about 8 hours: shorter than a day
        s.value[80] += 80.0;
        EnsembleDetector d;
        Estimate last;
        for (std::size_t i = 0; i < s.size(); ++i)
            last = d.update(s.time[i], s.value[i]);
        QVERIFY(!d.seasonal().dailyActive());
        QVERIFY(last.ready);
        const SeriesAnalysis a = analyzeSeries(s, {});
        QVERIFY(a.points[80].score > 0.9); // the robust median still catches spikes
        QCOMPARE(a.points.size(), s.size());
    }

    void duplicateAndOutOfOrderTimestampsAreSkipped() {
        ts::Series s = dailySeries(600, 5 * kMinuteMs, 2.0);
        // Row 300 repeats row 299's time with a wild value; row 301 goes back in time.
        s.time[300] = s.time[299];
        s.value[300] = 1e6;
        s.time[301] = s.time[298];
        s.value[301] = -1e6;
        const SeriesAnalysis a = analyzeSeries(s, {});
        QCOMPARE(a.skippedPoints, std::size_t(2));
        QCOMPARE(a.points[300].score, 0.0);
        QCOMPARE(a.points[301].score, 0.0);
        // Nothing was learned from them: the next point is judged as usual.
        QVERIFY(a.points[302].score < 0.5);
        QVERIFY(std::fabs(a.points[302].expected - s.value[302]) < 20.0);
    }

    void gapKeepsSeasonalPhase() {
        ts::Series s = dailySeries(288 * 4, 5 * kMinuteMs, 1.0);
        // Drop a 30-hour stretch on day 3: the detector keys the season on time, not on the row number.
        ts::Series g;
        g.id = s.id;
        for (std::size_t i = 0; i < s.size(); ++i)
            if (i < 288 * 2 || i >= 288 * 2 + 360) {
                g.time.push_back(s.time[i]);
                g.value.push_back(s.value[i]);
            }
        const SeriesAnalysis a = analyzeSeries(g, {});
        int high = 0;
        for (std::size_t i = 288 * 2; i < g.size(); ++i)
            high += a.points[i].score >= 0.5 ? 1 : 0;
        QVERIFY2(high <= 3, qPrintable(QString::number(high)));
    }

    void levelShiftIsDetectedByChangepoint() {
        std::mt19937 rng(3);
        std::normal_distribution<double> n(0.0, 1.0);
        CusumDetector cusum;
        EnsembleDetector ens;
        bool cusumFired = false;
        bool ensembleShift = false;
        for (int i = 0; i < 3000; ++i) {
            const double v =
                (i < 2000 ? 50.0 : 53.0) + n(rng); // a 3-sigma shift: inside a 3-sigma band at first
            const TimeMs t = kStart + i * kMinuteMs;
            const Estimate e = cusum.update(t, v);
            if (i >= 2000 && i < 2100 && e.score >= 0.5)
                cusumFired = true;
            QVERIFY2(!(i < 2000 && i > 100 && e.score >= 0.5), qPrintable(QString::number(i)));
            ens.update(t, v);
            if (i >= 2000 && i < 2100 && ens.lastExplanation().levelShift)
                ensembleShift = true;
        }
        QVERIFY(cusumFired);
        QCOMPARE(cusum.shifts() >= 1, true);
        QVERIFY(ensembleShift);
    }

    void madDetectorFlagsDipAndIgnoresNoise() {
        std::mt19937 rng(5);
        std::normal_distribution<double> n(0.0, 1.0);
        RollingMadDetector mad;
        int falseAlarms = 0;
        for (int i = 0; i < 2000; ++i) {
            const bool dip = i == 1500;
            const double v = 20.0 + n(rng) - (dip ? 15.0 : 0.0);
            const Estimate e = mad.update(kStart + i * kMinuteMs, v);
            if (dip)
                QVERIFY(e.score > 0.99 && e.deviation < -5);
            else if (e.score >= 0.5)
                ++falseAlarms;
        }
        QVERIFY2(falseAlarms < 40,
                 qPrintable(QString::number(falseAlarms))); // Gaussian noise: ~0.3% beyond 3 sigma
        QVERIFY(std::fabs(mad.median() - 20.0) < 1.0);
        QVERIFY(std::fabs(mad.sigma() - 1.0) < 0.5);
    }

    void weeklySeasonIsLearned() {
        // Weekdays at 100, weekends at 40, one point per 10 minutes for four weeks, plus a daily swing.
        ts::Series s;
        std::mt19937 rng(11);
        std::normal_distribution<double> n(0.0, 1.0);
        for (int i = 0; i < 6 * 24 * 28; ++i) {
            const TimeMs t = kStart + i * 10 * kMinuteMs;
            const int day = static_cast<int>((t / kDayMs + 4) % 7); // 0 = Sunday (1970-01-01 was a Thursday)
            const double phase = 2 * kPi * static_cast<double>(t % kDayMs) / static_cast<double>(kDayMs);
            s.time.push_back(t);
            s.value.push_back((day == 0 || day == 6 ? 40.0 : 100.0) + 20 * std::sin(phase) + n(rng));
        }
        SeasonalDetector d;
        for (std::size_t i = 0; i < s.size(); ++i)
            d.update(s.time[i], s.value[i]);
        QVERIFY(d.dailyActive());
        QVERIFY(d.weeklyActive());
        const SeriesAnalysis a = analyzeSeries(s, {});
        // The last week: weekends are expected now. The profile has hourly buckets, so the instant 60-unit
        // step at midnight is smoothed over about an hour: points within 90 minutes of midnight are excused.
        int high = 0;
        for (std::size_t i = 6 * 24 * 21; i < s.size(); ++i) {
            const TimeMs tod = s.time[i] % kDayMs;
            if (tod < 90 * kMinuteMs || tod > kDayMs - 90 * kMinuteMs)
                continue;
            high += a.points[i].score >= 0.5 ? 1 : 0;
        }
        // Under 4% of the week's 864 points (weekends alone are 2 days of points a 'daily only' model would
        // miss). Robust learning (points outside the band teach little for the first hours) makes the first
        // weekend hours of each week slower to learn than a detector that learns from everything.
        QVERIFY2(high < 35, qPrintable(QString::number(high)));
    }

    void stateIsSmallAndFixed() {
        ScorePipeline p;
        const std::size_t before = p.stateBytes();
        for (int i = 0; i < 100000; ++i)
            p.update(kStart + i * kMinuteMs, std::sin(i * 0.01) * 10);
        QCOMPARE(p.stateBytes(), before);
        QVERIFY2(before <= 4096, qPrintable(QString::number(before)));
    }

    void pipelineScoreIsCausalAndInUnitInterval() {
        ts::Series s = dailySeries(3000, 5 * kMinuteMs, 2.0);
        s.value[2600] += 90;
        std::vector<double> full;
        ScorePipeline a;
        for (std::size_t i = 0; i < s.size(); ++i) {
            full.push_back(a.update(s.time[i], s.value[i]));
            QVERIFY(full.back() >= 0.0 && full.back() <= 1.0);
        }
        ScorePipeline b;
        for (std::size_t i = 0; i < 2000; ++i)
            QCOMPARE(b.update(s.time[i], s.value[i]), full[i]);
        QVERIFY(full[2600] >= 0.5);
    }

    void anomalyHasExplanation() {
        ts::Series s = dailySeries(3000, 5 * kMinuteMs, 2.0);
        s.id.metric = "latency_ms";
        s.value[2500] += 60.0;
        AnalysisOptions o;
        o.unit = "ms";
        const SeriesAnalysis a = analyzeSeries(s, o);
        QVERIFY(!a.anomalies.empty());
        const Anomaly* hit = nullptr;
        for (const Anomaly& an : a.anomalies)
            if (an.peak == s.time[2500])
                hit = &an;
        QVERIFY(hit);
        QCOMPARE(hit->observed, s.value[2500]);
        QVERIFY(hit->expected < hit->observed && hit->upper < hit->observed);
        QVERIFY(hit->deviation > 3.0);
        QVERIFY(!hit->detector.empty());
        QVERIFY2(QString::fromStdString(hit->explanation).contains("latency_ms"), hit->explanation.c_str());
        QVERIFY(QString::fromStdString(hit->explanation).contains("vs expected"));
        QVERIFY(QString::fromStdString(hit->explanation).contains("sigma"));
    }

    void changepointNeverFlagsAPointInsideItsBand() {
        // Small level shifts (1.5 to 2.5 sigma) raise CUSUM alarms but every point stays inside the band:
        // none of them may be reported as anomalous (the old stage scored the alarm sample 0.9).
        int alarms = 0;
        for (unsigned seed = 1; seed <= 6; ++seed) {
            ts::Series s = dailySeries(288 * 4, 5 * kMinuteMs, 2.0, seed);
            for (std::size_t i = 600; i < s.size(); ++i)
                s.value[i] += (i / 80 % 2 ? 1.0 : -1.0) * (3.0 + 0.4 * seed);
            EnsembleDetector d;
            for (std::size_t i = 0; i < s.size(); ++i) {
                const Estimate e = d.update(s.time[i], s.value[i]);
                alarms += d.lastExplanation().levelShift ? 1 : 0;
                if (e.score >= 0.5)
                    QVERIFY2(s.value[i] < e.lower || s.value[i] > e.upper,
                             qPrintable(QString("seed %1 point %2 score %3 inside [%4, %5]")
                                            .arg(seed)
                                            .arg(i)
                                            .arg(e.score)
                                            .arg(e.lower)
                                            .arg(e.upper)));
            }
        }
        QVERIFY2(alarms > 0, "the shifts should have raised CUSUM alarms");
    }

    void levelShiftIsReportedAsARunNotASingleSample() {
        ts::Series s = dailySeries(288 * 5, 5 * kMinuteMs, 2.0);
        for (std::size_t i = 900; i < s.size(); ++i)
            s.value[i] += 14.0; // 7 sigma, permanent
        const SeriesAnalysis a = analyzeSeries(s, {});
        const Anomaly* shift = nullptr;
        for (const Anomaly& an : a.anomalies)
            if (an.start >= s.time[895] && an.start <= s.time[910])
                shift = &an;
        QVERIFY(shift);
        QVERIFY2(shift->end - shift->start >= 2 * 5 * kMinuteMs,
                 qPrintable(QString::number((shift->end - shift->start) / kMinuteMs)));
        // ...and the new level becomes normal: nothing flagged on the last day.
        int late = 0;
        for (std::size_t i = 288 * 4; i < s.size(); ++i)
            late += a.points[i].score >= 0.5 ? 1 : 0;
        QVERIFY2(late <= 3, qPrintable(QString::number(late)));
    }

    void incidentDoesNotTeachTheSeasonalBaseline() {
        // A 3-hour incident (+15 sigma) on day 4: the return to normal must not be flagged.
        ts::Series s = dailySeries(288 * 5, 5 * kMinuteMs, 2.0, 11);
        const std::size_t from = 288 * 3 + 100, to = from + 36;
        for (std::size_t i = from; i < to; ++i)
            s.value[i] += 30.0;
        SeasonalDetector robust;
        SeasonalConfig naiveConfig;
        naiveConfig.anomalyWeight = 1.0; // learns from every point (the old behaviour)
        SeasonalDetector naive(naiveConfig);
        int robustAfter = 0, naiveAfter = 0, during = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const Estimate r = robust.update(s.time[i], s.value[i]);
            const Estimate n = naive.update(s.time[i], s.value[i]);
            if (i >= from && i < to)
                during += r.score >= 0.5 ? 1 : 0;
            if (i >= to && i < to + 288) { // the following day, same hours included
                robustAfter += r.score >= 0.5 ? 1 : 0;
                naiveAfter += n.score >= 0.5 ? 1 : 0;
            }
        }
        QVERIFY2(during >= 30, qPrintable(QString::number(during)));
        QVERIFY2(robustAfter <= 3, qPrintable(QString::number(robustAfter)));
        // The test is meaningful: learning from the incident does flag the return to normal.
        QVERIFY2(naiveAfter > robustAfter, qPrintable(QString("%1 vs %2").arg(naiveAfter).arg(robustAfter)));
    }

    void permanentLevelShiftIsAdoptedEventually() {
        ts::Series s = dailySeries(288 * 6, 5 * kMinuteMs, 2.0, 12);
        const std::size_t from = 288 * 3;
        for (std::size_t i = from; i < s.size(); ++i)
            s.value[i] += 30.0;
        SeasonalDetector d;
        int lastDay = 0;
        double expectedGap = 0.0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const Estimate e = d.update(s.time[i], s.value[i]);
            if (i >= 288 * 5) {
                lastDay += e.score >= 0.5 ? 1 : 0;
                expectedGap = std::max(expectedGap, std::fabs(e.expected - (s.value[i])));
            }
        }
        QVERIFY2(lastDay <= 5, qPrintable(QString::number(lastDay)));
        QVERIFY2(expectedGap < 12.0, qPrintable(QString::number(expectedGap)));
    }

    void contextDetectorLearnsARepeatingPattern() {
        ContextDetector c;
        double late = 0;
        for (int i = 0; i < 2000; ++i) {
            const Estimate e = c.update(kStart + i * kMinuteMs, static_cast<double>(i % 10));
            if (i >= 1000)
                late = std::max(late, e.score);
        }
        QCOMPARE(late, 0.0); // every context of a saw-tooth has been seen
        // A value sequence never seen before is novel.
        const Estimate e = c.update(kStart + 2000 * kMinuteMs, 9.0);
        const Estimate f = c.update(kStart + 2001 * kMinuteMs, 0.0);
        const Estimate g = c.update(kStart + 2002 * kMinuteMs, 9.0);
        QVERIFY(std::max({e.score, f.score, g.score}) > 0.3);
        QVERIFY(c.stateBytes() <= 1200);
    }

    void pipelineFiresOnceForAnEvent() {
        ts::Series s = dailySeries(3000, 5 * kMinuteMs, 2.0);
        for (std::size_t i = 2600; i < 2610; ++i)
            s.value[i] += 90;
        ScorePipeline p;
        int high = 0;
        std::size_t first = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const double score = p.update(s.time[i], s.value[i]);
            if (score >= 0.6 && i >= 2600 && !first)
                first = i;
            if (i >= 2600 && i < 2700)
                high += score >= 0.5 ? 1 : 0;
        }
        QVERIFY(first >= 2600 && first <= 2601);
        QCOMPARE(high, 1); // one report for a 10-point event; the rest period keeps the repeats quiet
    }

    // Multi-scale likelihood: a lasting moderate surprise (the noise doubles for a few hours) is judged
    // on the longer average too: over the stretch it scores higher than with the short average alone.
    void pipelineLongScaleSeesALastingSurprise() {
        ts::Series s = dailySeries(3000, 5 * kMinuteMs, 2.0);
        std::mt19937 rng(7);
        std::normal_distribution<double> noise(0.0, 4.0);
        for (std::size_t i = 2500; i < 2600; ++i)
            s.value[i] += noise(rng);
        auto peak = [&](int longWindow) {
            PipelineConfig c;
            c.longWindow = longWindow;
            c.restPoints = 0;
            c.patternSigmas = 0.0; // the long scale alone
            ScorePipeline p(c);
            double sum = 0.0; // mean score over the stretch
            for (std::size_t i = 0; i < s.size(); ++i) {
                const double score = p.update(s.time[i], s.value[i]);
                if (i >= 2500 && i < 2600)
                    sum += score / 100.0;
            }
            return sum;
        };
        const double shortOnly = peak(0);
        const double multi = peak(64);
        QVERIFY2(multi > 1.05 * shortOnly, qPrintable(QString("%1 vs %2").arg(multi).arg(shortOnly)));
    }

    // A new extreme scores at least extremeScore, ranked by how far out it lies in band sigmas: a record
    // by a hair stays near the floor, a jolt of many sigmas scores clearly higher.
    void pipelineRanksExtremesBySigmas() {
        auto scoreOf = [](double jump) {
            ts::Series s = dailySeries(2000, 5 * kMinuteMs, 2.0);
            const double hi = *std::max_element(s.value.begin(), s.value.end());
            ScorePipeline p;
            for (std::size_t i = 0; i < s.size(); ++i)
                p.update(s.time[i], s.value[i]);
            const double score = p.update(s.time.back() + 5 * kMinuteMs, hi + jump);
            return std::pair{score, std::string(p.lastReason())};
        };
        const PipelineConfig c;
        const auto [hair, hairReason] = scoreOf(0.01);
        const auto [jolt, joltReason] = scoreOf(60.0);
        QVERIFY2(hair >= c.extremeScore && hair < c.extremeScore + 0.01, qPrintable(QString::number(hair)));
        QVERIFY2(jolt > c.extremeScore + 0.1, qPrintable(QString::number(jolt)));
        QCOMPARE(hairReason, std::string("extreme"));
        QCOMPARE(joltReason, std::string("extreme"));
    }

    // A series that mostly sits at 0 with bursts has a degenerate band (sigma near 0): a new record by 1%
    // of the range must not count as a jolt of many sigmas, while doubling the record still does.
    void pipelineExtremeInIdleSeriesIsMeasuredAgainstTheRange() {
        auto scoreOf = [](double factor, double floor) {
            PipelineConfig c;
            c.extremeRangeFloor = floor;
            ScorePipeline p(c);
            TimeMs t = kStart;
            double top = 0.0;
            for (int i = 0; i < 3000; ++i, t += 5 * kMinuteMs) {
                const double v = i % 97 == 0 ? 1000.0 + 3.0 * (i % 7) : 0.0;
                top = std::max(top, v);
                p.update(t, v);
            }
            return p.update(t, top * factor);
        };
        const PipelineConfig c;
        const double hair = scoreOf(1.01, c.extremeRangeFloor);
        const double hairNoFloor = scoreOf(1.01, 0.0);
        const double jolt = scoreOf(2.0, c.extremeRangeFloor);
        QVERIFY2(hair >= c.extremeScore && hair < c.extremeScore + 0.03, qPrintable(QString::number(hair)));
        QVERIFY2(hairNoFloor > hair + 0.1, qPrintable(QString("%1 vs %2").arg(hairNoFloor).arg(hair)));
        QVERIFY2(jolt > c.extremeScore + 0.2, qPrintable(QString::number(jolt)));
    }

    // The profile deviation is measured against the shape of a day alone: when a day goes flat at its
    // mean level (every value inside the usual range), the seasonal band's short-memory bias follows the
    // flat day within a few points, but the deviation from the profile stays large.
    void seasonalProfileDeviationSeesAChangedDay() {
        ts::Series s = dailySeries(288 * 10, 5 * kMinuteMs, 2.0);
        SeasonalDetector d;
        d.setScoring(false);
        QVERIFY(std::isnan(d.profileDeviation()));
        double lateBand = 0.0;
        double lateProfile = 0.0;
        int late = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const bool flat = i >= 288 * 8 && i < 288 * 9;
            const Estimate e = d.update(s.time[i], flat ? 100.0 : s.value[i]);
            if (i == 100)
                QVERIFY(std::isnan(d.profileDeviation())); // no daily profile yet
            // On the way up to the daily peak (6 h after midnight, where the flat day is 40 below the usual
            // shape).
            const auto inDay = static_cast<int>(i % 288);
            if (flat && inDay >= 30 && inDay < 66) {
                lateBand += std::fabs(e.deviation);
                lateProfile += std::fabs(d.profileDeviation());
                ++late;
            }
        }
        QVERIFY(d.dailyActive());
        QCOMPARE(late, 36);
        QVERIFY2(lateProfile / late > 5.0, qPrintable(QString::number(lateProfile / late)));
        QVERIFY2(lateProfile > 1.5 * lateBand,
                 qPrintable(QString("%1 vs %2").arg(lateProfile).arg(lateBand)));
    }

    // The daily profile learns whether or not the model uses it: once 1.5 days are spanned the deviation
    // from it is reported (finite) even for a series whose daily season is not in use (plain noise).
    void seasonalProfileDeviationDoesNotNeedTheSeasonInUse() {
        std::mt19937 rng(3);
        std::normal_distribution<double> n(0.0, 1.0);
        SeasonalDetector d;
        const TimeMs step = 5 * kMinuteMs;
        for (int i = 0; i < 288 * 3; ++i) {
            d.update(kStart + i * step, 50.0 + n(rng));
            if (i == 288)
                QVERIFY(std::isnan(d.profileDeviation())); // one day: not yet
        }
        QVERIFY(!d.dailyActive());
        QVERIFY(std::isfinite(d.profileDeviation()));
        QVERIFY(std::fabs(d.profileDeviation()) < 6.0);
        d.update(kStart + 288 * 3 * step, std::numeric_limits<double>::quiet_NaN());
        QVERIFY(std::isnan(d.profileDeviation())); // a skipped point has no deviation
    }

    // A confirmed level shift (shiftLevel) re-levels the band at once, but the profile deviation adopts it
    // only over levelTau: right after the shift it still sees the departure from the usual day, days later
    // the new level is normal for it too.
    void seasonalProfileDeviationAdoptsAShiftSlowly() {
        ts::Series s = dailySeries(288 * 12, 5 * kMinuteMs, 2.0);
        SeasonalDetector d;
        d.setScoring(false);
        const std::size_t at = 288 * 6;
        double soonBand = 0.0;
        double soonProfile = 0.0;
        double lateProfile = 0.0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const double v = s.value[i] + (i >= at ? 30.0 : 0.0);
            if (i == at)
                d.shiftLevel(30.0);
            const Estimate e = d.update(s.time[i], v);
            if (i >= at && i < at + 12) {
                soonBand += std::fabs(e.deviation) / 12;
                soonProfile += std::fabs(d.profileDeviation()) / 12;
            }
            if (i >= s.size() - 288)
                lateProfile += std::fabs(d.profileDeviation()) / 288;
        }
        QVERIFY2(soonProfile > 2.5 && soonProfile > 2.0 * soonBand,
                 qPrintable(QString("%1 vs %2").arg(soonProfile).arg(soonBand)));
        QVERIFY2(lateProfile < 0.5 * soonProfile,
                 qPrintable(QString("%1 vs %2").arg(lateProfile).arg(soonProfile)));
    }

    // Pattern channel: a day whose peak is cut off (a plateau at 110 where the day usually rises to 140;
    // every value inside the usual range, no single point far out) is reported once, as "pattern", and
    // not at all without the channel.
    void pipelineReportsAChangedDayOnce() {
        ts::Series s = dailySeries(288 * 10, 5 * kMinuteMs, 2.0);
        for (std::size_t i = 288 * 8; i < 288 * 9; ++i)
            s.value[i] = std::min(s.value[i], 110.0);
        auto run = [&](double patternSigmas) {
            PipelineConfig c;
            c.patternSigmas = patternSigmas;
            ScorePipeline p(c);
            int reports = 0;
            int patternReports = 0;
            for (std::size_t i = 0; i < s.size(); ++i) {
                const double score = p.update(s.time[i], s.value[i]);
                if (i >= 288 * 8 && i < 288 * 9 && score >= c.fireLevel) {
                    ++reports;
                    patternReports += p.lastReason() == "pattern" ? 1 : 0;
                }
            }
            return std::pair{reports, patternReports};
        };
        const auto [reports, patternReports] = run(PipelineConfig{}.patternSigmas);
        const auto [reportsOff, patternOff] = run(0.0);
        QVERIFY2(patternReports == 1, qPrintable(QString("%1 of %2").arg(patternReports).arg(reports)));
        QCOMPARE(patternOff, 0);
        QVERIFY2(reports > reportsOff, qPrintable(QString("%1 vs %2").arg(reports).arg(reportsOff)));
    }

    void pipelineHandlesBadInput_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("nan") << "nan";
        QTest::newRow("inf") << "inf";
        QTest::newRow("duplicate") << "duplicate";
        QTest::newRow("outOfOrder") << "outOfOrder";
        QTest::newRow("constant") << "constant";
        QTest::newRow("shorterThanASeason") << "short";
        QTest::newRow("gap") << "gap";
    }

    void pipelineHandlesBadInput() {
        QFETCH(QString, kind);
        ts::Series s = dailySeries(kind == "short" ? 40 : 2000, 5 * kMinuteMs, 2.0, 5);
        std::vector<bool> skip(s.size(), false);
        for (std::size_t i = 500; i < s.size(); i += 97) {
            if (kind == "nan")
                s.value[i] = std::numeric_limits<double>::quiet_NaN();
            else if (kind == "inf")
                s.value[i] = (i % 2 ? 1 : -1) * std::numeric_limits<double>::infinity();
            else if (kind == "duplicate")
                s.time[i] = s.time[i - 1];
            else if (kind == "outOfOrder")
                s.time[i] = s.time[i - 1] - kHourMs;
            else
                continue;
            skip[i] = true;
        }
        if (kind == "constant")
            std::fill(s.value.begin(), s.value.end(), 42.0);
        if (kind == "gap")
            for (std::size_t i = 1000; i < s.size(); ++i)
                s.time[i] += 2 * kDayMs; // two days missing
        ScorePipeline p;
        int high = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const double score = p.update(s.time[i], s.value[i]);
            QVERIFY2(std::isfinite(score) && score >= 0.0 && score <= 1.0, qPrintable(QString::number(i)));
            if (skip[i])
                QCOMPARE(score, 0.0);
            // The first day is excluded: a daily curve reaches new extremes then, which are reported.
            high += i >= 288 && score >= PipelineConfig{}.fireLevel ? 1 : 0;
        }
        // Skipped points teach nothing: days of noise raise at most a couple of reports (at the pipeline's
        // own alarm level), a constant series none.
        QVERIFY2(high <= (kind == "constant" ? 0 : 2), qPrintable(QString::number(high)));
    }

    void higherSensitivityFindsMore() {
        const ts::Series s = dailySeries(3000, 5 * kMinuteMs, 2.0, 99);
        AnalysisOptions low;
        low.sensitivity = Sensitivity::Low;
        AnalysisOptions high;
        high.sensitivity = Sensitivity::High;
        const SeriesAnalysis a = analyzeSeries(s, low);
        const SeriesAnalysis b = analyzeSeries(s, high);
        QVERIFY(b.anomalies.size() >= a.anomalies.size());
        QVERIFY(b.points.back().upper - b.points.back().lower <
                a.points.back().upper - a.points.back().lower);
    }

    void cancelStopsEarly() {
        const ts::Series s = dailySeries(50000, kMinuteMs, 1.0);
        CancelToken token = CancelToken::create();
        token.cancel();
        const SeriesAnalysis a = analyzeSeries(s, {}, token);
        QVERIFY(!a.complete);
        QVERIFY(a.points.size() < s.size());
    }

    void emptySeriesGivesEmptyAnalysis() {
        const SeriesAnalysis a = analyzeSeries(ts::Series{}, {});
        QVERIFY(a.points.empty());
        QVERIFY(a.anomalies.empty());
        QVERIFY(a.complete);
    }
};

QTEST_GUILESS_MAIN(TestDetect)
#include "tst_detect.moc"
