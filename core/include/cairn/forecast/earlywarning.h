// Failure early warning, two ways:
//  1. forecast crossing: the forecast (or its 95% band) of a metric crosses a threshold within the horizon;
//  2. learned precursors: the metric patterns that preceded past incidents (level, slope and volatility of
//     each metric against the entity's own baseline, in a window before the incident) are learned per
//     incident kind, and a warning is raised when a window of live data looks like them more than like normal
//     windows.
// Lead time and precision of the learned warnings are measured by leave-one-incident-out evaluation.
// Times are UTC milliseconds. Thread-safety: values; PrecursorModel is immutable after learn() and may be
// scanned from many threads.
#pragma once

#include "cairn/common/error.h"
#include "cairn/common/time.h"
#include "cairn/forecast/seriesforecast.h"
#include "cairn/timeseries/series.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cairn::forecast {

enum class WarningLevel {
    Possible, // the 95% band crosses the threshold
    Likely,   // the point forecast crosses it
};
std::string_view toString(WarningLevel level);

struct CrossingWarning {
    WarningLevel level = WarningLevel::Possible;
    TimeMs now = 0;      // last sample of the history
    TimeMs crossing = 0; // first forecast step past the threshold (point forecast if Likely, band otherwise)
    TimeMs earliest = 0; // first step where the 95% band crosses
    double threshold = 0;
    std::string message;
};

// A warning when the forecast reaches the threshold (above = true: >= threshold; false: <= threshold) within
// its horizon; nullopt when it does not or the forecast is not ok.
std::optional<CrossingWarning> forecastCrossing(const SeriesForecast& f, double threshold, bool above = true);

// Ground truth: an incident on an entity (pod, service) of some kind, starting at `start`.
struct Incident {
    std::string id;
    std::string entity;
    std::string kind; // "disk-full", "memory-leak", ...
    TimeMs start = 0;
    TimeMs end = 0; // 0 = unknown (taken as start + 1 h)
};

// The metrics of one entity, by metric name (e.g. "disk_used_bytes").
struct EntityMetrics {
    std::string entity;
    std::map<std::string, ts::Series> series;
};

struct PrecursorOptions {
    TimeMs window = 2 * kHourMs;  // length of the pattern looked at
    TimeMs step = 10 * kMinuteMs; // scan step
    TimeMs maxLead = 6 * kHourMs; // a warning up to this long before an incident counts as a true warning
    TimeMs quiet = kHourMs;       // a new warning for the same entity and kind only after this much calm
    double minSeparation = 1.0;   // how much closer to the incident pattern than to normal windows
};

struct PrecursorWarning {
    std::string entity;
    std::string kind; // the incident kind whose precursor matched
    TimeMs at = 0;    // end of the matching window
    double score = 0; // > 0: distance to normal windows minus distance to the precursor, in units of spread
};

class PrecursorModel {
public:
    // Learns one precursor signature per incident kind. Fails when no incident has metrics before it.
    Result<void> learn(const std::vector<EntityMetrics>& entities, const std::vector<Incident>& incidents,
                       const PrecursorOptions& options = {});
    // Warnings for one entity over [range.start, range.end), at most one per kind per quiet period.
    std::vector<PrecursorWarning> scan(const EntityMetrics& entity, TimeRange range) const;
    std::vector<std::string> kinds() const;
    bool empty() const { return m_signatures.empty(); }

private:
    struct Signature {
        std::string kind;
        std::vector<std::string> metrics;
        std::vector<double> centroid, normalCentroid, spread;
        double threshold = 0;
    };
    std::vector<Signature> m_signatures;
    PrecursorOptions m_options;
};

struct EarlyWarningEvaluation {
    int incidents = 0;     // incidents evaluated
    int warned = 0;        // incidents with a warning in [start - maxLead, start)
    int warnings = 0;      // all warnings raised
    int truePositives = 0; // warnings followed by an incident on the same entity within maxLead
    double medianLeadMinutes = 0;
    double precision() const { return warnings ? static_cast<double>(truePositives) / warnings : 0.0; }
    double recall() const { return incidents ? static_cast<double>(warned) / incidents : 0.0; }
};

// Leave-one-incident-out: for each incident, learn from the others and scan its entity; warnings on all
// entities over `range` are scanned with the model learned from every incident to count precision.
EarlyWarningEvaluation evaluatePrecursors(const std::vector<EntityMetrics>& entities,
                                          const std::vector<Incident>& incidents, TimeRange range,
                                          const PrecursorOptions& options = {});

} // namespace cairn::forecast
