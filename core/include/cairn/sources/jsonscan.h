// scanJson: a strict, streaming (SAX-style) JSON reader for the connectors' large answers.
// Why not nlohmann::json::sax_parse (what the connectors issue asked for): measured with `cairn-cli bench
// sources` on a 33 MB query_range answer (1,000 series x 1,440 points), thread CPU time, median of 3,
// nlohmann 3.11: sax_parse with a handler that does nothing reaches 140-147 MB/s (the lexer copies every
// number and string into its token buffer and converts numbers itself, whatever the handler does; the input
// adapter - const char*, string_view iterators, std::string - changes nothing), the full SAX decoder 117
// MB/s, the DOM parse 58 MB/s; this reader with the same decoder 447 MB/s. The target is 200 MB/s, so the hot
// path (Prometheus matrices) uses this reader: one pass over a contiguous buffer, no allocation for strings
// without escapes (views into the input), numbers through std::from_chars. decodePrometheusQueryNlohmannSax
// keeps the SAX variant for the benchmark and for cross-checking results and errors in tests and fuzzing. It
// accepts exactly RFC 8259 JSON (one value, optional surrounding whitespace) up to a nesting depth of 512,
// and reports the byte offset and reason of the first error.
//
// Handler: bool startObject(); bool endObject(); bool startArray(); bool endArray();
//          bool key(std::string_view); bool string(std::string_view); bool number(std::string_view raw);
//          bool boolean(bool); bool null();
// Numbers are handed over as their validated text: convert with jsonNumber() (or parse integers directly)
// only where the value is needed.
// Returning false from any callback stops the scan (scanJson then returns false with error "stopped").
// Views passed to callbacks are valid only during the call. Thread-safety: a pure function.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sources {

struct JsonScanError {
    std::size_t offset = 0;
    std::string reason;
};

