// Capacity planning across a fleet: collects bounded resources (used + capacity series per pod) from any
// MetricSource, and replays the exhaustion forecast over history to measure how early and how precisely it
// warns before real exhaustions (lead time, precision). Times are UTC milliseconds.
// Thread-safety: functions are pure apart from the source calls (run off the UI thread).
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/forecast/capacity.h"
#include "cairn/forecast/seriesforecast.h"
#include "cairn/sources/metricsource.h"

#include <string>
#include <vector>

namespace cairn::forecast {

// Which metrics make a bounded resource: usage and its limit, paired by the owner label.
struct ResourceMetrics {
    std::string resource;       // "disk"
    std::string usedMetric;     // "disk_used_bytes"
    std::string capacityMetric; // "disk_capacity_bytes"
};
std::vector<ResourceMetrics> defaultResourceMetrics(); // disk and memory (Kubernetes-style names)

// One Resource per owner (label `ownerLabel`, e.g. "pod") that has both series in the range.
Result<std::vector<Resource>> collectResources(
    sources::MetricSource& source, TimeRange range, TimeMs step, const std::string& ownerLabel = "pod",
    const std::vector<ResourceMetrics>& metrics = defaultResourceMetrics(), const CancelToken& cancel = {});

// Per-service forecasts of usage metrics (CPU, memory): the pods' series are aggregated per service label
// (sum or mean per timestamp) and forecast with daily and weekly seasons detected from the data (a weekly
// season needs three weeks of history).
enum class Aggregation { Sum, Mean };
struct ServiceMetric {
    std::string metric;
    Aggregation aggregation = Aggregation::Mean;
};
struct ServiceForecast {
    std::string service, metric;
    SeriesForecast forecast;
    double current = 0;     // last aggregated value
    double peak = 0;        // highest point forecast over the horizon
    double peakUpper95 = 0; // highest upper 95% bound over the horizon
};
Result<std::vector<ServiceForecast>>
forecastServices(sources::MetricSource& source, TimeRange history, TimeMs step, TimeMs horizon,
                 const std::vector<ServiceMetric>& metrics = {{"cpu_usage_ratio", Aggregation::Mean},
                                                              {"memory_used_bytes", Aggregation::Sum}},
                 const std::string& serviceLabel = "service", const CancelToken& cancel = {});

// A real exhaustion: the resource of that owner hit its capacity at `at`.
struct ResourceFailure {
    std::string id; // incident id, for the report
    std::string owner, resource;
    TimeMs at = 0;
};

struct WarningReplayOptions {
    TimeMs every = 15 * kMinuteMs;    // how often the forecast is re-run during the replay
    TimeMs warnWithin = 12 * kHourMs; // warn when the expected exhaustion is closer than this
    ExhaustionOptions exhaustion{kDayMs, 90 * kDayMs, 0.90, 0.25};
};

struct FailureWarning {
    ResourceFailure failure;
    TimeMs firstWarning = 0; // 0 = no warning before the failure
    TimeMs predictedAt = 0;  // exhaustion time forecast at the first warning
    double leadMinutes() const {
        return firstWarning ? static_cast<double>(failure.at - firstWarning) / kMinuteMs : 0;
    }
};

struct FalseWarning {
    std::string owner, resource;
    TimeMs at = 0;          // start of the warning episode
    TimeMs predictedAt = 0; // exhaustion time forecast then
};

struct WarningReplay {
    std::vector<FailureWarning> failures; // one per failure inside the replay range
    std::vector<FalseWarning> falseWarnings;
    int warnings = 0;      // warning episodes raised
    int truePositives = 0; // episodes followed by a failure of that resource within warnWithin
    double precision() const { return warnings ? static_cast<double>(truePositives) / warnings : 0.0; }
    double recall() const;
    double medianLeadMinutes() const;
};

// Re-runs timeToExhaustion every `every` over `range` on the data known at that time, and scores the
// warnings against the failures. Failures after the range (still ahead) make warnings true but are not
// listed in WarningReplay::failures.
WarningReplay replayExhaustionWarnings(const std::vector<Resource>& resources,
                                       const std::vector<ResourceFailure>& failures, TimeRange range,
                                       const WarningReplayOptions& options = {},
                                       const CancelToken& cancel = {});

} // namespace cairn::forecast
