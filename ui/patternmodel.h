// PatternModel: the Logs page's table of log patterns (one row per template): the template with its
// variables, count, a sparkline of counts over the page's time range, first seen, dominant level, and
// how much the pattern changed in the linked chart window. PatternFilter narrows it to new patterns
// and/or a text filter. Plain data in, built by a background job; the model only wraps it.
// Thread-safety: UI thread only.
#pragma once

#include "cairn/logs/loganalyzer.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>

#include <vector>

namespace cairn::ui {

struct PatternRow {
    logs::Pattern pattern;
    std::vector<double> spark; // counts per bucket across the page's range
    bool isNew = false;        // first seen inside the page's range (not in the baseline before it)
    double change = 0.0;       // PatternChange::score in the linked chart window (0: none)
    double ratio = 0.0;        // PatternChange::ratio in that window
};

class PatternModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Template, Count, Trend, FirstSeen, Level, Change, ColumnCount };
    enum Role { SparkRole = Qt::UserRole + 1, IsNewRole, TemplateIdRole, SortRole };

    explicit PatternModel(QObject* parent = nullptr);

    void setRows(std::vector<PatternRow> rows);
    // Updates the change columns (by template id); rows not listed get 0.
    void setChanges(const std::vector<logs::PatternChange>& changes);
    const PatternRow* row(int r) const;
    int rowOf(logs::TemplateId id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<PatternRow> m_rows;
};

class PatternFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit PatternFilter(QObject* parent = nullptr);
    void setNewOnly(bool on);
    bool newOnly() const { return m_newOnly; }
    void setText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool m_newOnly = false;
    QString m_text;
};

// Paints the template with its <*> variables highlighted, and the sparkline column.
class PatternDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

// The template as HTML with variables highlighted (escaped, <*> in the accent colour).
QString templateHtml(const std::vector<std::string>& tokens);

} // namespace cairn::ui
