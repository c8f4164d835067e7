#include "pluginsdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cairn::ui {

PluginsDialog::PluginsDialog(std::vector<PluginRow> rows, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Remediation plugins"));
    auto* layout = new QVBoxLayout(this);
    m_table = new QTableWidget(int(rows.size()), 6, this);
    m_table->setObjectName(QStringLiteral("pluginsTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("Plugin"), tr("Version"), tr("State"), tr("Risk"), tr("Action kinds"), tr("Error")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    for (int r = 0; r < int(rows.size()); ++r) {
        const PluginRow& p = rows[std::size_t(r)];
        const QStringList cells{p.id,   p.version, p.state, p.risk, p.actionKinds.join(QStringLiteral(", ")),
                                p.error};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(p.path);
            if (c == 2 && (p.state == QLatin1String("failed") || p.state == QLatin1String("invalid")))
                item->setForeground(Qt::red);
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    layout->addWidget(m_table);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(900, 300);
}

} // namespace cairn::ui
