#include "remediationpage.h"

#include "auditlogview.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace cairn::ui {

RemediationPage::RemediationPage(RemediationBackend backend, TaskRunner* runner, QString operatorName,
                                 QWidget* parent)
    : QWidget(parent)
    , m_operator(std::move(operatorName)) {
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    auto* load = new QPushButton(tr("Load plan..."), this);
    load->setObjectName(QStringLiteral("loadPlan"));
    m_actionsBox = new QComboBox(this);
    m_actionsBox->setObjectName(QStringLiteral("planActions"));
    auto* plugins = new QPushButton(tr("Plugins..."), this);
    plugins->setObjectName(QStringLiteral("showPlugins"));
    bar->addWidget(load);
    bar->addWidget(m_actionsBox, 1);
    bar->addWidget(plugins);
    layout->addLayout(bar);
    m_origin = new QLabel(tr("Pick an anomaly on the Anomalies page and choose Remediate… (Ctrl+Shift+R), or "
                             "load a plan file."),
                          this);
    m_origin->setObjectName(QStringLiteral("origin"));
    m_origin->setWordWrap(true);
    layout->addWidget(m_origin);
    auto* split = new QSplitter(Qt::Horizontal, this);
    auto log = backend.log;
    m_panel = new RemediationPanel(std::move(backend), runner, split);
    m_panel->setOperator(m_operator);
    m_audit = new AuditLogView(log, split);
    split->addWidget(m_panel);
    split->addWidget(m_audit);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    connect(m_panel, &RemediationPanel::auditChanged, m_audit, &AuditLogView::reload);
    connect(plugins, &QPushButton::clicked, this, &RemediationPage::pluginsRequested);
    connect(load, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Remediation plan"), {}, tr("JSON (*.json)"));
        if (!path.isEmpty())
            loadPlan(path);
    });
    connect(m_actionsBox, &QComboBox::activated, this, &RemediationPage::proposeIndex);
}

QString RemediationPage::loadPlan(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return tr("Cannot read %1").arg(path);
    auto plan = remediation::parsePlan(f.readAll().toStdString());
    if (!plan)
        return QString::fromStdString(plan.error().what());
    m_actions = std::move(*plan);
    m_origins.assign(m_actions.size(), tr("From the plan file %1").arg(path));
    m_actionsBox->clear();
    for (const auto& a : m_actions)
        m_actionsBox->addItem(
            QStringLiteral("%1 — %2").arg(QString::fromStdString(a.id), QString::fromStdString(a.kind)));
    proposeIndex(0);
    return {};
}

QString RemediationPage::proposeForAnomaly(const detect::Anomaly& anomaly) {
    const QString series = QString::fromStdString(anomaly.series.toString());
    QString error;
    if (!m_proposer)
        error = tr("No remediation can be proposed here: no executor is configured.");
    else if (m_panel->isBusy())
        error = tr("A remediation is running; wait for it to finish before proposing another.");
    if (error.isEmpty()) {
        auto action = m_proposer(anomaly);
        if (!action) {
            error = tr("No remediation for the anomaly in %1: %2")
                        .arg(series, QString::fromStdString(action.error().message));
        } else {
            const QString origin =
                tr("From the anomaly in %1 at %2 (%3)")
                    .arg(series, QString::fromStdString(formatIso(anomaly.peak)),
                         anomaly.explanation.empty() ? tr("score %1").arg(anomaly.score, 0, 'f', 2)
                                                     : QString::fromStdString(anomaly.explanation));
            m_actions.push_back(*action);
            m_origins.push_back(origin);
            m_actionsBox->addItem(QStringLiteral("%1 — %2").arg(QString::fromStdString(action->id),
                                                                QString::fromStdString(action->kind)));
            m_actionsBox->setCurrentIndex(m_actionsBox->count() - 1);
            proposeIndex(int(m_actions.size()) - 1);
            return {};
        }
    }
    m_origin->setText(error);
    return error;
}

QString RemediationPage::originText() const {
    return m_origin->text();
}

void RemediationPage::proposeIndex(int index) {
    if (index < 0 || index >= int(m_actions.size()))
        return;
    m_origin->setText(m_origins[std::size_t(index)]);
    m_panel->propose(m_actions[std::size_t(index)], m_operator);
}

} // namespace cairn::ui
