#include "ui/secretstore.h"

#ifdef CAIRN_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace cairn::ui {

QString keyringKeyFor(const QString& sourceName) {
    return QStringLiteral("keyring:cairn/") + sourceName;
}

namespace {

// "keyring:cairn/prod" -> "cairn/prod" (the key inside the keyring service).
QString bareKey(const QString& key) {
    return key.startsWith(QStringLiteral("keyring:")) ? key.mid(8) : key;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service)
    : m_service(std::move(service)) {}

bool KeychainSecretStore::available() {
#ifdef CAIRN_HAVE_QTKEYCHAIN
    return true;
#else
    return false;
#endif
}

QString KeychainSecretStore::backendName() const {
    return available() ? QStringLiteral("system keyring") : QStringLiteral("none (built without QtKeychain)");
}

#ifdef CAIRN_HAVE_QTKEYCHAIN

void KeychainSecretStore::write(const QString& key, const QString& secret, Done done) {
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setKey(bareKey(key));
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, [done](QKeychain::Job* j) {
        done(j->error() == QKeychain::NoError
                 ? QString()
                 : QStringLiteral("The keyring refused to store the secret: ") + j->errorString());
    });
    job->start();
}

void KeychainSecretStore::read(const QString& key, ReadDone done) {
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setAutoDelete(true);
    job->setKey(bareKey(key));
    QObject::connect(job, &QKeychain::Job::finished, [done](QKeychain::Job* j) {
        auto* r = static_cast<QKeychain::ReadPasswordJob*>(j);
        if (j->error() == QKeychain::NoError)
            done(r->textData(), {});
        else
            done(std::nullopt, QStringLiteral("The keyring could not give the secret: ") + j->errorString());
    });
    job->start();
}

void KeychainSecretStore::remove(const QString& key, Done done) {
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setKey(bareKey(key));
    QObject::connect(job, &QKeychain::Job::finished, [done](QKeychain::Job* j) {
        const bool ok = j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound;
        done(ok ? QString() : QStringLiteral("The keyring could not delete the secret: ") + j->errorString());
    });
    job->start();
}

#else

void KeychainSecretStore::write(const QString&, const QString&, Done done) {
    done(
        QStringLiteral("Cairn was built without QtKeychain, so it cannot store secrets; use an env: or file: "
                       "reference."));
}
void KeychainSecretStore::read(const QString&, ReadDone done) {
    done(std::nullopt, QStringLiteral("Cairn was built without QtKeychain, so it cannot read the keyring."));
}
void KeychainSecretStore::remove(const QString&, Done done) {
    done({});
}

#endif

void MemorySecretStore::write(const QString& key, const QString& secret, Done done) {
    m_secrets[bareKey(key)] = secret;
    done({});
}

void MemorySecretStore::read(const QString& key, ReadDone done) {
    auto it = m_secrets.find(bareKey(key));
    if (it == m_secrets.end())
        done(std::nullopt, QStringLiteral("No secret is stored under ") + key + QStringLiteral("."));
    else
        done(*it, {});
}

void MemorySecretStore::remove(const QString& key, Done done) {
    m_secrets.remove(bareKey(key));
    done({});
}

void SecretCache::put(const std::string& ref, const std::string& secret) {
    std::lock_guard lock(m_mutex);
    m_secrets[ref] = secret;
}

void SecretCache::drop(const std::string& ref) {
    std::lock_guard lock(m_mutex);
    m_secrets.erase(ref);
}

Result<std::string> SecretCache::resolve(const std::string& ref) const {
    if (!ref.starts_with("keyring:"))
        return sources::resolveSecretDefault(ref);
    std::lock_guard lock(m_mutex);
    auto it = m_secrets.find(ref);
    if (it == m_secrets.end())
        return fail(ErrorCode::NotFound,
                    "The secret " + ref + " has not been read from the keyring (is it unlocked?).");
    return it->second;
}

sources::SecretResolver SecretCache::resolverFor(std::shared_ptr<SecretCache> cache) {
    return [cache](const std::string& ref) { return cache->resolve(ref); };
}

} // namespace cairn::ui
