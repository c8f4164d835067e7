// Test fixture: a real OpenSSH server (Debian's openssh-server) on 127.0.0.1 and a free port, with a host
// key, a client key and authorized_keys generated for the test, plus the client configuration the SSH plugin
// needs (identity, known_hosts pinned to the generated host key, an empty ssh_config).
#pragma once

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

class SshdFixture {
public:
    QTemporaryDir dir;
    QProcess sshd;
    int port = 0;
    QString error;

    QString path(const QString& name) const { return dir.filePath(name); }

    static QString sshdBinary() {
        for (const char* p : {"/usr/sbin/sshd", "/usr/local/sbin/sshd"})
            if (QFile::exists(QLatin1String(p)))
                return QLatin1String(p);
        return {};
    }

    static bool run(const QString& program, const QStringList& args) {
        QProcess p;
        p.start(program, args);
        return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

    static QString userName() {
        const passwd* pw = getpwuid(getuid());
        return pw ? QString::fromLocal8Bit(pw->pw_name) : QString();
    }

    bool writeFile(const QString& name, const QByteArray& content, bool executable = false) {
        QFile f(path(name));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        f.write(content);
        f.close();
        if (executable)
            f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                             QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
        return true;
    }

    static sockaddr_in loopback(int port) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(quint16(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return a;
    }
    static int freePort() {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a = loopback(0);
        socklen_t len = sizeof a;
        ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        ::close(fd);
        return ntohs(a.sin_port);
    }
    static bool canConnect(int port) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a = loopback(port);
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        return ok;
    }

    // Generates keys and configuration; returns false with `error` set when sshd cannot be used here.
    bool prepare() {
        if (sshdBinary().isEmpty()) {
            error = QStringLiteral("openssh-server is not installed (see tests/deps.d/remediation.list)");
            return false;
        }
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty()) {
            error = QStringLiteral("the OpenSSH client is not installed");
            return false;
        }
        if (getuid() == 0 && !QDir(QStringLiteral("/run/sshd")).exists())
            QDir().mkpath(QStringLiteral("/run/sshd")); // sshd's privilege-separation directory
        if (!run(QStringLiteral("ssh-keygen"), {"-q", "-t", "ed25519", "-N", "", "-f", path("host_key")}) ||
            !run(QStringLiteral("ssh-keygen"), {"-q", "-t", "ed25519", "-N", "", "-f", path("client_key")}) ||
            !run(QStringLiteral("ssh-keygen"),
                 {"-q", "-t", "ed25519", "-N", "", "-f", path("other_host_key")})) {
            error = QStringLiteral("ssh-keygen failed");
            return false;
        }
        QFile::copy(path("client_key.pub"), path("authorized_keys"));
        port = freePort();
        const QByteArray config =
            QStringLiteral("Port %1\nListenAddress 127.0.0.1\nHostKey %2\nPidFile %3\n"
                           "AuthorizedKeysFile %4\nStrictModes no\nPasswordAuthentication no\n"
                           "KbdInteractiveAuthentication no\nUsePAM no\n"
                           "PermitRootLogin prohibit-password\nLogLevel ERROR\n")
                .arg(port)
                .arg(path("host_key"), path("sshd.pid"), path("authorized_keys"))
                .toUtf8();
        writeFile(QStringLiteral("sshd_config"), config);
        writeFile(QStringLiteral("ssh_config"), QByteArray());
        QFile pub(path("host_key.pub"));
        pub.open(QIODevice::ReadOnly);
        const QByteArray hostKey = pub.readAll().trimmed();
        writeFile(QStringLiteral("known_hosts"),
                  "[127.0.0.1]:" + QByteArray::number(port) + " " + hostKey + "\n");
        QFile other(path("other_host_key.pub"));
        other.open(QIODevice::ReadOnly);
        writeFile(QStringLiteral("wrong_known_hosts"),
                  "[127.0.0.1]:" + QByteArray::number(port) + " " + other.readAll().trimmed() + "\n");
        return true;
    }

    bool start() {
        sshd.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        sshd.start(sshdBinary(), {"-D", "-e", "-f", path("sshd_config")});
        if (!sshd.waitForStarted(10000)) {
            error = QStringLiteral("sshd did not start");
            return false;
        }
        for (int i = 0; i < 100; ++i) {
            if (canConnect(port))
                return true;
            if (sshd.state() == QProcess::NotRunning)
                break;
            QThread::msleep(50);
        }
        error = QStringLiteral("sshd did not listen on port %1").arg(port);
        return false;
    }

    // All processes below sshd (its per-connection children and what they run).
    static QList<qint64> descendants(qint64 pid) {
        QList<qint64> out;
        QDir task(QStringLiteral("/proc/%1/task").arg(pid));
        for (const QString& tid : task.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile f(task.filePath(tid + QStringLiteral("/children")));
            if (!f.open(QIODevice::ReadOnly))
                continue;
            for (const QByteArray& c : f.readAll().split(' ')) {
                const qint64 child = c.trimmed().toLongLong();
                if (child > 0) {
                    out << child;
                    out << descendants(child);
                }
            }
        }
        return out;
    }

    // Simulates the target machine dying: the server and every session it started are killed at once.
    void killServerAndSessions() {
        const qint64 main = sshd.processId();
        const auto children = descendants(main);
        ::kill(pid_t(main), SIGKILL);
        for (qint64 c : children)
            ::kill(pid_t(c), SIGKILL);
        sshd.waitForFinished(5000);
    }

    void stop() {
        if (sshd.state() != QProcess::NotRunning) {
            const auto children = descendants(sshd.processId());
            sshd.kill();
            for (qint64 c : children)
                ::kill(pid_t(c), SIGKILL);
            sshd.waitForFinished(5000);
        }
    }

    QJsonObject pluginConfig() const {
        return QJsonObject{{"port", port},
                           {"user", userName()},
                           {"identityFile", path("client_key")},
                           {"knownHostsFile", path("known_hosts")},
                           {"sshConfigFile", path("ssh_config")},
                           {"connectTimeoutS", 5},
                           {"timeoutMs", 20000}};
    }
};
