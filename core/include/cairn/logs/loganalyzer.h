// LogAnalyzer: turns a stream of log records into patterns and findings. It mines templates online
// (TemplateMiner), counts each template per time bucket, keeps a few sample lines and the level mix
// per template, and answers: the patterns with counts and first/last seen; count series per template;
// templates new since a reference time ("new since the last deploy"); error and warning trends;
// frequency anomalies per template through any detect::Detector; and, for a window (e.g. a metric
// anomaly), the templates whose counts changed most against a baseline.
//
// Times are UTC milliseconds; buckets are [k*bucketMs, (k+1)*bucketMs). Memory grows with templates x
// active buckets, never with lines (samples are capped per template). Records need not arrive in time
// order. Thread-safety: add() needs exclusive access; const members may run concurrently.
#pragma once

#include "cairn/common/time.h"
#include "cairn/detect/detector.h"
#include "cairn/logs/templateminer.h"
#include "cairn/sources/logsource.h"
#include "cairn/timeseries/series.h"

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cairn::logs {

inline constexpr std::size_t kSamplesPerPattern = 5;

struct Pattern {
    TemplateId id = 0;
    std::string text;                // tokens with <*> for variables
    std::vector<std::string> tokens; // same, split (the UI highlights the "<*>" parts)
    std::uint64_t count = 0;
    TimeMs firstSeen = 0;
    TimeMs lastSeen = 0;
    sources::LogLevel level = sources::LogLevel::Unknown; // most frequent known level of its lines
    std::uint64_t errors = 0;                             // lines at Error or Fatal
    std::uint64_t warnings = 0;                           // lines at Warn
    std::vector<std::string> samples;                     // the first kSamplesPerPattern raw messages
};

// A template whose count in a window differs from what its baseline predicts.
struct PatternChange {
    TemplateId id = 0;
    std::string text;
    std::uint64_t windowCount = 0;
    std::uint64_t baselineCount = 0;
    double expected = 0.0; // baseline rate scaled to the window's length
    double ratio = 0.0;    // (windowCount + 1) / (expected + 1)
    double score = 0.0;    // |log ratio| weighted by evidence; larger = changed more
    bool isNew = false;    // first seen inside the window
};

using DetectorFactory = std::function<std::unique_ptr<detect::Detector>()>;

class LogAnalyzer {
public:
    explicit LogAnalyzer(TimeMs bucketMs = kMinuteMs, MinerOptions options = {});
    // Continues from a stored template set (ids stay stable).
    LogAnalyzer(TimeMs bucketMs, TemplateMiner miner);
    ~LogAnalyzer();
    LogAnalyzer(LogAnalyzer&&) noexcept;
    LogAnalyzer& operator=(LogAnalyzer&&) noexcept;

    // Learns one record; returns its template id (0 only when the miner is at its template cap).
    TemplateId add(const sources::LogRecord& record);
    TemplateId add(std::string_view message, TimeMs time,
                   sources::LogLevel level = sources::LogLevel::Unknown);

    const TemplateMiner& miner() const { return m_miner; }
    TimeMs bucketMs() const { return m_bucketMs; }
    std::uint64_t lines() const { return m_lines; }

    // All live patterns, most frequent first.
    std::vector<Pattern> patterns() const;
    std::optional<Pattern> pattern(TemplateId id) const;
    // Patterns first seen at or after `reference`, oldest first.
    std::vector<Pattern> newSince(TimeMs reference) const;

    // Count per bucket over `range` (zero-filled, bucket start times), series metric "log_pattern_count"
    // with label template="E<id>".
    ts::Series counts(TemplateId id, TimeRange range) const;
    // Lines per bucket at a level (Error also counts Fatal), metric "log_level_count", label level.
    ts::Series levelCounts(sources::LogLevel level, TimeRange range) const;

    // Runs a fresh detector per pattern over its count series in `range`; spans of consecutive buckets
    // scoring >= threshold whose count also departs significantly from the detector's expectation
    // (Poisson: at least 3 sigma and 3 lines) become anomalies (series = the pattern's count series).
    std::vector<detect::Anomaly> frequencyAnomalies(TimeRange range, const DetectorFactory& factory,
                                                    double threshold = 0.7) const;

    // Templates ranked by how much their count in `window` departs from `baseline` (rates scaled to
    // the window length). The top `limit` (0 = all) with a score > 0.
    std::vector<PatternChange> changes(TimeRange window, TimeRange baseline, std::size_t limit = 10) const;

private:
    struct Stats;
    Stats& stats(TemplateId id);
    std::uint64_t countIn(const Stats& s, TimeRange range) const;
    Pattern makePattern(TemplateId id, const Stats& s) const;
    void foldMerged();

    TimeMs m_bucketMs;
    TemplateMiner m_miner;
    std::map<TemplateId, std::unique_ptr<Stats>> m_stats; // by live template id
    std::array<std::map<std::int64_t, std::uint64_t>, 7> m_levelBuckets;
    std::uint64_t m_lines = 0;
};

} // namespace cairn::logs
