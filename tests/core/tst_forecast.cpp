// Tests for cairn/forecast: seasonality detection, the automatic forecaster (bad input, intervals),
// the wide CSV layout, accuracy measures and timestamped series.
#include "cairn/forecast/accuracy.h"
#include "cairn/forecast/forecaster.h"
#include "cairn/forecast/seasonality.h"
#include "cairn/forecast/seriesforecast.h"
#include "cairn/forecast/widecsv.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

using namespace cairn;
using namespace cairn::forecast;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Hourly series: level + daily wave (+ optional weekend dip) + Gaussian noise.
std::vector<double> hourly(int n, double daily, double weekend, double noise, unsigned seed,
                           double trend = 0) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> g(0.0, noise);
    std::vector<double> y(n);
    for (int t = 0; t < n; ++t) {
        const int day = (t / 24) % 7;
        y[t] = 100 + trend * t + daily * std::sin(2 * std::numbers::pi * (t % 24) / 24.0) +
               (day >= 5 ? -weekend : 0.0) + g(rng);
    }
    return y;
}

} // namespace

class TestForecast : public QObject {
    Q_OBJECT
private slots:
    void detectsDailySeason() {
        const auto s = detectSeasonality(hourly(24 * 21, 20, 0, 3, 1));
        QVERIFY(s.has(24));
        QVERIFY(!s.has(168));
    }
    void detectsWeeklySeason() {
        const auto s = detectSeasonality(hourly(24 * 7 * 5, 20, 25, 3, 2));
        QVERIFY(s.has(24));
        QVERIFY(s.has(168));
    }
    void noSeasonOnWhiteNoise() {
        for (unsigned seed = 1; seed <= 10; ++seed) {
            const auto s = detectSeasonality(hourly(24 * 7 * 4, 0, 0, 5, 100 + seed));
            QVERIFY2(s.periods.empty(), qPrintable(QString("seed %1").arg(seed)));
        }
    }
    void seasonNeedsThreeCycles() {
        // Two days of a clean daily wave are not enough evidence.
        const auto s = detectSeasonality(hourly(48, 20, 0, 1, 3));
        QVERIFY(s.periods.empty());
    }
    void constantSeriesForecastsConstant() {
        const std::vector<double> y(200, 42.5);
        ForecastOptions o;
        o.horizon = 12;
        const auto r = forecastValues(y, o);
        QVERIFY(r.ok());
        QVERIFY(r.constant);
        QCOMPARE(r.mean.size(), std::size_t(12));
        for (int h = 0; h < 12; ++h) {
            QCOMPARE(r.mean[h], 42.5);
            QCOMPARE(r.lower95[h], 42.5);
            QCOMPARE(r.upper95[h], 42.5);
        }
    }
    void nanAndGapsAreHandled() {
        auto y = hourly(24 * 14, 20, 0, 1, 4);
        const auto truthNext = hourly(24 * 16, 20, 0, 0, 4); // noise-free continuation, past the horizon
        for (int t = 100; t < 110; ++t)
            y[t] = kNaN;
        y[200] = std::numeric_limits<double>::infinity();
        y.front() = kNaN;
        y.push_back(kNaN); // a trailing gap: the forecast still starts after it
        ForecastOptions o;
        o.horizon = 24;
        const auto r = forecastValues(y, o);
        QVERIFY2(r.ok(), r.message.c_str());
        QCOMPARE(r.filledGaps, 11);
        QCOMPARE(r.mean.size(), std::size_t(24));
        for (int h = 0; h < 24; ++h) {
            QVERIFY(std::isfinite(r.mean[h]));
            // Forecast step h is sample 24*14 + 1 + h of the clean series.
            QVERIFY2(std::abs(r.mean[h] - truthNext[24 * 14 + 1 + h]) < 6, qPrintable(QString::number(h)));
        }
    }
    void tooFewPointsIsInsufficientData() {
        const std::vector<double> y{1.0, kNaN, 2.0};
        QVERIFY(forecastValues(y).status == ForecastStatus::InsufficientData);
        const std::vector<double> empty;
        QVERIFY(forecastValues(empty).status == ForecastStatus::InsufficientData);
        const std::vector<double> allNaN(50, kNaN);
        QVERIFY(forecastValues(allNaN).status == ForecastStatus::InsufficientData);
    }
    void mostlyMissingIsInsufficientData() {
        std::vector<double> y(100, kNaN);
        for (int t = 0; t < 100; t += 5)
            y[t] = t;
        const auto r = forecastValues(y);
        QVERIFY(r.status == ForecastStatus::InsufficientData);
        QVERIFY(!r.message.empty());
    }
    void fewerPointsThanASeasonStillForecasts() {
        const auto y = hourly(20, 20, 0, 1, 5);
        ForecastOptions o;
        o.horizon = 6;
        const auto r = forecastValues(y, o);
        QVERIFY(r.ok());
        QVERIFY(r.seasonality.periods.empty());
        QCOMPARE(r.mean.size(), std::size_t(6));
        for (int h = 0; h < 6; ++h)
            QVERIFY(r.lower95[h] <= r.mean[h] && r.mean[h] <= r.upper95[h]);
    }
    void nonNegativeResourceNeverForecastBelowZero() {
        std::vector<double> y;
        for (int t = 0; t < 100; ++t)
            y.push_back(std::max(0.0, 50.0 - t * 0.6)); // drains to zero
        ForecastOptions o;
        o.horizon = 48;
        o.nonNegative = true;
        const auto r = forecastValues(y, o);
        QVERIFY(r.ok());
        for (int h = 0; h < 48; ++h) {
            QVERIFY(r.mean[h] >= 0);
            QVERIFY(r.lower95[h] >= 0);
            QVERIFY(r.lower80[h] >= 0);
        }
    }
    void invalidHorizonIsRejected() {
        ForecastOptions o;
        o.horizon = 0;
        QVERIFY(forecastValues(hourly(100, 1, 0, 1, 6), o).status == ForecastStatus::InvalidArgument);
    }
    void intervalsAreNestedAndWiden() {
        ForecastOptions o;
        o.horizon = 48;
        const auto r = forecastValues(hourly(24 * 30, 20, 10, 4, 7), o);
        QVERIFY(r.ok());
        for (int h = 0; h < 48; ++h) {
            QVERIFY(r.lower95[h] <= r.lower80[h] && r.lower80[h] <= r.mean[h]);
            QVERIFY(r.mean[h] <= r.upper80[h] && r.upper80[h] <= r.upper95[h]);
            if (h > 0)
                QVERIFY(r.upper95[h] - r.lower95[h] >= r.upper95[h - 1] - r.lower95[h - 1] - 1e-9);
        }
    }
    void intervalCoverageOnSyntheticSeries() {
        // Seasonal series with noise and a slowly wandering level; intervals must hold out of sample.
        int in95 = 0, in80 = 0, total = 0;
        for (unsigned seed = 1; seed <= 30; ++seed) {
            std::mt19937 rng(seed);
            std::normal_distribution<double> walk(0.0, 0.3);
            auto y = hourly(24 * 30 + 48, 15, 8, 3, 1000 + seed);
            double level = 0;
            for (auto& v : y) {
                level += walk(rng);
                v += level;
            }
            const std::vector<double> train(y.begin(), y.end() - 48), test(y.end() - 48, y.end());
            ForecastOptions o;
            o.horizon = 48;
            const auto r = forecastValues(train, o);
            QVERIFY(r.ok());
            for (int h = 0; h < 48; ++h) {
                in95 += test[h] >= r.lower95[h] && test[h] <= r.upper95[h];
                in80 += test[h] >= r.lower80[h] && test[h] <= r.upper80[h];
                ++total;
            }
        }
        const double c95 = double(in95) / total, c80 = double(in80) / total;
        QVERIFY2(c95 >= 0.88 && c95 <= 0.995, qPrintable(QString("95%% coverage %1").arg(c95)));
        QVERIFY2(c80 >= 0.68 && c80 <= 0.92, qPrintable(QString("80%% coverage %1").arg(c80)));
    }
    void beatsSeasonalNaiveOnNoisySeason() {
        double errModel = 0, errNaive = 0;
        for (unsigned seed = 1; seed <= 10; ++seed) {
            const auto y = hourly(24 * 28 + 24, 20, 10, 6, 2000 + seed);
            const std::vector<double> train(y.begin(), y.end() - 24), test(y.end() - 24, y.end());
            ForecastOptions o;
            o.horizon = 24;
            const auto r = forecastValues(train, o);
            QVERIFY(r.ok());
            std::vector<double> naive(train.end() - 24, train.end());
            errModel += mase(train, test, r.mean, 24);
            errNaive += mase(train, test, naive, 24);
        }
        QVERIFY2(errModel < errNaive, qPrintable(QString("%1 vs %2").arg(errModel).arg(errNaive)));
    }
    void forcedUnknownModelIsInvalid() {
        ForecastOptions o;
        o.onlyModel = "no-such-model";
        QVERIFY(forecastValues(hourly(300, 10, 0, 1, 8), o).status == ForecastStatus::InvalidArgument);
    }
    void wideCsvParsesHeaderQuotesAndPadding() {
        const auto r = parseWideCsv("\"V1\",\"V2\",\"V3\",\"V4\"\n\"H1\",1,2.5,\"\"\nH2,3,,4\n\n", "mem");
        QVERIFY(r.has_value());
        QCOMPARE(r->size(), std::size_t(2));
        QCOMPARE((*r)[0].id, std::string("H1"));
        QCOMPARE((*r)[0].values.size(), std::size_t(2)); // trailing padding dropped
        QCOMPARE((*r)[1].values.size(), std::size_t(3));
        QVERIFY(std::isnan((*r)[1].values[1])); // inner empty field = missing
        QCOMPARE((*r)[1].values[2], 4.0);
    }
    void wideCsvRejectsText() {
        const auto r = parseWideCsv("H1,1,2\nH2,3,oops\n", "file.csv");
        QVERIFY(!r.has_value());
        QVERIFY(r.error().code == ErrorCode::Parse);
        QVERIFY(r.error().context.find("file.csv:2:3") != std::string::npos);
    }
    void wideCsvWithoutSeriesIsAnError() {
        QVERIFY(!parseWideCsv("").has_value());
        QVERIFY(!parseWideCsv("\"V1\",\"V2\"\n").has_value());
        QVERIFY(!readWideCsv("/nonexistent/m4.csv").has_value());
    }
    void wideCsvRoundTrips() {
        const std::vector<NamedSeries> s{{"a", {1.5, -2, kNaN}}, {"b", {}}};
        const auto back = parseWideCsv(formatWideCsv(s));
        QVERIFY(back.has_value());
        QCOMPARE(back->size(), std::size_t(2));
        QCOMPARE((*back)[0].values[1], -2.0);
        QVERIFY(std::isnan((*back)[0].values[2]));
    }
    void accuracyMeasuresMatchHandComputation() {
        const std::vector<double> history{1, 2, 3, 4, 5}, actual{10, 20}, pred{8, 25};
        QVERIFY(std::abs(smape(actual, pred) - 0.5 * (200.0 * 2 / 18 + 200.0 * 5 / 45)) < 1e-12);
        QVERIFY(std::abs(mase(history, actual, pred, 1) - 3.5) < 1e-12);         // MAE 3.5 / scale 1
        QVERIFY(std::abs(mase(history, actual, pred, 2) - 1.75) < 1e-12);        // scale 2
        QVERIFY(std::isnan(mase(std::vector<double>(5, 1.0), actual, pred, 1))); // zero scale
        QCOMPARE(owa(18.383, 2.395, 18.383, 2.395), 1.0);
        QCOMPARE(coverage(actual, std::vector<double>{9, 21}, std::vector<double>{11, 22}), 0.5);
    }
    void regularizeBinsSamplesAndMarksGaps() {
        ts::Series s;
        for (TimeMs t : {0, 60'000, 61'000, 180'000}) {
            s.time.push_back(t);
            s.value.push_back(double(t) / 1000);
        }
        const auto r = regularize(s, kMinuteMs);
        QCOMPARE(r.values.size(), std::size_t(4));
        QCOMPARE(r.values[1], 60.5); // two samples averaged
        QVERIFY(std::isnan(r.values[2]));
        QCOMPARE(r.timeAt(3), TimeMs(180'000));
    }
    void seriesForecastDerivesSeasonsFromStep() {
        QCOMPARE(seasonalCandidates(kHourMs), (std::vector<int>{24, 168}));
        QCOMPARE(seasonalCandidates(5 * kMinuteMs), (std::vector<int>{288, 2016}));
        ts::Series s;
        const auto y = hourly(24 * 21, 20, 0, 1, 9);
        for (std::size_t i = 0; i < y.size(); ++i) {
            s.time.push_back(TimeMs(i) * kHourMs);
            s.value.push_back(y[i]);
        }
        SeriesForecastOptions o;
        o.horizon = kDayMs;
        const auto f = forecastSeries(s, o);
        QVERIFY(f.result.ok());
        QVERIFY(f.result.seasonality.has(24));
        QCOMPARE(f.time.size(), std::size_t(24));
        QCOMPARE(f.time.front(), s.time.back() + kHourMs);
    }
};

QTEST_GUILESS_MAIN(TestForecast)
#include "tst_forecast.moc"
