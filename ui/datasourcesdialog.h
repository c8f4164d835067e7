// DataSourcesDialog: add, edit, remove and test data sources (several of each kind). Test runs off the UI
// thread and shows the server's version and latency, or the error sentence. Secrets typed here go to the
// SecretStore (the keyring); the list keeps only "keyring:cairn/<name>" references, and env:/file: references
// typed as such are kept as references. loadSourcesFile/saveSourcesFile persist the list as JSON.
// Thread-safety: UI thread only.
#pragma once

#include "cairn/sources/sourceconfig.h"
#include "ui/secretstore.h"

#include <QDialog>

#include <map>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace cairn::ui {

class TaskRunner;

// Default place of the sources file: <AppConfigLocation>/sources.json.
QString defaultSourcesPath();
// Missing file: an empty list. Errors are one sentence.
Result<std::vector<sources::SourceConfig>> loadSourcesFile(const QString& path);
QString saveSourcesFile(const QString& path,
                        const std::vector<sources::SourceConfig>& sources); // error or empty

class DataSourcesDialog : public QDialog {
    Q_OBJECT
public:
    DataSourcesDialog(std::vector<sources::SourceConfig> sources, SecretStore* store,
                      std::shared_ptr<SecretCache> cache, TaskRunner* runner, QWidget* parent = nullptr);

    // The list as edited (secrets already replaced by references).
    const std::vector<sources::SourceConfig>& sources() const { return m_sources; }
    QString testResult() const;

public slots:
    void addSource();
    void removeSource();
    void testSource();
    void accept() override;

signals:
    void testFinished(const QString& name, bool ok, const QString& text);
    // Emitted by accept() once every typed secret is stored (or failed: the error says which).
    void saved(const QString& error);

private:
    void loadForm(int row);
    bool storeForm(QString& error); // form -> m_sources[m_current]
    sources::SourceConfig formConfig() const;
    void refreshList();

    std::vector<sources::SourceConfig> m_sources;
    std::map<std::string, QString>
        m_typedSecrets; // source name -> secret typed this session (not yet stored)
    SecretStore* m_store;
    std::shared_ptr<SecretCache> m_cache;
    TaskRunner* m_runner;
    int m_current = -1;

    QListWidget* m_list = nullptr;
    QLineEdit* m_name = nullptr;
    QComboBox* m_kind = nullptr;
    QLineEdit* m_url = nullptr;
    QComboBox* m_auth = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_secret = nullptr;
    QLineEdit* m_headers = nullptr;
    QLineEdit* m_caFile = nullptr;
    QCheckBox* m_insecure = nullptr;
    QSpinBox* m_poll = nullptr;
    QLineEdit* m_index = nullptr;
    QLineEdit* m_fields = nullptr;
    QComboBox* m_tempoMode = nullptr;
    QLabel* m_result = nullptr;
    QLabel* m_secretNote = nullptr;
    QPushButton* m_testButton = nullptr;
};

} // namespace cairn::ui
