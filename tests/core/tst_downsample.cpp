// Tests for cairn/timeseries/downsample: M4 per pixel column keeps extremes, edges and order.
#include "cairn/timeseries/downsample.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace cairn;

namespace {

ts::Series makeSeries(std::size_t n, TimeMs step = kMinuteMs, TimeMs start = 0) {
    ts::Series s;
    s.id = ts::SeriesId{std::string(1, 'm'), {}};
    for (std::size_t i = 0; i < n; ++i) {
        s.time.push_back(start + static_cast<TimeMs>(i) * step);
        s.value.push_back(std::sin(static_cast<double>(i) / 50.0));
    }
    return s;
}

} // namespace

class TestDownsample : public QObject {
    Q_OBJECT
private slots:
    void keepsEveryPointWhenFewerThanFourPerColumn() {
        auto s = makeSeries(100);
        auto d = ts::downsampleM4(s, {0, 100 * kMinuteMs}, 50);
        QCOMPARE(d.size(), std::size_t(100));
        QCOMPARE(d.time, s.time);
        QCOMPARE(d.value, s.value);
        QCOMPARE(d.id, s.id);
    }

    void reducesToAtMostFourPerColumn() {
        auto s = makeSeries(20160); // 14 days of 1-minute samples
        const std::size_t columns = 1000;
        auto d = ts::downsampleM4(s, {0, 20160 * kMinuteMs}, columns);
        QVERIFY(d.size() <= 4 * columns);
        QVERIFY(d.size() >= columns); // every column has data
        QVERIFY(std::is_sorted(d.time.begin(), d.time.end()));
        QVERIFY(std::adjacent_find(d.time.begin(), d.time.end()) == d.time.end()); // no duplicates
    }

    void neverDropsASingleSampleSpike_data() {
        QTest::addColumn<int>("position");
        QTest::addColumn<double>("spike");
        QTest::addRow("spike up early") << 17 << 1000.0;
        QTest::addRow("dip down middle") << 10007 << -1000.0;
        QTest::addRow("spike at last sample") << 20159 << 500.0;
        QTest::addRow("spike at first sample") << 0 << 500.0;
    }
    void neverDropsASingleSampleSpike() {
        QFETCH(int, position);
        QFETCH(double, spike);
        auto s = makeSeries(20160);
        s.value[static_cast<std::size_t>(position)] = spike;
        auto d = ts::downsampleM4(s, {0, 20160 * kMinuteMs}, 300);
        auto it = std::find(d.time.begin(), d.time.end(), s.time[static_cast<std::size_t>(position)]);
        QVERIFY(it != d.time.end());
        QCOMPARE(d.value[static_cast<std::size_t>(it - d.time.begin())], spike);
        // The drawn extremes equal the data's extremes.
        QCOMPARE(*std::max_element(d.value.begin(), d.value.end()),
                 *std::max_element(s.value.begin(), s.value.end()));
        QCOMPARE(*std::min_element(d.value.begin(), d.value.end()),
                 *std::min_element(s.value.begin(), s.value.end()));
    }

    void keepsOneNeighbourOutsideTheRange() {
        auto s = makeSeries(1000);
        const TimeRange range{100 * kMinuteMs + 30 * kSecondMs, 200 * kMinuteMs + 30 * kSecondMs};
        auto d = ts::downsampleM4(s, range, 10);
        QVERIFY(!d.empty());
        QCOMPARE(d.time.front(), 100 * kMinuteMs);
        QCOMPARE(d.time.back(), 201 * kMinuteMs);
        for (std::size_t i = 1; i + 1 < d.size(); ++i)
            QVERIFY(range.contains(d.time[i]));
    }

    void skipsNonFiniteValues() {
        auto s = makeSeries(50);
        s.value[3] = std::numeric_limits<double>::quiet_NaN();
        s.value[40] = std::numeric_limits<double>::infinity();
        auto d = ts::downsampleM4(s, {0, 50 * kMinuteMs}, 100);
        QCOMPARE(d.size(), std::size_t(48));
        for (double v : d.value)
            QVERIFY(std::isfinite(v));
        auto big = makeSeries(5000);
        for (std::size_t i = 0; i < big.size(); i += 3)
            big.value[i] = std::numeric_limits<double>::quiet_NaN();
        auto db = ts::downsampleM4(big, {0, 5000 * kMinuteMs}, 100);
        for (double v : db.value)
            QVERIFY(std::isfinite(v));
    }

    void handlesDegenerateInput() {
        ts::Series empty;
        QVERIFY(ts::downsampleM4(empty, {0, 1000}, 10).empty());
        auto s = makeSeries(100);
        QVERIFY(ts::downsampleM4(s, {1000, 1000}, 10).empty());        // empty range
        QVERIFY(ts::downsampleM4(s, {2000, 1000}, 10).empty());        // inverted range
        QVERIFY(ts::downsampleM4(s, {0, 100 * kMinuteMs}, 0).empty()); // no columns
        s.value.pop_back();
        QVERIFY(ts::downsampleIndicesM4(s.time, s.value, {0, 100 * kMinuteMs}, 10).empty()); // mismatched
        // Range entirely after the data: only the last sample as left neighbour.
        auto t = makeSeries(10);
        auto d = ts::downsampleM4(t, {kDayMs, 2 * kDayMs}, 10);
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d.time.front(), 9 * kMinuteMs);
    }

    void bandKeepsTheWidestEnvelope() {
        const std::size_t n = 20160;
        std::vector<TimeMs> time(n);
        std::vector<double> lower(n, -1.0), upper(n, 1.0);
        for (std::size_t i = 0; i < n; ++i)
            time[i] = static_cast<TimeMs>(i) * kMinuteMs;
        lower[5000] = -50.0;
        upper[12000] = 80.0;
        for (std::size_t i = 0; i < 100; ++i) // detector still learning
            lower[i] = upper[i] = std::numeric_limits<double>::quiet_NaN();
        auto b = ts::downsampleBand(time, lower, upper, {0, static_cast<TimeMs>(n) * kMinuteMs}, 200);
        QVERIFY(b.size() <= 2 * 200 + 2);
        QCOMPARE(b.lower.size(), b.size());
        QCOMPARE(b.upper.size(), b.size());
        QCOMPARE(*std::min_element(b.lower.begin(), b.lower.end()), -50.0);
        QCOMPARE(*std::max_element(b.upper.begin(), b.upper.end()), 80.0);
        QVERIFY(b.time.front() >= 100 * kMinuteMs);
        QVERIFY(std::is_sorted(b.time.begin(), b.time.end()));
        for (std::size_t i = 0; i < b.size(); ++i)
            QVERIFY(b.lower[i] <= b.upper[i]);
    }

    void bandWithFewSamplesIsCopied() {
        std::vector<TimeMs> time{0, 1000, 2000};
        std::vector<double> lower{1, 2, 3}, upper{4, 5, 6};
        auto b = ts::downsampleBand(time, lower, upper, {0, 3000}, 100);
        QCOMPARE(b.time, time);
        QCOMPARE(b.lower, lower);
        QCOMPARE(b.upper, upper);
        QVERIFY(ts::downsampleBand(time, lower, {1.0}, {0, 3000}, 100).time.empty());
    }
};

QTEST_APPLESS_MAIN(TestDownsample)
#include "tst_downsample.moc"
