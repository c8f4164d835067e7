// Tests for cairn::sources::HttpClient against a loopback server (tests/connectors/replay_server.py,
// which here stands for any HTTP back end) and a self-signed TLS server made with openssl.
#include "../connectors/errorprint.h"
#include "../connectors/replayserver.h"

#include "cairn/sources/http.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

using namespace cairn;
using namespace cairn::sources;

namespace {

// A port nobody listens on: bind, read the number, close.
int closedPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

HttpOptions fastOptions() {
    HttpOptions o;
    o.sourceName = "test source 'replay'";
    o.connectTimeoutMs = 2000;
    o.totalTimeoutMs = 5000;
    o.backoffBaseMs = 20;
    o.backoffMaxMs = 100;
    return o;
}

bool runOpenssl(const QStringList& args) {
    QProcess p;
    p.start("openssl", args);
    return p.waitForFinished(20000) && p.exitCode() == 0;
}

} // namespace

class TestHttpClient : public QObject {
    Q_OBJECT
private:
    ReplayServer m_server;

private slots:
    void initTestCase() {
        if (ReplayServer::python().isEmpty())
            QSKIP("python3 is needed for the loopback server");
        QVERIFY(m_server.start());
    }

    void encodesUrlsAndForms() {
        QCOMPARE(urlEncode("a b&c=d/é"), std::string("a%20b%26c%3Dd%2F%C3%A9"));
        QCOMPARE(formEncode({{"query", "sum(rate(x[5m]))"}, {"step", "15"}}),
                 std::string("query=sum%28rate%28x%5B5m%5D%29%29&step=15"));
        QCOMPARE(joinUrl("http://h:9090/", "/api/v1/query"), std::string("http://h:9090/api/v1/query"));
        QCOMPARE(joinUrl("http://h:9090/prom", "api/v1/query"),
                 std::string("http://h:9090/prom/api/v1/query"));
        QCOMPARE(redactUrl("https://user:secret@h:9200/x@y"), std::string("https://h:9200/x@y"));
        QCOMPARE(redactUrl("http://h/x@y"), std::string("http://h/x@y"));
    }

    void parsesRetryAfterSecondsAndDates() {
        QCOMPARE(parseRetryAfter("3", 0), TimeMs(3000));
        QCOMPARE(parseRetryAfter(" 0 ", 0), TimeMs(0));
        QCOMPARE(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", 1445412480000), TimeMs(10000));
        QCOMPARE(parseRetryAfter("soon", 0), TimeMs(-1));
        QCOMPARE(parseRetryAfter("-5", 0), TimeMs(-1));
    }

    void sendsAuthHeadersAndBody() {
        auto o = fastOptions();
        o.compression = HttpOptions::Compression::Always;
        o.auth.kind = HttpAuth::Kind::Bearer;
        o.auth.token = "tok123";
        o.headers = {{"X-Scope-OrgID", "tenant-a"}};
        HttpClient client(o);
        auto r =
            client.postQuery(m_server.url() + "/_test/echo", "query=up", "application/x-www-form-urlencoded");
        QVERIFY2(r, r ? "" : r.error().what().c_str());
        auto j = nlohmann::json::parse(r->body);
        QCOMPARE(j["method"].get<std::string>(), std::string("POST"));
        QCOMPARE(j["headers"]["authorization"].get<std::string>(), std::string("Bearer tok123"));
        QCOMPARE(j["headers"]["x-scope-orgid"].get<std::string>(), std::string("tenant-a"));
        QCOMPARE(j["query"]["query"].get<std::string>(), std::string("up"));
        QVERIFY(j["headers"]["accept-encoding"].get<std::string>().find("gzip") != std::string::npos);
    }

    void sendsBasicAuth() {
        auto o = fastOptions();
        o.auth.kind = HttpAuth::Kind::Basic;
        o.auth.user = "alice";
        o.auth.password = "s3cret";
        HttpClient client(o);
        auto r = client.get(m_server.url() + "/_test/echo");
        QVERIFY(r);
        auto j = nlohmann::json::parse(r->body);
        QCOMPARE(j["headers"]["authorization"].get<std::string>(), std::string("Basic YWxpY2U6czNjcmV0"));
    }

    void detectsLoopbackUrls() {
        QVERIFY(isLoopbackUrl("http://127.0.0.1:9090/x"));
        QVERIFY(isLoopbackUrl("https://user:pw@LOCALHOST/x"));
        QVERIFY(isLoopbackUrl("http://[::1]:9090"));
        QVERIFY(!isLoopbackUrl("http://prometheus.example:9090"));
        QVERIFY(!isLoopbackUrl("http://10.0.0.1/127.0.0.1"));
    }

    void decodesGzipBodies() {
        auto o = fastOptions();
        o.compression = HttpOptions::Compression::Always;
        HttpClient client(o);
        auto r = client.get(m_server.url() + "/_test/big?bytes=100000");
        QVERIFY2(r, r ? "" : r.error().what().c_str());
        QCOMPARE(r->header("content-encoding"), std::string("gzip"));
        QCOMPARE(r->body.size(), std::size_t(100000)); // decoded, not the compressed size
    }

    void reusesOneConnection() {
        // Many requests on one client stay fast; libcurl keeps the connection alive between them.
        HttpClient client(fastOptions());
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < 50; ++i)
            QVERIFY(client.get(m_server.url() + "/_test/echo"));
        QVERIFY2(t.elapsed() < 5000, "50 keep-alive requests took too long");
    }

