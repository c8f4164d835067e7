// Resource limits against hostile back ends (issue 8, item 5): a loopback HTTP server written here stands
// for a broken or malicious Prometheus / Elasticsearch / Jaeger (it serves a body that never ends, one
// byte per second, or JSON nested a million levels deep), and a generated stream stands for a log file
// holding a 2 GB line. Each is cut off by a limit with a clear error (or, for the log line, truncated
// and marked), and the peak resident memory of this process stays bounded while it happens.
#include "cairn/logs/textlogsource.h"
#include "cairn/sources/http.h"
#include "cairn/sources/prometheus.h"
#include "cairn/sources/traceimport.h"

#include <QElapsedTimer>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <istream>
#include <streambuf>
#include <string>
#include <thread>

using namespace cairn;
using namespace cairn::sources;

namespace {

// Peak resident set size of this process (VmHWM), in bytes. resetPeakRss() restarts the peak from the
// current size (Linux: "5" into /proc/self/clear_refs), so each test measures its own peak; where that
// is refused, the peak since the process started is an upper bound, which only makes the check stricter.
std::size_t peakRssBytes() {
    FILE* f = std::fopen("/proc/self/status", "r");
    std::size_t kib = 0;
    if (f) {
        char line[256];
        while (std::fgets(line, sizeof line, f))
            if (std::sscanf(line, "VmHWM: %zu kB", &kib) == 1)
                break;
        std::fclose(f);
    }
    if (kib == 0) {
        rusage u{};
        ::getrusage(RUSAGE_SELF, &u);
        kib = static_cast<std::size_t>(u.ru_maxrss);
    }
    return kib * 1024;
}

void resetPeakRss() {
    if (FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
        std::fputs("5", f);
        std::fclose(f);
    }
}

// Current resident set size (from /proc/self/statm), in bytes.
std::size_t currentRssBytes() {
    FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    unsigned long size = 0, resident = 0;
    const int n = std::fscanf(f, "%lu %lu", &size, &resident);
    std::fclose(f);
    return n == 2 ? resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

// Memory the process may grow by during one hostile exchange. The limits under test are a few MiB; the
// rest is headroom for the allocator (and AddressSanitizer's quarantine in the sanitizer build). Without
// the limits the growth would be the whole hostile payload (hundreds of MiB to 2 GB).
constexpr std::size_t kRssBudgetBytes = std::size_t(160) << 20;

// A one-connection-at-a-time HTTP server on 127.0.0.1. After reading a request's headers it runs the
// behaviour with the socket; the behaviour returns when it is done or the client hung up (send fails).
class HostileServer {
public:
    using Behaviour = std::function<void(int fd, const std::atomic<bool>& stop)>;

    explicit HostileServer(Behaviour behaviour)
        : m_behaviour(std::move(behaviour)) {
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        const int one = 1;
        ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(m_listen, 4) != 0)
            return;
        socklen_t len = sizeof a;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len);
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~HostileServer() {
        m_stop = true;
        ::shutdown(m_listen, SHUT_RDWR);
        ::close(m_listen);
        if (m_thread.joinable())
            m_thread.join();
    }
    HostileServer(const HostileServer&) = delete;
    HostileServer& operator=(const HostileServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    bool ok() const { return m_port > 0; }

    // Writes all of data; false when the peer has gone.
    static bool sendAll(int fd, std::string_view data) {
        while (!data.empty()) {
            const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

private:
    void serve() {
        while (!m_stop) {
            const int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0)
                return;
            // Read up to the end of the request headers (the requests here have no body).
            std::string request;
            char buf[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
                if (n <= 0)
                    break;
                request.append(buf, static_cast<std::size_t>(n));
            }
            m_behaviour(fd, m_stop);
            ::close(fd);
        }
    }

    Behaviour m_behaviour;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

HttpOptions hostileOptions() {
    HttpOptions o;
    o.sourceName = "hostile back end";
    o.connectTimeoutMs = 2000;
    o.totalTimeoutMs = 3000;
    o.maxRetries = 0;
    o.maxResponseBytes = std::size_t(4) << 20;
    return o;
}

// A stream of `total` bytes of 'x' with no line break, then `tail`, produced 64 KiB at a time: the long
// line is never held in memory by the test.
class LongLineLog : public std::streambuf {
public:
    LongLineLog(std::uint64_t total, std::string tail)
        : m_left(total)
        , m_tail(std::move(tail)) {
        std::memset(m_chunk, 'x', sizeof m_chunk);
    }

protected:
    int_type underflow() override {
        if (m_left > 0) {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(m_left, sizeof m_chunk));
            m_left -= n;
            setg(m_chunk, m_chunk, m_chunk + n);
            return traits_type::to_int_type(m_chunk[0]);
        }
        if (!m_tailDone && !m_tail.empty()) {
            m_tailDone = true;
            setg(m_tail.data(), m_tail.data(), m_tail.data() + m_tail.size());
            return traits_type::to_int_type(m_tail[0]);
        }
        return traits_type::eof();
    }

private:
    char m_chunk[1 << 16];
    std::uint64_t m_left;
    std::string m_tail;
    bool m_tailDone = false;
};

} // namespace

class TestResourceLimits : public QObject {
    Q_OBJECT

private slots:
    // (a) A body that never ends: the response size cap stops the transfer.
    void endlessBodyIsCutOffAtTheSizeLimit() {
        std::atomic<std::uint64_t> sent{0};
        HostileServer server([&sent](int fd, const std::atomic<bool>& stop) {
            if (!HostileServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                            "Connection: close\r\n\r\n[1"))
                return;
            const std::string chunk(1 << 16, '1');
            while (!stop && HostileServer::sendAll(fd, chunk))
                sent += chunk.size(); // stops when the client hangs up
        });
        QVERIFY(server.ok());
        resetPeakRss();
        const std::size_t before = currentRssBytes();
        HttpClient http(hostileOptions());
        HttpRequest request;
        request.url = server.url() + "/api/v1/query";
        auto r = http.send(request);
        QVERIFY(!r);
        QCOMPARE(int(r.error().code), int(ErrorCode::LimitExceeded));
        const std::string message = r.error().message;
        QVERIFY2(message.find("hostile back end") != std::string::npos, message.c_str());
        QVERIFY2(message.find("4 MiB limit") != std::string::npos, message.c_str());
        const std::size_t grown = peakRssBytes() > before ? peakRssBytes() - before : 0;
        qInfo("endless body: cut off after the server sent %llu bytes; peak RSS grew %zu KiB",
              static_cast<unsigned long long>(sent.load()), grown >> 10);
        QVERIFY2(grown < kRssBudgetBytes, qPrintable(QString::number(grown)));
    }

    // (b) One byte per second: the per-attempt total timeout ends the trickle.
    void tricklingServerTimesOut() {
        HostileServer server([](int fd, const std::atomic<bool>& stop) {
            if (!HostileServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"))
                return;
            while (!stop && HostileServer::sendAll(fd, "x"))
                std::this_thread::sleep_for(std::chrono::seconds(1));
        });
        QVERIFY(server.ok());
        auto options = hostileOptions();
        options.totalTimeoutMs = 2500;
        HttpClient http(options);
        QElapsedTimer timer;
        timer.start();
        HttpRequest request;
        request.url = server.url() + "/";
        auto r = http.send(request);
        const qint64 elapsed = timer.elapsed();
        QVERIFY(!r);
        QCOMPARE(int(r.error().code), int(ErrorCode::Timeout));
        const std::string message = r.error().message;
        QVERIFY2(message.find("no complete answer within 2.5 s") != std::string::npos, message.c_str());
        QVERIFY2(elapsed >= 2000 && elapsed < 10000, qPrintable(QString::number(elapsed)));
    }

    // (c) JSON nested a million levels deep, served to the Prometheus connector and handed to the trace
    // importers: the JSON readers' depth limit rejects it with a sentence; nothing recurses a million deep.
    void deeplyNestedJsonIsRejected() {
        const std::size_t depth = 1'000'000;
        std::string nested = R"({"status":"success","data":{"resultType":"matrix","result":)";
        nested.append(depth, '[');
        nested.append(depth, ']');
        nested += "}}";
        HostileServer server([&nested](int fd, const std::atomic<bool>&) {
            HostileServer::sendAll(fd,
                                   "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                       std::to_string(nested.size()) + "\r\nConnection: close\r\n\r\n");
            HostileServer::sendAll(fd, nested);
        });
        QVERIFY(server.ok());
        resetPeakRss();
        const std::size_t before = currentRssBytes();
        PrometheusOptions options;
        options.name = "hostile prometheus";
        options.url = server.url();
        options.http = hostileOptions();
        PrometheusSource prometheus(options);
        auto r = prometheus.queryInstant("up", 1'700'000'000'000);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("deep") != std::string::npos, r.error().what().c_str());

        for (const auto& parse : {&parseJaegerJson, &parseZipkinJson, &parseOtlpJson}) {
            std::string doc = R"({"data":)";
            doc.append(depth, '[');
            doc.append(depth, ']');
            doc += "}";
            auto t = parse(doc);
            QVERIFY(!t);
            QVERIFY2(!t.error().message.empty(), "a trace importer failed without a message");
        }
        const std::size_t grown = peakRssBytes() > before ? peakRssBytes() - before : 0;
        qInfo("nested JSON: peak RSS grew %zu KiB", grown >> 10);
        QVERIFY2(grown < kRssBudgetBytes, qPrintable(QString::number(grown)));
    }

    // (d) A 2 GB log line (streamed, never held): the reader keeps the first kMaxLogLineBytes, marks the
    // record truncated, skips the rest and goes on with the next line; memory stays near the limit.
    void twoGigabyteLogLineIsTruncated() {
        LongLineLog buffer(std::uint64_t(2) << 30, "\nafter the long line\n");
        std::istream in(&buffer);
        auto source = logs::TextLogSource::fromStream(in, "hostile.log", "<Content>");
        QVERIFY2(source, source ? "" : source.error().what().c_str());
        resetPeakRss();
        const std::size_t before = currentRssBytes();
        std::vector<std::size_t> sizes;
        std::vector<std::string> truncated;
        std::string last;
        auto n = (*source)->scan({},
                                 [&](const LogRecord& r) {
                                     sizes.push_back(r.message.size());
                                     auto it = r.fields.find("truncated");
                                     truncated.push_back(it == r.fields.end() ? std::string() : it->second);
                                     last = r.message;
                                     return true;
                                 },
                                 {});
        QVERIFY2(n, n ? "" : n.error().what().c_str());
        QCOMPARE(*n, std::size_t(2));
        QCOMPARE(sizes[0], logs::kMaxLogLineBytes);
        QCOMPARE(truncated[0], std::to_string(std::uint64_t(2) << 30)); // the line's real length
        QVERIFY(truncated[1].empty());
        QCOMPARE(last, std::string("after the long line"));
        QCOMPARE((*source)->truncatedLines(), std::size_t(1));
        const std::size_t grown = peakRssBytes() > before ? peakRssBytes() - before : 0;
        qInfo("2 GB log line: kept %zu bytes; peak RSS grew %zu KiB", sizes[0], grown >> 10);
        QVERIFY2(grown < kRssBudgetBytes, qPrintable(QString::number(grown)));
    }
};

QTEST_GUILESS_MAIN(TestResourceLimits)
#include "tst_resourcelimits.moc"
