#include "auditlogview.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <fstream>

namespace cairn::ui {

void AuditLogModel::setEntries(std::vector<remediation::AuditEntry> entries) {
    beginResetModel();
    m_entries = std::move(entries);
    m_states.clear();
    for (const auto& e : m_entries) {
        const auto j = nlohmann::json::parse(e.payload, nullptr, false);
        m_states.push_back(j.is_object() && j.contains("state") && j["state"].is_string()
                               ? QString::fromStdString(j["state"].get<std::string>())
                               : QString());
    }
    endResetModel();
}

int AuditLogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditLogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditLogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_entries.size()))
        return {};
    const auto& e = m_entries[std::size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Seq:
            return QVariant::fromValue<qlonglong>(e.seq);
        case Time:
            return QString::fromStdString(formatIso(e.time));
        case Action:
            return QString::fromStdString(e.actionId);
        case Actor:
            return QString::fromStdString(e.actor);
        case Type:
            return QString::fromStdString(e.type);
        case State:
            return m_states[std::size_t(index.row())];
        case Payload:
            return role == Qt::ToolTipRole ? QString::fromStdString(e.payload)
                                           : QString::fromStdString(e.payload).left(200);
        default:
            return {};
        }
    }
    return {};
}

QVariant AuditLogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"#", "Time (UTC)", "Action", "Actor", "Step", "State", "Details"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

void AuditFilterModel::setText(const QString& text) {
    m_text = text;
    invalidateFilter();
}

void AuditFilterModel::setType(const QString& type) {
    m_type = type;
    invalidateFilter();
}

bool AuditFilterModel::filterAcceptsRow(int row, const QModelIndex& parent) const {
    const QAbstractItemModel* m = sourceModel();
    if (!m_type.isEmpty() && m->index(row, AuditLogModel::Type, parent).data().toString() != m_type)
        return false;
    if (m_text.isEmpty())
        return true;
    for (int c = 0; c < m->columnCount(parent); ++c)
        if (m->index(row, c, parent).data(Qt::ToolTipRole).toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    return false;
}

AuditLogView::AuditLogView(std::shared_ptr<remediation::AuditLog> log, QWidget* parent)
    : QWidget(parent)
    , m_log(std::move(log))
    , m_model(new AuditLogModel(this))
    , m_filter(new AuditFilterModel(this)) {
    m_filter->setSourceModel(m_model);
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("auditFilter"));
    m_text->setPlaceholderText(tr("Filter by action, actor, step or details"));
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("auditType"));
    m_type->addItem(tr("All steps"), QString());
    for (const char* t :
         {"propose", "dry-run", "approve", "withdraw-approval", "reject", "amend", "execute-start",
          "execute-finish", "verify", "rollback-start", "rollback-finish", "fail"})
        m_type->addItem(QString::fromLatin1(t), QString::fromLatin1(t));
    auto* verify = new QPushButton(tr("Verify chain"), this);
    verify->setObjectName(QStringLiteral("verifyChain"));
    auto* exportButton = new QPushButton(tr("Export..."), this);
    exportButton->setObjectName(QStringLiteral("exportAudit"));
    bar->addWidget(m_text, 1);
    bar->addWidget(m_type);
    bar->addWidget(verify);
    bar->addWidget(exportButton);
    layout->addLayout(bar);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    layout->addWidget(m_table, 1);
    m_verify = new QLabel(this);
    m_verify->setObjectName(QStringLiteral("verifyResult"));
    m_verify->setWordWrap(true);
    layout->addWidget(m_verify);
    connect(m_text, &QLineEdit::textChanged, m_filter, &AuditFilterModel::setText);
    connect(m_type, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_filter->setType(m_type->itemData(i).toString()); });
    connect(verify, &QPushButton::clicked, this, &AuditLogView::verify);
    connect(exportButton, &QPushButton::clicked, this, &AuditLogView::exportInteractively);
    reload();
}

QString AuditLogView::verifyText() const {
    return m_verify->text();
}

void AuditLogView::reload() {
    auto entries = m_log->entries();
    if (!entries) {
        m_verify->setText(
            tr("Cannot read the audit log: %1").arg(QString::fromStdString(entries.error().what())));
        return;
    }
    m_model->setEntries(std::move(*entries));
    m_table->resizeColumnsToContents();
}

bool AuditLogView::verify() {
    auto r = m_log->verify();
    if (!r) {
        m_verify->setText(tr("Cannot verify: %1").arg(QString::fromStdString(r.error().what())));
        return false;
    }
    if (r->ok)
        m_verify->setText(tr("Audit log intact: %1 entries, hash chain verified.").arg(r->entries));
    else
        m_verify->setText(tr("Audit log TAMPERED at entry %1: %2")
                              .arg(r->firstBadSeq.value_or(0))
                              .arg(QString::fromStdString(r->problem)));
    return r->ok;
}

QString AuditLogView::exportTo(const QString& path) {
    std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
    if (!out)
        return tr("Cannot write %1").arg(path);
    auto n = m_log->exportJsonLines(out);
    if (!n)
        return QString::fromStdString(n.error().what());
    m_verify->setText(tr("Exported %1 entries to %2").arg(*n).arg(path));
    return {};
}

void AuditLogView::exportInteractively() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export audit log"), QStringLiteral("audit.jsonl"), tr("JSON lines (*.jsonl)"));
    if (path.isEmpty())
        return;
    if (const QString err = exportTo(path); !err.isEmpty())
        m_verify->setText(err);
}

} // namespace cairn::ui
