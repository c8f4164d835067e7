#include "cairn/logs/loghub.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <unordered_map>

namespace cairn::logs {

namespace {

Result<std::string> readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(ErrorCode::NotFound, "Cannot open the file.", path);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return fail(ErrorCode::Io, "Reading the file failed.", path);
    return ss.str();
}

} // namespace

std::vector<std::string> splitLines(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view line = text.substr(start, nl - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        out.emplace_back(line);
        start = nl + 1;
    }
    return out;
}

std::vector<std::string> splitCsvRecord(std::string_view line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < line.size() && line[i + 1] == '"') {
                    fields.back() += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

Result<std::map<std::string, std::string>> loadLoghubFormats(const std::string& settingsPath) {
    auto text = readFile(settingsPath);
    if (!text)
        return std::unexpected(text.error());
    try {
        const auto j = nlohmann::json::parse(*text);
        std::map<std::string, std::string> out;
        for (const auto& [name, v] : j.items())
            if (v.is_object() && v.contains("log_format") && v.at("log_format").is_string())
                out[name] = v.at("log_format").get<std::string>();
        return out;
    } catch (const nlohmann::json::exception& e) {
        return fail(ErrorCode::Parse, "The benchmark settings are not valid JSON.",
                    settingsPath + ": " + e.what());
    }
}

Result<LoghubSample> loadLoghubSample(const std::string& dir, const std::string& system) {
    const std::string base = dir + "/" + system + "/" + system + "_2k.log";
    auto log = readFile(base);
    if (!log)
        return std::unexpected(log.error());
    auto csv = readFile(base + "_structured.csv");
    if (!csv)
        return std::unexpected(csv.error());
    LoghubSample s;
    s.system = system;
    s.lines = splitLines(*log);
    const auto rows = splitLines(*csv);
    if (rows.empty())
        return fail(ErrorCode::Parse, "The structured CSV is empty.", base + "_structured.csv");
    const auto header = splitCsvRecord(rows[0]);
    int lineCol = -1, eventCol = -1;
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == "LineId")
            lineCol = int(i);
        if (header[i] == "EventId")
            eventCol = int(i);
    }
    if (lineCol < 0 || eventCol < 0)
        return fail(ErrorCode::Parse, "The structured CSV lacks a LineId or EventId column.",
                    base + "_structured.csv");
    s.truth.assign(s.lines.size(), std::string());
    for (std::size_t r = 1; r < rows.size(); ++r) {
        if (rows[r].empty())
            continue;
        const auto f = splitCsvRecord(rows[r]);
        if (f.size() != header.size())
            return fail(ErrorCode::Parse, "A structured CSV row has the wrong number of fields.",
                        base + "_structured.csv:" + std::to_string(r + 1));
        const long id = std::strtol(f[std::size_t(lineCol)].c_str(), nullptr, 10);
        if (id < 1 || std::size_t(id) > s.lines.size())
            return fail(ErrorCode::Parse, "A structured CSV row names a line the log does not have.",
                        base + "_structured.csv:" + std::to_string(r + 1));
        s.truth[std::size_t(id - 1)] = f[std::size_t(eventCol)];
    }
    return s;
}

double groupingAccuracy(const std::vector<std::uint64_t>& predicted, const std::vector<std::string>& truth) {
    if (predicted.size() != truth.size() || predicted.empty())
        return 0.0;
    // A predicted group is correct when all its lines share one true event and that event has no
    // lines outside the group: same true label everywhere and equal sizes.
    std::unordered_map<std::uint64_t, std::size_t> predSize;
    std::unordered_map<std::string, std::size_t> truthSize;
    std::unordered_map<std::uint64_t, const std::string*> predLabel;
    std::unordered_map<std::uint64_t, bool> pure;
    for (std::size_t i = 0; i < predicted.size(); ++i) {
        ++predSize[predicted[i]];
        ++truthSize[truth[i]];
        auto [it, inserted] = predLabel.emplace(predicted[i], &truth[i]);
        auto& p = pure.emplace(predicted[i], true).first->second;
        if (!inserted && *it->second != truth[i])
            p = false;
    }
    std::size_t correct = 0;
    for (const auto& [g, n] : predSize)
        if (pure[g] && truthSize[*predLabel[g]] == n)
            correct += n;
    return double(correct) / double(predicted.size());
}

} // namespace cairn::logs
