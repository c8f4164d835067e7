// Tests for ElasticsearchSource against a loopback server that stands for an Elasticsearch 8.x node (and an
// OpenSearch 2.x node for the point-in-time variant). It replays the real _search and date_histogram answers
// from ../shared/data/api-samples/elasticsearch and recordings derived from them
// (tests/connectors/recordings/README.md).
#include "../connectors/errorprint.h"
#include "../connectors/replayserver.h"

#include "cairn/sources/elasticsearch.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace cairn;
using namespace cairn::sources;

namespace {

nlohmann::json recordedRequests(const ReplayServer& server) {
    return nlohmann::json::parse(HttpClient().get(server.url() + "/_test/requests")->body);
}

} // namespace

class TestElasticsearch : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!ReplayServer::sharedDataPresent())
            QSKIP("shared data (api-samples) is absent");
    }

    void buildsQueryDsl() {
        LogQuery q;
        q.range = {1000, 2000};
        q.service = "checkout";
        q.host = "web-1";
        q.contains = "timeout";
        q.minLevel = LogLevel::Error;
        LogFieldMapping f;
        const auto dsl = buildElasticsearchQuery(q, f);
        const auto& filter = dsl["bool"]["filter"];
        QCOMPARE(filter.size(), std::size_t(5));
        QCOMPARE(filter[0]["range"]["@timestamp"]["gte"].get<TimeMs>(), TimeMs(1000));
        QCOMPARE(filter[0]["range"]["@timestamp"]["lt"].get<TimeMs>(), TimeMs(2000));
        QCOMPARE(filter[1]["term"]["service.name"].get<std::string>(), std::string("checkout"));
        QCOMPARE(filter[2]["term"]["host.name"].get<std::string>(), std::string("web-1"));
        QCOMPARE(filter[3]["match_phrase"]["message"].get<std::string>(), std::string("timeout"));
        const auto levels = filter[4]["terms"]["log.level"].get<std::vector<std::string>>();
        QVERIFY(std::find(levels.begin(), levels.end(), "ERROR") != levels.end());
        QVERIFY(std::find(levels.begin(), levels.end(), "fatal") != levels.end());
        QVERIFY(std::find(levels.begin(), levels.end(), "warn") == levels.end());
    }

    void pagesWithSearchAfterInsideAPointInTime() {
        ReplayServer server;
        QVERIFY(server.start("elasticsearch.json"));
        ElasticsearchOptions o;
        o.name = "replay";
        o.url = server.url();
        o.index = "logs";
        o.pageSize = 2;
        ElasticsearchSource es(o);
        LogQuery q;
        q.range = {1795514400000, 1795514460000};
        auto records = es.query(q, {});
        QVERIFY2(records, records ? "" : records.error().what().c_str());
        QCOMPARE(records->size(), std::size_t(3));
        QVERIFY(es.lastScanUsedPointInTime());
        const auto& first = records->front();
        QCOMPARE(first.time, TimeMs(1795514400125));
        QCOMPARE(first.message, std::string("payment gateway timeout after 5000 ms"));
        QVERIFY(first.level == LogLevel::Error);
        QCOMPARE(first.service, std::string("checkout"));
        QCOMPARE(first.host, std::string("web-1"));
        QCOMPARE(first.fields.at("trace.id"), std::string("4bf92f3577b34da6a3ce929d0e0e4736"));
        QVERIFY((*records)[1].level == LogLevel::Warn); // flat "log.level" key works too
        QCOMPARE((*records)[2].host, std::string("web-2"));

        const auto reqs = recordedRequests(server);
        QCOMPARE(reqs.size(), std::size_t(4)); // open PIT, page 1, page 2, close PIT
        QCOMPARE(reqs[0]["path"].get<std::string>(), std::string("/logs/_pit"));
        const auto page2 = nlohmann::json::parse(reqs[2]["body"].get<std::string>());
        QCOMPARE(page2["search_after"], nlohmann::json::parse("[1795514401000, 18]"));
        QVERIFY(page2.contains("pit"));
        QCOMPARE(reqs[3]["method"].get<std::string>(), std::string("DELETE"));
    }

    void stopsAtTheLimit() {
        ReplayServer server;
        QVERIFY(server.start("elasticsearch.json"));
        ElasticsearchOptions o;
        o.url = server.url();
        o.index = "logs";
        o.pageSize = 2;
        ElasticsearchSource es(o);
        LogQuery q;
        q.range = {1795514400000, 1795514460000};
        q.limit = 1;
        auto records = es.query(q, {});
        QVERIFY(records);
        QCOMPARE(records->size(), std::size_t(1));
    }

    void filtersLevelsClientSideToo() {
        ReplayServer server;
        QVERIFY(server.start("elasticsearch.json"));
        ElasticsearchOptions o;
        o.url = server.url();
        o.index = "logs";
        o.pageSize = 2;
        ElasticsearchSource es(o);
        LogQuery q;
        q.range = {1795514400000, 1795514460000};
        q.minLevel = LogLevel::Error; // the replay ignores the filter; the warning must still be dropped
        auto records = es.query(q, {});
        QVERIFY(records);
        QCOMPARE(records->size(), std::size_t(2));
    }

    void usesOpenSearchPointInTime() {
        ReplayServer server;
        QVERIFY(server.start("elasticsearch.json"));
        ElasticsearchOptions o;
        o.url = server.url();
        o.index = "oslogs";
        o.pageSize = 2;
        ElasticsearchSource es(o);
        LogQuery q;
        q.range = {1795514400000, 1795514460000};
        auto records = es.query(q, {});
        QVERIFY2(records, records ? "" : records.error().what().c_str());
        QCOMPARE(records->size(), std::size_t(3));
        QVERIFY(es.lastScanUsedPointInTime());
        const auto reqs = recordedRequests(server);
        QCOMPARE(reqs.back()["path"].get<std::string>(), std::string("/_search/point_in_time"));
    }

    void fallsBackWithoutPointInTimeAndMapsFields() {
        // The real "GET /twitter/_search" answer: one hit, no sort values, a zone-less date.
        ReplayServer server;
        QVERIFY(server.start("elasticsearch.json"));
        ElasticsearchOptions o;
        o.url = server.url();
        o.index = "twitter";
        o.fields.timestamp = "date";
        o.fields.service = "user";
        ElasticsearchSource es(o);
        LogQuery q;
        q.range = {0, 2000000000000};
        auto records = es.query(q, {});
        QVERIFY2(records, records ? "" : records.error().what().c_str());
        QVERIFY(!es.lastScanUsedPointInTime());
        QCOMPARE(records->size(), std::size_t(1));
        const auto& r = records->front();
        QCOMPARE(r.time, TimeMs(1258294332000)); // 2009-11-15T14:12:12 UTC
        QCOMPARE(r.message, std::string("trying out Elasticsearch"));
        QCOMPARE(r.service, std::string("kimchy"));
        QCOMPARE(r.fields.at("likes"), std::string("0"));
        QCOMPARE(r.fields.at("_id"), std::string("0"));
    }

    void countsWithDateHistogram() {
        ReplayServer server;
        QVERIFY(server.start("elasticsearch.json"));
        ElasticsearchOptions o;
        o.url = server.url();
        o.index = "sales";
        ElasticsearchSource es(o);
        LogQuery q;
        q.range = {1420070400000, 1427846400000};
        auto buckets = es.histogram(q, 30 * kDayMs);
        QVERIFY2(buckets, buckets ? "" : buckets.error().what().c_str());
        QCOMPARE(*buckets,
                 (std::vector<LogCountBucket>{{1420070400000, 3}, {1422748800000, 2}, {1425168000000, 2}}));
        const auto reqs = recordedRequests(server);
        const auto body = nlohmann::json::parse(reqs.back()["body"].get<std::string>());
        QCOMPARE(body["size"].get<int>(), 0);
        QCOMPARE(body["aggs"]["counts"]["date_histogram"]["fixed_interval"].get<std::string>(),
                 std::string("2592000000ms"));
    }

    void decodesRealHistogramSamples_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("buckets");
        QTest::addRow("day utc") << "aggs_date_histogram_day_utc.json" << 1;
        QTest::addRow("timezone") << "aggs_date_histogram_day_timezone_minus1.json" << 2;
        QTest::addRow("offset") << "aggs_date_histogram_day_offset_6h.json" << 2;
    }
    void decodesRealHistogramSamples() {
        QFETCH(QString, file);
        QFETCH(int, buckets);
        QFile f(QStringLiteral(CAIRN_SHARED_DATA_DIR) + "/api-samples/elasticsearch/" + file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto r = decodeDateHistogram(f.readAll().toStdString());
        QVERIFY2(r, r ? "" : r.error().what().c_str());
        QCOMPARE(int(r->size()), buckets);
    }

    void rejectsBadHistograms() {
        QVERIFY(!decodeDateHistogram("{\"aggregations\":{\"x\":{\"buckets\":[{\"key\":\"a\"}]}}}"));
        QVERIFY(!decodeDateHistogram("{\"hits\":{}}"));
        QVERIFY(!decodeDateHistogram("{\"aggregations\":"));
    }

    void explainsServerErrors() {
        ReplayServer server;
        QVERIFY(server.start("elasticsearch.json"));
        ElasticsearchOptions o;
        o.name = "replay";
        o.url = server.url();
        o.index = "broken";
        o.usePointInTime = false;
        ElasticsearchSource es(o);
        LogQuery q;
        q.range = {0, 1000};
        auto r = es.query(q, {});
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::InvalidArgument);
        const std::string what = r.error().what();
        QVERIFY2(what.find("Elasticsearch source 'replay'") != std::string::npos, what.c_str());
        QVERIFY2(what.find("HTTP 400 (search_phase_execution_exception: all shards failed)") !=
                     std::string::npos,
                 what.c_str());
    }

    void readsVersionOfElasticsearch() {
        ReplayServer server;
        QVERIFY(server.start("elasticsearch.json"));
        ElasticsearchOptions o;
        o.url = server.url();
        auto v = ElasticsearchSource(o).version();
        QVERIFY2(v, v ? "" : v.error().what().c_str());
        QCOMPARE(*v, std::string("8.11.1"));
    }

    void rejectsEmptyRange() {
        ElasticsearchOptions o;
        o.url = "http://127.0.0.1:1";
        ElasticsearchSource es(o);
        LogQuery q;
        q.range = {5, 5};
        auto r = es.query(q, {});
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::InvalidArgument);
    }

    void decodesSearchHitsAndRejectsMalformedAnswers() {
        const std::string body = R"({"hits":{"hits":[
            {"_id":"a1","_index":"logs-1","sort":[1795514400125,3],
             "_source":{"@timestamp":"2026-11-24T10:00:00Z","message":"disk full","log":{"level":"ERROR"},
                        "service":{"name":"orders-db"},"host":{"name":"node-4"},"pod":"orders-db-0"}},
            {"_id":"a2","sort":[1e300],"_source":{"@timestamp":"2026-11-24T10:00:01.500Z","message":7}},
            "not an object"]}})";
        auto records = decodeSearchHits(body, LogFieldMapping{});
        QVERIFY2(records.has_value(), records ? "" : records.error().what().c_str());
        QCOMPARE(records->size(), std::size_t(3));
        const LogRecord& first = (*records)[0];
        QCOMPARE(first.time, TimeMs(1795514400125));
        QCOMPARE(first.message, std::string("disk full"));
        QVERIFY(first.level == LogLevel::Error);
        QCOMPARE(first.service, std::string("orders-db"));
        QCOMPARE(first.host, std::string("node-4"));
        QCOMPARE(first.fields.at("pod"), std::string("orders-db-0"));
        QCOMPARE(first.fields.at("_id"), std::string("a1"));
        QVERIFY(!first.fields.count("message"));
        // A sort value that is no epoch-ms date falls back to the document's timestamp.
        QCOMPARE((*records)[1].time, TimeMs(1795514401500));
        QCOMPARE((*records)[2].time, TimeMs(0));
        QVERIFY((*records)[2].message.empty());

        for (const char* bad : {"", "{", "[]", R"({"hits":{}})", R"({"hits":{"hits":{}}})"}) {
            auto r = decodeSearchHits(bad, LogFieldMapping{});
            QVERIFY2(!r, bad);
            QVERIFY(r.error().code == ErrorCode::Parse);
            QVERIFY(!r.error().message.empty());
        }
    }
};

QTEST_GUILESS_MAIN(TestElasticsearch)
#include "tst_elasticsearch.moc"
