// The keyring path for real: a source's password typed into the Data sources dialog goes to the Secret
// Service (gnome-keyring, started and unlocked by tests/scripts/test_keychain.sh under dbus-run-session),
// never into the sources file, the settings or any other file Cairn writes; a new process reads it back.
// Run in two phases by the script (CAIRN_KEYCHAIN_PHASE=store, then =read in a fresh process, both with
// CAIRN_KEYCHAIN_DIR set); not a CTest test itself (run on its own it skips and says how to run it).
#include "ui/datasourcesdialog.h"
#include "ui/secretstore.h"
#include "ui/sourcescontroller.h"

#include <QApplication>
#include <QComboBox>
#include <QDirIterator>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

using namespace cairn;
using namespace cairn::ui;

namespace {

const QString kSecret = QStringLiteral("s3cr3t-Pa55-%1").arg(QStringLiteral("c41rn"));

QString phase() {
    return qEnvironmentVariable("CAIRN_KEYCHAIN_PHASE");
}

QString sourcesPath() {
    return qEnvironmentVariable("CAIRN_KEYCHAIN_DIR") + QStringLiteral("/sources.json");
}

// Every file under the folders Cairn writes to (config, data, cache, the sources file's folder) that holds
// the secret in plain text.
QStringList filesHoldingSecret() {
    QStringList roots{qEnvironmentVariable("CAIRN_KEYCHAIN_DIR")};
    for (auto loc : {QStandardPaths::GenericConfigLocation, QStandardPaths::GenericDataLocation,
                     QStandardPaths::GenericCacheLocation})
        roots << QStandardPaths::writableLocation(loc);
    QStringList hits;
    for (const QString& root : roots) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly) && f.readAll().contains(kSecret.toUtf8()))
                hits << f.fileName();
        }
    }
    return hits;
}

} // namespace

class TestKeychain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (phase().isEmpty() || qEnvironmentVariableIsEmpty("CAIRN_KEYCHAIN_DIR"))
            QSKIP("needs a Secret Service: run tests/scripts/test_keychain.sh (gnome-keyring under "
                  "dbus-run-session)");
        if (!KeychainSecretStore::available())
            QFAIL("Cairn was built without QtKeychain (qtkeychain-qt6-dev)");
    }

    void storesThePasswordInTheKeyringOnly() {
        if (phase() != QLatin1String("store"))
            QSKIP("store phase only");
        SourcesController controller(sourcesPath(), std::make_unique<KeychainSecretStore>());
        QCOMPARE(controller.load(), QString());
        QSignalSpy changed(&controller, &SourcesController::sourcesChanged);
        controller.openDialog(nullptr);
        DataSourcesDialog* dialog = nullptr;
        for (QWidget* w : QApplication::topLevelWidgets())
            if (auto* d = qobject_cast<DataSourcesDialog*>(w))
                dialog = d;
        QVERIFY(dialog);
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("addButton")), Qt::LeftButton);
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("nameEdit"));
        name->clear();
        QTest::keyClicks(name, QStringLiteral("prod"));
        auto* url = dialog->findChild<QLineEdit*>(QStringLiteral("urlEdit"));
        url->clear();
        QTest::keyClicks(url, QStringLiteral("http://127.0.0.1:9090"));
        dialog->findChild<QComboBox*>(QStringLiteral("authCombo"))->setCurrentText(QStringLiteral("bearer"));
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("secretEdit")), kSecret);
        QSignalSpy saved(dialog, &DataSourcesDialog::saved);
        dialog->accept();
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 15000);
        QVERIFY2(saved.front().front().toString().isEmpty(), qPrintable(saved.front().front().toString()));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 5000);

        QFile file(sourcesPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY2(text.contains("keyring:cairn/prod"), text.constData());
        const QStringList leaks = filesHoldingSecret();
        QVERIFY2(leaks.isEmpty(), qPrintable(QStringLiteral("secret found in: ") + leaks.join(", ")));
    }

    void readsThePasswordBackInANewProcess() {
        if (phase() != QLatin1String("read"))
            QSKIP("read phase only");
        SourcesController controller(sourcesPath(), std::make_unique<KeychainSecretStore>());
        QCOMPARE(controller.load(15000), QString());
        QCOMPARE(controller.sources().size(), std::size_t(1));
        QCOMPARE(controller.sources().front().secretRef, std::string("keyring:cairn/prod"));
        auto secret = controller.resolver()("keyring:cairn/prod");
        QVERIFY2(secret, secret ? "" : secret.error().what().c_str());
        QCOMPARE(QString::fromStdString(*secret), kSecret);
        // The connector built from the entry carries it as its bearer token.
        auto http = sources::httpOptionsFor(controller.sources().front(), controller.resolver());
        QVERIFY(http);
        QCOMPARE(QString::fromStdString(http->auth.token), kSecret);
        QVERIFY(filesHoldingSecret().isEmpty());
    }
};

QTEST_MAIN(TestKeychain)
#include "keychain_phases.moc"
