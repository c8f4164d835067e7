#include "remediationpage.h"

#include "auditlogview.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
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
    m_actionsBox->clear();
    for (const auto& a : m_actions)
        m_actionsBox->addItem(
            QStringLiteral("%1 — %2").arg(QString::fromStdString(a.id), QString::fromStdString(a.kind)));
    proposeIndex(0);
    return {};
}

void RemediationPage::proposeIndex(int index) {
    if (index < 0 || index >= int(m_actions.size()))
        return;
    m_panel->propose(m_actions[std::size_t(index)], m_operator);
}

} // namespace cairn::ui
