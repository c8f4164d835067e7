// M4 smoke test: the forecaster on the first series of the M4 Hourly set (public data in
// CAIRN_SHARED_DATA_DIR/m4; skipped when absent). Accuracy over the whole set is `cairn-cli bench m4`.
#include "cairn/forecast/accuracy.h"
#include "cairn/forecast/forecaster.h"
#include "cairn/forecast/widecsv.h"

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <map>

using namespace cairn;
using namespace cairn::forecast;

class TestForecastM4 : public QObject {
    Q_OBJECT
private slots:
    void forecastsFirstHourlySeriesWellAndBeatsNaive() {
        const std::string dir = std::string(CAIRN_SHARED_DATA_DIR) + "/m4";
        if (!std::filesystem::exists(dir + "/Hourly-train.csv") ||
            !std::filesystem::exists(dir + "/Hourly-test.csv"))
            QSKIP("M4 Hourly data not present in CAIRN_SHARED_DATA_DIR/m4");
        const auto train = readWideCsv(dir + "/Hourly-train.csv");
        const auto test = readWideCsv(dir + "/Hourly-test.csv");
        QVERIFY2(train.has_value(), train ? "" : train.error().what().c_str());
        QVERIFY2(test.has_value(), test ? "" : test.error().what().c_str());
        QCOMPARE(train->size(), std::size_t(414));
        std::map<std::string, const NamedSeries*> byId;
        for (const auto& s : *test)
            byId[s.id] = &s;
        double sm = 0, smNaive = 0, ms = 0, msNaive = 0, cover = 0;
        const int count = 12;
        for (int i = 0; i < count; ++i) {
            const auto& s = (*train)[static_cast<std::size_t>(i)];
            const auto& actual = byId.at(s.id)->values;
            QCOMPARE(actual.size(), std::size_t(48));
            ForecastOptions o;
            o.horizon = 48;
            o.nonNegative = true;
            const auto r = forecastValues(s.values, o);
            QVERIFY2(r.ok(), r.message.c_str());
            QVERIFY(!r.seasonality.periods.empty());              // hourly data: at least the daily season
            const std::vector<double> naive(48, s.values.back()); // M4's Naive1

            sm += smape(actual, r.mean);
            smNaive += smape(actual, naive);
            ms += mase(s.values, actual, r.mean, 24);
            msNaive += mase(s.values, actual, naive, 24);
            cover += coverage(actual, r.lower95, r.upper95);
        }
        QVERIFY2(owa(sm, ms, smNaive, msNaive) < 0.5,
                 qPrintable(QString("OWA relative to Naive1 %1").arg(owa(sm, ms, smNaive, msNaive))));
        QVERIFY2(sm / count < 10, qPrintable(QString("mean sMAPE %1").arg(sm / count)));
        QVERIFY2(cover / count > 0.8, qPrintable(QString("coverage %1").arg(cover / count)));
    }
};

QTEST_GUILESS_MAIN(TestForecastM4)
#include "tst_forecast_m4.moc"
