// Test fixture standing in for a Kubernetes API server: a loopback HTTP/1.1 server that replays the real
// responses in ../shared/data/api-samples/kubernetes (discovery documents, a Deployment, a Node, a Pod, a
// Scale, Status errors) and records every request (verb, path with query, content type, body). Documents the
// samples do not contain are derived minimally and marked as such: /version (the samples are of the
// Kubernetes 1.31 era), an empty APIResourceList for API groups the samples only list, an empty ReplicaSet
// list, and /openapi/v2 (kubectl 1.20 -- Debian 12's -- downloads it before every --dry-run=server request to
// check that the server supports dry runs for the kind): the OpenAPI v2 protobuf (gnostic's OpenAPIv2
// Document) with each PATCH operation of the recorded OpenAPI v3 documents, its query parameters and its
// x-kubernetes-group-version-kind -- the same facts a real server's v2 document carries. PATCH answers apply
// the patch as a JSON merge patch (RFC 7386) to the recorded object so dry runs have something to diff;
// everything else is returned as recorded.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QString>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

class KubeReplayServer {
public:
    struct Request {
        QString verb;
        QString target; // path?query
        QString contentType;
        QByteArray body;
        QString path() const { return target.section(QLatin1Char('?'), 0, 0); }
        QString query() const { return target.section(QLatin1Char('?'), 1); }
    };

    explicit KubeReplayServer(QString dataDir)
        : m_dir(std::move(dataDir)) {}
    ~KubeReplayServer() { stop(); }

    bool start() {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(m_fd, 64) != 0)
            return false;
        socklen_t len = sizeof a;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
        m_port = ntohs(a.sin_port);
        m_acceptor = std::thread([this] { acceptLoop(); });
        return true;
    }
    void stop() {
        if (m_stop.exchange(true))
            return;
        if (m_acceptor.joinable())
            m_acceptor.join();
        ::close(m_fd);
        for (auto& t : m_workers)
            if (t.joinable())
                t.join();
    }
    int port() const { return m_port; }
    QList<Request> requests() {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }
    void clear() {
        std::lock_guard lock(m_mutex);
        m_requests.clear();
    }
    // Requests other than discovery (GET /api..., /apis..., /version without an object path).
    QList<Request> objectRequests() {
        static const QRegularExpression discovery(
            QStringLiteral("^/(version|api|apis|api/v1|apis/[^/]+|apis/[^/]+/[^/]+|openapi/.*)$"));
        QList<Request> out;
        for (const auto& r : requests())
            if (!discovery.match(r.path()).hasMatch())
                out << r;
        return out;
    }
    QJsonObject sample(const QString& file) const {
        QFile f(m_dir + QLatin1Char('/') + file);
        f.open(QIODevice::ReadOnly);
        return QJsonDocument::fromJson(f.readAll()).object();
    }

