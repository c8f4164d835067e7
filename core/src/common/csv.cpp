#include "cairn/common/csv.h"

namespace cairn {

bool csvNeedsQuoting(std::string_view field) {
    return field.find_first_of(",\"\r\n") != std::string_view::npos;
}

void appendCsvField(std::string& out, std::string_view field) {
    if (!csvNeedsQuoting(field)) {
        out += field;
        return;
    }
    out.reserve(out.size() + field.size() + 2);
    out += '"';
    for (const char c : field) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

std::string csvField(std::string_view field) {
    std::string out;
    appendCsvField(out, field);
    return out;
}

} // namespace cairn
