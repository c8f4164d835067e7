// Tests for the Prometheus connector: the streaming JSON scanner, the query decoder, step choice and
// range splitting, and PrometheusSource against a loopback server replaying the real API answers from
// ../shared/data/api-samples/prometheus (it stands for a Prometheus 2.x server, or Thanos/Mimir which
// answer the same API). The real Prometheus is exercised by tests/scripts/test_connectors_prometheus.sh.
#include "../connectors/errorprint.h"
#include "../connectors/replayserver.h"

#include "cairn/sources/jsonscan.h"
#include "cairn/sources/prometheus.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <random>

using namespace cairn;
using namespace cairn::sources;

namespace {

struct Recorder {
    std::string events;
    bool startObject() { return events += "{", true; }
    bool endObject() { return events += "}", true; }
    bool startArray() { return events += "[", true; }
    bool endArray() { return events += "]", true; }
    bool key(std::string_view k) { return events += "k:" + std::string(k) + " ", true; }
    bool string(std::string_view s) { return events += "s:" + std::string(s) + " ", true; }
    bool number(std::string_view raw) {
        double v = 0;
        if (!jsonNumber(raw, v))
            return false;
        char buf[32];
        std::snprintf(buf, sizeof buf, "n:%g ", v);
        return events += buf, true;
    }
    bool boolean(bool b) { return events += b ? "true " : "false ", true; }
    bool null() { return events += "null ", true; }
};

QString sample(const char* name) {
    return QStringLiteral(CAIRN_SHARED_DATA_DIR) + "/api-samples/prometheus/" + name;
}

std::string readFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

} // namespace

class TestPrometheus : public QObject {
    Q_OBJECT
private slots:
    void scansJsonEvents() {
        Recorder r;
        QVERIFY(scanJson(" {\"a\":[1,-2.5e1,true,false,null,\"x\\\"\\u00e9\\ud83d\\ude00\"],\"b\":{}} ", r));
        QCOMPARE(QString::fromStdString(r.events),
                 QString::fromUtf8("{k:a [n:1 n:-25 true false null s:x\"é😀 ]k:b {}}"));
    }

    void rejectsInvalidJson_data() {
        QTest::addColumn<QString>("text");
        QTest::addRow("empty") << "";
        QTest::addRow("spaces") << "   ";
        QTest::addRow("truncated object") << "{\"a\":1";
        QTest::addRow("truncated string") << "{\"a\":\"abc";
        QTest::addRow("trailing garbage") << "{\"a\":1} x";
        QTest::addRow("two values") << "1 2";
        QTest::addRow("leading zero") << "[01]";
        QTest::addRow("bare dot") << "[1.]";
        QTest::addRow("bare minus") << "[-]";
        QTest::addRow("trailing comma") << "[1,]";
        QTest::addRow("missing colon") << "{\"a\" 1}";
        QTest::addRow("unquoted key") << "{a:1}";
        QTest::addRow("bad escape") << "[\"\\q\"]";
        QTest::addRow("control char") << "[\"a\tb\"]";
        QTest::addRow("mismatched close") << "[1}";
        QTest::addRow("nan literal") << "[NaN]";
        QTest::addRow("too deep") << QString(600, '[') + QString(600, ']');
    }
    void rejectsInvalidJson() {
        QFETCH(QString, text);
        Recorder r;
        JsonScanError err;
        QVERIFY(!scanJson(text.toStdString(), r, &err));
        QVERIFY(!err.reason.empty());
    }

