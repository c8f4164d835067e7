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
int runBenchDetectScale(int argc, char** argv, int first);
int runBenchNab(int argc, char** argv, int first);
int runDemoExport(int argc, char** argv, int first);
int runDetect(int argc, char** argv, int first);

inline constexpr Command kCommands[] = {
    {"bench detect-scale", "detector throughput (points/s/core), fleet wall time and state bytes per series",
     runBenchDetectScale},
    {"bench nab", "score the anomaly detector on NAB (--data DIR) with NAB's rules and print the scoreboard",
     runBenchNab},
    {"demo export", "write the demo's metrics (CSV), logs (text) and traces (Jaeger JSON) for a time range",
     runDemoExport},
    {"detect", "add an anomaly_score column to a timestamp,value CSV (--input FILE --output OUT)", runDetect},
};

} // namespace cairn::cli
