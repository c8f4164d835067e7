#include "cairn/demo/exporter.h"

#include "cairn/common/csv.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

namespace cairn::demo {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

void appendNumber(std::string& out, double v) {
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc() ? p : buf);
}

std::string unixSeconds(TimeMs t) {
    // Timestamps of the demo are whole minutes; keep milliseconds if a caller ever passes others.
    if (t % 1000 == 0)
        return std::to_string(t / 1000);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(t / 1000),
                  static_cast<long long>(t % 1000));
    return buf;
}

Result<std::ofstream> openFile(const fs::path& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        return fail(ErrorCode::Io, std::string("Cannot write the file: ") + std::strerror(errno) + ".",
                    path.string());
    return out;
}

Result<void> finish(std::ofstream& out, const fs::path& path) {
    out.flush();
    if (!out)
        return fail(ErrorCode::Io, "Writing the file failed (disk full?).", path.string());
    out.close();
    return {};
}

json traceJson(const sources::Trace& trace) {
    json spans = json::array();
    std::map<std::pair<std::string, std::string>, std::string> processIds;
    json processes = json::object();
    for (const auto& s : trace.spans) {
        const std::string pod = s.tags.count("pod") ? s.tags.at("pod") : std::string();
        auto key = std::make_pair(s.service, pod);
        auto it = processIds.find(key);
        if (it == processIds.end()) {
            const std::string id = "p" + std::to_string(processIds.size() + 1);
            it = processIds.emplace(key, id).first;
            processes[id] = {
                {"serviceName", s.service},
                {"tags", json::array({{{"key", "hostname"}, {"type", "string"}, {"value", pod}},
                                      {{"key", "host.name"}, {"type", "string"}, {"value", s.host}}})}};
        }
        json tags = json::array();
        for (const auto& [k, v] : s.tags) {
            if (k == "error")
                tags.push_back({{"key", k}, {"type", "bool"}, {"value", true}});
            else if (k == "http.status_code")
                tags.push_back({{"key", k}, {"type", "int64"}, {"value", std::stoll(v)}});
            else
                tags.push_back({{"key", k}, {"type", "string"}, {"value", v}});
        }
        json refs = json::array();
        if (!s.parentSpanId.empty())
            refs.push_back({{"refType", "CHILD_OF"}, {"traceID", s.traceId}, {"spanID", s.parentSpanId}});
        spans.push_back({{"traceID", s.traceId},
                         {"spanID", s.spanId},
                         {"flags", 1},
                         {"operationName", s.operation},
                         {"references", std::move(refs)},
                         {"startTime", s.startUs},
                         {"duration", s.durationUs},
                         {"tags", std::move(tags)},
                         {"logs", json::array()},
                         {"processID", it->second},
                         {"warnings", nullptr}});
    }
    return {{"traceID", trace.traceId},
            {"spans", std::move(spans)},
            {"processes", std::move(processes)},
            {"warnings", nullptr}};
}

} // namespace

