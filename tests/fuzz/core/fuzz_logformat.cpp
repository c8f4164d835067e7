// Fuzz target: LogFormat (Loghub-style record formats such as "<Date> <Time> <Level>: <Content>") and
// matching lines against it: a user types the format, the lines come from any log file. The first
// input line is the format, the others are log lines.
// Beyond "no crash, no UB": a failure to compile carries a message, and a match yields one value per
// field, each a view inside the line.
// fuzz-max-len: 8192
#include "cairn/logs/logformat.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto eol = text.find('\n');
    const std::string_view format = text.substr(0, eol);
    auto f = cairn::logs::LogFormat::compile(format);
    if (!f) {
        if (f.error().message.empty()) {
            std::fprintf(stderr, "LogFormat::compile failed without a message\n");
            std::abort();
        }
        return 0;
    }
    if (eol == std::string_view::npos)
        return 0;
    text.remove_prefix(eol + 1);
    cairn::logs::ParsedLine out;
    while (!text.empty()) {
        const auto n = text.find('\n');
        const std::string_view line = text.substr(0, n);
        f->match(line, out);
        const auto inside = [&](std::string_view v) {
            return v.empty() || (v.data() >= line.data() && v.data() + v.size() <= line.data() + line.size());
        };
        if (out.matched && out.values.size() != f->fieldNames().size()) {
            std::fprintf(stderr, "LogFormat::match returned %zu values for %zu fields\n", out.values.size(),
                         f->fieldNames().size());
            std::abort();
        }
        for (auto v : out.values)
            if (!inside(v)) {
                std::fprintf(stderr, "LogFormat::match returned a value outside the line\n");
                std::abort();
            }
        if (!inside(out.message)) {
            std::fprintf(stderr, "LogFormat::match returned a message outside the line\n");
            std::abort();
        }
        if (n == std::string_view::npos)
            break;
        text.remove_prefix(n + 1);
    }
    return 0;
}
