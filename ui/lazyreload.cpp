#include "lazyreload.h"

#include "mainwindow.h"
#include "taskrunner.h"

#include <QEvent>
#include <QWidget>

namespace cairn::ui {

LazyReload::LazyReload(QWidget* page, std::function<void()> reload)
    : QObject(page)
    , m_page(page)
    , m_reload(std::move(reload)) {
    page->installEventFilter(this);
}

void LazyReload::request() {
    m_dirty = true;
    if (m_page->isVisible()) {
        m_dirty = false;
        m_reload();
    }
}

bool LazyReload::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_page && event->type() == QEvent::Show && m_dirty) {
        m_dirty = false;
        m_reload();
    }
    return QObject::eventFilter(watched, event);
}

void LazyReload::follow(MainWindow* window, Triggers triggers) {
    connect(window, &MainWindow::timeRangeChanged, this, &LazyReload::request);
    if (triggers.selection)
        connect(window, &MainWindow::selectionChanged, this, &LazyReload::request);
    connect(window, &MainWindow::backendsChanged, this,
            [this, window, keys = triggers.cancelKeys, before = triggers.onSourcesChanged] {
                for (const QString& key : keys)
                    window->taskRunner()->cancelKey(key);
                if (before)
                    before();
                request();
            });
    if (triggers.sourceName)
        connect(window, &MainWindow::sourceRecovered, this,
                [this, name = triggers.sourceName](const QString& source) {
                    if (source.toStdString() == name())
                        request();
                });
}

} // namespace cairn::ui
