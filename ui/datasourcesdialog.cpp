#include "ui/datasourcesdialog.h"

#include "ui/taskrunner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace cairn::ui {

namespace {

const char* const kKinds[] = {"prometheus", "elasticsearch", "opensearch", "jaeger",
                              "zipkin",     "tempo",         "demo"};

QString q(const std::string& s) {
    return QString::fromStdString(s);
}
std::string s(const QString& q) {
    return q.trimmed().toStdString();
}

bool isReference(const QString& text) {
    return text.startsWith(QStringLiteral("env:")) || text.startsWith(QStringLiteral("file:")) ||
           text.startsWith(QStringLiteral("keyring:"));
}

} // namespace

QString defaultSourcesPath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/sources.json");
}

Result<std::vector<sources::SourceConfig>> loadSourcesFile(const QString& path) {
    if (!QFileInfo::exists(path))
        return std::vector<sources::SourceConfig>{};
    return sources::loadSourceConfig(path.toStdString());
}

QString saveSourcesFile(const QString& path, const std::vector<sources::SourceConfig>& list) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return QStringLiteral("The sources file cannot be written: ") + f.errorString() +
               QStringLiteral(" (") + path + ")";
    const std::string text = sources::serializeSourceConfig(list);
    f.write(text.data(), static_cast<qint64>(text.size()));
    if (!f.commit())
        return QStringLiteral("The sources file cannot be saved: ") + f.errorString() + QStringLiteral(" (") +
               path + ")";
    return {};
}

DataSourcesDialog::DataSourcesDialog(std::vector<sources::SourceConfig> list, SecretStore* store,
                                     std::shared_ptr<SecretCache> cache, TaskRunner* runner, QWidget* parent)
    : QDialog(parent)
    , m_sources(std::move(list))
    , m_store(store)
    , m_cache(std::move(cache))
    , m_runner(runner) {
    setWindowTitle(tr("Data sources"));
    setObjectName(QStringLiteral("dataSourcesDialog"));

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("sourceList"));
    auto* add = new QPushButton(tr("Add"), this);
    add->setObjectName(QStringLiteral("addButton"));
    auto* remove = new QPushButton(tr("Remove"), this);
    remove->setObjectName(QStringLiteral("removeButton"));
    m_testButton = new QPushButton(tr("Test"), this);
    m_testButton->setObjectName(QStringLiteral("testButton"));

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("kindCombo"));
    for (const char* k : kKinds)
        m_kind->addItem(QString::fromLatin1(k));
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("urlEdit"));
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:9090"));
    m_auth = new QComboBox(this);
    m_auth->setObjectName(QStringLiteral("authCombo"));
    m_auth->addItems({QStringLiteral("none"), QStringLiteral("bearer"), QStringLiteral("basic")});
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("userEdit"));
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(QStringLiteral("secretEdit"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secretNote = new QLabel(this);
    m_secretNote->setWordWrap(true);
    m_headers = new QLineEdit(this);
    m_headers->setObjectName(QStringLiteral("headersEdit"));
    m_headers->setPlaceholderText(QStringLiteral("X-Scope-OrgID: team-a; Other: value"));
    m_caFile = new QLineEdit(this);
    m_caFile->setObjectName(QStringLiteral("caFileEdit"));
    m_insecure = new QCheckBox(tr("Skip TLS verification (unsafe)"), this);
    m_poll = new QSpinBox(this);
    m_poll->setObjectName(QStringLiteral("pollSpin"));
    m_poll->setRange(1, 86400);
    m_poll->setSuffix(QStringLiteral(" s"));
    m_index = new QLineEdit(this);
    m_index->setObjectName(QStringLiteral("indexEdit"));
    m_fields = new QLineEdit(this);
    m_fields->setObjectName(QStringLiteral("fieldsEdit"));
    m_fields->setToolTip(tr("timestamp, message, level, service, host field names"));
    m_tempoMode = new QComboBox(this);
    m_tempoMode->addItems({QStringLiteral("native"), QStringLiteral("jaeger")});
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("testResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Kind"), m_kind);
    form->addRow(tr("URL"), m_url);
    form->addRow(tr("Authentication"), m_auth);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("Password / token"), m_secret);
    form->addRow(QString(), m_secretNote);
    form->addRow(tr("Headers"), m_headers);
    form->addRow(tr("CA file"), m_caFile);
    form->addRow(QString(), m_insecure);
    form->addRow(tr("Poll every"), m_poll);
    form->addRow(tr("Index"), m_index);
    form->addRow(tr("Fields"), m_fields);
    form->addRow(tr("Tempo API"), m_tempoMode);
    form->addRow(m_testButton, m_result);

    auto* listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    auto* left = new QVBoxLayout;
    left->addWidget(m_list);
    left->addLayout(listButtons);
    auto* body = new QHBoxLayout;
    body->addLayout(left, 1);
    body->addLayout(form, 2);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto* root = new QVBoxLayout(this);
    root->addLayout(body);
    root->addWidget(buttons);

    connect(add, &QPushButton::clicked, this, &DataSourcesDialog::addSource);
    connect(remove, &QPushButton::clicked, this, &DataSourcesDialog::removeSource);
    connect(m_testButton, &QPushButton::clicked, this, &DataSourcesDialog::testSource);
    connect(buttons, &QDialogButtonBox::accepted, this, &DataSourcesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &DataSourcesDialog::reject);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row == m_current)
            return;
        QString error;
        if (m_current >= 0 && m_current < static_cast<int>(m_sources.size()) && !storeForm(error)) {
            m_result->setText(error);
            QSignalBlocker block(m_list);
            m_list->setCurrentRow(m_current);
            return;
        }
        loadForm(row);
    });
    refreshList();
    if (!m_sources.empty())
        m_list->setCurrentRow(0);
    else
        loadForm(-1);
    resize(780, 520);
}

