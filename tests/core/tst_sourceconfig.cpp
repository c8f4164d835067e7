// Tests for the source configuration format, secret references and health checks (the checks run against
// the loopback replay server standing for Prometheus, Elasticsearch, Jaeger and Zipkin).
#include "../connectors/errorprint.h"
#include "../connectors/replayserver.h"

#include "cairn/sources/sourceconfig.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>
#include <fstream>

using namespace cairn;
using namespace cairn::sources;

namespace {

const char* kConfig =
    "{\"sources\": ["
    " {\"name\": \"prod\", \"kind\": \"mimir\", \"url\": \"https://mimir.example/prometheus\","
    "  \"auth\": {\"type\": \"bearer\", \"secret\": \"env:CAIRN_TEST_TOKEN\"},"
    "  \"headers\": {\"X-Scope-OrgID\": \"team-a\"}, \"poll_interval\": \"15s\", \"timeout\": 10,"
    "  \"tls\": {\"ca_file\": \"/etc/ca.pem\"}},"
    " {\"name\": \"logs\", \"kind\": \"opensearch\", \"url\": \"http://127.0.0.1:9200\", \"index\": "
    "\"app-*\","
    "  \"auth\": {\"type\": \"basic\", \"user\": \"reader\", \"secret\": \"keyring:cairn/logs\"},"
    "  \"fields\": {\"timestamp\": \"ts\", \"level\": \"severity\"}},"
    " {\"name\": \"traces\", \"kind\": \"tempo\", \"url\": \"http://127.0.0.1:3200\", \"mode\": \"jaeger\"},"
    " {\"name\": \"demo\", \"kind\": \"demo\"}"
    "]}";

} // namespace

class TestSourceConfig : public QObject {
    Q_OBJECT
private slots:
    void parsesAConfiguration() {
        auto cfg = parseSourceConfig(kConfig);
        QVERIFY2(cfg, cfg ? "" : cfg.error().what().c_str());
        QCOMPARE(cfg->size(), std::size_t(4));
        const auto& prod = (*cfg)[0];
        QVERIFY(prod.kind == SourceKind::Prometheus);
        QCOMPARE(prod.authType, std::string("bearer"));
        QCOMPARE(prod.secretRef, std::string("env:CAIRN_TEST_TOKEN"));
        QCOMPARE(prod.headers.front().second, std::string("team-a"));
        QCOMPARE(prod.pollIntervalMs, TimeMs(15000));
        QCOMPARE(prod.timeoutMs, TimeMs(10000));
        QCOMPARE(prod.caFile, std::string("/etc/ca.pem"));
        const auto& logs = (*cfg)[1];
        QVERIFY(logs.kind == SourceKind::OpenSearch);
        QCOMPARE(logs.index, std::string("app-*"));
        QCOMPARE(logs.fields.timestamp, std::string("ts"));
        QCOMPARE(logs.fields.message, std::string("message")); // default kept
        QCOMPARE((*cfg)[2].mode, std::string("jaeger"));
        QVERIFY(providesTraces((*cfg)[2].kind) && !providesMetrics((*cfg)[2].kind));
    }

    void roundTripsThroughJson() {
        auto cfg = parseSourceConfig(kConfig);
        QVERIFY(cfg);
        auto again = parseSourceConfig(serializeSourceConfig(*cfg));
        QVERIFY2(again, again ? "" : again.error().what().c_str());
        QCOMPARE(again->size(), cfg->size());
        for (std::size_t i = 0; i < cfg->size(); ++i)
            QVERIFY((*again)[i] == (*cfg)[i]);
    }

