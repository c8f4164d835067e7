// cairn-cli remediate --plan FILE --dry-run: proposes every action of a plan, shows the policy's verdict and
// why, and dry-runs it through its plugin (out of process), showing the exact commands. Each proposal and dry
// run is written to the workspace's audit log. Executing needs approvals, which the GUI collects.
#include "args.h"
#include "commands.h"

#include "api/pluginexecutor.h"
#include "api/pluginhost.h"
#include "cairn/remediation/lifecycle.h"
#include "cairn/storage/workspace.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace cairn::cli {

using namespace cairn::remediation;

namespace {

Result<std::string> readFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        return fail(ErrorCode::NotFound, "cannot read the file", path);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

void printIndented(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        std::printf("      %s\n", line.c_str());
}

} // namespace

int runRemediate(int argc, char** argv, int first) {
    Args args(argc, argv, first, {"dry-run"});
    const char* usage =
        "usage: remediate --plan FILE --dry-run [--policy FILE] [--plugin-config FILE] [--db FILE] "
        "[--proposer NAME] [--plugin-path DIR[:DIR]]";
    if (auto u =
            args.unknown({"plan", "dry-run", "policy", "plugin-config", "db", "proposer", "plugin-path"});
        !u.empty()) {
        std::fprintf(stderr, "cairn-cli remediate: unknown option --%s (%s)\n", u.front().c_str(), usage);
        return 2;
    }
    std::string missing;
    if (!args.require({"plan"}, missing)) {
        std::fprintf(stderr, "cairn-cli remediate: --%s is required (%s)\n", missing.c_str(), usage);
        return 2;
    }
    if (!args.has("dry-run")) {
        std::fprintf(stderr,
                     "cairn-cli remediate: only --dry-run is available here; executing needs approvals, "
                     "which the Cairn GUI collects (%s)\n",
                     usage);
        return 2;
    }
    auto planText = readFile(args.get("plan", ""));
    if (!planText) {
        std::fprintf(stderr, "cairn-cli remediate: %s\n", planText.error().what().c_str());
        return 1;
    }
    auto plan = parsePlan(*planText);
    if (!plan) {
        std::fprintf(stderr, "cairn-cli remediate: %s (%s)\n", plan.error().what().c_str(),
                     args.get("plan", "").c_str());
        return 1;
    }
    PolicyConfig policyConfig; // deny by default: nothing is allowlisted without a policy file
    if (args.has("policy")) {
        auto text = readFile(args.get("policy", ""));
        auto p = text ? parsePolicy(*text) : Result<PolicyConfig>(std::unexpected(text.error()));
        if (!p) {
            std::fprintf(stderr, "cairn-cli remediate: policy: %s\n", p.error().what().c_str());
            return 1;
        }
        policyConfig = *p;
    }
    QJsonObject pluginConfigs;
    if (args.has("plugin-config")) {
        auto text = readFile(args.get("plugin-config", ""));
        if (!text) {
            std::fprintf(stderr, "cairn-cli remediate: plugin config: %s\n", text.error().what().c_str());
            return 1;
        }
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(*text), &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject()) {
            std::fprintf(stderr, "cairn-cli remediate: plugin config is not a JSON object: %s\n",
                         qPrintable(err.errorString()));
            return 1;
        }
        pluginConfigs = doc.object();
    }
    auto store = WorkspaceAuditStore::open(args.get("db", ""));
    if (!store) {
        std::fprintf(stderr, "cairn-cli remediate: %s\n", store.error().what().c_str());
        return 1;
    }
    AuditLog log(**store);

    int qargc = 1;
    QCoreApplication app(qargc, argv);
    using namespace cairn::plugins;
    const QStringList folders =
        args.has("plugin-path")
            ? QString::fromStdString(args.get("plugin-path", "")).split(QLatin1Char(':'), Qt::SkipEmptyParts)
            : PluginHost::defaultSearchPaths(QCoreApplication::applicationDirPath());
    PluginHost host;
    host.discover(folders);
    PluginExecutor executor(host, findPluginRunner(QCoreApplication::applicationDirPath()), pluginConfigs);
    PolicyEngine policy(policyConfig);
    ExecutionHistory history;
    const std::string proposer = args.get("proposer", std::getenv("USER") ? std::getenv("USER") : "cli");

    int failures = 0;
    for (const Action& action : *plan) {
        std::printf("%s  %s  risk %s%s\n", action.id.c_str(), action.kind.c_str(),
                    std::string(toString(action.risk)).c_str(),
                    action.reversible ? ", reversible" : ", not reversible");
        std::string targets;
        for (const auto& t : action.targets)
            targets += (targets.empty() ? "" : ", ") + t.name +
                       (t.environment.empty() ? "" : " (" + t.environment + ")");
        std::printf("  targets: %s\n", targets.c_str());
        if (!action.expectedEffect.empty())
            std::printf("  expected effect: %s\n", action.expectedEffect.c_str());
        auto r = Remediation::propose(action, proposer, policy, history, log, nowMs());
        if (!r) {
            std::fprintf(stderr, "cairn-cli remediate: %s\n", r.error().what().c_str());
            return 1;
        }
        auto d = r->dryRun(executor, policy, history, CancelToken(), nowMs());
        if (!d) {
            std::fprintf(stderr, "cairn-cli remediate: %s\n", d.error().what().c_str());
            return 1;
        }
        std::printf("  policy: %s\n", r->verdict().summary().c_str());
        const auto& rep = *r->dryRunReport();
        if (rep.ok) {
            std::printf("  dry run: ok\n    command:\n");
            printIndented(rep.command);
            if (!rep.output.empty()) {
                std::printf("    shows:\n");
                printIndented(rep.output);
            }
        } else {
            std::printf("  dry run: REFUSED: %s\n", rep.error.c_str());
        }
        if (!rep.ok || r->verdict().decision == Decision::Deny)
            ++failures;
        std::printf("\n");
    }
    std::printf("%zu action(s) dry-run, %d refused or denied; audit log: %s\n", plan->size(), failures,
                (*store)->workspace()->path().c_str());
    return failures == 0 ? 0 : 1;
}

} // namespace cairn::cli
