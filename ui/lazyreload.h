// LazyReload: how a page that loads from the back ends keeps up with the main window without loading
// while nobody looks. request() says what the page shows is out of date (the time range or selection
// changed, the data sources were edited, its source answered again): a visible page reloads at once, a
// hidden one when it is next shown. follow() wires those triggers from the MainWindow, cancelling the
// page's running jobs (by TaskRunner key) when the data sources change.
// Thread-safety: GUI thread only. Owned by its page (a child QObject that watches the page's show events).
#pragma once

#include <QObject>
#include <QStringList>

#include <functional>
#include <string>

class QWidget;

namespace cairn::ui {

class MainWindow;

class LazyReload : public QObject {
    Q_OBJECT
public:
    // `reload` loads the page; it starts dirty, so the first show loads.
    LazyReload(QWidget* page, std::function<void()> reload);

    void request();
    // The page loaded by itself (a user action): no reload is pending any more.
    void markFresh() { m_dirty = false; }
    bool dirty() const { return m_dirty; }

    struct Triggers {
        bool selection = true;  // MainWindow::selectionChanged
        QStringList cancelKeys; // TaskRunner keys cancelled when the data sources change
        // Name of the page's source: a sourceRecovered() for it reloads (empty function: ignored).
        std::function<std::string()> sourceName;
        // Run first when the data sources change (before the reload request).
        std::function<void()> onSourcesChanged;
    };
    // Time range changes and data source edits always request a reload; the rest as `triggers` says.
    void follow(MainWindow* window, Triggers triggers);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_page;
    std::function<void()> m_reload;
    bool m_dirty = true;
};

} // namespace cairn::ui
