#include "cairn/logs/textlogsource.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <istream>
#include <string>

namespace cairn::logs {

namespace {

std::string normaliseTime(std::string_view s) {
    std::string t(s);
    std::replace(t.begin(), t.end(), ',', '.');
    return t;
}

} // namespace

std::optional<TimeMs> lineTime(const LogFormat& format, const ParsedLine& line) {
    if (!line.matched)
        return std::nullopt;
    const int date = format.fieldIndex("Date");
    const int time = format.fieldIndex("Time");
    const int stamp = format.fieldIndex("Timestamp");
    if (date >= 0 && time >= 0) {
        const std::string joined = normaliseTime(line.values[std::size_t(date)]) + " " +
                                   normaliseTime(line.values[std::size_t(time)]);
        if (auto t = parseTime(joined))
            return *t;
    }
    for (int f : {stamp, time})
        if (f >= 0)
            if (auto t = parseTime(normaliseTime(line.values[std::size_t(f)])))
                return *t;
    return std::nullopt;
}

Result<std::unique_ptr<TextLogSource>> TextLogSource::openFile(const std::string& path,
                                                               const std::string& format) {
    auto f = LogFormat::compile(format);
    if (!f)
        return std::unexpected(f.error());
    std::ifstream probe(path, std::ios::binary);
    if (!probe)
        return fail(ErrorCode::NotFound, "Cannot open the log file.", path);
    std::unique_ptr<TextLogSource> s(new TextLogSource(path, std::move(*f)));
    s->m_path = path;
    return s;
}

Result<std::unique_ptr<TextLogSource>> TextLogSource::fromStream(std::istream& in, const std::string& name,
                                                                 const std::string& format) {
    auto f = LogFormat::compile(format);
    if (!f)
        return std::unexpected(f.error());
    std::unique_ptr<TextLogSource> s(new TextLogSource(name, std::move(*f)));
    s->m_stream = &in;
    return s;
}

namespace {

// Reads one line (without its '\n') into line, keeping at most maxBytes of it; the rest of a longer
// line is skipped in 64 KiB steps, never stored. fullLength gets the line's real length. Returns false
// at the end of the input (like std::getline).
bool readBoundedLine(std::istream& in, std::string& line, std::size_t maxBytes, std::uint64_t& fullLength) {
    line.clear();
    fullLength = 0;
    char buf[1 << 16];
    bool any = false;
    for (;;) {
        in.getline(buf, sizeof buf);
        const auto n = static_cast<std::size_t>(in.gcount());
        if (in.bad())
            return false;
        const bool full = in.fail() && !in.eof() && n == sizeof buf - 1; // buffer full, line goes on
        if (in.fail() && !full)
            return any; // end of input with nothing read
        // n counts the '\n' when the line ended here.
        const std::size_t stored = full || in.eof() ? n : n - 1;
        any = true;
        fullLength += stored;
        if (line.size() < maxBytes)
            line.append(buf, std::min(stored, maxBytes - line.size()));
        if (!full)
            return true;
        in.clear(in.rdstate() & ~std::ios::failbit);
    }
}

} // namespace

Result<std::size_t> TextLogSource::scan(const sources::LogQuery& query,
                                        const std::function<bool(const sources::LogRecord&)>& sink,
                                        const CancelToken& cancel) {
    std::ifstream file;
    std::istream* in = m_stream;
    if (!m_path.empty()) {
        file.open(m_path, std::ios::binary);
        if (!file)
            return fail(ErrorCode::NotFound, "Cannot open the log file.", m_path);
        in = &file;
    }
    m_unmatched = 0;
    const int level = m_format.fieldIndex("Level");
    const int component = m_format.fieldIndex("Component");
    int host = m_format.fieldIndex("Node");
    if (host < 0)
        host = m_format.fieldIndex("Host");
    ParsedLine parsed;
    std::string line;
    std::size_t lineNo = 0, delivered = 0;
    TimeMs last = 0;
    sources::LogRecord r;
    m_truncated = 0;
    std::uint64_t fullLength = 0;
    while (readBoundedLine(*in, line, kMaxLogLineBytes, fullLength)) {
        if ((lineNo & 1023) == 0 && cancel.isCancelled())
            return fail(ErrorCode::Cancelled, "Reading the log was cancelled.", m_name);
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        m_format.match(line, parsed);
        if (!parsed.matched)
            ++m_unmatched;
        if (auto t = lineTime(m_format, parsed))
            last = *t;
        r.time = last;
        r.level = level >= 0 && parsed.matched ? sources::parseLogLevel(parsed.values[std::size_t(level)])
                                               : sources::LogLevel::Unknown;
        r.service = component >= 0 ? std::string(parsed.values[std::size_t(component)]) : std::string();
        r.host = host >= 0 ? std::string(parsed.values[std::size_t(host)]) : std::string();
        r.message.assign(parsed.message);
        r.fields.clear();
        for (std::size_t i = 0; i < parsed.values.size(); ++i)
            if (int(i) != m_format.messageField())
                r.fields[m_format.fieldNames()[i]] = std::string(parsed.values[i]);
        r.fields["line"] = std::to_string(lineNo);
        if (!parsed.matched)
            r.fields["unmatched"] = "1";
        if (fullLength > line.size() + 1) { // more than a dropped '\r'
            ++m_truncated;
            r.fields["truncated"] = std::to_string(fullLength);
        }
        if (query.range.valid() && !query.range.contains(r.time))
            continue;
        if (!query.service.empty() && r.service != query.service)
            continue;
        if (!query.host.empty() && r.host != query.host)
            continue;
        if (!query.contains.empty() && r.message.find(query.contains) == std::string::npos)
            continue;
        if (r.level != sources::LogLevel::Unknown && int(r.level) < int(query.minLevel))
            continue;
        ++delivered;
        if (!sink(r))
            break;
        if (query.limit && delivered >= query.limit)
            break;
    }
    if (in->bad())
        return fail(ErrorCode::Io, "Reading the log failed.", m_name);
    return delivered;
}

} // namespace cairn::logs
