// SourcesController: glue between the main window and the data sources — loads the sources file, reads
// keyring secrets into the SecretCache, runs the SourceMonitor (live health), puts a health indicator in the
// status bar and a "Data sources…" action in the window, and opens the DataSourcesDialog (saving the file
// and restarting the monitor afterwards). The app installs it; with follow() each accepted edit also switches
// the window's views to the new sources at once (MainWindow::setBackends), no restart needed.
// Thread-safety: UI thread only.
#pragma once

#include "ui/backends.h"
#include "ui/secretstore.h"
#include "ui/sourcemonitor.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

class QLabel;
class QMainWindow;

namespace cairn::ui {

class MainWindow;
class TaskRunner;

class SourcesController : public QObject {
    Q_OBJECT
public:
    // Health checks run on the controller's own TaskRunner (two threads), apart from the window's jobs.
    SourcesController(QString sourcesPath, std::unique_ptr<SecretStore> store, QObject* parent = nullptr);
    ~SourcesController() override;

    // Loads the file (an error sentence on failure) and reads keyring secrets, waiting at most timeoutMs.
    QString load(int timeoutMs = 3000);
    // Adds the status-bar indicator and the action (Ctrl+Shift+D) to the window and starts the monitor.
    void install(QMainWindow* window);
    void openDialog(QWidget* parent);
    // From now on every change of the sources rebuilds the window's backends from allSources() — the demo
    // backends when nothing real is configured — and hands them to window->setBackends().
    void follow(MainWindow* window, Backends demo);
    // What OK in the dialog does: keeps the list, saves the file (an error shows in the indicator), restarts
    // the monitor, switches the followed window's backends, then emits sourcesChanged().
    void applySources(std::vector<sources::SourceConfig> sources);

    const std::vector<sources::SourceConfig>& sources() const { return m_sources; }
    // A source given on the command line: monitored like the others, never written to the file.
    void addTransientSource(const sources::SourceConfig& config);
    // The transient sources followed by the file's.
    std::vector<sources::SourceConfig> allSources() const;
    std::shared_ptr<SecretCache> secretCache() const { return m_cache; }
    sources::SecretResolver resolver() const { return SecretCache::resolverFor(m_cache); }
    SourceMonitor* monitor() const { return m_monitor; }
    // "2 sources ok, 1 down" — what the indicator shows.
    QString summary() const;

signals:
    void sourcesChanged();

private:
    void updateIndicator();
    void switchBackends();

    QString m_path;
    std::unique_ptr<SecretStore> m_store;
    std::shared_ptr<SecretCache> m_cache = std::make_shared<SecretCache>();
    TaskRunner* m_runner;
    SourceMonitor* m_monitor;
    std::vector<sources::SourceConfig> m_sources;
    std::vector<sources::SourceConfig> m_transient;
    QLabel* m_indicator = nullptr;
    QPointer<MainWindow> m_window; // followed by follow()
    Backends m_demo;
};

} // namespace cairn::ui
