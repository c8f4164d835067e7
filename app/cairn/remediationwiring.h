// Wires guarded remediation into the GUI: the workspace audit log, the policy file
// ($XDG_CONFIG_HOME/cairn/remediation-policy.json; without it every change is denied), the plugin host
// (metadata validated, plugins probed in cairn-plugin-runner) with its configuration
// ($XDG_CONFIG_HOME/cairn/plugins.json) and the Remediation page with its plugins dialog. Only the app knows
// both the UI and the plugin host.
#pragma once

#include <QString>

namespace cairn::ui {
class MainWindow;
}

namespace cairn::app {

// Adds the Remediation page to the window; returns an error sentence (also shown in the window) or empty.
QString addRemediationPage(ui::MainWindow& window);

} // namespace cairn::app
