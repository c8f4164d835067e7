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
int runBenchDemo(int argc, char** argv, int first);
int runBenchDetectDemo(int argc, char** argv, int first);
int runBenchDetectScale(int argc, char** argv, int first);
int runBenchLoghub(int argc, char** argv, int first);
int runBenchLogsThroughput(int argc, char** argv, int first);
int runBenchM4(int argc, char** argv, int first);
int runBenchNab(int argc, char** argv, int first);
int runBenchSources(int argc, char** argv, int first);
int runBenchWarnings(int argc, char** argv, int first);
int runCapacity(int argc, char** argv, int first);
int runDemoExport(int argc, char** argv, int first);
int runDetect(int argc, char** argv, int first);
int runForecast(int argc, char** argv, int first);
int runLogsParse(int argc, char** argv, int first);
int runLogsPatterns(int argc, char** argv, int first);
int runPluginsList(int argc, char** argv, int first);
int runQueryPrometheus(int argc, char** argv, int first);
int runRemediate(int argc, char** argv, int first);
int runSourcesCheck(int argc, char** argv, int first);

inline constexpr Command kCommands[] = {
    {"audit export", "write the remediation audit log as JSON lines (--db FILE --out FILE)", runAuditExport},
    {"audit verify", "check the remediation audit log's hash chain and report where it breaks",
     runAuditVerify},
    {"bench demo",
     "demo environment: time to generate 14 days of every series, log lines per day, traces per minute",
     runBenchDemo},
    {"bench detect-demo", "run detection, alerting and correlation on the demo: incidents found, compression",
     runBenchDetectDemo},
    {"bench detect-scale", "detector throughput (points/s/core), fleet wall time and state bytes per series",
     runBenchDetectScale},
    {"bench loghub", "template-mining grouping accuracy on the Loghub 2k samples", runBenchLoghub},
    {"bench logs-throughput", "lines/s and peak memory of log parsing + template matching on a large file",
     runBenchLogsThroughput},
    {"bench m4", "forecast accuracy on M4-style train/test CSVs: sMAPE, MASE, OWA, interval coverage, speed",
     runBenchM4},
    {"bench nab", "score the anomaly detector on NAB (--data DIR) with NAB's rules and print the scoreboard",
     runBenchNab},
    {"bench sources", "time connector decoding (MB/s) and, with --url, fetching from a real Prometheus",
     runBenchSources},
    {"bench warnings", "replay exhaustion warnings over the demo's history: lead time, precision, recall",
     runBenchWarnings},
    {"capacity", "what runs out first: the demo fleet's bounded resources ranked by time to exhaustion",
     runCapacity},
    {"demo export", "write the demo's metrics (CSV), logs (text) and traces (Jaeger JSON) for a time range",
     runDemoExport},
    {"detect",
     "add an anomaly_score column to a timestamp,value CSV (--input FILE --output OUT), or find anomalies "
     "in PromQL results (--prometheus URL --query Q --start T --end T --step S)",
     runDetect},
    {"forecast", "forecast every series of a wide CSV (id, values...) for --horizon steps", runForecast},
    {"logs parse", "mine log templates from a file or stdin and write LineId,EventId,EventTemplate CSV",
     runLogsParse},
    {"logs patterns", "log patterns, new patterns since a deploy, error trends, frequency anomalies, changes",
     runLogsPatterns},
    {"plugins list", "list remediation plugins with version, state and error", runPluginsList},
    {"query prometheus", "run PromQL against a Prometheus API server; CSV series,timestamp,value",
     runQueryPrometheus},
    {"remediate", "dry-run a remediation plan (--plan FILE --dry-run) with policy verdicts", runRemediate},
    {"sources check",
     "test every source of a configuration file (--config FILE): version, latency or the error",
     runSourcesCheck},
};

} // namespace cairn::cli
