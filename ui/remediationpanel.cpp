#include "remediationpanel.h"

#include "taskrunner.h"

#include <cmath>

#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace cairn::ui {

using namespace cairn::remediation;

RemediationPanel::RemediationPanel(RemediationBackend backend, TaskRunner* runner, QWidget* parent)
    : QWidget(parent)
    , m_backend(std::move(backend))
    , m_runner(runner) {
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(tr("No remediation proposed"), this);
    m_title->setObjectName(QStringLiteral("remediationTitle"));
    QFont f = m_title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    m_title->setFont(f);
    m_details = new QLabel(this);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdict = new QLabel(this);
    m_verdict->setObjectName(QStringLiteral("verdict"));
    m_verdict->setWordWrap(true);
    layout->addWidget(m_title);
    layout->addWidget(m_details);
    layout->addWidget(m_verdict);

    auto* previewBox = new QGroupBox(tr("Preview (dry run)"), this);
    auto* pv = new QVBoxLayout(previewBox);
    m_preview = new QPlainTextEdit(previewBox);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    pv->addWidget(m_preview);
    layout->addWidget(previewBox, 1);

    auto* form = new QFormLayout;
    m_operatorEdit = new QLineEdit(this);
    m_operatorEdit->setObjectName(QStringLiteral("operator"));
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("Why you approve or reject (recorded in the audit log)"));
    form->addRow(tr("Operator"), m_operatorEdit);
    form->addRow(tr("Reason"), m_reason);
    layout->addLayout(form);
    connect(m_operatorEdit, &QLineEdit::textChanged, this, [this](const QString& t) {
        m_operator = t.trimmed();
        refresh();
    });

    auto* buttons = new QHBoxLayout;
    m_approve = new QPushButton(tr("Approve"), this);
    m_approve->setObjectName(QStringLiteral("approve"));
    m_reject = new QPushButton(tr("Reject"), this);
    m_reject->setObjectName(QStringLiteral("reject"));
    m_execute = new QPushButton(tr("Execute"), this);
    m_execute->setObjectName(QStringLiteral("execute"));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancel"));
    m_rollbackButton = new QPushButton(tr("Propose rollback"), this);
    m_rollbackButton->setObjectName(QStringLiteral("proposeRollback"));
    buttons->addWidget(m_approve);
    buttons->addWidget(m_reject);
    buttons->addStretch(1);
    buttons->addWidget(m_rollbackButton);
    buttons->addWidget(m_execute);
    buttons->addWidget(m_cancelButton);
    layout->addLayout(buttons);
    connect(m_approve, &QPushButton::clicked, this, &RemediationPanel::approve);
    connect(m_reject, &QPushButton::clicked, this, &RemediationPanel::reject);
    connect(m_execute, &QPushButton::clicked, this, &RemediationPanel::execute);
    connect(m_cancelButton, &QPushButton::clicked, this, &RemediationPanel::cancel);
    connect(m_rollbackButton, &QPushButton::clicked, this, &RemediationPanel::proposeRollback);

    auto* outBox = new QGroupBox(tr("Execution output"), this);
    auto* ov = new QVBoxLayout(outBox);
    m_output = new QPlainTextEdit(outBox);
    m_output->setObjectName(QStringLiteral("output"));
    m_output->setReadOnly(true);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    ov->addWidget(m_output);
    layout->addWidget(outBox, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    refresh();
}

void RemediationPanel::setOperator(const QString& name) {
    m_operator = name.trimmed();
    m_operatorEdit->setText(m_operator);
}

QString RemediationPanel::operatorName() const {
    return m_operator;
}

std::optional<State> RemediationPanel::state() const {
    if (!m_current)
        return std::nullopt;
    return m_current->state();
}

QString RemediationPanel::previewText() const {
    return m_preview->toPlainText();
}
QString RemediationPanel::verdictText() const {
    return m_verdict->text();
}
QString RemediationPanel::outputText() const {
    return m_output->toPlainText();
}
QString RemediationPanel::statusText() const {
    return m_status->text();
}

bool RemediationPanel::propose(const Action& action, const QString& proposer) {
    if (m_busy)
        return false;
    auto r = Remediation::propose(action, proposer.toStdString(), *m_backend.policy, *m_backend.history,
                                  *m_backend.log, m_backend.clock->now());
    m_output->clear();
    m_preview->clear();
    if (!r) {
        m_current.reset();
        m_lastError = QString::fromStdString(r.error().what());
        refresh();
        return false;
    }
    m_lastError.clear();
    m_current = std::make_shared<Remediation>(std::move(*r));
    if (m_operator.isEmpty())
        setOperator(proposer);
    emit auditChanged();
    startDryRun();
    return true;
}

