// Tests for cairn/common: time parsing and formatting, durations, errors, cancellation.
#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/common/time.h"
#include "cairn/timeseries/series.h"

#include <QtTest>

using namespace cairn;

class TestCommon : public QObject {
    Q_OBJECT
private slots:
    void parsesTimeFormats_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected");
        QTest::addRow("unix seconds") << "1700000000" << qint64(1700000000000);
        QTest::addRow("fractional unix") << "1700000000.25" << qint64(1700000000250);
        QTest::addRow("rfc3339 Z") << "2023-11-14T22:13:20Z" << qint64(1700000000000);
        QTest::addRow("rfc3339 millis") << "2023-11-14T22:13:20.500Z" << qint64(1700000000500);
        QTest::addRow("rfc3339 offset") << "2023-11-14T23:13:20+01:00" << qint64(1700000000000);
        QTest::addRow("nab layout") << "2023-11-14 22:13:20" << qint64(1700000000000);
        QTest::addRow("leap day") << "2024-02-29 00:00:00" << qint64(1709164800000);
        QTest::addRow("epoch") << "1970-01-01T00:00:00Z" << qint64(0);
    }
    void parsesTimeFormats() {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        auto t = parseTime(text.toStdString());
        QVERIFY2(t.has_value(), t ? "" : t.error().what().c_str());
        QCOMPARE(*t, expected);
    }

    void rejectsMalformedTimes_data() {
        QTest::addColumn<QString>("text");
        QTest::addRow("empty") << "";
        QTest::addRow("words") << "yesterday";
        QTest::addRow("bad month") << "2023-13-01 00:00:00";
        QTest::addRow("trailing") << "2023-11-14T22:13:20Zjunk";
        QTest::addRow("nan") << "nan";
    }
    void rejectsMalformedTimes() {
        QFETCH(QString, text);
        auto t = parseTime(text.toStdString());
        QVERIFY(!t.has_value());
        QVERIFY(t.error().code == ErrorCode::InvalidArgument);
        QVERIFY(!t.error().message.empty());
    }

    void formatsRoundTrip() {
        for (TimeMs t : {TimeMs(0), TimeMs(1700000000000), TimeMs(1709164800000), TimeMs(951782400000)}) {
            QCOMPARE(*parseTime(formatIso(t)), t);
            QCOMPARE(*parseTime(formatDateTime(t)), t);
        }
        QCOMPARE(formatIso(1700000000500), std::string("2023-11-14T22:13:20.500Z"));
        QCOMPARE(formatDateTime(1700000000000), std::string("2023-11-14 22:13:20"));
    }

    void parsesDurations() {
        QCOMPARE(*parseDuration("90s"), 90 * kSecondMs);
        QCOMPARE(*parseDuration("5m"), 5 * kMinuteMs);
        QCOMPARE(*parseDuration("1h"), kHourMs);
        QCOMPARE(*parseDuration("7d"), 7 * kDayMs);
        QCOMPARE(*parseDuration("250ms"), TimeMs(250));
        QCOMPARE(*parseDuration("30"), 30 * kSecondMs);
        QVERIFY(!parseDuration("5 parsecs").has_value());
        QVERIFY(!parseDuration("-1h").has_value());
    }

    void errorWhatIncludesContext() {
        Error e{ErrorCode::Network, "connection refused", "http://127.0.0.1:9/api/v1/query"};
        QCOMPARE(e.what(), std::string("connection refused (http://127.0.0.1:9/api/v1/query)"));
        QCOMPARE(toString(ErrorCode::Timeout), std::string_view("timeout"));
    }

    void cancelTokenIsSharedAcrossCopies() {
        CancelToken none;
        none.cancel();
        QVERIFY(!none.isCancelled());
        auto token = CancelToken::create();
        auto copy = token;
        QVERIFY(!copy.isCancelled());
        token.cancel();
        QVERIFY(copy.isCancelled());
    }

    void seriesIdPrintsPrometheusNotation() {
        ts::SeriesId id{"http_requests", {{"service", "checkout"}, {"pod", "checkout-1"}}};
        QCOMPARE(id.toString(), std::string("http_requests{pod=\"checkout-1\",service=\"checkout\"}"));
        ts::Selector sel{"http_requests", {{"service", "checkout"}}};
        QVERIFY(sel.matches(id));
        sel.equals["service"] = "cart";
        QVERIFY(!sel.matches(id));
        const ts::SeriesId quoted{"m", {{"k", "a\"b"}}};
        QCOMPARE(quoted.toString(), std::string("m{k=\"a\\\"b\"}"));
    }
};

QTEST_GUILESS_MAIN(TestCommon)
#include "tst_common.moc"
