#include "ui/sourcescontroller.h"

#include "ui/datasourcesdialog.h"
#include "ui/mainwindow.h"
#include "ui/sourcebackends.h"
#include "ui/taskrunner.h"

#include <QAction>
#include <QEventLoop>
#include <QLabel>
#include <QMainWindow>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

namespace cairn::ui {

SourcesController::SourcesController(QString sourcesPath, std::unique_ptr<SecretStore> store, QObject* parent)
    : QObject(parent)
    , m_path(std::move(sourcesPath))
    , m_store(std::move(store))
    , m_runner(new TaskRunner(this, 2))
    , m_monitor(new SourceMonitor(m_runner, SecretCache::resolverFor(m_cache), this)) {
    connect(m_monitor, &SourceMonitor::healthChanged, this, &SourcesController::updateIndicator);
}

SourcesController::~SourcesController() {
    m_monitor->stop();
}

QString SourcesController::load(int timeoutMs) {
    auto list = loadSourcesFile(m_path);
    if (!list)
        return QString::fromStdString(list.error().what());
    m_sources = std::move(*list);
    // Read every keyring secret once, now, so connectors built at startup can authenticate.
    // Keyring answers may arrive after the timeout: they then only fill the cache.
    struct Wait {
        int pending = 0;
        QEventLoop* loop = nullptr;
    };
    auto wait = std::make_shared<Wait>();
    QEventLoop loop;
    for (const auto& c : m_sources) {
        if (!c.secretRef.starts_with("keyring:"))
            continue;
        ++wait->pending;
        const std::string ref = c.secretRef;
        const auto cache = m_cache;
        m_store->read(QString::fromStdString(ref),
                      [cache, ref, wait](std::optional<QString> s, const QString&) {
                          if (s)
                              cache->put(ref, s->toStdString());
                          if (--wait->pending == 0 && wait->loop)
                              wait->loop->quit();
                      });
    }
    if (wait->pending > 0) {
        wait->loop = &loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
        wait->loop = nullptr;
    }
    m_monitor->setSources(allSources());
    return {};
}

void SourcesController::addTransientSource(const sources::SourceConfig& config) {
    m_transient.push_back(config);
    m_monitor->setSources(allSources());
}

std::vector<sources::SourceConfig> SourcesController::allSources() const {
    auto all = m_transient; // given on the command line: it takes precedence
    all.insert(all.end(), m_sources.begin(), m_sources.end());
    return all;
}

void SourcesController::install(QMainWindow* window) {
    m_indicator = new QLabel(window);
    m_indicator->setObjectName(QStringLiteral("sourceHealthIndicator"));
    window->statusBar()->addPermanentWidget(m_indicator);
    auto* action = new QAction(tr("Data sources…"), window);
    action->setObjectName(QStringLiteral("dataSourcesAction"));
    action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    connect(action, &QAction::triggered, this, [this, window] { openDialog(window); });
    window->addAction(action);
    if (auto* tb = window->findChild<QToolBar*>())
        tb->addAction(action);
    updateIndicator();
    m_monitor->start();
}

void SourcesController::openDialog(QWidget* parent) {
    auto* dialog = new DataSourcesDialog(m_sources, m_store.get(), m_cache, m_runner, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DataSourcesDialog::accepted, this, [this, dialog] { applySources(dialog->sources()); });
    dialog->open();
}

void SourcesController::follow(MainWindow* window, Backends demo) {
    m_window = window;
    m_demo = std::move(demo);
}

void SourcesController::applySources(std::vector<sources::SourceConfig> sources) {
    m_sources = std::move(sources);
    const QString error = saveSourcesFile(m_path, m_sources);
    m_monitor->setSources(allSources());
    switchBackends();
    if (!error.isEmpty() && m_indicator)
        m_indicator->setText(error);
    emit sourcesChanged();
}

void SourcesController::switchBackends() {
    if (!m_window)
        return;
    // Building connectors only parses their configuration: nothing here waits on the network.
    auto built = backendsFromSources(allSources(), resolver(), m_demo);
    m_window->setBackends(std::move(built.backends));
    if (!built.errors.isEmpty())
        m_window->showError(built.errors.join(QLatin1Char(' ')));
}

QString SourcesController::summary() const {
    int ok = 0, failing = 0, down = 0, unknown = 0;
    for (const auto& e : m_monitor->entries()) {
        switch (e.status) {
        case SourceStatus::Ok:
            ++ok;
            break;
        case SourceStatus::Degraded:
            ++failing;
            break;
        case SourceStatus::Down:
            ++down;
            break;
        case SourceStatus::Unknown:
            ++unknown;
            break;
        }
    }
    if (m_monitor->entries().empty())
        return tr("No data sources configured");
    QStringList parts;
    if (ok)
        parts << tr("%1 ok").arg(ok);
    if (failing)
        parts << tr("%1 failing").arg(failing);
    if (down)
        parts << tr("%1 down").arg(down);
    if (unknown)
        parts << tr("%1 checking").arg(unknown);
    return tr("Sources: ") + parts.join(QStringLiteral(", "));
}

void SourcesController::updateIndicator() {
    if (!m_indicator)
        return;
    QStringList tips, dots;
    const auto& entries = m_monitor->entries();
    for (const auto& e : entries) {
        const QString colour = e.status == SourceStatus::Down       ? QStringLiteral("#c62828")
                               : e.status == SourceStatus::Degraded ? QStringLiteral("#d98a00")
                               : e.status == SourceStatus::Ok       ? QStringLiteral("#2e7d32")
                                                                    : QStringLiteral("#909090");
        dots << QStringLiteral("<span style=\"color:%1\">●</span> %2")
                    .arg(colour, QString::fromStdString(e.config.name).toHtmlEscaped());
        tips << describe(e);
    }
    // One dot per source (its own health) while they fit; the counts beyond that.
    constexpr int kMaxDots = 4;
    const QString text = entries.empty() ? summary().toHtmlEscaped()
                         : static_cast<int>(entries.size()) <= kMaxDots
                             ? dots.join(QStringLiteral("&nbsp;&nbsp;"))
                             : summary().toHtmlEscaped();
    m_indicator->setText(text);
    m_indicator->setToolTip(tips.join(QLatin1Char('\n')));
}

} // namespace cairn::ui
