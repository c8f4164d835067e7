// Tests for trace import (Jaeger JSON, Zipkin v2, OTLP/JSON) on the real samples in
// ../shared/data/api-samples, and for the Jaeger, Zipkin and Tempo sources against a loopback server that
// replays them: it stands for Jaeger query 1.x (/api/...), Zipkin 2.x (/api/v2/...) and Tempo 2.x
// (/api/search, /api/traces/{id}). Derived recordings are documented in
// tests/connectors/recordings/README.md.
#include "../connectors/errorprint.h"
#include "../connectors/replayserver.h"

#include "cairn/sources/jaeger.h"
#include "cairn/sources/tempo.h"
#include "cairn/sources/traceimport.h"
#include "cairn/sources/zipkin.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace cairn;
using namespace cairn::sources;

namespace {

std::string samplePath(const QString& rel) {
    return (QStringLiteral(CAIRN_SHARED_DATA_DIR) + "/api-samples/" + rel).toStdString();
}

std::string readAll(const std::string& path) {
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

HttpSourceOptions backend(const ReplayServer& s, const char* name = "replay") {
    HttpSourceOptions o;
    o.name = name;
    o.url = s.url();
    o.http.maxRetries = 0;
    return o;
}

} // namespace

class TestTraces : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!ReplayServer::sharedDataPresent())
            QSKIP("shared data (api-samples) is absent");
    }

    void importsEverySample_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("spans");
        const int J = int(TraceFormat::Jaeger), Z = int(TraceFormat::Zipkin), O = int(TraceFormat::Otlp);
        QTest::addRow("jaeger otlp2jaeger") << "jaeger/api_traces_response_otlp2jaeger-out.json" << J << 2;
        QTest::addRow("jaeger multi")
            << "jaeger/api_traces_response_multi_oltp2jaeger-multi-out.json" << J << 4;
        QTest::addRow("jaeger ui_01") << "jaeger/ui_model_trace_ui_01.json" << J << 5;
        QTest::addRow("jaeger es span") << "jaeger/es_storage_span_es_01.json" << J << 1;
        QTest::addRow("jaeger 11 spans") << "jaeger/ui_trace_11spans_testTrace.json" << J << 11;
        QTest::addRow("otlp example") << "otlp/trace.json" << O << 1;
        QTest::addRow("otlp jaeger fixture") << "otlp/jaeger_fixture_otlp2jaeger-in.json" << O << 2;
        for (const char* z : {"ascend", "envoy", "messaging-kafka", "messaging", "messaging2", "simple-db-p6",
                              "skew", "smartthings-mobile-web-install", "smartthings-oauth-authorization",
                              "yelp", "zipkin2-client", "zipkin2-chinese"})
            QTest::addRow("zipkin %s", z) << QString("zipkin/%1.json").arg(z) << Z << -1;
    }
    void importsEverySample() {
        QFETCH(QString, file);
        QFETCH(int, format);
        QFETCH(int, spans);
        const std::string path = samplePath(file);
        QCOMPARE(int(detectTraceFormat(readAll(path))), format);
        auto traces = importTraceFile(path);
        QVERIFY2(traces, traces ? "" : traces.error().what().c_str());
        QVERIFY(!traces->empty());
        std::size_t n = 0;
        for (const auto& t : *traces) {
            QVERIFY(!t.traceId.empty());
            for (const auto& s : t.spans) {
                QCOMPARE(s.traceId, t.traceId);
                QVERIFY(!s.spanId.empty());
                QVERIFY(s.durationUs >= 0);
            }
            n += t.spans.size();
        }
        if (spans >= 0)
            QCOMPARE(int(n), spans);
    }

    void decodesOtlpExampleFields() {
        auto traces = importTraceFile(samplePath("otlp/trace.json"));
        QVERIFY(traces && traces->size() == 1);
        const auto& s = traces->front().spans.front();
        QCOMPARE(s.traceId, std::string("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(s.spanId, std::string("eee19b7ec3c1b174"));
        QCOMPARE(s.parentSpanId, std::string("eee19b7ec3c1b173"));
        QCOMPARE(s.service, std::string("my.service"));
        QCOMPARE(s.operation, std::string("I'm a server span"));
        QCOMPARE(s.startUs, TimeUs(1544712660000000));
        QCOMPARE(s.durationUs, TimeUs(1000000));
        QVERIFY(s.kind == SpanKind::Server);
        QCOMPARE(s.tags.at("my.span.attr"), std::string("some value"));
    }

    void otlpAndJaegerAgreeOnTheSameTrace() {
        // Jaeger's own test converts this OTLP input into that /api/traces output: both must give the same
        // spans.
        auto otlp = importTraceFile(samplePath("otlp/jaeger_fixture_otlp2jaeger-in.json"));
        auto jaeger = importTraceFile(samplePath("jaeger/api_traces_response_otlp2jaeger-out.json"));
        QVERIFY(otlp && jaeger);
        QCOMPARE(otlp->size(), jaeger->size());
        const auto& a = otlp->front();
        const auto& b = jaeger->front();
        QCOMPARE(a.traceId, b.traceId);
        QCOMPARE(a.spans.size(), b.spans.size());
        for (std::size_t i = 0; i < a.spans.size(); ++i) {
            QCOMPARE(a.spans[i].spanId, b.spans[i].spanId);
            QCOMPARE(a.spans[i].parentSpanId, b.spans[i].parentSpanId);
            QCOMPARE(a.spans[i].service, b.spans[i].service);
            QCOMPARE(a.spans[i].operation, b.spans[i].operation);
            QCOMPARE(a.spans[i].startUs, b.spans[i].startUs);
            QCOMPARE(a.spans[i].durationUs, b.spans[i].durationUs);
            QCOMPARE(int(a.spans[i].kind), int(b.spans[i].kind));
        }
    }

    void decodesJaegerProcessesReferencesAndErrors() {
        auto traces = importTraceFile(samplePath("jaeger/es_storage_span_es_01.json"));
        QVERIFY(traces);
        const auto& s = traces->front().spans.front();
        QCOMPARE(s.parentSpanId, std::string("0000000000000003")); // the first CHILD_OF in the same trace
        QVERIFY(s.error);                                          // tag error=true
        QVERIFY(!s.service.empty());                               // embedded "process"
        QCOMPARE(s.tags.at("temperature"), std::string("72.5"));
    }

    void decodesZipkinFields() {
        auto traces = importTraceFile(samplePath("zipkin/yelp.json"));
        QVERIFY(traces && traces->size() == 1);
        const auto& t = traces->front();
        QCOMPARE(t.traceId, std::string("a03ee8fff1dcd9b9"));
        QCOMPARE(t.spans.size(), std::size_t(16));
        const auto it = std::find_if(t.spans.begin(), t.spans.end(),
                                     [](const Span& s) { return s.spanId == "15fc03927f0f68df"; });
        QVERIFY(it != t.spans.end());
        QVERIFY(it->kind == SpanKind::Client);
        QCOMPARE(it->service, std::string("mobile_api"));
        QCOMPARE(it->tags.at("peer.service"), std::string("blt"));
        QCOMPARE(it->durationUs, TimeUs(14000));
        QVERIFY(std::is_sorted(t.spans.begin(), t.spans.end(),
                               [](const Span& a, const Span& b) { return a.startUs < b.startUs; }));
    }

    void decodesBase64OtlpIdsAndEnumNames() {
        const std::string text =
            "{\"batches\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
            "{\"stringValue\":\"api\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":"
            "\"W47/95gDgQPSabYzgT/GDA==\",\"spanId\":\"7uGbfsPBsXQ=\",\"name\":\"GET\","
            "\"kind\":\"SPAN_KIND_CLIENT\",\"startTimeUnixNano\":\"2000\",\"endTimeUnixNano\":"
            "\"5000\",\"status\":{\"code\":\"STATUS_CODE_ERROR\",\"message\":\"boom\"}}]}]}]}";
        auto traces = parseOtlpJson(text);
        QVERIFY2(traces, traces ? "" : traces.error().what().c_str());
        const auto& s = traces->front().spans.front();
        QCOMPARE(s.traceId, std::string("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(s.spanId, std::string("eee19b7ec3c1b174"));
        QVERIFY(s.kind == SpanKind::Client);
        QVERIFY(s.error);
        QCOMPARE(s.durationUs, TimeUs(3));
    }

    void rejectsBadTraceInput_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("format");
        QTest::addRow("truncated jaeger")
            << "{\"data\":[{\"traceID\":\"1\",\"spans\":[" << int(TraceFormat::Jaeger);
        QTest::addRow("jaeger span without id")
            << "{\"data\":[{\"traceID\":\"1\",\"spans\":[{\"traceID\":\"1\"}]}]}" << int(TraceFormat::Jaeger);
        QTest::addRow("jaeger not a trace") << "{\"hello\":1}" << int(TraceFormat::Jaeger);
        QTest::addRow("zipkin number") << "42" << int(TraceFormat::Zipkin);
        QTest::addRow("zipkin span without id") << "[{\"traceId\":\"1\"}]" << int(TraceFormat::Zipkin);
        QTest::addRow("otlp no resourceSpans") << "{\"resourceMetrics\":[]}" << int(TraceFormat::Otlp);
        QTest::addRow("otlp malformed") << "{\"resourceSpans\":[{]}" << int(TraceFormat::Otlp);
    }
    void rejectsBadTraceInput() {
        QFETCH(QString, text);
        QFETCH(int, format);
        const std::string t = text.toStdString();
        auto r = format == int(TraceFormat::Jaeger)   ? parseJaegerJson(t)
                 : format == int(TraceFormat::Zipkin) ? parseZipkinJson(t)
                                                      : parseOtlpJson(t);
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::Parse);
    }

    void reportsMissingAndUnknownFiles() {
        auto missing = importTraceFile("/nonexistent/trace.json");
        QVERIFY(!missing);
        QCOMPARE_CODE(missing.error().code, ErrorCode::NotFound);
        auto unknown = importTraceFile(samplePath("otlp/metrics.json"));
        QVERIFY(!unknown);
        QCOMPARE_CODE(unknown.error().code, ErrorCode::Parse);
    }

    void jaegerSourceSpeaksTheQueryApi() {
        ReplayServer server;
        QVERIFY(server.start("jaeger.json"));
        JaegerSource jaeger(backend(server));
        auto services = jaeger.services({});
        QVERIFY2(services, services ? "" : services.error().what().c_str());
        QCOMPARE(*services, (std::vector<std::string>{"example-trace", "service-x", "service-y"}));
        auto ops = jaeger.operations("service-x");
        QVERIFY(ops && !ops->empty());

        TraceQuery q;
        q.service = "example-trace";
        q.range = {1700000000000, 1700000600000};
        q.minDurationUs = 1500;
        q.errorsOnly = false;
        q.limit = 20;
        const std::string url = jaeger.searchUrl(q);
        QVERIFY2(url.find("start=1700000000000000&end=1700000600000000") != std::string::npos, url.c_str());
        QVERIFY2(url.find("minDuration=1500us") != std::string::npos, url.c_str());
        auto found = jaeger.findTraces(q, {});
        QVERIFY2(found, found ? "" : found.error().what().c_str());
        QCOMPARE(found->size(), std::size_t(1));
        QCOMPARE(found->front().traceId, std::string("c620759e5d60fafb8ee0922b30e06bc6"));

        auto one = jaeger.trace("0000000000000001", {});
        QVERIFY2(one, one ? "" : one.error().what().c_str());
        QCOMPARE(one->spans.size(), std::size_t(5));

        auto deps = jaeger.dependencies({1700000000000, 1700086400000}, {});
        QVERIFY(deps);
        QCOMPARE(deps->size(), std::size_t(4271));
        QCOMPARE(deps->front(), (DependencyEdge{"Service574", "Service1529", 54}));
    }

    void jaegerSourceReportsErrors() {
        ReplayServer server;
        QVERIFY(server.start("jaeger.json"));
        JaegerSource jaeger(backend(server));
        TraceQuery q;
        q.range = {0, 1000};
        auto noService = jaeger.findTraces(q, {});
        QVERIFY(!noService);
        QCOMPARE_CODE(noService.error().code, ErrorCode::InvalidArgument);
        q.service = "nosuch";
        auto rejected = jaeger.findTraces(q, {});
        QVERIFY(!rejected);
        QCOMPARE_CODE(rejected.error().code, ErrorCode::HttpStatus);
        QVERIFY2(rejected.error().message.find("parameter 'service' is required") != std::string::npos,
                 rejected.error().message.c_str());
        auto badId = jaeger.trace("not-hex!", {});
        QVERIFY(!badId);
        QCOMPARE_CODE(badId.error().code, ErrorCode::InvalidArgument);
    }

    void zipkinSourceSpeaksV2() {
        ReplayServer server;
        QVERIFY(server.start("zipkin.json"));
        ZipkinSource zipkin(backend(server));
        auto services = zipkin.services({});
        QVERIFY(services && services->size() == 6);
        auto names = zipkin.spanNames("mobile_api");
        QVERIFY(names && !names->empty());
        TraceQuery q;
        q.service = "mobile_api";
        q.range = {1571896370000, 1571896380000};
        QVERIFY(zipkin.searchUrl(q).find("endTs=1571896380000&lookback=10000") != std::string::npos);
        auto found = zipkin.findTraces(q, {});
        QVERIFY2(found, found ? "" : found.error().what().c_str());
        QCOMPARE(found->size(), std::size_t(1));
        auto t = zipkin.trace("a03ee8fff1dcd9b9", {});
        QVERIFY(t && t->spans.size() == 16);
        auto deps = zipkin.dependencies(q.range, {});
        QVERIFY(deps);
        QCOMPARE(*deps, dependenciesFromTraces({*t}));
    }

    void tempoSourceSearchesNatively() {
        ReplayServer server;
        QVERIFY(server.start("tempo.json"));
        TempoSource tempo(backend(server));
        auto services = tempo.services({});
        QVERIFY(services);
        QCOMPARE(*services, (std::vector<std::string>{"my.service", "telemetrygen"}));
        TraceQuery q;
        q.service = "my.service";
        q.operation = "GET /cart";
        q.range = {1544712600000, 1544712700000};
        const std::string url = tempo.searchUrl(q);
        QVERIFY2(url.find("tags=service.name%3Dmy.service%20name%3D%22GET%20%2Fcart%22") != std::string::npos,
                 url.c_str());
        QVERIFY2(url.find("start=1544712600&end=1544712700") != std::string::npos, url.c_str());
        auto found = tempo.findTraces(q, {});
        QVERIFY2(found, found ? "" : found.error().what().c_str());
        QCOMPARE(found->size(), std::size_t(1));
        QCOMPARE(found->front().spans.front().service, std::string("my.service"));
        auto deps = tempo.dependencies(q.range, {});
        QVERIFY(deps && deps->empty()); // one service only
    }

    void tempoSourceUsesJaegerApiInJaegerMode() {
        ReplayServer server;
        QVERIFY(server.start("jaeger.json"));
        TempoSource tempo(backend(server), TempoSource::Mode::Jaeger);
        auto services = tempo.services({});
        QVERIFY(services && services->size() == 3);
    }

    void derivesDependencies() {
        Trace t{"t1",
                {Span{"t1", "a", "", "front", "GET /", "", 0, 10, SpanKind::Server, false, {}},
                 Span{"t1", "b", "a", "cart", "get", "", 1, 5, SpanKind::Server, false, {}},
                 Span{"t1", "c", "a", "cart", "get", "", 2, 5, SpanKind::Server, false, {}},
                 Span{"t1", "d", "b", "cart", "db", "", 3, 1, SpanKind::Internal, false, {}}}};
        QCOMPARE(dependenciesFromTraces({t}), (std::vector<DependencyEdge>{{"front", "cart", 2}}));
    }
};

QTEST_GUILESS_MAIN(TestTraces)
#include "tst_traces.moc"