    void reportsConnectionRefused() {
        const int port = closedPort();
        auto o = fastOptions();
        o.maxRetries = 2;
        HttpClient client(o);
        const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/api/v1/query";
        auto r = client.get(url);
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::Network);
        const std::string msg = r.error().what();
        QVERIFY2(msg.find("test source 'replay'") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find(url) != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("3 attempts") != std::string::npos, msg.c_str());
    }

    void timesOutOnSlowServer() {
        auto o = fastOptions();
        o.totalTimeoutMs = 300;
        HttpClient client(o);
        QElapsedTimer t;
        t.start();
        auto r = client.get(m_server.url() + "/_test/slow?ms=3000");
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::Timeout);
        QVERIFY2(t.elapsed() < 2000, "a read timeout must not be retried");
        QVERIFY2(r.error().message.find("no complete answer within 0.3 s") != std::string::npos,
                 r.error().message.c_str());
    }

    void reportsHttp500WithBody() {
        HttpClient client(fastOptions());
        auto r = client.get(m_server.url() + "/_test/status/500?body=database%20is%20locked");
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::HttpStatus);
        QVERIFY2(r.error().message.find("HTTP 500 \"database is locked\"") != std::string::npos,
                 r.error().message.c_str());
        QVERIFY2(r.error().message.find("attempts") == std::string::npos, "500 is not retried");
    }

    void honoursRetryAfterOn429() {
        HttpClient client(fastOptions());
        std::vector<TimeMs> waits;
        client.setSleepFunction([&waits](TimeMs ms, const CancelToken&) { waits.push_back(ms); });
        auto r = client.get(m_server.url() + "/_test/retry/a?fails=2&after=7");
        QVERIFY2(r, r ? "" : r.error().what().c_str());
        QCOMPARE(r->attempts, 3);
        QCOMPARE(waits, (std::vector<TimeMs>{7000, 7000}));
    }

    void givesUpWhenRetryAfterIsTooLong() {
        auto o = fastOptions();
        o.maxRetryAfterMs = 5000;
        HttpClient client(o);
        auto r = client.get(m_server.url() + "/_test/retry/b?fails=5&after=60");
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::HttpStatus);
        QVERIFY2(r.error().message.find("HTTP 429") != std::string::npos, r.error().message.c_str());
        QVERIFY2(r.error().message.find("retry after 60 s") != std::string::npos, r.error().message.c_str());
    }

    void backsOffWithJitterOn503() {
        auto o = fastOptions();
        o.maxRetries = 3;
        o.backoffBaseMs = 100;
        o.backoffMaxMs = 1000;
        HttpClient client(o);
        std::vector<TimeMs> waits;
        client.setSleepFunction([&waits](TimeMs ms, const CancelToken&) { waits.push_back(ms); });
        auto r = client.get(m_server.url() + "/_test/unavailable/c?fails=3");
        QVERIFY2(r, r ? "" : r.error().what().c_str());
        QCOMPARE(waits.size(), std::size_t(3));
        // Equal jitter: each wait is in [base*2^k / 2, base*2^k].
        for (std::size_t k = 0; k < waits.size(); ++k) {
            const TimeMs full = 100 << k;
            QVERIFY2(waits[k] >= full / 2 && waits[k] <= full, std::to_string(waits[k]).c_str());
        }
    }

    void doesNotRetryNonIdempotentPost() {
        HttpClient client(fastOptions());
        HttpRequest req;
        req.method = "POST";
        req.url = m_server.url() + "/_test/unavailable/d?fails=1";
        req.body = "{}";
        auto r = client.send(req);
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::HttpStatus);
    }

    void capsResponseSize() {
        auto o = fastOptions();
        o.maxResponseBytes = 1 << 20;
        HttpClient client(o);
        auto r = client.get(m_server.url() + "/_test/big?bytes=3000000");
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::LimitExceeded);
        QVERIFY2(r.error().message.find("1 MiB limit") != std::string::npos, r.error().message.c_str());
        // The client stays usable after an aborted transfer.
        QVERIFY(client.get(m_server.url() + "/_test/echo"));
    }

    void reportsTruncatedBody() {
        HttpClient client(fastOptions());
        auto r = client.get(m_server.url() + "/_test/truncated");
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::Network);
    }

    void cancelsInFlightRequest() {
        HttpClient client(fastOptions());
        auto token = CancelToken::create();
        std::thread canceller([token] {
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            token.cancel();
        });
        QElapsedTimer t;
        t.start();
        auto r = client.get(m_server.url() + "/_test/slow?ms=3000", token);
        canceller.join();
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::Cancelled);
        QVERIFY(t.elapsed() < 2000);
    }

    void cancelsDuringBackoff() {
        auto o = fastOptions();
        o.maxRetries = 5;
        HttpClient client(o);
        auto token = CancelToken::create();
        client.setSleepFunction([token](TimeMs, const CancelToken&) { token.cancel(); });
        auto r = client.get(m_server.url() + "/_test/unavailable/e?fails=5", token);
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::Cancelled);
    }

    void rejectsSelfSignedTlsUnlessCaConfigured() {
        QTemporaryDir dir;
        const QString cert = dir.filePath("cert.pem"), key = dir.filePath("key.pem");
        if (!runOpenssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                         "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                         "-addext", "subjectAltName=IP:127.0.0.1"}))
            QSKIP("openssl could not make a certificate");
        ReplayServer tls;
        QVERIFY(tls.start({}, {"--tls", cert, key}));
        const std::string url = tls.url("https") + "/_test/echo";

        HttpClient strict(fastOptions());
        auto r = strict.get(url);
        QVERIFY(!r);
        QCOMPARE_CODE(r.error().code, ErrorCode::Network);
        QVERIFY2(r.error().message.find("TLS certificate is not trusted") != std::string::npos,
                 r.error().message.c_str());

        auto o = fastOptions();
        o.caFile = cert.toStdString();
        HttpClient trusting(o);
        auto ok = trusting.get(url);
        QVERIFY2(ok, ok ? "" : ok.error().what().c_str());

        auto insecure = fastOptions();
        insecure.verifyTls = false;
        QVERIFY(HttpClient(insecure).get(url));
    }

    void presentsClientCertificateForMutualTls() {
        QTemporaryDir dir;
        auto f = [&dir](const char* n) { return dir.filePath(n); };
        if (!runOpenssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                         "-nodes", "-keyout", f("srv.key"), "-out", f("srv.pem"), "-days", "1", "-subj",
                         "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"}) ||
            !runOpenssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                         "-nodes", "-keyout", f("cli.key"), "-out", f("cli.pem"), "-days", "1", "-subj",
                         "/CN=cairn"}))
            QSKIP("openssl could not make certificates");
        ReplayServer tls;
        QVERIFY(tls.start({}, {"--tls", f("srv.pem"), f("srv.key"), "--client-ca", f("cli.pem")}));
        auto o = fastOptions();
        o.caFile = f("srv.pem").toStdString();
        o.maxRetries = 0;
        auto without = HttpClient(o).get(tls.url("https") + "/_test/echo");
        QVERIFY(!without);
        o.clientCertFile = f("cli.pem").toStdString();
        o.clientKeyFile = f("cli.key").toStdString();
        auto with = HttpClient(o).get(tls.url("https") + "/_test/echo");
        QVERIFY2(with, with ? "" : with.error().what().c_str());
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
