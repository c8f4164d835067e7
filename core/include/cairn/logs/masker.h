// Tokenising a log message and masking its variable parts with ONE generic rule set, the same for
// every system: numbers and anything containing a digit (ids, durations like 12ms, sizes like 3.5KB,
// IPv4/IPv6 addresses with ports, UUIDs, timestamps), hex words, URLs, file paths, dotted names
// (host names, Java classes), the value of key=value / key:value pairs, and a size or time unit that
// follows a number ("384.0 B", "5 sec"). A masked token keeps its surrounding brackets and quotes
// ("(uid=0)" becomes "(uid=<*>)"), so the template shows where the variable was.
// Thread-safety: pure functions; a Tokens value belongs to one thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::logs {

inline constexpr std::string_view kWildcard = "<*>";

// Tokens of one message: `text` is the token as written, `masked` the token after masking (equal to
// `text` for constant tokens). The views point into the message and into `arena`.
struct Tokens {
    std::vector<std::string_view> text;
    std::vector<std::string_view> masked;
    std::vector<unsigned char> variable; // 1 when the masker found a variable in the token
    std::string arena;                   // backing store for masked tokens that differ from the text

    std::size_t size() const { return text.size(); }
};

// Splits on whitespace and masks each token. Reuses `out`'s storage. Invalid UTF-8 and control
// bytes are treated as ordinary token bytes.
void tokenize(std::string_view message, Tokens& out);

// True when a masked token is exactly the wildcard.
inline bool isWildcard(std::string_view token) {
    return token == kWildcard;
}

} // namespace cairn::logs
