#include "cairn/forecast/widecsv.h"

#include "cairn/common/csv.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace cairn::forecast {

namespace {

// Splits one CSV line into fields, honouring double quotes ("" inside quotes is a quote).
std::vector<std::string> splitLine(std::string_view line) {
    std::vector<std::string> fields;
    std::string cur;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < line.size() && line[i + 1] == '"') {
                    cur += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cur += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    fields.push_back(std::move(cur));
    return fields;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool parseNumber(std::string_view s, double& out) {
    s = trim(s);
    if (s.empty() || s == "NA" || s == "NaN" || s == "nan" || s == "null") {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

} // namespace

Result<std::vector<NamedSeries>> parseWideCsv(std::string_view text, const std::string& context) {
    std::vector<NamedSeries> out;
    std::size_t pos = 0;
    int row = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        const auto line = trim(text.substr(pos, nl - pos));
        pos = nl + 1;
        ++row;
        if (line.empty())
            continue;
        auto fields = splitLine(line);
        while (fields.size() > 1 && trim(fields.back()).empty())
            fields.pop_back();
        const std::string id(trim(fields[0]));
        if (id.empty())
            return fail(ErrorCode::Parse, "A row has no series id in its first field.",
                        context + ":" + std::to_string(row));
        NamedSeries s;
        s.id = id;
        bool numeric = true;
        for (std::size_t c = 1; c < fields.size(); ++c) {
            double v = 0;
            if (!parseNumber(fields[c], v)) {
                numeric = false;
                if (row == 1 && out.empty())
                    break; // a header row
                return fail(ErrorCode::Parse, "Field '" + fields[c] + "' is not a number.",
                            context + ":" + std::to_string(row) + ":" + std::to_string(c + 1));
            }
            s.values.push_back(v);
        }
        if (!numeric)
            continue;
        out.push_back(std::move(s));
    }
    if (out.empty())
        return fail(ErrorCode::Parse, "No series found (an empty file, or only a header row).", context);
    return out;
}

Result<std::vector<NamedSeries>> readWideCsv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(ErrorCode::Io, "Cannot open the series file for reading.", path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return parseWideCsv(ss.str(), path);
}

std::string formatWideCsv(const std::vector<NamedSeries>& series) {
    std::string out;
    char buf[64];
    for (const auto& s : series) {
        appendCsvField(out, s.id); // an id with a comma or a quote reads back as one field
        for (double v : s.values) {
            out += ',';
            if (std::isnan(v)) {
                out += "NA";
                continue;
            }
            // Infinities print as "inf" / "-inf", which parseWideCsv reads back.
            const auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
            out.append(buf, ec == std::errc() ? p : buf);
        }
        out += '\n';
    }
    return out;
}

} // namespace cairn::forecast