QString DataSourcesDialog::testResult() const {
    return m_result->text();
}

void DataSourcesDialog::refreshList() {
    QSignalBlocker block(m_list);
    m_list->clear();
    for (const auto& c : m_sources)
        m_list->addItem(q(c.name) + QStringLiteral("  (") +
                        QString::fromLatin1(sources::toString(c.kind).data()) + ")");
    m_list->setCurrentRow(m_current);
}

void DataSourcesDialog::loadForm(int row) {
    m_current = row;
    const bool valid = row >= 0 && row < static_cast<int>(m_sources.size());
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_name, m_kind, m_url, m_auth, m_user, m_secret, m_headers, m_caFile,
                                         m_insecure, m_poll, m_index, m_fields, m_tempoMode, m_testButton})
        w->setEnabled(valid);
    m_result->clear();
    const sources::SourceConfig c =
        valid ? m_sources[static_cast<std::size_t>(row)] : sources::SourceConfig{};
    m_name->setText(q(c.name));
    m_kind->setCurrentText(QString::fromLatin1(sources::toString(c.kind).data()));
    m_url->setText(q(c.url));
    m_auth->setCurrentText(q(c.authType));
    m_user->setText(q(c.user));
    m_secret->clear();
    auto typed = m_typedSecrets.find(c.name);
    if (typed != m_typedSecrets.end())
        m_secret->setText(typed->second);
    else if (!c.secretRef.empty() && !c.secretRef.starts_with("keyring:"))
        m_secret->setText(q(c.secretRef)); // env:/file: references are not secret
    m_secretNote->setText(c.secretRef.starts_with("keyring:")
                              ? tr("Stored in the %1; leave empty to keep it.").arg(m_store->backendName())
                              : tr("Saved in the %1, never in the sources file. env:VAR or file:PATH keep a "
                                   "reference instead.")
                                    .arg(m_store->backendName()));
    QStringList headers;
    for (const auto& [k, v] : c.headers)
        headers << q(k) + QStringLiteral(": ") + q(v);
    m_headers->setText(headers.join(QStringLiteral("; ")));
    m_caFile->setText(q(c.caFile));
    m_insecure->setChecked(c.insecure);
    m_poll->setValue(static_cast<int>(std::max<TimeMs>(1, c.pollIntervalMs / 1000)));
    m_index->setText(q(c.index));
    m_fields->setText(QStringList{q(c.fields.timestamp), q(c.fields.message), q(c.fields.level),
                                  q(c.fields.service), q(c.fields.host)}
                          .join(QStringLiteral(", ")));
    m_tempoMode->setCurrentText(q(c.mode));
}

sources::SourceConfig DataSourcesDialog::formConfig() const {
    sources::SourceConfig c = m_current >= 0 && m_current < static_cast<int>(m_sources.size())
                                  ? m_sources[static_cast<std::size_t>(m_current)]
                                  : sources::SourceConfig{};
    c.name = s(m_name->text());
    if (auto k = sources::parseSourceKind(s(m_kind->currentText())))
        c.kind = *k;
    c.url = s(m_url->text());
    c.authType = s(m_auth->currentText());
    c.user = s(m_user->text());
    const QString secret = m_secret->text();
    if (isReference(secret))
        c.secretRef = s(secret);
    else if (!secret.isEmpty())
        c.secretRef = s(keyringKeyFor(m_name->text().trimmed()));
    if (c.authType == "none")
        c.secretRef.clear();
    c.headers.clear();
    for (const QString& part : m_headers->text().split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const int colon = part.indexOf(QLatin1Char(':'));
        if (colon > 0)
            c.headers.emplace_back(s(part.left(colon)), s(part.mid(colon + 1)));
    }
    c.caFile = s(m_caFile->text());
    c.insecure = m_insecure->isChecked();
    c.pollIntervalMs = static_cast<TimeMs>(m_poll->value()) * 1000;
    c.index = s(m_index->text());
    const QStringList f = m_fields->text().split(QLatin1Char(','));
    if (f.size() == 5) {
        c.fields.timestamp = s(f[0]);
        c.fields.message = s(f[1]);
        c.fields.level = s(f[2]);
        c.fields.service = s(f[3]);
        c.fields.host = s(f[4]);
    }
    c.mode = s(m_tempoMode->currentText());
    return c;
}