void RemediationPanel::setBusy(bool busy) {
    m_busy = busy;
    refresh();
}

void RemediationPanel::startDryRun() {
    setBusy(true);
    auto rem = m_current;
    auto backend = m_backend;
    QPointer<RemediationPanel> self(this);
    m_runner->run(
        QStringLiteral("remediation-dry-run"),
        tr("Dry run of %1").arg(QString::fromStdString(rem->action().id)),
        [rem, backend](const TaskContext& ctx) {
            return rem->dryRun(*backend.executor, *backend.policy, *backend.history, ctx.cancel,
                               backend.clock->now());
        },
        [self, this](Result<void> r) {
            if (!self)
                return;
            m_lastError = r ? QString() : QString::fromStdString(r.error().what());
            setBusy(false);
            emit auditChanged();
            emit stateChanged();
        });
}

void RemediationPanel::approve() {
    if (!m_current || m_busy)
        return;
    auto r =
        m_current->approve(m_operator.toStdString(), m_reason->text().toStdString(), m_backend.clock->now());
    m_lastError = r ? QString() : QString::fromStdString(r.error().message);
    if (r)
        m_reason->clear();
    refresh();
    emit auditChanged();
    emit stateChanged();
}

void RemediationPanel::reject() {
    if (!m_current || m_busy)
        return;
    auto r =
        m_current->reject(m_operator.toStdString(), m_reason->text().toStdString(), m_backend.clock->now());
    m_lastError = r ? QString() : QString::fromStdString(r.error().message);
    refresh();
    emit auditChanged();
    emit stateChanged();
}

void RemediationPanel::appendOutput(const QString& text) {
    m_output->moveCursor(QTextCursor::End);
    m_output->insertPlainText(text);
    m_output->moveCursor(QTextCursor::End);
}

void RemediationPanel::execute() {
    if (!m_current || m_busy)
        return;
    m_output->clear();
    m_cancel = CancelToken::create();
    setBusy(true);
    auto rem = m_current;
    auto backend = m_backend;
    const std::string actor = m_operator.toStdString();
    CancelToken cancel = m_cancel;
    QPointer<RemediationPanel> self(this);
    // Output arrives on the worker thread; hand it to the UI thread queued.
    OutputSink sink = [self](std::string_view chunk) {
        const QString text = QString::fromUtf8(chunk.data(), qsizetype(chunk.size()));
        QMetaObject::invokeMethod(
            self.data(),
            [self, text] {
                if (self)
                    self->appendOutput(text);
            },
            Qt::QueuedConnection);
    };
    // The job's own cancel is not used: a cancelled execution still has an outcome to show and record.
    m_runner->run(
        QStringLiteral("remediation-execute-%1").arg(QString::fromStdString(rem->action().id)),
        tr("Executing %1").arg(QString::fromStdString(rem->action().id)),
        [rem, backend, actor, cancel, sink](const TaskContext&) {
            return rem->execute(actor, {*backend.executor, *backend.policy, *backend.history, *backend.clock,
                                        backend.probe.get(), cancel, sink});
        },
        [self, this](Result<State> r) {
            if (!self)
                return;
            m_lastError = r ? QString() : QString::fromStdString(r.error().message);
            setBusy(false);
            emit auditChanged();
            emit stateChanged();
        });
}

void RemediationPanel::cancel() {
    m_cancel.cancel();
}

void RemediationPanel::proposeRollback() {
    if (!m_current || m_busy || !m_current->proposedRollback())
        return;
    const Action rollback = *m_current->proposedRollback();
    propose(rollback, m_operator.isEmpty() ? QString::fromStdString(m_current->proposer()) : m_operator);
}

