#include "theme.h"

#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QStyleFactory>

namespace cairn::ui {

void applyTheme(QApplication& app) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    const QColor window(0x14, 0x18, 0x1e), base(0x1b, 0x20, 0x27), alt(0x20, 0x26, 0x2e),
        text(0xd5, 0xdc, 0xe5), dim(0x8b, 0x94, 0x9e), accent(0x2f, 0x81, 0xf7);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alt);
    p.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x31, 0x3b));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, dim);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x23, 0x29, 0x32));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x58, 0xa6, 0xff));
    p.setColor(QPalette::Mid, QColor(0x30, 0x36, 0x3d));
    p.setColor(QPalette::Dark, QColor(0x0d, 0x11, 0x17));
    p.setColor(QPalette::Disabled, QPalette::Text, dim);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, dim);
    p.setColor(QPalette::Disabled, QPalette::WindowText, dim);
    app.setPalette(p);

    QFont f = app.font();
    if (f.pointSizeF() < 10.0)
        f.setPointSizeF(10.0);
    app.setFont(f);

    app.setStyleSheet(QStringLiteral(R"(
QToolBar { background: #0f1318; border: none; border-bottom: 1px solid #262c34; spacing: 6px; padding: 4px 6px; }
QToolBar#pagesToolBar { padding: 0; border-bottom: none; border-right: 1px solid #262c34; }
QToolBar QToolButton { padding: 4px 10px; border-radius: 4px; }
QToolBar QToolButton:hover { background: #232a33; }
QLabel#brand { font-weight: 700; font-size: 13pt; color: #e6edf3; }
QListWidget#pageList { background: #0f1318; border: none; padding-top: 8px; outline: 0; }
QListWidget#pageList::item { padding-left: 14px; color: #aab4bf; border-left: 3px solid transparent; }
QListWidget#pageList::item:selected { background: #1b2129; color: #ffffff; border-left: 3px solid #2f81f7; }
QListWidget#pageList::item:hover:!selected { background: #161b22; }
QDockWidget { titlebar-close-icon: none; }
QDockWidget::title { background: #0f1318; padding: 6px 8px; color: #8b949e; }
QTreeView, QTableView { border: 1px solid #262c34; border-radius: 4px; }
QTreeView::item { padding: 3px 2px; }
QTableView::item { padding: 3px 6px; }
QHeaderView::section { background: #161b22; color: #8b949e; border: none; border-bottom: 1px solid #262c34; padding: 5px 6px; }
QLabel#pageTitle { font-size: 15pt; font-weight: 600; color: #e6edf3; }
QLabel#pageSubtitle { color: #8b949e; padding-bottom: 4px; }
QLabel#sectionTitle { font-size: 11pt; font-weight: 600; color: #c9d1d9; padding-top: 8px; }
QLabel#pageMessage { color: #8b949e; font-size: 12pt; }
QFrame#errorBanner { background: #3d1d20; border-bottom: 1px solid #f85149; }
QFrame#errorBanner QLabel { color: #ffdcd7; }
QStatusBar { background: #0f1318; color: #8b949e; border-top: 1px solid #262c34; }
QStatusBar QLabel { color: #8b949e; padding: 0 6px; }
QProgressBar { background: #21262d; border: none; border-radius: 3px; }
QProgressBar::chunk { background: #2f81f7; border-radius: 3px; }
QComboBox { padding: 3px 8px; min-width: 120px; }
QScrollArea { background: transparent; }
)"));
}

} // namespace cairn::ui
