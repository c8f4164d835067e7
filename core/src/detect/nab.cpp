#include "cairn/detect/nab.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace cairn::detect::nab {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"'))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = line.find(',', start);
        out.push_back(trim(line.substr(start, comma == std::string_view::npos ? comma : comma - start)));
        if (comma == std::string_view::npos)
            break;
        start = comma + 1;
    }
    return out;
}

bool parseValue(std::string_view text, double& out) {
    if (text.empty()) {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    std::string buf(text); // strtod accepts nan/inf spellings; from_chars does too but not "+inf"
    char* end = nullptr;
    out = std::strtod(buf.c_str(), &end);
    return end == buf.c_str() + buf.size();
}

} // namespace

Result<CsvSeries> parseCsv(const std::string& text, const std::string& context) {
    CsvSeries out;
    std::size_t pos = 0;
    std::size_t lineNo = 0;
    bool header = true;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            nl = text.size();
        std::string_view line(text.data() + pos, nl - pos);
        pos = nl + 1;
        ++lineNo;
        if (trim(line).empty())
            continue;
        auto cols = split(line);
        if (header) {
            header = false;
            if (cols.size() < 2)
                return fail(ErrorCode::Parse,
                            "the CSV header must have at least two columns (timestamp,value)",
                            context + ":1");
            for (auto c : cols)
                out.header.emplace_back(c);
            continue;
        }
        if (cols.size() < 2)
            return fail(ErrorCode::Parse, "expected `timestamp,value` but the row has one column",
                        context + ":" + std::to_string(lineNo));
        auto t = parseTime(cols[0]);
        if (!t)
            return fail(ErrorCode::Parse,
                        "bad timestamp '" + std::string(cols[0]) + "': " + t.error().message,
                        context + ":" + std::to_string(lineNo));
        double v = 0;
        if (!parseValue(cols[1], v))
            return fail(ErrorCode::Parse, "bad value '" + std::string(cols[1]) + "' (not a number)",
                        context + ":" + std::to_string(lineNo));
        out.stamp.emplace_back(cols[0]);
        out.valueText.emplace_back(cols[1]);
        out.time.push_back(*t);
        out.value.push_back(v);
    }
    if (header)
        return fail(ErrorCode::Parse, "the CSV file is empty (no header line)", context);
    return out;
}

Result<CsvSeries> readCsv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(ErrorCode::NotFound, "cannot open the CSV file", path);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return fail(ErrorCode::Io, "reading the CSV file failed", path);
    return parseCsv(ss.str(), path);
}

std::vector<Profile> standardProfiles() {
    return {{"standard", 1.0, 1.0, 0.11},
            {"reward_low_FP_rate", 1.0, 1.0, 0.22},
            {"reward_low_FN_rate", 1.0, 2.0, 0.11}};
}

Result<Windows> readWindows(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        return fail(ErrorCode::NotFound, "cannot open the NAB windows file", path);
    Windows out;
    try {
        const nlohmann::json j = nlohmann::json::parse(in);
        if (!j.is_object())
            return fail(ErrorCode::Parse, "the windows file must be a JSON object of file -> windows", path);
        for (const auto& [key, list] : j.items()) {
            auto& ws = out[key];
            for (const auto& w : list) {
                if (!w.is_array() || w.size() != 2 || !w[0].is_string() || !w[1].is_string())
                    return fail(ErrorCode::Parse, "a window must be [\"start\", \"end\"]", path + ": " + key);
                auto a = parseTime(w[0].get<std::string>());
                auto b = parseTime(w[1].get<std::string>());
                if (!a || !b)
                    return fail(ErrorCode::Parse, "bad window timestamp", path + ": " + key);
                ws.emplace_back(*a, *b);
            }
            std::sort(ws.begin(), ws.end());
        }
    } catch (const nlohmann::json::exception& e) {
        return fail(ErrorCode::Parse, std::string("malformed JSON: ") + e.what(), path);
    }
    return out;
}

std::size_t probationaryRows(std::size_t rows) {
    return std::min<std::size_t>(static_cast<std::size_t>(std::floor(0.15 * static_cast<double>(rows))), 750);
}

double scaledSigmoid(double x) {
    if (x >= 3.0) // NAB: "FP well behind window" is exactly -1 from 3 window widths on
        return -1.0;
    return 2.0 / (1.0 + std::exp(5.0 * x)) - 1.0;
}

std::vector<std::pair<std::size_t, std::size_t>>
windowRows(const std::vector<TimeMs>& time, const std::vector<std::pair<TimeMs, TimeMs>>& windows) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (const auto& [a, b] : windows) {
        const auto first = std::lower_bound(time.begin(), time.end(), a);
        const auto afterLast = std::upper_bound(time.begin(), time.end(), b);
        if (first == time.end() || afterLast == time.begin() || first >= afterLast)
            continue;
        out.emplace_back(static_cast<std::size_t>(first - time.begin()),
                         static_cast<std::size_t>(afterLast - time.begin()) - 1);
    }
    return out;
}

