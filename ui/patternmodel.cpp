#include "patternmodel.h"

#include <QAbstractTextDocumentLayout>
#include <QDateTime>
#include <QPainter>
#include <QPainterPath>
#include <QTextDocument>
#include <QTimeZone>

#include <algorithm>

namespace cairn::ui {

namespace {

QString timeText(TimeMs t) {
    return QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

QString templateHtml(const std::vector<std::string>& tokens) {
    QString html;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i)
            html += QLatin1Char(' ');
        const QString tok = QString::fromStdString(tokens[i]);
        // A token may hold a variable inside ("uid=<*>"): highlight just that part.
        const QStringList parts = tok.split(QStringLiteral("<*>"));
        for (int p = 0; p < parts.size(); ++p) {
            if (p)
                html += QStringLiteral("<span style=\"color:#d9822b;font-weight:600\">&lt;*&gt;</span>");
            html += parts[p].toHtmlEscaped();
        }
    }
    return html;
}

PatternModel::PatternModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void PatternModel::setRows(std::vector<PatternRow> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void PatternModel::setChanges(const std::vector<logs::PatternChange>& changes) {
    for (auto& r : m_rows) {
        r.change = 0.0;
        r.ratio = 0.0;
        for (const auto& c : changes)
            if (c.id == r.pattern.id) {
                r.change = c.score;
                r.ratio = c.ratio;
            }
    }
    if (!m_rows.empty())
        emit dataChanged(index(0, Change), index(int(m_rows.size()) - 1, Change));
}

const PatternRow* PatternModel::row(int r) const {
    return r >= 0 && r < int(m_rows.size()) ? &m_rows[std::size_t(r)] : nullptr;
}

int PatternModel::rowOf(logs::TemplateId id) const {
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].pattern.id == id)
            return int(i);
    return -1;
}

int PatternModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PatternModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PatternModel::data(const QModelIndex& index, int role) const {
    const PatternRow* r = row(index.row());
    if (!r || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    const auto& p = r->pattern;
    switch (role) {
    case TemplateIdRole:
        return quint32(p.id);
    case IsNewRole:
        return r->isNew;
    case SparkRole: {
        QVariantList v;
        for (double x : r->spark)
            v.push_back(x);
        return v;
    }
    case SortRole:
        switch (index.column()) {
        case Count:
        case Trend:
            return qulonglong(p.count);
        case FirstSeen:
            return qint64(p.firstSeen);
        case Level:
            return int(p.level);
        case Change:
            return r->change;
        default:
            return QString::fromStdString(p.text);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Template:
            return QString::fromStdString(p.text);
        case Count:
            return QString::number(qulonglong(p.count));
        case FirstSeen:
            return timeText(p.firstSeen);
        case Level:
            return QString::fromLatin1(sources::toString(p.level).data(),
                                       qsizetype(sources::toString(p.level).size()));
        case Change:
            return r->change > 0 ? QStringLiteral("×%1").arg(r->ratio, 0, 'f', 1) : QString();
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Template)
            return QString::fromStdString(p.samples.empty() ? p.text : p.samples.front());
        if (index.column() == Change && r->change > 0)
            return tr("Count in the chart window is %1 times what the rest of the range predicts")
                .arg(r->ratio, 0, 'f', 1);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Level &&
            (p.level == sources::LogLevel::Error || p.level == sources::LogLevel::Fatal))
            return QColor(0xc0, 0x39, 0x2b);
        if (index.column() == Level && p.level == sources::LogLevel::Warn)
            return QColor(0xb9, 0x77, 0x0e);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Count || index.column() == Change)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant PatternModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Template:
        return tr("Pattern");
    case Count:
        return tr("Count");
    case Trend:
        return tr("Trend");
    case FirstSeen:
        return tr("First seen (UTC)");
    case Level:
        return tr("Level");
    case Change:
        return tr("In window");
    default:
        return {};
    }
}

PatternFilter::PatternFilter(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setSortRole(PatternModel::SortRole);
}

void PatternFilter::setNewOnly(bool on) {
    m_newOnly = on;
    invalidateFilter();
}

void PatternFilter::setText(const QString& text) {
    m_text = text;
    invalidateFilter();
}

bool PatternFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex idx = sourceModel()->index(sourceRow, PatternModel::Template, sourceParent);
    if (m_newOnly && !idx.data(PatternModel::IsNewRole).toBool())
        return false;
    if (!m_text.isEmpty() && !idx.data(Qt::DisplayRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}

void PatternDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const {
    if (index.column() == PatternModel::Template) {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        const auto* model = qobject_cast<const PatternModel*>(index.model());
        QString html;
        if (const auto* proxy = qobject_cast<const QSortFilterProxyModel*>(index.model())) {
            const QModelIndex src = proxy->mapToSource(index);
            if (const auto* pm = qobject_cast<const PatternModel*>(proxy->sourceModel()))
                if (const PatternRow* r = pm->row(src.row()))
                    html = templateHtml(r->pattern.tokens);
        } else if (model) {
            if (const PatternRow* r = model->row(index.row()))
                html = templateHtml(r->pattern.tokens);
        }
        if (index.data(PatternModel::IsNewRole).toBool())
            html = QStringLiteral("<span style=\"background:#2e7d32;color:white\">&nbsp;NEW&nbsp;</span> ") +
                   html;
        QTextDocument doc;
        doc.setDefaultFont(opt.font);
        doc.setDocumentMargin(2);
        doc.setHtml(html);
        painter->save();
        painter->translate(opt.rect.topLeft());
        painter->setClipRect(QRect(QPoint(0, 0), opt.rect.size()));
        QAbstractTextDocumentLayout::PaintContext ctx;
        ctx.palette = opt.palette;
        if (opt.state & QStyle::State_Selected)
            ctx.palette.setColor(QPalette::Text, opt.palette.color(QPalette::HighlightedText));
        doc.documentLayout()->draw(painter, ctx);
        painter->restore();
        return;
    }
    if (index.column() == PatternModel::Trend) {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        const QVariantList v = index.data(PatternModel::SparkRole).toList();
        if (v.size() < 2)
            return;
        double maxV = 0;
        for (const auto& x : v)
            maxV = std::max(maxV, x.toDouble());
        const QRectF r = QRectF(option.rect).adjusted(3, 3, -3, -3);
        QPainterPath path;
        for (int i = 0; i < v.size(); ++i) {
            const double x = r.left() + r.width() * i / (v.size() - 1);
            const double y = r.bottom() - (maxV > 0 ? r.height() * v[i].toDouble() / maxV : 0.0);
            if (i == 0)
                path.moveTo(x, y);
            else
                path.lineTo(x, y);
        }
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(opt.state & QStyle::State_Selected ? opt.palette.color(QPalette::HighlightedText)
                                                                : QColor(0x2d, 0x7f, 0xf9),
                             1.2));
        painter->drawPath(path);
        painter->restore();
        return;
    }
    QStyledItemDelegate::paint(painter, option, index);
}

QSize PatternDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    if (index.column() == PatternModel::Trend)
        s.setWidth(std::max(s.width(), 120));
    return s;
}

} // namespace cairn::ui
