#include "cairn/logs/loganalyzer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cairn::logs {

struct LogAnalyzer::Stats {
    std::map<std::int64_t, std::uint64_t> buckets; // bucket index -> lines
    std::array<std::uint64_t, 7> levels{};         // by LogLevel
    std::vector<std::string> samples;
    std::uint64_t count = 0;
    TimeMs first = 0;
    TimeMs last = 0;
};

namespace {

std::int64_t bucketOf(TimeMs t, TimeMs bucketMs) {
    // Floor division, so times before 1970 land in the right bucket too.
    return t >= 0 ? t / bucketMs : -((-t + bucketMs - 1) / bucketMs);
}

std::string eventName(TemplateId id) {
    return "E" + std::to_string(id);
}

} // namespace

LogAnalyzer::LogAnalyzer(TimeMs bucketMs, MinerOptions options)
    : m_bucketMs(std::max<TimeMs>(bucketMs, 1))
    , m_miner(options) {}

LogAnalyzer::LogAnalyzer(TimeMs bucketMs, TemplateMiner miner)
    : m_bucketMs(std::max<TimeMs>(bucketMs, 1))
    , m_miner(std::move(miner)) {}

LogAnalyzer::~LogAnalyzer() = default;
LogAnalyzer::LogAnalyzer(LogAnalyzer&&) noexcept = default;
LogAnalyzer& LogAnalyzer::operator=(LogAnalyzer&&) noexcept = default;

LogAnalyzer::Stats& LogAnalyzer::stats(TemplateId id) {
    auto& p = m_stats[id];
    if (!p)
        p = std::make_unique<Stats>();
    return *p;
}

void LogAnalyzer::foldMerged() {
    for (auto it = m_stats.begin(); it != m_stats.end();) {
        const TemplateId live = m_miner.resolve(it->first);
        if (live == it->first) {
            ++it;
            continue;
        }
        Stats& into = stats(live);
        Stats& from = *it->second;
        for (const auto& [b, n] : from.buckets)
            into.buckets[b] += n;
        for (std::size_t l = 0; l < into.levels.size(); ++l)
            into.levels[l] += from.levels[l];
        for (auto& s : from.samples)
            if (into.samples.size() < kSamplesPerPattern)
                into.samples.push_back(std::move(s));
        if (from.count && (into.count == 0 || from.first < into.first))
            into.first = from.first;
        if (from.count && (into.count == 0 || from.last > into.last))
            into.last = from.last;
        into.count += from.count;
        it = m_stats.erase(it);
    }
}

TemplateId LogAnalyzer::add(const sources::LogRecord& record) {
    return add(record.message, record.time, record.level);
}

TemplateId LogAnalyzer::add(std::string_view message, TimeMs time, sources::LogLevel level) {
    ++m_lines;
    m_levelBuckets[std::size_t(level)][bucketOf(time, m_bucketMs)]++;
    const MatchResult r = m_miner.add(message, time);
    if (r.id == 0)
        return 0;
    if (r.changed)
        foldMerged();
    Stats& s = stats(r.id);
    if (s.count == 0 || time < s.first)
        s.first = time;
    if (s.count == 0 || time > s.last)
        s.last = time;
    ++s.count;
    ++s.levels[std::size_t(level)];
    ++s.buckets[bucketOf(time, m_bucketMs)];
    if (s.samples.size() < kSamplesPerPattern)
        s.samples.emplace_back(message);
    return r.id;
}