Result<ExportSummary> exportDemo(const DemoEnvironment& env, const TimeRange& range,
                                 const std::string& folder, const CancelToken& cancel,
                                 const ProgressSink& progress) {
    const std::string where = "demo export [" + formatIso(range.start) + ", " + formatIso(range.end) + ")";
    if (range.end < range.start)
        return fail(ErrorCode::InvalidArgument, "The time range is inverted: its end is before its start.",
                    where);
    if (range.end == range.start)
        return fail(ErrorCode::InvalidArgument, "The time range is empty.", where);
    const TimeRange data = env.dataRange();
    if (!range.overlaps(data))
        return fail(ErrorCode::InvalidArgument,
                    "The range holds no demo data: the demo covers " + formatIso(data.start) + " to " +
                        formatIso(data.end) + ".",
                    where);
    if (folder.empty())
        return fail(ErrorCode::InvalidArgument, "No output folder given.", where);

    const fs::path dir(folder);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        return fail(ErrorCode::Io,
                    "Cannot create the output folder: " + (ec ? ec.message() : "not a folder") + ".",
                    dir.string());

    ExportSummary summary;
    summary.range = {std::max(range.start, data.start), std::min(range.end, data.end)};

    // metrics.csv
    reportProgress(progress, 0.0, "writing metrics");
    {
        const fs::path path = dir / "metrics.csv";
        auto out = openFile(path);
        if (!out)
            return std::unexpected(out.error());
        auto series = env.query({}, range, kMinuteMs, cancel);
        if (!series)
            return std::unexpected(series.error());
        *out << "series,timestamp,value\n";
        std::string buf;
        for (const auto& s : *series) {
            const std::string name = csvField(s.id.toString());
            for (std::size_t i = 0; i < s.size(); ++i) {
                buf.clear();
                buf += name;
                buf += ',';
                buf += unixSeconds(s.time[i]);
                buf += ',';
                appendNumber(buf, s.value[i]);
                buf += '\n';
                out->write(buf.data(), static_cast<std::streamsize>(buf.size()));
            }
            summary.samples += s.size();
        }
        summary.series = series->size();
        if (auto r = finish(*out, path); !r)
            return std::unexpected(r.error());
    }

    // logs.log
    reportProgress(progress, 0.3, "writing logs");
    {
        const fs::path path = dir / "logs.log";
        auto out = openFile(path);
        if (!out)
            return std::unexpected(out.error());
        sources::LogQuery q;
        q.range = range;
        q.limit = 0;
        std::string line;
        auto n = env.scanLogs(
            q,
            [&](const sources::LogRecord& r) {
                line = formatDateTime(r.time);
                line += ' ';
                line += sources::toString(r.level);
                line += ' ';
                line += r.service;
                line += ": ";
                line += r.message;
                line += '\n';
                out->write(line.data(), static_cast<std::streamsize>(line.size()));
                return true;
            },
            cancel);
        if (!n)
            return std::unexpected(n.error());
        summary.logLines = *n;
        if (auto r = finish(*out, path); !r)
            return std::unexpected(r.error());
    }

    // traces.json, streamed one trace at a time, oldest first.
    reportProgress(progress, 0.6, "writing traces");
    {
        const fs::path path = dir / "traces.json";
        auto out = openFile(path);
        if (!out)
            return std::unexpected(out.error());
        sources::TraceQuery q;
        q.range = range;
        q.limit = 0;
        auto traces = env.findTraces(q, cancel);
        if (!traces)
            return std::unexpected(traces.error());
        *out << "{\"data\":[";
        bool first = true;
        for (auto it = traces->rbegin(); it != traces->rend(); ++it) {
            if (!first)
                *out << ",\n";
            first = false;
            *out << traceJson(*it).dump();
            summary.spans += it->spans.size();
        }
        summary.traces = traces->size();
        *out << "],\"total\":" << summary.traces << ",\"limit\":0,\"offset\":0,\"errors\":null}\n";
        if (auto r = finish(*out, path); !r)
            return std::unexpected(r.error());
    }

    // incidents.json
    reportProgress(progress, 0.9, "writing incidents");
    {
        const fs::path path = dir / "incidents.json";
        auto out = openFile(path);
        if (!out)
            return std::unexpected(out.error());
        json incidents = json::array();
        for (const auto& i : env.incidents(range)) {
            incidents.push_back({{"id", i.id},
                                 {"kind", std::string(toString(i.kind))},
                                 {"start", formatIso(i.start)},
                                 {"end", formatIso(i.end)},
                                 {"startMs", i.start},
                                 {"endMs", i.end},
                                 {"rootService", i.rootService},
                                 {"rootPod", i.rootPod},
                                 {"rootHost", i.rootHost},
                                 {"affectedServices", i.affectedServices},
                                 {"primaryMetric", i.primaryMetric},
                                 {"remediated", i.remediated},
                                 {"description", i.description}});
        }
        json events = json::array();
        for (const auto& e : env.events(range))
            events.push_back({{"time", formatIso(e.time)},
                              {"timeMs", e.time},
                              {"kind", e.kind},
                              {"service", e.service},
                              {"pod", e.pod},
                              {"text", e.text}});
        summary.incidents = incidents.size();
        const json doc = {{"seed", env.seed()},
                          {"historyStart", formatIso(env.historyStart())},
                          {"range", {{"start", formatIso(range.start)}, {"end", formatIso(range.end)}}},
                          {"incidents", std::move(incidents)},
                          {"events", std::move(events)}};
        *out << doc.dump(2) << '\n';
        if (auto r = finish(*out, path); !r)
            return std::unexpected(r.error());
    }
    reportProgress(progress, 1.0, "done");
    return summary;
}

} // namespace cairn::demo