namespace detail {

inline bool isJsonSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

inline void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

inline int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace detail

// Text of a JSON number (or a decimal like "101.745", "-3", "1e5") to a double, correctly rounded.
// Short decimals take Clinger's fast path (an integer below 2^53 divided or multiplied by an exact power
// of ten); everything else goes to std::from_chars. False if the text is not a number.
inline bool jsonNumber(std::string_view text, double& out) {
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char* p = text.data();
    const char* const end = p + text.size();
    bool neg = false;
    if (p < end && *p == '-') {
        neg = true;
        ++p;
    }
    std::uint64_t mantissa = 0;
    int digits = 0, fraction = 0;
    bool dot = false;
    const char* q = p;
    for (; q < end; ++q) {
        const char c = *q;
        if (c >= '0' && c <= '9') {
            mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
            if (mantissa != 0 || dot)
                ++digits;
            if (dot)
                ++fraction;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (q == end && q > p && digits <= 15 && fraction <= 22 && !(dot && q == p + 1)) {
        double v = static_cast<double>(mantissa);
        if (fraction)
            v /= kPow10[fraction];
        out = neg ? -v : v;
        return true;
    }
    auto [r, ec] = std::from_chars(text.data(), end, out);
    return r == end && (ec == std::errc() || ec == std::errc::result_out_of_range);
}

template <class Handler> bool scanJson(std::string_view text, Handler& h, JsonScanError* error = nullptr) {
    const char* const begin = text.data();
    const char* p = begin;
    const char* const end = begin + text.size();
    std::vector<char> stack; // '{' or '['
    stack.reserve(16);
    std::string scratch;

    auto failAt = [&](const char* where, const char* why) {
        if (error) {
            error->offset = static_cast<std::size_t>(where - begin);
            error->reason = why;
        }
        return false;
    };
    auto skipSpace = [&] {
        while (p < end && detail::isJsonSpace(*p))
            ++p;
    };
    // Reads a string starting after the opening quote; sets `out` to a view (input or scratch).
    auto readString = [&](std::string_view& out) -> bool {
        const char* s = p;
        while (p < end) {
            const char c = *p;
            if (c == '"') {
                out = std::string_view(s, static_cast<std::size_t>(p - s));
                ++p;
                return true;
            }
            if (c == '\\')
                break;
            if (static_cast<unsigned char>(c) < 0x20)
                return failAt(p, "control character in a string");
            ++p;
        }
        if (p >= end)
            return failAt(p, "unexpected end inside a string");
        // Escapes: copy into scratch.
        scratch.assign(s, static_cast<std::size_t>(p - s));
        while (p < end) {
            char c = *p++;
            if (c == '"') {
                out = scratch;
                return true;
            }
            if (static_cast<unsigned char>(c) < 0x20)
                return failAt(p - 1, "control character in a string");
            if (c != '\\') {
                scratch += c;
                continue;
            }
            if (p >= end)
                break;
            c = *p++;
            switch (c) {
            case '"':
                scratch += '"';
                break;
            case '\\':
                scratch += '\\';
                break;
            case '/':
                scratch += '/';
                break;
            case 'b':
                scratch += '\b';
                break;
            case 'f':
                scratch += '\f';
                break;
            case 'n':
                scratch += '\n';
                break;
            case 'r':
                scratch += '\r';
                break;
            case 't':
                scratch += '\t';
                break;
            case 'u': {
                auto hex4 = [&](std::uint32_t& v) {
                    if (end - p < 4)
                        return false;
                    v = 0;
                    for (int i = 0; i < 4; ++i) {
                        const int d = detail::hexValue(p[i]);
                        if (d < 0)
                            return false;
                        v = v * 16 + static_cast<std::uint32_t>(d);
                    }
                    p += 4;
                    return true;
                };
                std::uint32_t cp = 0;
                if (!hex4(cp))
                    return failAt(p, "bad \\u escape");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    std::uint32_t lo = 0;
                    if (end - p >= 2 && p[0] == '\\' && p[1] == 'u') {
                        p += 2;
                        if (!hex4(lo) || lo < 0xDC00 || lo > 0xDFFF)
                            return failAt(p, "bad surrogate pair");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else {
                        cp = 0xFFFD; // lone high surrogate
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    cp = 0xFFFD;
                }
                detail::appendUtf8(scratch, cp);
                break;
            }
            default:
                return failAt(p - 1, "bad escape in a string");
            }
        }
        return failAt(p, "unexpected end inside a string");
    };
    auto readNumber = [&]() -> bool {
        const char* s = p;
        if (p < end && *p == '-')
            ++p;
        if (p >= end)
            return failAt(p, "unexpected end inside a number");
        if (*p == '0') {
            ++p;
        } else if (*p >= '1' && *p <= '9') {
            while (p < end && *p >= '0' && *p <= '9')
                ++p;
        } else {
            return failAt(p, "malformed number");
        }
        if (p < end && *p == '.') {
            ++p;
            if (p >= end || *p < '0' || *p > '9')
                return failAt(p, "malformed number");
            while (p < end && *p >= '0' && *p <= '9')
                ++p;
        }
        if (p < end && (*p == 'e' || *p == 'E')) {
            ++p;
            if (p < end && (*p == '+' || *p == '-'))
                ++p;
            if (p >= end || *p < '0' || *p > '9')
                return failAt(p, "malformed number");
            while (p < end && *p >= '0' && *p <= '9')
                ++p;
        }
        if (!h.number(std::string_view(s, static_cast<std::size_t>(p - s))))
            return failAt(s, "stopped");
        return true;
    };
    auto literal = [&](std::string_view word) {
        if (static_cast<std::size_t>(end - p) < word.size() || std::string_view(p, word.size()) != word)
            return false;
        p += word.size();
        return true;
    };

    // State machine: expecting a value, or after a value (comma / close), or a key.
    enum class Expect { Value, KeyOrClose, Key, CommaOrClose, ValueOrClose };
    Expect expect = Expect::Value;
    for (;;) {
        skipSpace();
        if (p >= end) {
            if (stack.empty() && expect == Expect::CommaOrClose)
                return true;
            return failAt(p, stack.empty() && expect == Expect::Value ? "empty input"
                                                                      : "unexpected end of input");
        }
        const char c = *p;
        switch (expect) {
        case Expect::KeyOrClose:
        case Expect::Key: {
            if (c == '}' && expect == Expect::KeyOrClose) {
                ++p;
                stack.pop_back();
                if (!h.endObject())
                    return failAt(p, "stopped");
                expect = Expect::CommaOrClose;
                continue;
            }
            if (c != '"')
                return failAt(p, "expected a key in quotes");
            ++p;
            std::string_view k;
            if (!readString(k))
                return false;
            skipSpace();
            if (p >= end || *p != ':')
                return failAt(p, "expected ':' after a key");
            ++p;
            if (!h.key(k))
                return failAt(p, "stopped");
            expect = Expect::Value;
            continue;
        }
        case Expect::CommaOrClose: {
            if (stack.empty())
                return failAt(p, "unexpected text after the JSON value");
            if (c == ',') {
                ++p;
                expect = stack.back() == '{' ? Expect::Key : Expect::Value;
                continue;
            }
            if ((c == '}' && stack.back() == '{') || (c == ']' && stack.back() == '[')) {
                ++p;
                stack.pop_back();
                if (!(c == '}' ? h.endObject() : h.endArray()))
                    return failAt(p, "stopped");
                continue;
            }
            return failAt(p, stack.back() == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
        }
        case Expect::ValueOrClose:
            if (c == ']') {
                ++p;
                stack.pop_back();
                if (!h.endArray())
                    return failAt(p, "stopped");
                expect = Expect::CommaOrClose;
                continue;
            }
            [[fallthrough]];
        case Expect::Value:
            switch (c) {
            case '{':
                if (stack.size() >= 512)
                    return failAt(p, "nesting deeper than 512 levels");
                ++p;
                stack.push_back('{');
                if (!h.startObject())
                    return failAt(p, "stopped");
                expect = Expect::KeyOrClose;
                continue;
            case '[':
                if (stack.size() >= 512)
                    return failAt(p, "nesting deeper than 512 levels");
                ++p;
                stack.push_back('[');
                if (!h.startArray())
                    return failAt(p, "stopped");
                expect = Expect::ValueOrClose;
                continue;
            case '"': {
                ++p;
                std::string_view s;
                if (!readString(s))
                    return false;
                if (!h.string(s))
                    return failAt(p, "stopped");
                break;
            }
            case 't':
                if (!literal("true"))
                    return failAt(p, "unexpected character");
                if (!h.boolean(true))
                    return failAt(p, "stopped");
                break;
            case 'f':
                if (!literal("false"))
                    return failAt(p, "unexpected character");
                if (!h.boolean(false))
                    return failAt(p, "stopped");
                break;
            case 'n':
                if (!literal("null"))
                    return failAt(p, "unexpected character");
                if (!h.null())
                    return failAt(p, "stopped");
                break;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    if (!readNumber())
                        return false;
                    break;
                }
                return failAt(p, "unexpected character");
            }
            expect = Expect::CommaOrClose;
            continue;
        }
    }
}

} // namespace cairn::sources
