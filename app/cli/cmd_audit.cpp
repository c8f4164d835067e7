// cairn-cli audit verify | audit export: check and export the remediation audit log of a workspace.
#include "args.h"
#include "commands.h"

#include "cairn/remediation/auditlog.h"
#include "cairn/storage/workspace.h"

#include <cstdio>
#include <fstream>
#include <iostream>

namespace cairn::cli {

using namespace cairn::remediation;

namespace {

int usage(const char* cmd, const char* text) {
    std::fprintf(stderr, "cairn-cli %s: %s\n", cmd, text);
    return 2;
}

} // namespace

int runAuditVerify(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    if (auto u = args.unknown({"db"}); !u.empty())
        return usage("audit verify",
                     ("unknown option --" + u.front() + " (usage: audit verify [--db FILE])").c_str());
    const std::string db = args.get("db", "");
    auto store = WorkspaceAuditStore::open(db);
    if (!store) {
        std::fprintf(stderr, "cairn-cli audit verify: %s\n", store.error().what().c_str());
        return 1;
    }
    AuditLog log(**store);
    auto report = log.verify();
    if (!report) {
        std::fprintf(stderr, "cairn-cli audit verify: %s\n", report.error().what().c_str());
        return 1;
    }
    if (report->ok) {
        std::printf("audit log intact: %lld entries, hash chain verified (%s)\n",
                    static_cast<long long>(report->entries), (*store)->workspace()->path().c_str());
        return 0;
    }
    std::printf("audit log TAMPERED at entry %lld: %s (%lld entries read from %s)\n",
                static_cast<long long>(report->firstBadSeq.value_or(0)), report->problem.c_str(),
                static_cast<long long>(report->entries), (*store)->workspace()->path().c_str());
    return 1;
}

int runAuditExport(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    if (auto u = args.unknown({"db", "out"}); !u.empty())
        return usage(
            "audit export",
            ("unknown option --" + u.front() + " (usage: audit export [--db FILE] [--out FILE])").c_str());
    const std::string db = args.get("db", "");
    auto store = WorkspaceAuditStore::open(db);
    if (!store) {
        std::fprintf(stderr, "cairn-cli audit export: %s\n", store.error().what().c_str());
        return 1;
    }
    AuditLog log(**store);
    Result<std::int64_t> n = 0;
    const std::string out = args.get("out", "");
    if (out.empty() || out == "-") {
        n = log.exportJsonLines(std::cout);
        std::cout.flush();
    } else {
        std::ofstream f(out, std::ios::binary | std::ios::trunc);
        if (!f) {
            std::fprintf(stderr, "cairn-cli audit export: cannot write %s\n", out.c_str());
            return 1;
        }
        n = log.exportJsonLines(f);
    }
    if (!n) {
        std::fprintf(stderr, "cairn-cli audit export: %s\n", n.error().what().c_str());
        return 1;
    }
    std::fprintf(stderr, "exported %lld audit entries\n", static_cast<long long>(*n));
    return 0;
}

} // namespace cairn::cli
