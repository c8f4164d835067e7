// Test helper: starts tests/connectors/replay_server.py on 127.0.0.1 (a free port) for one test case
// and stops it when destroyed. It stands in for servers that cannot be installed here; see the script.
#pragma once

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

#include <string>

class ReplayServer {
public:
    // routes: a file in tests/connectors/routes (or empty); extra: more arguments ("--tls", cert, key...).
    bool start(const QString& routes = {}, const QStringList& extra = {}) {
        const QString dir = QStringLiteral(CAIRN_TEST_SOURCE_DIR) + "/connectors";
        QStringList args{dir + "/replay_server.py", "--root",
                         QStringLiteral(CAIRN_SHARED_DATA_DIR) + "/api-samples", "--root",
                         dir + "/recordings"};
        if (!routes.isEmpty())
            args << "--routes" << dir + "/routes/" + routes;
        args << extra;
        m_process.setProgram(python());
        m_process.setArguments(args);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        for (int i = 0; i < 100 && !m_process.canReadLine(); ++i)
            m_process.waitForReadyRead(100);
        const QByteArray line = m_process.readLine().trimmed();
        if (!line.startsWith("PORT "))
            return false;
        m_port = line.mid(5).toInt();
        return m_port > 0;
    }

    ~ReplayServer() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.closeWriteChannel();
            if (!m_process.waitForFinished(2000)) {
                m_process.kill();
                m_process.waitForFinished(2000);
            }
        }
    }

    // Kills the server without a goodbye, as a crashed back end would go (live-mode tests).
    void kill() {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }

    int port() const { return m_port; }
    std::string url(const std::string& scheme = "http") const {
        return scheme + "://127.0.0.1:" + std::to_string(m_port);
    }

    static QString python() {
        const QString p = QStandardPaths::findExecutable("python3");
        return p.isEmpty() ? QStringLiteral("python3") : p;
    }
    static bool sharedDataPresent() {
        return QDir(QStringLiteral(CAIRN_SHARED_DATA_DIR) + "/api-samples").exists();
    }

private:
    QProcess m_process;
    int m_port = 0;
};