    void rejectsBadConfigurations_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("needle");
        QTest::addRow("not json") << "{\"sources\": ["
                                  << "not valid JSON";
        QTest::addRow("no list") << "{\"x\": 1}"
                                 << "\"sources\" array";
        QTest::addRow("no name") << "{\"sources\": [{\"kind\": \"prometheus\", \"url\": \"http://a\"}]}"
                                 << "name";
        QTest::addRow("duplicate")
            << "{\"sources\": [{\"name\": \"a\", \"kind\": \"zipkin\", \"url\": \"http://a\"},"
               "{\"name\": \"a\", \"kind\": \"zipkin\", \"url\": \"http://b\"}]}"
            << "Two sources";
        QTest::addRow("kind")
            << "{\"sources\": [{\"name\": \"a\", \"kind\": \"graphite\", \"url\": \"http://a\"}]}"
            << "Unknown source kind";
        QTest::addRow("no url") << "{\"sources\": [{\"name\": \"a\", \"kind\": \"jaeger\"}]}"
                                << "needs a \"url\"";
        QTest::addRow("bad url")
            << "{\"sources\": [{\"name\": \"a\", \"kind\": \"jaeger\", \"url\": \"ftp://x\"}]}"
            << "http://";
        QTest::addRow("literal password")
            << "{\"sources\": [{\"name\": \"a\", \"kind\": \"elasticsearch\", \"url\": \"http://a\","
               " \"auth\": {\"type\": \"basic\", \"user\": \"u\", \"password\": \"hunter2\"}}]}"
            << "Secrets do not belong";
        QTest::addRow("literal token")
            << "{\"sources\": [{\"name\": \"a\", \"kind\": \"prometheus\", \"url\": \"http://a\","
               " \"auth\": {\"type\": \"bearer\", \"token\": \"abc\"}}]}"
            << "Secrets do not belong";
        QTest::addRow("bad duration") << "{\"sources\": [{\"name\": \"a\", \"kind\": \"zipkin\", \"url\": "
                                         "\"http://a\", \"poll_interval\": \"soon\"}]}"
                                      << "duration";
        QTest::addRow("tempo mode")
            << "{\"sources\": [{\"name\": \"a\", \"kind\": \"tempo\", \"url\": \"http://a\","
               " \"mode\": \"grpc\"}]}"
            << "native or jaeger";
    }
    void rejectsBadConfigurations() {
        QFETCH(QString, json);
        QFETCH(QString, needle);
        auto r = parseSourceConfig(json.toStdString());
        QVERIFY(!r);
        QVERIFY2(r.error().what().find(needle.toStdString()) != std::string::npos, r.error().what().c_str());
    }

    void resolvesSecretReferences() {
        qputenv("CAIRN_TEST_TOKEN", "s3cret");
        auto env = resolveSecretDefault("env:CAIRN_TEST_TOKEN");
        QVERIFY(env && *env == "s3cret");
        QTemporaryDir dir;
        const std::string file = dir.filePath("token").toStdString();
        std::ofstream(file) << "from-file\n";
        auto f = resolveSecretDefault("file:" + file);
        QVERIFY(f && *f == "from-file");
        auto keyring = resolveSecretDefault("keyring:cairn/prod");
        QVERIFY(!keyring);
        QCOMPARE_CODE(keyring.error().code, ErrorCode::Unsupported);
        QVERIFY(!resolveSecretDefault("env:CAIRN_TEST_SURELY_UNSET_VARIABLE"));
        QVERIFY(!resolveSecretDefault("plain-text"));

        auto cfg = parseSourceConfig(kConfig);
        auto http = httpOptionsFor(cfg->front(), resolveSecretDefault);
        QVERIFY(http);
        QVERIFY(http->auth.kind == HttpAuth::Kind::Bearer);
        QCOMPARE(http->auth.token, std::string("s3cret"));
        // The app passes a resolver that reads the keyring; here a stand-in.
        auto basic = httpOptionsFor((*cfg)[1], [](const std::string& ref) -> Result<std::string> {
            return ref == "keyring:cairn/logs" ? Result<std::string>("pw") : fail(ErrorCode::NotFound, "no");
        });
        QVERIFY(basic && basic->auth.password == "pw" && basic->auth.user == "reader");
    }

    void buildsConnectorsByKind() {
        auto cfg = parseSourceConfig(kConfig);
        QVERIFY(cfg);
        QVERIFY(makeMetricSource(cfg->front(), resolveSecretDefault));
        QVERIFY(!makeLogSource(cfg->front(), resolveSecretDefault));
        QVERIFY(makeTraceSource((*cfg)[2], resolveSecretDefault));
        auto logs = makeLogSource((*cfg)[1], resolveSecretDefault); // keyring: unreadable here
        QVERIFY(!logs);
        QCOMPARE_CODE(logs.error().code, ErrorCode::Unsupported);
    }

    void checksSourcesAndReportsFailures() {
        if (!ReplayServer::sharedDataPresent())
            QSKIP("shared data (api-samples) is absent");
        ReplayServer prom, es, jaeger;
        QVERIFY(prom.start("prometheus.json"));
        QVERIFY(es.start("elasticsearch.json"));
        QVERIFY(jaeger.start("jaeger.json"));
        const std::string text =
            "{\"sources\": ["
            "{\"name\": \"p\", \"kind\": \"prometheus\", \"url\": \"" +
            prom.url() +
            "\"},"
            "{\"name\": \"e\", \"kind\": \"elasticsearch\", \"url\": \"" +
            es.url() +
            "\"},"
            "{\"name\": \"j\", \"kind\": \"jaeger\", \"url\": \"" +
            jaeger.url() +
            "\"},"
            "{\"name\": \"dead\", \"kind\": \"zipkin\", \"url\": \"http://127.0.0.1:1\"}]}";
        auto cfg = parseSourceConfig(text);
        QVERIFY(cfg);
        auto p = checkSource((*cfg)[0], resolveSecretDefault);
        QVERIFY2(p.state == SourceState::Ok, p.error.what().c_str());
        QCOMPARE(p.version, std::string("2.13.1"));
        QVERIFY(p.latencyMs >= 0);
        auto e = checkSource((*cfg)[1], resolveSecretDefault);
        QVERIFY2(e.state == SourceState::Ok, e.error.what().c_str());
        QCOMPARE(e.version, std::string("8.11.1"));
        auto j = checkSource((*cfg)[2], resolveSecretDefault);
        QVERIFY2(j.state == SourceState::Ok, j.error.what().c_str());
        QCOMPARE(j.version, std::string("unknown (3 services)"));
        auto dead = checkSource((*cfg)[3], resolveSecretDefault);
        QVERIFY(dead.state == SourceState::Failed);
        QCOMPARE_CODE(dead.error.code, ErrorCode::Network);
        QVERIFY2(dead.error.message.find("Zipkin source 'dead'") != std::string::npos,
                 dead.error.message.c_str());
        QVERIFY2(dead.error.message.find("connection refused") != std::string::npos,
                 dead.error.message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSourceConfig)
#include "tst_sourceconfig.moc"