Pattern LogAnalyzer::makePattern(TemplateId id, const Stats& s) const {
    Pattern p;
    p.id = id;
    p.count = s.count;
    p.firstSeen = s.first;
    if (const LogTemplate* t = m_miner.find(id)) {
        p.tokens = t->tokens;
        p.text = t->text();
        // The template set may come from an earlier run: it knows when the pattern first appeared.
        p.firstSeen = std::min(p.firstSeen, t->firstSeen);
    }
    p.lastSeen = s.last;
    p.samples = s.samples;
    p.errors =
        s.levels[std::size_t(sources::LogLevel::Error)] + s.levels[std::size_t(sources::LogLevel::Fatal)];
    p.warnings = s.levels[std::size_t(sources::LogLevel::Warn)];
    std::uint64_t best = 0;
    for (std::size_t l = 0; l < s.levels.size(); ++l)
        if (l != std::size_t(sources::LogLevel::Unknown) && s.levels[l] > best) {
            best = s.levels[l];
            p.level = sources::LogLevel(l);
        }
    return p;
}

std::vector<Pattern> LogAnalyzer::patterns() const {
    std::vector<Pattern> out;
    out.reserve(m_stats.size());
    for (const auto& [id, s] : m_stats)
        out.push_back(makePattern(id, *s));
    std::stable_sort(out.begin(), out.end(),
                     [](const Pattern& a, const Pattern& b) { return a.count > b.count; });
    return out;
}

std::optional<Pattern> LogAnalyzer::pattern(TemplateId id) const {
    auto it = m_stats.find(m_miner.resolve(id));
    if (it == m_stats.end())
        return std::nullopt;
    return makePattern(it->first, *it->second);
}

std::vector<Pattern> LogAnalyzer::newSince(TimeMs reference) const {
    std::vector<Pattern> out;
    for (const auto& [id, s] : m_stats) {
        if (!s->count)
            continue;
        Pattern p = makePattern(id, *s);
        if (p.firstSeen >= reference)
            out.push_back(std::move(p));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Pattern& a, const Pattern& b) { return a.firstSeen < b.firstSeen; });
    return out;
}

std::uint64_t LogAnalyzer::countIn(const Stats& s, TimeRange range) const {
    if (!range.valid())
        return 0;
    const std::int64_t first = bucketOf(range.start, m_bucketMs);
    const std::int64_t last = bucketOf(range.end - 1, m_bucketMs);
    std::uint64_t n = 0;
    for (auto it = s.buckets.lower_bound(first); it != s.buckets.end() && it->first <= last; ++it)
        n += it->second;
    return n;
}

namespace {

ts::Series bucketSeries(const std::map<std::int64_t, std::uint64_t>& buckets, TimeRange range,
                        TimeMs bucketMs, ts::SeriesId id) {
    ts::Series out;
    out.id = std::move(id);
    if (!range.valid())
        return out;
    const std::int64_t first = bucketOf(range.start, bucketMs);
    const std::int64_t last = bucketOf(range.end - 1, bucketMs);
    for (std::int64_t b = first; b <= last; ++b) {
        auto it = buckets.find(b);
        out.time.push_back(b * bucketMs);
        out.value.push_back(it == buckets.end() ? 0.0 : double(it->second));
    }
    return out;
}

} // namespace

ts::Series LogAnalyzer::counts(TemplateId id, TimeRange range) const {
    id = m_miner.resolve(id);
    ts::SeriesId sid{"log_pattern_count", {{"template", eventName(id)}}};
    auto it = m_stats.find(id);
    static const std::map<std::int64_t, std::uint64_t> kEmpty;
    return bucketSeries(it == m_stats.end() ? kEmpty : it->second->buckets, range, m_bucketMs,
                        std::move(sid));
}

ts::Series LogAnalyzer::levelCounts(sources::LogLevel level, TimeRange range) const {
    std::map<std::int64_t, std::uint64_t> merged = m_levelBuckets[std::size_t(level)];
    if (level == sources::LogLevel::Error)
        for (const auto& [b, n] : m_levelBuckets[std::size_t(sources::LogLevel::Fatal)])
            merged[b] += n;
    ts::SeriesId sid{"log_level_count", {{"level", std::string(sources::toString(level))}}};
    return bucketSeries(merged, range, m_bucketMs, std::move(sid));
}