bool DataSourcesDialog::storeForm(QString& error) {
    if (m_current < 0 || m_current >= static_cast<int>(m_sources.size()))
        return true;
    sources::SourceConfig c = formConfig();
    // Validate through the same parser the file goes through: one set of rules.
    std::vector<sources::SourceConfig> probe = m_sources;
    probe[static_cast<std::size_t>(m_current)] = c;
    auto check = sources::parseSourceConfig(sources::serializeSourceConfig(probe));
    if (!check) {
        error = QString::fromStdString(check.error().what());
        return false;
    }
    const std::string oldName = m_sources[static_cast<std::size_t>(m_current)].name;
    if (oldName != c.name) {
        auto it = m_typedSecrets.find(oldName);
        if (it != m_typedSecrets.end()) {
            m_typedSecrets[c.name] = it->second;
            m_typedSecrets.erase(it);
        }
    }
    const QString secret = m_secret->text();
    if (!secret.isEmpty() && !isReference(secret))
        m_typedSecrets[c.name] = secret;
    m_sources[static_cast<std::size_t>(m_current)] = c;
    refreshList();
    return true;
}

void DataSourcesDialog::addSource() {
    QString error;
    if (!storeForm(error)) {
        m_result->setText(error);
        return;
    }
    sources::SourceConfig c;
    int n = static_cast<int>(m_sources.size()) + 1;
    auto taken = [this](const std::string& name) {
        return std::any_of(m_sources.begin(), m_sources.end(), [&](const auto& x) { return x.name == name; });
    };
    do
        c.name = "source-" + std::to_string(n++);
    while (taken(c.name));
    c.url = "http://127.0.0.1:9090";
    m_sources.push_back(c);
    m_current = static_cast<int>(m_sources.size()) - 1;
    refreshList();
    loadForm(m_current);
    m_name->setFocus();
    m_name->selectAll();
}

void DataSourcesDialog::removeSource() {
    if (m_current < 0 || m_current >= static_cast<int>(m_sources.size()))
        return;
    m_typedSecrets.erase(m_sources[static_cast<std::size_t>(m_current)].name);
    m_sources.erase(m_sources.begin() + m_current);
    m_current = std::min(m_current, static_cast<int>(m_sources.size()) - 1);
    refreshList();
    loadForm(m_current);
}

void DataSourcesDialog::testSource() {
    QString error;
    if (!storeForm(error)) {
        m_result->setText(error);
        return;
    }
    if (m_current < 0)
        return;
    const auto config = m_sources[static_cast<std::size_t>(m_current)];
    // The secret typed in this session is used for the test; otherwise the keyring's (through the cache).
    std::optional<std::string> typed;
    if (auto it = m_typedSecrets.find(config.name); it != m_typedSecrets.end())
        typed = it->second.toStdString();
    const auto cache = m_cache;
    sources::SecretResolver resolver = [typed, cache](const std::string& ref) -> Result<std::string> {
        if (typed && ref.starts_with("keyring:"))
            return *typed;
        return cache ? cache->resolve(ref) : sources::resolveSecretDefault(ref);
    };
    const QString name = q(config.name);
    m_result->setStyleSheet({});
    m_result->setText(tr("Testing %1…").arg(name));
    m_runner->run(
        QStringLiteral("datasources-test"), tr("Testing %1").arg(name),
        [config, resolver](const TaskContext& ctx) {
            return sources::checkSource(config, resolver, ctx.cancel);
        },
        [this, name](sources::SourceHealth h) {
            const bool ok = h.state == sources::SourceState::Ok;
            const QString text =
                ok ? tr("OK — version %1, %2 ms").arg(q(h.version)).arg(h.latencyMs) : q(h.error.what());
            m_result->setStyleSheet(ok ? QStringLiteral("color: #2e7d32;")
                                       : QStringLiteral("color: #c62828;"));
            m_result->setText(text);
            emit testFinished(name, ok, text);
        });
}

void DataSourcesDialog::accept() {
    QString error;
    if (!storeForm(error)) {
        m_result->setText(error);
        return;
    }
    // Store typed secrets in the keyring; the list keeps references only.
    auto pending = std::make_shared<int>(static_cast<int>(m_typedSecrets.size()));
    auto errors = std::make_shared<QStringList>();
    auto finish = [this, errors]() {
        m_typedSecrets.clear();
        const QString e = errors->join(QStringLiteral(" "));
        emit saved(e);
        if (e.isEmpty())
            QDialog::accept();
        else
            m_result->setText(e);
    };
    if (*pending == 0) {
        finish();
        return;
    }
    const auto toStore = m_typedSecrets; // the store may answer synchronously and finish() clears the map
    for (const auto& [name, secret] : toStore) {
        const QString key = keyringKeyFor(q(name));
        const std::string ref = key.toStdString();
        const std::string value = secret.toStdString();
        m_store->write(key, secret, [this, pending, errors, finish, ref, value, name](const QString& e) {
            if (e.isEmpty()) {
                if (m_cache)
                    m_cache->put(ref, value);
            } else {
                errors->append(q(name) + QStringLiteral(": ") + e);
            }
            if (--*pending == 0)
                finish();
        });
    }
}

} // namespace cairn::ui
