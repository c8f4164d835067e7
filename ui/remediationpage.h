// RemediationPage: the Remediation page of the main window — a toolbar (load a plan file, pick one of its
// actions, show plugins) over a RemediationPanel, and the audit log view beside it, refreshed after every
// transition. Remediations start from an anomaly (proposeForAnomaly, called when the operator picks
// "Remediate…" on the Anomalies page: the app's proposer maps it to an action) or from a plan file. The app
// provides the backend and the proposer and answers pluginsRequested() with a PluginsDialog.
// Thread-safety: UI thread only.
#pragma once

#include "remediationpanel.h"

#include "cairn/detect/detector.h"

#include <QWidget>

#include <functional>
#include <vector>

class QComboBox;
class QLabel;

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

    // Maps an anomaly to a proposed action (kind, targets, verification, rollback); set by the app.
    using AnomalyProposer = std::function<Result<remediation::Action>(const detect::Anomaly&)>;
    void setAnomalyProposer(AnomalyProposer proposer) { m_proposer = std::move(proposer); }
    // Proposes the remediation the proposer derives from `anomaly` and starts its dry run; returns an error
    // sentence (also shown on the page) or empty.
    QString proposeForAnomaly(const detect::Anomaly& anomaly);
    QString originText() const;

signals:
    void pluginsRequested();

private:
    void proposeIndex(int index);

    RemediationPanel* m_panel;
    AuditLogView* m_audit;
    QComboBox* m_actionsBox;
    QLabel* m_origin;
    std::vector<remediation::Action> m_actions;
    std::vector<QString> m_origins; // why each action in the box was proposed
    AnomalyProposer m_proposer;
    QString m_operator;
};

} // namespace cairn::ui
