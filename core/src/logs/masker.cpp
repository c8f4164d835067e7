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

bool isKey(std::string_view s) {
    if (s.empty() || !(isAlpha(s[0]) || s[0] == '_'))
        return false;
    for (char c : s)
        if (!(isAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.'))
            return false;
    return true;
}

bool isDottedName(std::string_view s) {
    // host.example.org, org.apache.Foo, a.b.c — at least two dots, no empty part
    int dots = 0;
    if (s.front() == '.' || s.back() == '.')
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (s[i + 1] == '.')
                return false;
            ++dots;
        }
    }
    return dots >= 2;
}

// Classifies the core of a token (without surrounding punctuation). Returns 0 constant, 1 variable,
// 2 key=value with the value variable (valueStart set).
int classify(std::string_view core, bool previousWasNumber, std::size_t& valueStart) {
    if (core.empty())
        return 0;
    const std::size_t eq = core.find('=');
    if (eq != std::string_view::npos && eq > 0 && isKey(core.substr(0, eq))) {
        // key=value: the key stays; the value is judged on its own (user=root is a constant).
        std::size_t inner = 0;
        std::string_view value = core.substr(eq + 1);
        while (!value.empty() && (isOpen(value.front()) || isClose(value.front())))
            value.remove_prefix(1);
        valueStart = eq + 1;
        return !value.empty() && classify(value, false, inner) != 0 ? 2 : 0;
    }
    if (core.find("://") != std::string_view::npos)
        return 1;
    if (core[0] == '/' && core.size() > 1)
        return 1;
    if (core.size() > 2 && ((core[0] == '.' && core[1] == '/') || (core[0] == '~' && core[1] == '/')))
        return 1;
    bool digit = false, allHex = true;
    for (char c : core) {
        digit |= isDigit(c);
        allHex &= isHex(c);
    }
    if (digit)
        return 1;
    if (allHex && core.size() >= 8)
        return 1;
    if (isDottedName(core))
        return 1;
    if (previousWasNumber && isUnit(core))
        return 1;
    return 0;
}

} // namespace

void tokenize(std::string_view message, Tokens& out) {
    out.text.clear();
    out.masked.clear();
    out.variable.clear();
    out.arena.clear();
    out.arena.reserve(message.size() * 3 + 16); // masked text never outgrows this, so views stay valid
    bool previousWasNumber = false;
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
        const std::string_view tok = message.substr(i, j - i);
        i = j;
        std::size_t a = 0, b = tok.size();
        while (a < b && isOpen(tok[a]))
            ++a;
        while (b > a && isClose(tok[b - 1]))
            --b;
        const std::string_view core = tok.substr(a, b - a);
        std::size_t valueStart = 0;
        const int kind = classify(core, previousWasNumber, valueStart);
        previousWasNumber = isNumber(core);
        out.text.push_back(tok);
        if (kind == 0) {
            out.masked.push_back(tok);
            out.variable.push_back(0);
            continue;
        }
        const std::size_t start = out.arena.size();
        out.arena.append(tok.substr(0, a));
        if (kind == 2)
            out.arena.append(core.substr(0, valueStart));
        out.arena.append(kWildcard);
        out.arena.append(tok.substr(b));
        out.masked.push_back(std::string_view(out.arena.data() + start, out.arena.size() - start));
        out.variable.push_back(1);
    }
}

} // namespace cairn::logs
