// Drives the Data sources dialog as a user would (offscreen): add, edit, test against a loopback server that
// stands for a Prometheus 2.x (replaying the real API answers) and against a dead port, remove, save with
// a secret that must land in the secret store and never in the sources file. Also the live-mode monitor:
// a source that dies is marked degraded then down, keeps its last-good time, and recovers by itself.
#include "../connectors/replayserver.h"

#include "ui/datasourcesdialog.h"
#include "ui/sourcemonitor.h"
#include "ui/taskrunner.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace cairn;
using namespace cairn::ui;

class TestDataSources : public QObject {
    Q_OBJECT
private:
    template <class T> static T* child(QWidget* w, const char* name) {
        auto* c = w->findChild<T*>(QString::fromLatin1(name));
        if (!c)
            qFatal("missing widget %s", name);
        return c;
    }

private slots:
    void addsTestsAndRemovesSources() {
        if (!ReplayServer::sharedDataPresent())
            QSKIP("shared data (api-samples) is absent");
        ReplayServer prom;
        QVERIFY(prom.start("prometheus.json"));
        TaskRunner runner;
        MemorySecretStore store;
        auto cache = std::make_shared<SecretCache>();
        DataSourcesDialog dialog({}, &store, cache, &runner);
        dialog.show();

        QTest::mouseClick(child<QPushButton>(&dialog, "addButton"), Qt::LeftButton);
        auto* name = child<QLineEdit>(&dialog, "nameEdit");
        auto* url = child<QLineEdit>(&dialog, "urlEdit");
        name->clear();
        QTest::keyClicks(name, "local prom");
        url->clear();
        QTest::keyClicks(url, QString::fromStdString(prom.url()));
        QSignalSpy tested(&dialog, &DataSourcesDialog::testFinished);
        QTest::mouseClick(child<QPushButton>(&dialog, "testButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 10000);
        QVERIFY(tested.at(0).at(1).toBool());
        QVERIFY2(dialog.testResult().contains("2.13.1"), qPrintable(dialog.testResult()));

        // A second Prometheus on a dead port: the test shows the error sentence, the dialog stays usable.
        QTest::mouseClick(child<QPushButton>(&dialog, "addButton"), Qt::LeftButton);
        name->clear();
        QTest::keyClicks(name, "dead");
        url->clear();
        QTest::keyClicks(url, "http://127.0.0.1:1");
        QTest::mouseClick(child<QPushButton>(&dialog, "testButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 2, 15000);
        QVERIFY(!tested.at(1).at(1).toBool());
        QVERIFY2(dialog.testResult().contains("connection refused"), qPrintable(dialog.testResult()));

        auto* list = child<QListWidget>(&dialog, "sourceList");
        QCOMPARE(list->count(), 2);
        QTest::mouseClick(child<QPushButton>(&dialog, "removeButton"), Qt::LeftButton);
        QCOMPARE(list->count(), 1);
        QCOMPARE(dialog.sources().front().name, std::string("local prom"));
        runner.waitForWorkers();
    }

    void rejectsInvalidEntries() {
        TaskRunner runner;
        MemorySecretStore store;
        DataSourcesDialog dialog({}, &store, std::make_shared<SecretCache>(), &runner);
        dialog.show();
        QTest::mouseClick(child<QPushButton>(&dialog, "addButton"), Qt::LeftButton);
        auto* url = child<QLineEdit>(&dialog, "urlEdit");
        url->clear();
        QTest::keyClicks(url, "ftp://nope");
        QTest::mouseClick(child<QPushButton>(&dialog, "testButton"), Qt::LeftButton);
        QVERIFY2(dialog.testResult().contains("http://"), qPrintable(dialog.testResult()));
    }

    void savesSecretsInTheStoreOnly() {
        QTemporaryDir dir;
        TaskRunner runner;
        MemorySecretStore store;
        auto cache = std::make_shared<SecretCache>();
        DataSourcesDialog dialog({}, &store, cache, &runner);
        dialog.show();
        QTest::mouseClick(child<QPushButton>(&dialog, "addButton"), Qt::LeftButton);
        auto* name = child<QLineEdit>(&dialog, "nameEdit");
        name->clear();
        QTest::keyClicks(name, "prod");
        child<QComboBox>(&dialog, "authCombo")->setCurrentText("bearer");
        QTest::keyClicks(child<QLineEdit>(&dialog, "secretEdit"), "t0p-secret");
        QSignalSpy saved(&dialog, &DataSourcesDialog::saved);
        dialog.accept();
        QCOMPARE(saved.count(), 1);
        QCOMPARE(saved.at(0).at(0).toString(), QString());
        QCOMPARE(dialog.sources().front().secretRef, std::string("keyring:cairn/prod"));
        auto fromCache = cache->resolve("keyring:cairn/prod");
        QVERIFY(fromCache && *fromCache == "t0p-secret");
        bool found = false;
        store.read("keyring:cairn/prod", [&found](std::optional<QString> s, const QString&) {
            found = s && *s == QStringLiteral("t0p-secret");
        });
        QVERIFY(found);

        const QString path = dir.filePath("sources.json");
        QCOMPARE(saveSourcesFile(path, dialog.sources()), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(!text.contains("t0p-secret"));
        QVERIFY(text.contains("keyring:cairn/prod"));
        auto loaded = loadSourcesFile(path);
        QVERIFY(loaded && loaded->size() == 1 && loaded->front().name == "prod");
        auto missing = loadSourcesFile(dir.filePath("none.json"));
        QVERIFY(missing && missing->empty());
    }

    void monitorMarksDeadSourcesAndRecovers() {
        TaskRunner runner;
        SourceMonitor monitor(&runner, sources::resolveSecretDefault);
        auto healthy = std::make_shared<std::atomic<bool>>(true);
        monitor.setCheckFunction(
            [healthy](const sources::SourceConfig&, const sources::SecretResolver&, const CancelToken&) {
                sources::SourceHealth h;
                if (healthy->load()) {
                    h.state = sources::SourceState::Ok;
                    h.version = "2.42.0";
                    h.latencyMs = 3;
                } else {
                    h.error = Error{ErrorCode::Network,
                                    "Prometheus source 'p' could not fetch http://x: connection refused.",
                                    {}};
                }
                return h;
            });
        sources::SourceConfig c;
        c.name = "p";
        c.url = "http://127.0.0.1:9";
        c.pollIntervalMs = 200;
        monitor.setSources({c});
        SourceHealthModel model(&monitor);
        QAbstractItemModelTester tester(&model);
        monitor.start();
        QTRY_COMPARE_WITH_TIMEOUT(int(monitor.entry("p")->status), int(SourceStatus::Ok), 5000);
        const QDateTime lastOk = monitor.entry("p")->lastOk;
        QVERIFY(lastOk.isValid());
        QVERIFY(model.data(model.index(0), Qt::DisplayRole).toString().contains("ok, 2.42.0"));

        healthy->store(false);
        QTRY_COMPARE_WITH_TIMEOUT(int(monitor.entry("p")->status), int(SourceStatus::Down), 5000);
        const QString text = model.data(model.index(0), Qt::DisplayRole).toString();
        QVERIFY2(text.contains("down since") && text.contains("connection refused") &&
                     text.contains("showing data from"),
                 qPrintable(text));
        QVERIFY(monitor.entry("p")->lastOk.isValid());

        healthy->store(true);
        QTRY_COMPARE_WITH_TIMEOUT(int(monitor.entry("p")->status), int(SourceStatus::Ok), 5000);
        QVERIFY(monitor.entry("p")->error.isEmpty());
        monitor.stop();
        runner.waitForWorkers();
    }

    void monitorSkipsACycleWhileACheckIsInFlight() {
        TaskRunner runner;
        SourceMonitor monitor(&runner, sources::resolveSecretDefault);
        auto release = std::make_shared<std::atomic<bool>>(false);
        monitor.setCheckFunction([release](const sources::SourceConfig&, const sources::SecretResolver&,
                                           const CancelToken& cancel) {
            while (!release->load() && !cancel.isCancelled())
                QThread::msleep(10);
            sources::SourceHealth h;
            h.state = sources::SourceState::Ok;
            return h;
        });
        sources::SourceConfig c;
        c.name = "slow";
        c.url = "http://127.0.0.1:9";
        c.pollIntervalMs = 200;
        monitor.setSources({c});
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.entry("slow")->skippedCycles >= 2, 5000);
        release->store(true);
        QTRY_COMPARE_WITH_TIMEOUT(int(monitor.entry("slow")->status), int(SourceStatus::Ok), 5000);
        monitor.stop();
        runner.waitForWorkers();
    }
};

QTEST_MAIN(TestDataSources)
#include "tst_datasources.moc"