void RemediationPanel::refresh() {
    const bool have = m_current != nullptr;
    const State s = have ? m_current->state() : State::Proposed;
    const bool open = have && !isTerminal(s) && !m_busy;
    m_approve->setEnabled(open && (s == State::DryRun || s == State::Approved) && !m_operator.isEmpty());
    m_reject->setEnabled(open);
    m_execute->setEnabled(open && (s == State::Approved ||
                                   (s == State::DryRun && m_current->verdict().decision == Decision::Allow)));
    m_cancelButton->setEnabled(m_busy);
    m_rollbackButton->setVisible(have && s == State::Failed && m_current->proposedRollback());
    m_rollbackButton->setEnabled(!m_busy);
    if (!have) {
        m_title->setText(tr("No remediation proposed"));
        m_details->clear();
        m_verdict->clear();
        m_status->setText(m_lastError);
        return;
    }
    const Action& a = m_current->action();
    m_title->setText(
        QStringLiteral("%1 — %2").arg(QString::fromStdString(a.id), QString::fromStdString(a.kind)));
    QStringList targets;
    for (const auto& t : a.targets)
        targets << QString::fromStdString(t.name) +
                       (t.environment.empty()
                            ? QString()
                            : QStringLiteral(" (%1)").arg(QString::fromStdString(t.environment)));
    QString details = tr("Targets: %1\nRisk: %2, %3")
                          .arg(targets.join(QStringLiteral(", ")), QString::fromUtf8(toString(a.risk).data()),
                               a.reversible ? tr("reversible") : tr("not reversible"));
    if (!a.expectedEffect.empty())
        details += tr("\nExpected effect: %1").arg(QString::fromStdString(a.expectedEffect));
    if (a.verification) {
        QString series = QString::fromStdString(a.verification->metric);
        if (!a.verification->labels.empty()) {
            QStringList labels;
            for (const auto& [k, v] : a.verification->labels)
                labels
                    << QStringLiteral("%1=\"%2\"").arg(QString::fromStdString(k), QString::fromStdString(v));
            series += QLatin1Char('{') + labels.join(QLatin1Char(',')) + QLatin1Char('}');
        }
        const double t = a.verification->threshold;
        const QString threshold =
            std::abs(t) >= 1e6 ? QString::number(t, 'f', 0) : QString::number(t, 'g', 6);
        details += tr("\nVerification: %1 %2 %3 within %4 s")
                       .arg(series,
                            a.verification->comparator == Comparator::Below ? QStringLiteral("<")
                                                                            : QStringLiteral(">"),
                            threshold)
                       .arg(a.verification->withinMs / 1000);
    }
    if (a.rollback) {
        QStringList params;
        for (const auto& [k, v] : a.rollback->parameters)
            params << QStringLiteral("%1=%2").arg(QString::fromStdString(k), QString::fromStdString(v));
        details +=
            tr("\nRollback: %1%2")
                .arg(QString::fromStdString(a.rollback->kind),
                     params.isEmpty() ? QString()
                                      : QStringLiteral(" (%1)").arg(params.join(QStringLiteral(", "))));
    }
    m_details->setText(details);
    m_verdict->setText(tr("Policy: %1").arg(QString::fromStdString(m_current->verdict().summary())));
    if (const auto& d = m_current->dryRunReport()) {
        QString text = d->ok ? tr("Command:\n%1").arg(QString::fromStdString(d->command))
                             : tr("Dry run refused: %1").arg(QString::fromStdString(d->error));
        if (!d->output.empty())
            text += tr("\n\nShows:\n%1").arg(QString::fromStdString(d->output));
        m_preview->setPlainText(text);
    } else if (m_busy) {
        m_preview->setPlainText(tr("Running the dry run..."));
    }
    QStringList approvers;
    for (const auto& ap : m_current->validApprovals())
        approvers << QString::fromStdString(ap.actor);
    QString status = tr("State: %1").arg(QString::fromUtf8(toString(s).data()));
    if (m_current->verdict().requiredApprovals > 0)
        status +=
            tr(" — approvals %1 of %2%3")
                .arg(approvers.size())
                .arg(m_current->verdict().requiredApprovals)
                .arg(approvers.isEmpty() ? QString()
                                         : QStringLiteral(" (%1)").arg(approvers.join(QStringLiteral(", "))));
    if (s == State::Succeeded && a.verification)
        status += tr(" — verification held");
    if (s == State::RolledBack)
        status += tr(" — verification failed, so the policy ran the rollback");
    if (!m_current->failureReason().empty())
        status += tr(" — %1").arg(QString::fromStdString(m_current->failureReason()));
    if (m_current->proposedRollback())
        status +=
            tr(" — rollback proposed: %1").arg(QString::fromStdString(m_current->proposedRollback()->kind));
    if (!m_lastError.isEmpty())
        status += QStringLiteral("\n") + m_lastError;
    m_status->setText(status);
}

} // namespace cairn::ui
