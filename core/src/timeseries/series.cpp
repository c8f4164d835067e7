#include "cairn/timeseries/series.h"

namespace cairn::ts {

namespace {

void appendEscaped(std::string& out, const std::string& value) {
    for (char c : value) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
}

std::string format(const std::string& metric, const Labels& labels) {
    std::string out = metric;
    if (labels.empty())
        return out.empty() ? std::string("{}") : out;
    out += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
        if (!first)
            out += ',';
        first = false;
        out += k;
        out += "=\"";
        appendEscaped(out, v);
        out += '"';
    }
    out += '}';
    return out;
}

} // namespace

std::string SeriesId::toString() const {
    return format(metric, labels);
}

std::string SeriesId::label(const std::string& key) const {
    auto it = labels.find(key);
    return it == labels.end() ? std::string() : it->second;
}

std::string SeriesId::firstLabel(const std::vector<std::string>& keys) const {
    for (const auto& k : keys)
        if (auto v = label(k); !v.empty())
            return v;
    return {};
}

bool Selector::matches(const SeriesId& id) const {
    if (!metric.empty() && metric != id.metric)
        return false;
    for (const auto& [k, v] : equals) {
        auto it = id.labels.find(k);
        if (it == id.labels.end() || it->second != v)
            return false;
    }
    return true;
}

std::string Selector::toString() const {
    return format(metric, equals);
}

} // namespace cairn::ts
