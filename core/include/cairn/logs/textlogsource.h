// TextLogSource: any text log (a file, or a stream such as stdin) read through a LogFormat, served via
// the LogSource contract. Every line becomes a record: lines that do not match the format are kept
// with the whole line as message and fields["unmatched"] = "1"; empty lines are kept too. fields also
// carry every header field and "line" (1-based line number).
//
// Time: the fields Date and Time (joined by a space; "18:01:47,978" commas read as decimal points) or
// a field named Timestamp/Time alone, parsed with cairn::parseTime; a line without a readable time
// takes the time of the line before it (0 before the first), so records stay in file order. Level
// comes from a field named Level (parseLogLevel), service from Component, host from Node or Host.
// A query with an empty (invalid) range does not filter by time.
// A line longer than kMaxLogLineBytes is cut to its first kMaxLogLineBytes (the rest is skipped without
// being held in memory) and its record carries fields["truncated"] = the line's real length in bytes.
// Thread-safety: one thread at a time; a stream source can be scanned once (stdin is not rewound).
#pragma once

#include "cairn/logs/logformat.h"
#include "cairn/sources/logsource.h"

#include <istream>
#include <memory>
#include <optional>
#include <string>

namespace cairn::logs {

// The longest log line kept whole (1 MiB); memory per line read stays at this.
inline constexpr std::size_t kMaxLogLineBytes = std::size_t(1) << 20;

class TextLogSource : public sources::LogSource {
public:
    // A file, re-read on every scan().
    static Result<std::unique_ptr<TextLogSource>> openFile(const std::string& path,
                                                           const std::string& format);
    // A stream the caller owns and keeps alive (std::cin); scan() consumes it.
    static Result<std::unique_ptr<TextLogSource>> fromStream(std::istream& in, const std::string& name,
                                                             const std::string& format);

    std::string name() const override { return m_name; }
    Result<std::size_t> scan(const sources::LogQuery& query,
                             const std::function<bool(const sources::LogRecord&)>& sink,
                             const CancelToken& cancel) override;

    // Lines seen by the last scan that did not match the format.
    std::size_t unmatchedLines() const { return m_unmatched; }
    // Lines seen by the last scan that were longer than kMaxLogLineBytes (and truncated).
    std::size_t truncatedLines() const { return m_truncated; }

private:
    TextLogSource(std::string name, LogFormat format)
        : m_name(std::move(name))
        , m_format(std::move(format)) {}

    std::string m_name;
    std::string m_path; // empty for a stream
    std::istream* m_stream = nullptr;
    LogFormat m_format;
    std::size_t m_unmatched = 0;
    std::size_t m_truncated = 0;
};

// The time a parsed line carries (see above); nullopt when none of its fields is readable.
std::optional<TimeMs> lineTime(const LogFormat& format, const ParsedLine& line);

} // namespace cairn::logs
