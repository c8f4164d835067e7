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
int runQueryPrometheus(int argc, char** argv, int first);
int runSourcesCheck(int argc, char** argv, int first);

inline constexpr Command kCommands[] = {};

} // namespace cairn::cli