private:
    QByteArray file(const QString& name) const {
        QFile f(m_dir + QLatin1Char('/') + name);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // Protocol buffers wire format, just what the OpenAPI v2 document needs.
    static QByteArray varint(quint64 v) {
        QByteArray out;
        while (v >= 0x80) {
            out.append(char((v & 0x7f) | 0x80));
            v >>= 7;
        }
        out.append(char(v));
        return out;
    }
    static QByteArray field(int number, const QByteArray& payload) { // length-delimited (wire type 2)
        return varint(quint64(number) << 3 | 2) + varint(quint64(payload.size())) + payload;
    }
    // gnostic OpenAPIv2: Document.paths = 8; Paths.path = 2; NamedPathItem{name = 1, value = 2};
    // PathItem.patch = 8; Operation{parameters = 8, vendor_extension = 13}; ParametersItem.parameter = 1;
    // Parameter.non_body_parameter = 2; NonBodyParameter.query_parameter_sub_schema = 3;
    // QueryParameterSubSchema{in = 2, name = 4}; NamedAny{name = 1, value = 2}; Any.yaml = 2.
    QByteArray openApiV2() const {
        QByteArray paths;
        for (const char* doc : {"api__v1_openapi.json", "apis__apps__v1_openapi.json"}) {
            const QJsonObject all = sample(QLatin1String(doc))[QStringLiteral("paths")].toObject();
            for (auto it = all.begin(); it != all.end(); ++it) {
                const QJsonObject patch = it.value().toObject()[QStringLiteral("patch")].toObject();
                const QJsonObject gvk = patch[QStringLiteral("x-kubernetes-group-version-kind")].toObject();
                if (gvk.isEmpty())
                    continue;
                QByteArray op;
                QJsonArray params = patch[QStringLiteral("parameters")].toArray();
                for (const auto& p : it.value().toObject()[QStringLiteral("parameters")].toArray())
                    params.append(p);
                for (const auto& p : params) {
                    const QJsonObject param = p.toObject();
                    if (param[QStringLiteral("in")].toString() != QLatin1String("query"))
                        continue;
                    const QByteArray query =
                        field(2, "query") + field(4, param[QStringLiteral("name")].toString().toUtf8());
                    op += field(8, field(1, field(2, field(3, query))));
                }
                const QByteArray yaml =
                    QStringLiteral("group: \"%1\"\nkind: %2\nversion: %3\n")
                        .arg(gvk[QStringLiteral("group")].toString(), gvk[QStringLiteral("kind")].toString(),
                             gvk[QStringLiteral("version")].toString())
                        .toUtf8();
                op += field(13, field(1, "x-kubernetes-group-version-kind") + field(2, field(2, yaml)));
                paths += field(2, field(1, it.key().toUtf8()) + field(2, field(8, op)));
            }
        }
        return field(1, "2.0") + field(8, paths);
    }

    static QJsonObject mergePatch(QJsonObject target, const QJsonObject& patch) {
        for (auto it = patch.begin(); it != patch.end(); ++it) {
            if (it.value().isNull())
                target.remove(it.key());
            else if (it.value().isObject() && target.value(it.key()).isObject())
                target[it.key()] = mergePatch(target.value(it.key()).toObject(), it.value().toObject());
            else
                target[it.key()] = it.value();
        }
        return target;
    }

    std::pair<int, QByteArray> respond(const Request& r) const {
        const QString p = r.path();
        auto object = [&](const QString& name) -> std::pair<int, QByteArray> {
            QByteArray body = file(name);
            if (r.verb == QLatin1String("PATCH")) {
                const QJsonObject patch = QJsonDocument::fromJson(r.body).object();
                bool directives = r.body.contains("\"$");
                if (!directives)
                    body = QJsonDocument(mergePatch(QJsonDocument::fromJson(body).object(), patch))
                               .toJson(QJsonDocument::Compact);
            }
            return {200, body};
        };
        if (p == QLatin1String("/version"))
            return {200, R"({"major":"1","minor":"31","gitVersion":"v1.31.0","platform":"linux/amd64"})"};
        if (p == QLatin1String("/api"))
            return {200, file(QStringLiteral("api.json"))};
        if (p == QLatin1String("/openapi/v2"))
            return {200, openApiV2()};
        if (p == QLatin1String("/apis"))
            return {200, file(QStringLiteral("apis.json"))};
        if (p == QLatin1String("/api/v1"))
            return {200, file(QStringLiteral("api__v1.json"))};
        if (p == QLatin1String("/apis/apps/v1"))
            return {200, file(QStringLiteral("apis__apps__v1.json"))};
        static const QRegularExpression groupVersion(QStringLiteral("^/apis/([^/]+/[^/]+)$"));
        if (auto m = groupVersion.match(p); m.hasMatch())
            return {200,
                    QStringLiteral(
                        R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":"%1","resources":[]})")
                        .arg(m.captured(1))
                        .toUtf8()};
        const QJsonObject deployment = sample(QStringLiteral("deployment_apps_v1_nginx.json"));
        const QString depPath = QStringLiteral("/apis/apps/v1/namespaces/%1/deployments/%2")
                                    .arg(deployment["metadata"].toObject()["namespace"].toString(),
                                         deployment["metadata"].toObject()["name"].toString());
        if (p == depPath + QStringLiteral("/scale"))
            return object(QStringLiteral("scale_autoscaling_v1_fixture.json"));
        if (p == depPath)
            return object(QStringLiteral("deployment_apps_v1_nginx.json"));
        if (p.endsWith(QStringLiteral("/replicasets")))
            return {200, R"({"kind":"ReplicaSetList","apiVersion":"apps/v1","metadata":{},"items":[]})"};
        const QJsonObject node = sample(QStringLiteral("node_v1.json"));
        if (p == QStringLiteral("/api/v1/nodes/") + node["metadata"].toObject()["name"].toString())
            return object(QStringLiteral("node_v1.json"));
        const QJsonObject pod = sample(QStringLiteral("pod_v1.json"));
        if (p == QStringLiteral("/api/v1/namespaces/%1/pods/%2")
                     .arg(pod["metadata"].toObject()["namespace"].toString(),
                          pod["metadata"].toObject()["name"].toString()))
            return {200, file(QStringLiteral("pod_v1.json"))};
        return {404, file(QStringLiteral("status_404_notfound.json"))};
    }

    void acceptLoop() {
        while (!m_stop) {
            pollfd pfd{m_fd, POLLIN, 0};
            if (::poll(&pfd, 1, 100) <= 0)
                continue;
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0)
                continue;
            m_workers.emplace_back([this, c] { serve(c); });
        }
    }

    void serve(int c) {
        QByteArray buf;
        char chunk[65536];
        while (!m_stop) {
            const qsizetype headerEnd = buf.indexOf("\r\n\r\n");
            if (headerEnd < 0) {
                pollfd pfd{c, POLLIN, 0};
                if (::poll(&pfd, 1, 100) <= 0)
                    continue;
                const ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
                if (n <= 0)
                    break;
                buf.append(chunk, n);
                continue;
            }
            const QList<QByteArray> lines = buf.left(headerEnd).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            Request r;
            r.verb = QString::fromLatin1(first.value(0));
            r.target = QString::fromLatin1(first.value(1));
            qsizetype length = 0;
            for (const QByteArray& l : lines.mid(1)) {
                const qsizetype colon = l.indexOf(':');
                const QByteArray key = l.left(colon).trimmed().toLower();
                const QByteArray value = l.mid(colon + 1).trimmed();
                if (key == "content-length")
                    length = value.toLongLong();
                else if (key == "content-type")
                    r.contentType = QString::fromLatin1(value);
            }
            while (buf.size() < headerEnd + 4 + length) {
                const ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
                if (n <= 0)
                    break;
                buf.append(chunk, n);
            }
            r.body = buf.mid(headerEnd + 4, length);
            buf.remove(0, headerEnd + 4 + length);
            {
                std::lock_guard lock(m_mutex);
                m_requests << r;
            }
            const auto [status, body] = respond(r);
            const QByteArray head =
                "HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Not Found") +
                "\r\nContent-Type: " +
                (r.path() == QLatin1String("/openapi/v2")
                     ? QByteArray("application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
                     : QByteArray("application/json")) +
                "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
            const QByteArray out = head + body;
            qsizetype sent = 0;
            while (sent < out.size()) {
                const ssize_t n = ::send(c, out.constData() + sent, size_t(out.size() - sent), MSG_NOSIGNAL);
                if (n <= 0)
                    break;
                sent += n;
            }
        }
        ::close(c);
    }

    QString m_dir;
    int m_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_acceptor;
    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    QList<Request> m_requests;
};
