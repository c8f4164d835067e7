// PluginsDialog: the remediation plugins Cairn found, with version, state, risk, action kinds and error.
// The app fills it from its plugin host (the UI never loads plugins). Thread-safety: UI thread only.
#pragma once

#include <QDialog>
#include <QString>
#include <QStringList>

#include <vector>

class QTableWidget;

namespace cairn::ui {

struct PluginRow {
    QString id;
    QString version;
    QString state; // "running", "failed", "invalid", ...
    QString risk;
    QStringList actionKinds;
    QString error;
    QString path;
};

class PluginsDialog : public QDialog {
    Q_OBJECT
public:
    explicit PluginsDialog(std::vector<PluginRow> rows, QWidget* parent = nullptr);
    QTableWidget* table() const { return m_table; }

private:
    QTableWidget* m_table;
};

} // namespace cairn::ui
