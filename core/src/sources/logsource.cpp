#include "cairn/sources/logsource.h"

#include <algorithm>
#include <cctype>

namespace cairn::sources {

std::string_view toString(LogLevel level) {
    switch (level) {
    case LogLevel::Trace:
        return "TRACE";
    case LogLevel::Debug:
        return "DEBUG";
    case LogLevel::Info:
        return "INFO";
    case LogLevel::Warn:
        return "WARN";
    case LogLevel::Error:
        return "ERROR";
    case LogLevel::Fatal:
        return "FATAL";
    case LogLevel::Unknown:
        return "UNKNOWN";
    }
    return "UNKNOWN";
}

LogLevel parseLogLevel(std::string_view text) {
    std::string s(text);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    if (s == "trace" || s == "t" || s == "finest" || s == "verbose" || s == "v")
        return LogLevel::Trace;
    if (s == "debug" || s == "d" || s == "fine")
        return LogLevel::Debug;
    if (s == "info" || s == "i" || s == "information" || s == "notice")
        return LogLevel::Info;
    if (s == "warn" || s == "w" || s == "warning")
        return LogLevel::Warn;
    if (s == "error" || s == "e" || s == "err" || s == "severe")
        return LogLevel::Error;
    if (s == "fatal" || s == "f" || s == "critical" || s == "crit" || s == "panic" || s == "emerg" ||
        s == "alert")
        return LogLevel::Fatal;
    return LogLevel::Unknown;
}

Result<std::vector<LogRecord>> LogSource::query(const LogQuery& q, const CancelToken& cancel) {
    std::vector<LogRecord> out;
    auto n = scan(
        q,
        [&](const LogRecord& r) {
            out.push_back(r);
            return true;
        },
        cancel);
    if (!n)
        return std::unexpected(n.error());
    return out;
}

} // namespace cairn::sources
