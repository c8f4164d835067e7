// Wires guarded remediation into the GUI: the workspace audit log, the policy file
// ($XDG_CONFIG_HOME/cairn/remediation-policy.json; without it every change is denied), the plugin host
// (metadata validated, plugins probed in cairn-plugin-runner) with its configuration
// ($XDG_CONFIG_HOME/cairn/plugins.json) and the Remediation page with its plugins dialog. Only the app knows
// both the UI and the plugin host.
// "Remediate…" on the Anomalies page opens the page with an action proposed for the anomaly
// (core/remediation/proposal.h): over SSH when plugins.json configures "ssh" (its optional "rollbackScript"
// names an allowlisted script taking "service" that becomes the restart's rollback; "freeDiskCommand" the
// allowlisted free-disk command), else with kubectl when "kubectl" lists "contexts" (the first one, namespace
// "namespace" or "shop"), else on the demo itself. On the demo, real SSH and kubectl actions also reach the
// simulated shop (DemoMirrorExecutor), so verification sees their effect.
#pragma once

#include <QString>

namespace cairn::ui {
class MainWindow;
}

namespace cairn::app {

// Adds the Remediation page to the window; returns an error sentence (also shown in the window) or empty.
QString addRemediationPage(ui::MainWindow& window);

} // namespace cairn::app
