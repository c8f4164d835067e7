// cairn-cli plugins list: every remediation plugin found, its version, state and error. Metadata is read
// without running plugin code; then each valid plugin is loaded inside cairn-plugin-runner (not here), so a
// broken plugin shows as failed instead of crashing the command.
#include "args.h"
#include "commands.h"

#include "api/pluginexecutor.h"
#include "api/pluginhost.h"

#include <QCoreApplication>

#include <cstdio>

namespace cairn::cli {

int runPluginsList(int argc, char** argv, int first) {
    Args args(argc, argv, first, {"no-load"});
    if (auto u = args.unknown({"no-load", "path"}); !u.empty()) {
        std::fprintf(stderr,
                     "cairn-cli plugins list: unknown option --%s (usage: plugins list [--path DIR[:DIR]] "
                     "[--no-load])\n",
                     u.front().c_str());
        return 2;
    }
    int qargc = 1;
    QCoreApplication app(qargc, argv);
    using namespace cairn::plugins;
    QStringList folders =
        args.has("path")
            ? QString::fromStdString(args.get("path", "")).split(QLatin1Char(':'), Qt::SkipEmptyParts)
            : PluginHost::defaultSearchPaths(QCoreApplication::applicationDirPath());
    PluginHost host;
    host.discover(folders);
    if (!args.has("no-load")) {
        const QString runner = findPluginRunner(QCoreApplication::applicationDirPath());
        if (runner.isEmpty())
            std::fprintf(stderr,
                         "cairn-cli plugins list: cairn-plugin-runner not found; showing metadata only\n");
        else
            host.probeAll(runner);
    }
    if (host.plugins().empty()) {
        std::printf("no plugins found in %s\n", qPrintable(folders.join(QLatin1Char(':'))));
        return 0;
    }
    std::printf("%-12s %-9s %-11s %-8s %s\n", "ID", "VERSION", "STATE", "RISK", "ACTION KINDS / ERROR");
    int failed = 0;
    for (const auto& s : host.plugins()) {
        const QString detail = s.error.isEmpty() ? s.actionKinds.join(QLatin1Char(',')) : s.error;
        std::printf("%-12s %-9s %-11s %-8s %s\n", qPrintable(s.id.isEmpty() ? QStringLiteral("-") : s.id),
                    qPrintable(s.version.isEmpty() ? QStringLiteral("-") : s.version),
                    qPrintable(toString(s.state)),
                    qPrintable(s.risk.isEmpty() ? QStringLiteral("-") : s.risk), qPrintable(detail));
        std::printf("%-12s %s\n", "", qPrintable(s.path));
        if (s.state == PluginState::Failed || s.state == PluginState::Invalid)
            ++failed;
    }
    return 0;
}

} // namespace cairn::cli
