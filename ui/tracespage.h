// TracesPage: what the trace source says about the window's time range — the service dependency map (caller,
// callee, calls, from the source's dependencies API) and the recent traces of one service (start, trace id,
// root operation, duration, spans, errors). The service follows the navigator's selection when the trace
// source knows it, else the service box. Loads run on the window's TaskRunner; a failed reload keeps the
// rows on screen and the status says how old they are; the page reloads by itself when its source recovers.
// Thread-safety: UI thread only.
#pragma once

#include "cairn/common/time.h"

#include <QDateTime>
#include <QWidget>

class QComboBox;
class QLabel;
class QStandardItemModel;
class QTableView;

namespace cairn::ui {

class MainWindow;

class TracesPage : public QWidget {
    Q_OBJECT
public:
    explicit TracesPage(MainWindow* window);

    QComboBox* serviceBox() const { return m_service; }
    QStandardItemModel* dependencyModel() const { return m_dependencies; }
    QStandardItemModel* traceModel() const { return m_traces; }
    QTableView* traceView() const { return m_traceView; }
    QString statusText() const;
    bool isLoaded() const { return m_loaded; }

public slots:
    void reload();

signals:
    void loaded();
    void failed();

private:
    MainWindow* m_window;
    QComboBox* m_service;
    QLabel* m_status;
    QStandardItemModel* m_dependencies;
    QStandardItemModel* m_traces;
    QTableView* m_dependencyView;
    QTableView* m_traceView;
    QDateTime m_loadedAt;
    bool m_loaded = false;
    bool m_filling = false; // the service box is being refilled: its signal is not a user choice
};

} // namespace cairn::ui
