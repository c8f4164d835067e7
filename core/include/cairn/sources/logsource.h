// LogSource: the contract for log back ends (the demo, files, Elasticsearch/OpenSearch).
// Records are plain values; scan() streams them in time order so large ranges need not fit in memory.
// Thread-safety: one worker thread at a time per instance unless the implementation says otherwise.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/common/time.h"

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cairn::sources {

enum class LogLevel { Trace, Debug, Info, Warn, Error, Fatal, Unknown };

std::string_view toString(LogLevel level);
// Accepts common spellings: "WARN", "warning", "E", "err", "CRITICAL"...; Unknown otherwise.
LogLevel parseLogLevel(std::string_view text);

struct LogRecord {
    TimeMs time = 0;
    LogLevel level = LogLevel::Unknown;
    std::string service;
    std::string host;
    std::string message;                       // the free text after the header
    std::map<std::string, std::string> fields; // anything else the source knows (trace_id, component...)
};

struct LogQuery {
    TimeRange range;
    std::string service;  // empty: all services
    std::string host;     // empty: all hosts
    std::string contains; // empty: no text filter
    LogLevel minLevel = LogLevel::Trace;
    std::size_t limit = 10000; // 0: no limit (scan only)
};

class LogSource {
public:
    virtual ~LogSource() = default;
    virtual std::string name() const = 0;
    // Streams matching records in time order to sink until it returns false, the limit is hit or the
    // token is cancelled. Returns the number of records delivered.
    virtual Result<std::size_t> scan(const LogQuery& query, const std::function<bool(const LogRecord&)>& sink,
                                     const CancelToken& cancel) = 0;

    // Collects scan() into a vector (bounded by query.limit).
    Result<std::vector<LogRecord>> query(const LogQuery& query, const CancelToken& cancel);
};

} // namespace cairn::sources
