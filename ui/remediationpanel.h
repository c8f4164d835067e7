// RemediationPanel: one proposed remediation from proposal to outcome. Shows the action (kind, targets, risk,
// reversibility, expected effect), its preview (dry-run command and output, the policy's verdict and why),
// Approve / Reject with a reason, Execute with live output and Cancel, and the verification result. The
// lifecycle itself is core's Remediation; dry runs and executions run on the TaskRunner, never on the UI
// thread. The app hands in the executor (a plugin host or the demo), the policy, the audit log and the
// operator's name; the UI never loads plugins itself.
// Thread-safety: UI thread only; the Remediation is touched by one worker job at a time while buttons are
// off.
#pragma once

#include "cairn/remediation/lifecycle.h"

#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace cairn::ui {

class TaskRunner;

struct RemediationBackend {
    std::shared_ptr<remediation::Executor> executor;
    std::shared_ptr<remediation::MetricProbe> probe; // may be null: actions with a verification then fail it
    std::shared_ptr<remediation::PolicyEngine> policy;
    std::shared_ptr<remediation::AuditLog> log;
    std::shared_ptr<remediation::Clock> clock;
    std::shared_ptr<remediation::ExecutionHistory> history =
        std::make_shared<remediation::ExecutionHistory>();
};

class RemediationPanel : public QWidget {
    Q_OBJECT
public:
    RemediationPanel(RemediationBackend backend, TaskRunner* runner, QWidget* parent = nullptr);

    // Proposes the action as `proposer` and starts its dry run. Replaces the current one (if not running).
    bool propose(const remediation::Action& action, const QString& proposer);
    // Who approves, rejects or executes (defaults to the proposer).
    void setOperator(const QString& name);
    QString operatorName() const;

    // State for tests and the window: empty when nothing is proposed.
    std::optional<remediation::State> state() const;
    const remediation::Remediation* current() const { return m_current.get(); }
    bool isBusy() const { return m_busy; }
    QString previewText() const;
    QString verdictText() const;
    QString outputText() const;
    QString statusText() const;

public slots:
    void approve();
    void reject();
    void execute();
    void cancel();
    // After a failed verification whose rollback the policy left to people: proposes the rollback (it then
    // goes through its own dry run, approvals and execution).
    void proposeRollback();

signals:
    void stateChanged();
    void auditChanged();

private:
    void startDryRun();
    void refresh();
    void setBusy(bool busy);
    void appendOutput(const QString& text);

    RemediationBackend m_backend;
    TaskRunner* m_runner;
    std::shared_ptr<remediation::Remediation> m_current;
    CancelToken m_cancel;
    bool m_busy = false;
    QString m_operator;
    QString m_lastError;

    QLabel* m_title;
    QLabel* m_details;
    QLabel* m_verdict;
    QPlainTextEdit* m_preview;
    QLineEdit* m_operatorEdit;
    QLineEdit* m_reason;
    QPushButton* m_approve;
    QPushButton* m_reject;
    QPushButton* m_execute;
    QPushButton* m_cancelButton;
    QPushButton* m_rollbackButton;
    QPlainTextEdit* m_output;
    QLabel* m_status;
};

} // namespace cairn::ui