std::vector<detect::Anomaly> LogAnalyzer::frequencyAnomalies(TimeRange range, const DetectorFactory& factory,
                                                             double threshold) const {
    std::vector<detect::Anomaly> out;
    if (!factory || !range.valid())
        return out;
    for (const auto& [id, s] : m_stats) {
        const ts::Series series = counts(id, range);
        auto detector = factory();
        if (!detector)
            return out;
        std::optional<detect::Anomaly> open;
        const std::string text = m_miner.find(id) ? m_miner.find(id)->text() : std::string();
        auto close = [&]() {
            if (open) {
                out.push_back(*open);
                open.reset();
            }
        };
        double mean = 0.0;
        constexpr double kAlpha = 2.0 / 31.0; // EWMA over about 30 buckets
        for (std::size_t i = 0; i < series.size(); ++i) {
            const detect::Estimate e = detector->update(series.time[i], series.value[i]);
            // Counts are noisy at low rates: besides the detector's score, the departure must be
            // significant for a Poisson count (3 sigma and at least 3 lines), so 1 line where 0 were
            // expected is not an anomaly.
            // A median-based expectation is 0 for a pattern seen every few buckets; the recent mean
            // rate is the fairer Poisson reference then.
            const double expected =
                std::max(std::isfinite(e.expected) ? e.expected : 0.0, std::max(mean, 0.0));
            mean = i == 0 ? series.value[i] : mean + kAlpha * (series.value[i] - mean);
            const double departure = std::abs(series.value[i] - expected);
            const bool significant = departure >= std::max(3.0, 3.0 * std::sqrt(std::max(expected, 1.0)));
            if (!e.ready || e.score < threshold || !significant) {
                close();
                continue;
            }
            if (!open) {
                open = detect::Anomaly{};
                open->series = series.id;
                open->start = series.time[i];
                open->detector = std::string(detector->name());
            }
            open->end = series.time[i] + m_bucketMs;
            if (e.score > open->score) {
                open->score = e.score;
                open->peak = series.time[i];
                open->observed = series.value[i];
                open->expected = e.expected;
                open->lower = e.lower;
                open->upper = e.upper;
                char buf[160];
                std::snprintf(buf, sizeof buf,
                              "%.0f lines per bucket vs expected %.1f for pattern %s: ", series.value[i],
                              e.expected, eventName(id).c_str());
                open->explanation = buf + text;
            }
        }
        close();
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const detect::Anomaly& a, const detect::Anomaly& b) { return a.score > b.score; });
    return out;
}

std::vector<PatternChange> LogAnalyzer::changes(TimeRange window, TimeRange baseline,
                                                std::size_t limit) const {
    std::vector<PatternChange> out;
    if (!window.valid() || !baseline.valid())
        return out;
    const double scale = double(window.duration()) / double(baseline.duration());
    for (const auto& [id, s] : m_stats) {
        PatternChange c;
        c.id = id;
        c.windowCount = countIn(*s, window);
        c.baselineCount = countIn(*s, baseline);
        if (c.windowCount == 0 && c.baselineCount == 0)
            continue;
        c.expected = double(c.baselineCount) * scale;
        c.ratio = (double(c.windowCount) + 1.0) / (c.expected + 1.0);
        // Log ratio weighted by how many lines back it (a change of 1 -> 3 lines says little).
        const double evidence = std::sqrt(std::abs(double(c.windowCount) - c.expected));
        c.score = std::abs(std::log(c.ratio)) * evidence;
        c.isNew = s->count && window.contains(s->first);
        if (c.score <= 0.0)
            continue;
        if (const LogTemplate* t = m_miner.find(id))
            c.text = t->text();
        out.push_back(std::move(c));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const PatternChange& a, const PatternChange& b) { return a.score > b.score; });
    if (limit && out.size() > limit)
        out.resize(limit);
    return out;
}

} // namespace cairn::logs
