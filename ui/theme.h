// The Cairn look: Fusion style with a dark palette and a small style sheet (sidebar, headings, banner).
// Call once after constructing QApplication. Thread-safety: UI thread only.
#pragma once

class QApplication;

namespace cairn::ui {

void applyTheme(QApplication& app);

} // namespace cairn::ui
