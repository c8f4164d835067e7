// RemediationPage: the Remediation page of the main window — a toolbar (load a plan file, pick one of its
// actions, show plugins) over a RemediationPanel, and the audit log view beside it, refreshed after every
// transition. The app provides the backend and answers pluginsRequested() with a PluginsDialog.
// Thread-safety: UI thread only.
#pragma once

#include "remediationpanel.h"

#include <QWidget>

#include <vector>

class QComboBox;

namespace cairn::ui {

class AuditLogView;

class RemediationPage : public QWidget {
    Q_OBJECT
public:
    RemediationPage(RemediationBackend backend, TaskRunner* runner, QString operatorName,
                    QWidget* parent = nullptr);

    RemediationPanel* panel() const { return m_panel; }
    AuditLogView* auditView() const { return m_audit; }
    // Loads a plan file (see core/remediation/action.h) and proposes its first action; returns an error
    // sentence or empty.
    QString loadPlan(const QString& path);
    const std::vector<remediation::Action>& planActions() const { return m_actions; }

signals:
    void pluginsRequested();

private:
    void proposeIndex(int index);

    RemediationPanel* m_panel;
    AuditLogView* m_audit;
    QComboBox* m_actionsBox;
    std::vector<remediation::Action> m_actions;
    QString m_operator;
};

} // namespace cairn::ui
