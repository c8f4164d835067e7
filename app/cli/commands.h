// The table of cairn-cli commands. Each command lives in its own cmd_*.cpp and returns an exit code:
// 0 success, 1 the work failed (message on stderr), 2 bad usage.
#pragma once

namespace cairn::cli {

struct Command {
    const char* name;    // "demo export", "bench nab" — one or two words
    const char* summary; // one line for --help
    int (*run)(int argc, char** argv, int first);
};

// Declared here, defined in the cmd_*.cpp files. Keep sorted by name.
int runAuditExport(int argc, char** argv, int first);
int runAuditVerify(int argc, char** argv, int first);
int runBenchDetectScale(int argc, char** argv, int first);
int runBenchNab(int argc, char** argv, int first);
int runDemoExport(int argc, char** argv, int first);
int runDetect(int argc, char** argv, int first);
int runPluginsList(int argc, char** argv, int first);
int runRemediate(int argc, char** argv, int first);

inline constexpr Command kCommands[] = {
    {"audit export", "write the remediation audit log as JSON lines (--db FILE --out FILE)", runAuditExport},
    {"audit verify", "check the remediation audit log's hash chain and report where it breaks", runAuditVerify},
    {"bench detect-scale", "detector throughput (points/s/core), fleet wall time and state bytes per series",
     runBenchDetectScale},
    {"bench nab", "score the anomaly detector on NAB (--data DIR) with NAB's rules and print the scoreboard",
     runBenchNab},
    {"demo export", "write the demo's metrics (CSV), logs (text) and traces (Jaeger JSON) for a time range",
     runDemoExport},
    {"detect", "add an anomaly_score column to a timestamp,value CSV (--input FILE --output OUT)", runDetect},
    {"plugins list", "list remediation plugins with version, state and error", runPluginsList},
    {"remediate", "dry-run a remediation plan (--plan FILE --dry-run) with policy verdicts", runRemediate},
};

} // namespace cairn::cli
