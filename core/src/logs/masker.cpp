#include "cairn/logs/masker.h"

#include <array>
#include <cstring>

namespace cairn::logs {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool isOpen(char c) {
    return c == '(' || c == '[' || c == '{' || c == '<' || c == '"' || c == '\'';
}
bool isClose(char c) {
    return c == ')' || c == ']' || c == '}' || c == '>' || c == '"' || c == '\'' || c == ',' || c == ';' ||
           c == ':' || c == '.' || c == '!' || c == '?';
}

bool isNumber(std::string_view s) {
    // 12, -3, +4.5, 1e6, 0x1f, 12,345
    if (s.empty())
        return false;
    std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (i >= s.size() || !isDigit(s[i]))
        return false;
    for (; i < s.size(); ++i)
        if (!isDigit(s[i]) && s[i] != '.' && s[i] != ',' && s[i] != 'e' && s[i] != 'x' && !isHex(s[i]))
            return false;
    return true;
}

bool isUnit(std::string_view s) {
    static constexpr std::array<std::string_view, 30> kUnits = {
        "B",       "KB",    "MB",   "GB",     "TB",      "PB", "KiB", "MiB",   "GiB",  "TiB",
        "kB",      "bytes", "byte", "ms",     "us",      "ns", "s",   "sec",   "secs", "second",
        "seconds", "min",   "mins", "minute", "minutes", "h",  "hr",  "hours", "hour", "millis"};
    for (auto u : kUnits)
        if (s == u)
            return true;
    return false;
}

// True when a segment between '-', '_' or '.' has 5+ letters and no vowel: random ids that carry no
// digit (Kubernetes pod suffixes, generated names), never an English word.
bool hasRandomSegment(std::string_view s) {
    std::size_t run = 0;
    bool vowel = false;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        const char c = i < s.size() ? char(s[i] | 0x20) : '-';
        if (c == '-' || c == '_' || c == '.') {
            if (run >= 5 && !vowel)
                return true;
            run = 0;
            vowel = false;
            continue;
        }
        ++run;
        vowel |= c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
    }
    return false;
}

// Character classes for the single pass of classify().
enum : unsigned char { kDigitC = 1, kHexC = 2, kAlphaC = 4, kWordPunctC = 8 /* _ - */ };

constexpr std::array<unsigned char, 256> makeClasses() {
    std::array<unsigned char, 256> t{};
    for (int c = '0'; c <= '9'; ++c)
        t[std::size_t(c)] = kDigitC | kHexC;
    for (int c = 'a'; c <= 'z'; ++c)
        t[std::size_t(c)] = kAlphaC | (c <= 'f' ? kHexC : 0);
    for (int c = 'A'; c <= 'Z'; ++c)
        t[std::size_t(c)] = kAlphaC | (c <= 'F' ? kHexC : 0);
    t[std::size_t('_')] = kWordPunctC;
    t[std::size_t('-')] = kWordPunctC;
    return t;
}
constexpr auto kClasses = makeClasses();

// Classifies the core of a token (without surrounding punctuation) in one pass. Returns 0 constant,
// 1 variable, 2 key=value with the value variable (valueStart set).
int classify(std::string_view core, bool previousWasNumber, std::size_t& valueStart) {
    if (core.empty())
        return 0;
    const std::size_t n = core.size();
    bool digit = false, allHex = true, wordOnly = true, doubleDot = false, url = false, slash = false;
    std::size_t dots = 0, eq = std::string_view::npos;
    bool keyOk = (kClasses[static_cast<unsigned char>(core[0])] & kAlphaC) || core[0] == '_';
    for (std::size_t i = 0; i < n; ++i) {
        const char c = core[i];
        const unsigned char k = kClasses[static_cast<unsigned char>(c)];
        digit |= (k & kDigitC) != 0;
        allHex &= (k & kHexC) != 0;
        if (c == '.') {
            ++dots;
            doubleDot |= i + 1 < n && core[i + 1] == '.';
        } else if (!k) {
            wordOnly = false;
            if (c == '=' && eq == std::string_view::npos) {
                eq = i;
                break; // the rest is the value, judged on its own
            }
            if (c == ':' && i + 2 < n && core[i + 1] == '/' && core[i + 2] == '/')
                url = true;
            slash |= c == '/';
            keyOk = false;
        }
    }
    if (eq != std::string_view::npos && eq > 0 && keyOk) {
        // key=value: the key stays; the value is judged on its own (user=root is a constant).
        std::size_t inner = 0;
        std::string_view value = core.substr(eq + 1);
        valueStart = eq + 1;
        if (!value.empty() && (value.front() == '"' || value.front() == '\''))
            return 2; // a quoted value is data: tag="View Lock"
        while (!value.empty() && (isOpen(value.front()) || isClose(value.front())))
            value.remove_prefix(1);
        valueStart = eq + 1;
        return !value.empty() && classify(value, false, inner) != 0 ? 2 : 0;
    }
    if (eq != std::string_view::npos) {
        // Not a key: finish the scan of the remaining characters for the plain rules.
        for (std::size_t i = eq; i < n; ++i) {
            const unsigned char k = kClasses[static_cast<unsigned char>(core[i])];
            digit |= (k & kDigitC) != 0;
            allHex = false;
            if (core[i] == ':' && i + 2 < n && core[i + 1] == '/' && core[i + 2] == '/')
                url = true;
            slash |= core[i] == '/';
            dots += core[i] == '.' ? 1 : 0;
        }
    }
    if (url || digit)
        return 1;
    if (core[0] == '/' && n > 1)
        return 1;
    if ((n > 3 && isAlpha(core[0]) && core[1] == ':' && core[2] == '\\') || (n > 2 && core[0] == '\\'))
        return 1; // Windows paths: C:\Windows\..., \\server\share
    if (slash && dots && core.back() != '/')
        return 1; // package/.Activity, host.example/path: a path-like name
    if (n > 2 && ((core[0] == '.' && core[1] == '/') || (core[0] == '~' && core[1] == '/')))
        return 1;
    if (allHex && n >= 8)
        return 1;
    if (wordOnly && hasRandomSegment(core))
        return 1; // generated names: checkout-jxbgdcphm-zhhpq (no vowels in a 5+ letter run)
    if (wordOnly && dots >= 1 && !doubleDot && core.front() != '.' && core.back() != '.')
        return 1; // host.example.org, zummit.com, org.apache.Foo
    if (previousWasNumber && isUnit(core))
        return 1;
    return 0;
}