namespace {

// NAB's calcSweepScore: the weight a detection on each row would earn, and the window it belongs to.
void sweepWeights(const ScoredFile& f, const Profile& p, std::vector<double>& weight,
                  std::vector<int>& window) {
    const std::size_t n = f.score.size();
    weight.assign(n, 0.0);
    window.assign(n, -1);
    const double maxTp = scaledSigmoid(-1.0);
    long prevRight = -1;
    double prevWidth = 0;
    std::size_t next = 0;
    int cur = -1;
    for (std::size_t i = 0; i < n; ++i) {
        if (cur < 0 && next < f.windows.size() && i >= f.windows[next].first)
            cur = static_cast<int>(next++);
        if (cur >= 0) {
            const auto [l, r] = f.windows[static_cast<std::size_t>(cur)];
            const double width = static_cast<double>(r - l + 1);
            const double pos = -static_cast<double>(r - i + 1) / width;
            weight[i] = scaledSigmoid(pos) * p.tpWeight / maxTp;
            window[i] = cur;
            if (i == r) {
                prevRight = static_cast<long>(r);
                prevWidth = width;
                cur = -1;
            }
        } else if (prevRight < 0) {
            weight[i] = -1.0 * p.fpWeight;
        } else {
            const double x = std::fabs(static_cast<double>(prevRight) - static_cast<double>(i)) /
                             std::max(prevWidth - 1.0, 1e-12);
            weight[i] = scaledSigmoid(x) * p.fpWeight;
        }
    }
}

// Windows that end inside the probationary period have no scorable row: NAB neither rewards nor charges
// them (its per-window score parts are built from scorable rows only). Windows are sorted, so these are
// always the first ones.
std::size_t countedWindows(const ScoredFile& f) {
    const std::size_t start = probationaryRows(f.score.size());
    std::size_t counted = 0;
    for (const auto& w : f.windows)
        counted += w.second >= start ? 1 : 0;
    return counted;
}

} // namespace

FileResult scoreFile(const ScoredFile& f, const Profile& p, double threshold) {
    std::vector<double> weight;
    std::vector<int> window;
    sweepWeights(f, p, weight, window);
    FileResult r;
    r.key = f.key;
    r.windows = f.windows.size();
    std::vector<double> best(f.windows.size(), -p.fnWeight);
    std::vector<bool> hit(f.windows.size(), false);
    const std::size_t start = probationaryRows(f.score.size());
    for (std::size_t i = start; i < f.score.size(); ++i) {
        const bool detected = f.score[i] >= threshold;
        if (window[i] >= 0) {
            const auto w = static_cast<std::size_t>(window[i]);
            if (detected) {
                ++r.tp;
                best[w] = hit[w] ? std::max(best[w], weight[i]) : weight[i];
                hit[w] = true;
            } else {
                ++r.fn;
            }
        } else if (detected) {
            ++r.fp;
            r.score += weight[i];
        } else {
            ++r.tn;
        }
    }
    // NAB only counts windows that have at least one row after the probationary period.
    const std::size_t counted = countedWindows(f);
    r.windows = counted;
    for (std::size_t w = f.windows.size() - counted; w < best.size(); ++w) {
        r.score += best[w];
        r.detectedWindows += hit[w] ? 1 : 0;
    }
    return r;
}

CorpusResult scoreCorpus(const std::vector<ScoredFile>& files, const Profile& p) {
    CorpusResult out;
    out.profile = p.name;
    // Every row becomes an event (score, change of the corpus total when the threshold drops to it).
    struct Event {
        double score;
        double delta;
    };
    std::vector<Event> events;
    double base = 0.0;
    std::vector<double> weight;
    std::vector<int> window;
    for (const ScoredFile& f : files) {
        const std::size_t counted = countedWindows(f);
        out.windows += counted;
        base -= p.fnWeight * static_cast<double>(counted);
        sweepWeights(f, p, weight, window);
        const std::size_t start = probationaryRows(f.score.size());
        std::vector<std::vector<std::size_t>> rowsOf(f.windows.size());
        for (std::size_t i = start; i < f.score.size(); ++i) {
            if (window[i] >= 0)
                rowsOf[static_cast<std::size_t>(window[i])].push_back(i);
            else
                events.push_back({f.score[i], weight[i]});
        }
        // Inside a window only the best detected row counts: emit the increments of the running maximum.
        for (auto& rows : rowsOf) {
            if (rows.empty())
                continue; // a window inside the probationary period: not counted
            std::stable_sort(rows.begin(), rows.end(),
                             [&](std::size_t a, std::size_t b) { return f.score[a] > f.score[b]; });
            double current = -p.fnWeight;
            bool any = false;
            for (std::size_t i : rows) {
                const double next = any ? std::max(current, weight[i]) : weight[i];
                if (next != current || !any)
                    events.push_back({f.score[i], next - current});
                current = next;
                any = true;
            }
        }
    }
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.score > b.score; });
    double total = base;
    double bestTotal = base;
    double bestThreshold = events.empty() ? 1.0 : std::nextafter(events.front().score, HUGE_VAL);
    for (std::size_t i = 0; i < events.size();) {
        const double s = events[i].score;
        while (i < events.size() && events[i].score == s)
            total += events[i++].delta;
        if (total > bestTotal + 1e-12) {
            bestTotal = total;
            bestThreshold = s;
        }
    }
    out.threshold = bestThreshold;
    out.nullScore = -p.fnWeight * static_cast<double>(out.windows);
    out.perfectScore = p.tpWeight * static_cast<double>(out.windows);
    for (const ScoredFile& f : files) {
        FileResult r = scoreFile(f, p, bestThreshold);
        out.rawScore += r.score;
        out.detectedWindows += r.detectedWindows;
        out.falsePositiveRows += r.fp;
        out.files.push_back(std::move(r));
    }
    const double span = out.perfectScore - out.nullScore;
    out.normalized = span > 0 ? 100.0 * (out.rawScore - out.nullScore) / span : 0.0;
    return out;
}

} // namespace cairn::detect::nab
