// LogFormat: splits a log line into header fields and the message with a Loghub-style record format
// such as "<Date> <Time> <Level> <Component>: <Content>".
//
// Syntax (the `log_format` of Loghub's benchmark settings): `<Name>` is a field; any other text is
// literal; a run of spaces matches any run of whitespace (at least one character); a backslash escapes
// the next character (`\[`, `\|`); `( ... )?` marks an optional part. Fields match lazily, as in Loghub's
// regex translation: each takes the shortest text that lets the rest of the line match, and the
// last field takes the rest of the line. The field named "Content" is the message; without one, the
// last field is. Header fields (all but the last field) are limited to kMaxHeaderFieldBytes so that a
// 1 MB line or binary garbage cannot make matching slow; a line that does not match is reported as
// unmatched (the caller keeps it, with the whole line as its message).
// Thread-safety: a compiled LogFormat is immutable; match() is const and may run on many threads.
#pragma once

#include "cairn/common/error.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::logs {

inline constexpr std::size_t kMaxHeaderFieldBytes = 4096;

// Where each field was found in one line (views into the caller's line).
struct ParsedLine {
    bool matched = false;
    std::vector<std::string_view> values; // one per LogFormat::fieldNames(); empty for absent optionals
    std::string_view message;             // the Content field, or the whole line when unmatched
};

class LogFormat {
public:
    // Compiles a format; an empty format means "the whole line is the message".
    static Result<LogFormat> compile(std::string_view format);

    const std::string& text() const { return m_text; }
    const std::vector<std::string>& fieldNames() const { return m_fields; }
    // Index of a field by name, or -1.
    int fieldIndex(std::string_view name) const;
    int messageField() const { return m_messageField; }

    // Matches one line (without its newline). Reuses `out`'s storage; never allocates once warmed up.
    void match(std::string_view line, ParsedLine& out) const;

    struct Node {
        enum class Kind { Literal, Space, Field, Group, Optional } kind = Kind::Literal;
        std::string literal; // Literal
        int field = -1;      // Field: index into m_fields
        int end = -1;        // Group/Optional: index of the first node after the group
    };

private:
    bool matchFrom(std::size_t node, std::string_view line, std::size_t pos, std::size_t& budget,
                   std::vector<std::string_view>& values) const;

    std::string m_text;
    std::vector<std::string> m_fields;
    std::vector<Node> m_nodes;
    int m_messageField = -1;
    int m_lastField = -1;
};

} // namespace cairn::logs