bool isDateWord(std::string_view s) {
    static constexpr std::array<std::string_view, 19> kWords = {
        "mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar",
        "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (s.size() < 3 || s.size() > 9)
        return false;
    char lower[3];
    for (int i = 0; i < 3; ++i)
        lower[i] = char(s[std::size_t(i)] | 0x20);
    const std::string_view head(lower, 3);
    for (auto w : kWords)
        if (head == w) {
            for (char c : s)
                if (!isAlpha(c))
                    return false;
            return true;
        }
    return false;
}

struct Split {
    std::string_view tok;
    std::size_t a = 0, b = 0; // core = tok[a, b)
    std::string_view core() const { return tok.substr(a, b - a); }
};

Split splitPunctuation(std::string_view tok) {
    Split s{tok, 0, tok.size()};
    while (s.a < s.b && isOpen(tok[s.a]))
        ++s.a;
    while (s.b > s.a && isClose(tok[s.b - 1])) {
        const char c = tok[s.b - 1];
        const char open = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : c == '>' ? '<' : 0;
        // Keep a closing bracket whose opener is inside the core: "LOCAL(0)" stays whole.
        if (open && tok.substr(s.a, s.b - 1 - s.a).find(open) != std::string_view::npos)
            break;
        --s.b;
    }
    return s;
}

bool isEmptyPair(std::string_view tok) {
    return tok == "()" || tok == "[]" || tok == "{}" || tok == "\"\"" || tok == "''" || tok == "<>";
}

} // namespace

void tokenize(std::string_view message, Tokens& out) {
    out.text.clear();
    out.masked.clear();
    out.variable.clear();
    out.arena.clear();
    out.arena.reserve(message.size() * 3 + 16); // masked text never outgrows this, so views stay valid
    std::size_t i = 0;
    const std::size_t n = message.size();
    while (i < n) {
        while (i < n && isSpace(message[i]))
            ++i;
        if (i >= n)
            break;
        std::size_t j = i;
        while (j < n && !isSpace(message[j]))
            ++j;
        out.text.push_back(message.substr(i, j - i));
        i = j;
    }
    bool previousWasNumber = false;
    for (std::size_t k = 0; k < out.text.size(); ++k) {
        const std::string_view tok = out.text[k];
        const Split sp = splitPunctuation(tok);
        const std::string_view core = sp.core();
        std::size_t valueStart = 0;
        int kind = classify(core, previousWasNumber, valueStart);
        if (kind == 0 && isEmptyPair(tok))
            kind = 1; // an empty value in brackets or quotes: "()" is "(host)" without the host
        if (kind == 0 && core.size() >= 3 && core.size() <= 9 && isAlpha(core[0])) {
            // Day and month names inside a timestamp ("Fri Jun 17 20:55:07 2005").
            bool context = previousWasNumber;
            if (!context && k + 1 < out.text.size()) {
                const std::string_view next = splitPunctuation(out.text[k + 1]).core();
                context = !next.empty() && (isDigit(next[0]) || isDateWord(next));
            }
            if (context && isDateWord(core))
                kind = 1;
        }
        previousWasNumber = isNumber(core);
        if (kind == 0) {
            out.masked.push_back(tok);
            out.variable.push_back(0);
            continue;
        }
        const std::size_t start = out.arena.size();
        if (isEmptyPair(tok)) {
            out.arena += tok[0];
            out.arena.append(kWildcard);
            out.arena += tok[1];
        } else {
            out.arena.append(tok.substr(0, sp.a));
            if (kind == 2)
                out.arena.append(core.substr(0, valueStart));
            out.arena.append(kWildcard);
            out.arena.append(tok.substr(sp.b));
        }
        out.masked.emplace_back(out.arena.data() + start, out.arena.size() - start);
        out.variable.push_back(1);
    }
}

} // namespace cairn::logs
