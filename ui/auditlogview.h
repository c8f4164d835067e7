// The remediation audit log in the UI: AuditLogModel (a table over the log's entries: seq, time, action,
// actor, type, state, payload) and AuditLogView (text and type filters, Verify with the result sentence,
// Export to JSON lines). Reads go through core's AuditLog; the view never edits entries.
// Thread-safety: UI thread only (the log is small enough to read synchronously on reload; reloads happen
// after a transition, not while work runs).
#pragma once

#include "cairn/remediation/auditlog.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace cairn::ui {

class AuditLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Seq, Time, Action, Actor, Type, State, Payload, ColumnCount };
    explicit AuditLogModel(QObject* parent = nullptr)
        : QAbstractTableModel(parent) {}
    void setEntries(std::vector<remediation::AuditEntry> entries);
    const std::vector<remediation::AuditEntry>& entries() const { return m_entries; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<remediation::AuditEntry> m_entries;
    std::vector<QString> m_states; // parsed once per entry
};

// Filters rows by free text (any column) and by command type ("" = all).
class AuditFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setText(const QString& text);
    void setType(const QString& type);

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QString m_text;
    QString m_type;
};

class AuditLogView : public QWidget {
    Q_OBJECT
public:
    explicit AuditLogView(std::shared_ptr<remediation::AuditLog> log, QWidget* parent = nullptr);

    AuditLogModel* model() const { return m_model; }
    AuditFilterModel* filterModel() const { return m_filter; }
    QString verifyText() const;

public slots:
    void reload();
    // Checks the hash chain and shows the result; returns true when intact.
    bool verify();
    // Writes the whole log (not only the filtered rows) as JSON lines; returns an error sentence or empty.
    QString exportTo(const QString& path);
    void exportInteractively();

private:
    std::shared_ptr<remediation::AuditLog> m_log;
    AuditLogModel* m_model;
    AuditFilterModel* m_filter;
    QLineEdit* m_text;
    QComboBox* m_type;
    QTableView* m_table;
    QLabel* m_verify;
};

} // namespace cairn::ui
