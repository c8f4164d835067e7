// SecretStore: where the UI keeps source passwords and tokens — the operating system's keyring through
// QtKeychain when Cairn was built with it, never the workspace database or the sources file (which hold
// "keyring:<key>" references). SecretCache hands the secrets read so far to core (a SecretResolver) so worker
// threads can authenticate without touching the keyring.
// Thread-safety: SecretStore on the UI thread only (its callbacks arrive there); SecretCache from any thread.
#pragma once

#include "cairn/sources/sourceconfig.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace cairn::ui {

class SecretStore {
public:
    using Done = std::function<void(const QString& error)>; // empty error: success
    using ReadDone = std::function<void(std::optional<QString> secret, const QString& error)>;
    virtual ~SecretStore() = default;
    virtual QString backendName() const = 0;
    virtual void write(const QString& key, const QString& secret, Done done) = 0;
    virtual void read(const QString& key, ReadDone done) = 0;
    virtual void remove(const QString& key, Done done) = 0;
};

// The system keyring (Secret Service, KWallet, macOS Keychain, Windows Credential Store) via QtKeychain;
// when Cairn is built without QtKeychain it says so in every error and stores nothing.
class KeychainSecretStore : public SecretStore {
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("cairn"));
    QString backendName() const override;
    void write(const QString& key, const QString& secret, Done done) override;
    void read(const QString& key, ReadDone done) override;
    void remove(const QString& key, Done done) override;
    static bool available();

private:
    QString m_service;
};

// Process memory only (tests, and a session without a keyring): forgotten on exit.
class MemorySecretStore : public SecretStore {
public:
    QString backendName() const override { return QStringLiteral("memory (not saved)"); }
    void write(const QString& key, const QString& secret, Done done) override;
    void read(const QString& key, ReadDone done) override;
    void remove(const QString& key, Done done) override;

private:
    QHash<QString, QString> m_secrets;
};

class SecretCache {
public:
    void put(const std::string& ref, const std::string& secret);
    void drop(const std::string& ref);
    // keyring: refs from the cache; env: and file: as core resolves them.
    Result<std::string> resolve(const std::string& ref) const;
    // A resolver that keeps the cache alive for as long as core holds it.
    static sources::SecretResolver resolverFor(std::shared_ptr<SecretCache> cache);

private:
    mutable std::mutex m_mutex;
    std::map<std::string, std::string> m_secrets;
};

// "keyring:cairn/<source name>" for a source's secret.
QString keyringKeyFor(const QString& sourceName);

} // namespace cairn::ui