    void parsesNumbersExactly() {
        // The fast path must round exactly like from_chars.
        std::mt19937_64 rng(1);
        for (int i = 0; i < 20000; ++i) {
            char buf[64];
            const double v = std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
            std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(rng() % 9), v);
            double fast = 0, ref = 0;
            QVERIFY(jsonNumber(buf, fast));
            std::from_chars(buf, buf + std::strlen(buf), ref);
            QVERIFY2(fast == ref, buf);
        }
        double d = 0;
        QVERIFY(jsonNumber("1e+00", d) && d == 1.0);
        QVERIFY(jsonNumber("123456789012345678901234", d) && d == 1.2345678901234568e23);
        QVERIFY(!jsonNumber("12abc", d));
    }

    void decodesRangeMatrixSample() {
        const std::string body = readFile(sample("api_v1_query_range.json"));
        if (body.empty())
            QSKIP("shared data (api-samples) is absent");
        auto r = decodePrometheusQuery(body);
        QVERIFY2(r, r ? "" : r.error().what().c_str());
        QVERIFY(r->type == PromResultType::Matrix);
        QCOMPARE(r->series.size(), std::size_t(2));
        QCOMPARE(r->samples, std::size_t(6));
        const auto& s = r->series[1];
        QCOMPARE(s.id.toString(), std::string("up{instance=\"localhost:9091\",job=\"node\"}"));
        QCOMPARE(s.time, (std::vector<TimeMs>{1435781430781, 1435781445781, 1435781460781}));
        QCOMPARE(s.value, (std::vector<double>{0, 0, 1}));
    }

    void decodesInstantVectorSample() {
        const std::string body = readFile(sample("api_v1_query.json"));
        if (body.empty())
            QSKIP("shared data (api-samples) is absent");
        auto r = decodePrometheusQuery(body);
        QVERIFY2(r, r ? "" : r.error().what().c_str());
        QVERIFY(r->type == PromResultType::Vector);
        QCOMPARE(r->series.size(), std::size_t(2));
        QCOMPARE(r->series[0].time, (std::vector<TimeMs>{1435781451781}));
        QCOMPARE(r->series[0].id.label("job"), std::string("prometheus"));
    }

    void decodesScalarStringAndSpecialValues() {
        auto sc = decodePrometheusQuery(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.5,\"42\"]}}");
        QVERIFY(sc);
        QVERIFY(sc->type == PromResultType::Scalar);
        QCOMPARE(sc->series.size(), std::size_t(1));
        QCOMPARE(sc->series[0].time[0], TimeMs(1700000000500));
        QCOMPARE(sc->series[0].value[0], 42.0);

        auto st = decodePrometheusQuery(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"hello\"]}}");
        QVERIFY(st);
        QCOMPARE(st->stringValue, std::string("hello"));

        auto sp = decodePrometheusQuery(
            "{\"status\":\"success\",\"warnings\":[\"partial "
            "response\"],\"data\":{\"resultType\":\"matrix\",\"result\":["
            "{\"metric\":{},\"values\":[[1,\"NaN\"],[2,\"+Inf\"],[3,\"-Inf\"],[4,\"1e-3\"]]}]}}");
        QVERIFY2(sp, sp ? "" : sp.error().what().c_str());
        const auto& v = sp->series[0].value;
        QVERIFY(std::isnan(v[0]));
        QVERIFY(std::isinf(v[1]) && v[1] > 0);
        QVERIFY(std::isinf(v[2]) && v[2] < 0);
        QCOMPARE(v[3], 0.001);
        QCOMPARE(sp->warnings, (std::vector<std::string>{"partial response"}));
    }

    void decodesEmptyResult() {
        auto r = decodePrometheusQuery(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        QVERIFY(r);
        QVERIFY(r->series.empty());
    }

    void rejectsBadAnswers_data() {
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("code");
        const int parse = int(ErrorCode::Parse);
        QTest::addRow("truncated")
            << "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"valu"
            << parse;
        QTest::addRow("malformed")
            << "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{]}}" << parse;
        QTest::addRow("empty") << "" << parse;
        QTest::addRow("html") << "<html>proxy error</html>" << parse;
        QTest::addRow("no status") << "{\"data\":{\"resultType\":\"matrix\",\"result\":[]}}" << parse;
        QTest::addRow("bad pair") << "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                                     "[{\"metric\":{},\"values\":[[1]]}]}}"
                                  << parse;
        QTest::addRow("bad value") << "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                                      "\"result\":[{\"metric\":{},\"values\":[[1,\"abc\"]]}]}}"
                                   << parse;
        QTest::addRow("time goes back") << "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                                           "\"result\":[{\"metric\":{},\"values\":[[2,\"1\"],[1,\"1\"]]}]}}"
                                        << parse;
        QTest::addRow("unknown type")
            << "{\"status\":\"success\",\"data\":{\"resultType\":\"tensor\",\"result\":[]}}" << parse;
        QTest::addRow("error status")
            << "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}"
            << int(ErrorCode::InvalidArgument);
    }
    void rejectsBadAnswers() {
        QFETCH(QString, body);
        QFETCH(int, code);
        auto r = decodePrometheusQuery(body.toStdString());
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode(code));
        QVERIFY(!r.error().message.empty());
        // The nlohmann SAX decoder (the benchmark's reference) fails the same way, with the same sentence
        // up to the parser's own reason.
        auto sax = decodePrometheusQueryNlohmannSax(body.toStdString());
        QVERIFY(!sax);
        QCOMPARE_CODE(sax.error().code, ErrorCode(code));
        const std::string& a = r.error().message;
        const std::string& b = sax.error().message;
        const auto cut = std::min({a.find(" at byte "), a.size(), b.size()});
        QVERIFY2(a.substr(0, cut) == b.substr(0, cut), (a + " | " + b).c_str());
        QCOMPARE(a.find("malformed JSON at byte ") == std::string::npos,
                 b.find("malformed JSON at byte ") == std::string::npos);
    }

    void bothDecodersAgreeOnRealAnswers() {
        if (!QDir(QStringLiteral(CAIRN_SHARED_DATA_DIR) + "/api-samples/prometheus").exists())
            QSKIP("../shared/data/api-samples is absent");
        int compared = 0;
        for (const QString& name : QDir(QStringLiteral(CAIRN_SHARED_DATA_DIR) + "/api-samples/prometheus")
                                       .entryList({"api_v1_query*.json"})) {
            QFile f(QStringLiteral(CAIRN_SHARED_DATA_DIR) + "/api-samples/prometheus/" + name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const std::string body = f.readAll().toStdString();
            auto a = decodePrometheusQuery(body);
            auto b = decodePrometheusQueryNlohmannSax(body);
            QCOMPARE(bool(a), bool(b));
            if (!a)
                continue;
            QCOMPARE(a->samples, b->samples);
            QCOMPARE(a->series.size(), b->series.size());
            for (std::size_t i = 0; i < a->series.size(); ++i) {
                QCOMPARE(a->series[i].id, b->series[i].id);
                QCOMPARE(a->series[i].time, b->series[i].time);
                QCOMPARE(a->series[i].value.size(), b->series[i].value.size());
            }
            ++compared;
        }
        QVERIFY(compared >= 2);
    }

    void choosesStepFromViewWidth() {
        QCOMPARE(chooseStep({0, kHourMs}, 1000), TimeMs(5 * kSecondMs));    // 3.6 s/px -> 5 s
        QCOMPARE(chooseStep({0, kDayMs}, 1440), TimeMs(kMinuteMs));         // 60 s/px
        QCOMPARE(chooseStep({0, 7 * kDayMs}, 800), TimeMs(15 * kMinuteMs)); // 756 s/px -> 15 m
        QCOMPARE(chooseStep({0, kHourMs}, 1000, 15 * kSecondMs), TimeMs(15 * kSecondMs));
        QCOMPARE(chooseStep({0, 1000 * kWeekMs}, 10), TimeMs(100 * kWeekMs));
    }

    void splitsLongRangesUnderThePointLimit() {
        const TimeRange r{0, 25000 * kSecondMs};
        auto pieces = splitRange(r, kSecondMs, 11000);
        QCOMPARE(pieces.size(), std::size_t(3));
        QCOMPARE(pieces[0], (TimeRange{0, 11000 * kSecondMs}));
        QCOMPARE(pieces[1], (TimeRange{11000 * kSecondMs, 22000 * kSecondMs}));
        QCOMPARE(pieces[2], (TimeRange{22000 * kSecondMs, 25000 * kSecondMs}));
        QVERIFY(splitRange({5, 5}, 1, 10).empty());
    }

    void buildsPromQl() {
        QCOMPARE(promql::aggregate("sum", {"job", "instance"},
                                   promql::rate("http_requests_total{code=\"500\"}", 5 * kMinuteMs)),
                 std::string("sum by (job, instance) (rate(http_requests_total{code=\"500\"}[5m]))"));
        QCOMPARE(promql::aggregate("max", {}, "up"), std::string("max (up)"));
        QCOMPARE(promql::duration(90 * kSecondMs), std::string("90s"));
        QCOMPARE(promql::duration(2 * kHourMs), std::string("2h"));
    }

    void talksToTheApiThroughReplay() {
        if (!ReplayServer::sharedDataPresent())
            QSKIP("shared data (api-samples) is absent");
        ReplayServer server;
        QVERIFY(server.start("prometheus.json"));
        PrometheusOptions o;
        o.name = "replay";
        o.url = server.url();
        PrometheusSource prom(o);

        auto version = prom.version();
        QVERIFY2(version, version ? "" : version.error().what().c_str());
        QCOMPARE(*version, std::string("2.13.1"));

        auto labels = prom.labelNames();
        QVERIFY(labels && labels->size() == 21 && labels->front() == "__name__");
        auto values = prom.labelValues("http_status_code");
        QVERIFY(values);
        QCOMPARE(*values, (std::vector<std::string>{"200", "504"}));

        auto series = prom.series({"up", "process_start_time_seconds{job=\"prometheus\"}"}, {});
        QVERIFY(series);
        QCOMPARE(series->size(), std::size_t(3));
        QCOMPARE(series->front().metric, std::string("process_start_time_seconds"));

        auto meta = prom.metadata();
        QVERIFY(meta);
        QCOMPARE(meta->size(), std::size_t(2));
        QCOMPARE(meta->at(1).metric, std::string("http_requests_total"));
        QCOMPARE(meta->at(1).type, std::string("counter"));

        auto alerts = prom.alerts();
        QVERIFY(alerts && alerts->size() == 1);
        QCOMPARE(alerts->front().labels.at("alertname"), std::string("my-alert"));
        QCOMPARE(alerts->front().state, std::string("firing"));

        auto rules = prom.rules();
        QVERIFY(rules && !rules->empty());
        QVERIFY(!rules->front().rules.empty());
        QCOMPARE(rules->front().rules.front().name, std::string("HighRequestLatency"));
        QCOMPARE(rules->front().rules.front().type, std::string("alerting"));

        auto inst = prom.queryInstant("up", 1435781451781);
        QVERIFY(inst && inst->series.size() == 2);

        // MetricSource contract: a selector becomes PromQL and the range an API call.
        MetricQuery q;
        q.selector.metric = "up";
        q.range = {1435781430000, 1435781461000};
        q.step = 15 * kSecondMs;
        auto got = prom.query(q, {});
        QVERIFY2(got, got ? "" : got.error().what().c_str());
        QCOMPARE(got->size(), std::size_t(2));

        auto requests = nlohmann::json::parse(HttpClient().get(server.url() + "/_test/requests")->body);
        const auto& last = requests.back();
        QCOMPARE(last["path"].get<std::string>(), std::string("/api/v1/query_range"));
        QCOMPARE(last["query"]["query"].get<std::string>(), std::string("up"));
        QCOMPARE(last["query"]["step"].get<std::string>(), std::string("15"));
        QCOMPARE(last["query"]["start"].get<std::string>(),
                 std::string("1435781430.000")); // aligned to the step
        QCOMPARE(last["query"]["end"].get<std::string>(), std::string("1435781460.999")); // end is exclusive
    }

    void splitsRequestsAndStitchesSeries() {
        if (!ReplayServer::sharedDataPresent())
            QSKIP("shared data (api-samples) is absent");
        ReplayServer server;
        QVERIFY(server.start("prometheus.json"));
        PrometheusOptions o;
        o.url = server.url();
        o.maxPointsPerSeries = 10;
        PrometheusSource prom(o);
        auto r = prom.queryRange("up", {0, 25 * kSecondMs}, kSecondMs);
        QVERIFY2(r, r ? "" : r.error().what().c_str());
        QCOMPARE(prom.requestCount(), std::size_t(3));
        // The replay answers every piece with the same points: stitching keeps each time once.
        QCOMPARE(r->series.size(), std::size_t(2));
        QCOMPARE(r->series[0].size(), std::size_t(3));
        auto requests = nlohmann::json::parse(HttpClient().get(server.url() + "/_test/requests")->body);
        QCOMPARE(requests.size(), std::size_t(3));
        QCOMPARE(requests[0]["query"]["end"].get<std::string>(), std::string("9.999"));
        QCOMPARE(requests[1]["query"]["start"].get<std::string>(), std::string("10.000"));
        QCOMPARE(requests[2]["query"]["end"].get<std::string>(), std::string("24.999"));
    }

    void reportsServerSideQueryErrors() {
        if (!ReplayServer::sharedDataPresent())
            QSKIP("shared data (api-samples) is absent");
        ReplayServer server;
        QVERIFY(server.start("prometheus.json"));
        PrometheusOptions o;
        o.name = "replay";
        o.url = server.url();
        PrometheusSource prom(o);
        auto r = prom.queryRange("bad(", {0, 60 * kSecondMs}, 15 * kSecondMs);
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::InvalidArgument);
        const std::string what = r.error().what();
        QVERIFY2(what.find("Prometheus source 'replay'") != std::string::npos, what.c_str());
        QVERIFY2(what.find("HTTP 400 (bad_data: invalid parameter") != std::string::npos, what.c_str());
        QVERIFY2(what.find("query: bad(") != std::string::npos, what.c_str());
    }

    void reportsUnreachableServer() {
        PrometheusOptions o;
        o.name = "down";
        o.url = "http://127.0.0.1:1";
        o.http.maxRetries = 0;
        PrometheusSource prom(o);
        auto r = prom.queryRange("up", {0, 60 * kSecondMs}, 15 * kSecondMs);
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::Network);
        QVERIFY2(r.error().message.find("http://127.0.0.1:1/api/v1/query_range") != std::string::npos,
                 r.error().message.c_str());
    }

    void refusesUnboundedQueries() {
        PrometheusOptions o;
        o.url = "http://127.0.0.1:1";
        PrometheusSource prom(o);
        MetricQuery q;
        q.range = {0, kHourMs};
        QVERIFY(!prom.query(q, {}));
        QVERIFY(!prom.queryRange("up", {0, kWeekMs * 100}, 1));
        QVERIFY(!prom.queryRange("", {0, kHourMs}, kSecondMs));
        QVERIFY(!prom.queryRange("up", {kHourMs, 0}, kSecondMs));
    }
};

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
