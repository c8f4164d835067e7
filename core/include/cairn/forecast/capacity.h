// Capacity planning for bounded resources (disk, memory limit, quota): when does usage reach its capacity,
// with a confidence range, without being fooled by sawtooth patterns (log rotation, garbage collection,
// compaction) — and a fleet-wide "what runs out first" table plus over-provisioning hints.
//
// Method: the usage is cut into segments at resets (sharp drops). With resets, the long-run growth is the
// trend of the segment peaks (the envelope), and the current segment only counts when it has grown past every
// earlier peak or grows much faster than earlier segments (a runaway that no rotation will undo). Without
// resets, the growth is the trend of the whole window. Trends are Theil-Sen slopes; the confidence range
// comes from Sen's rank-based interval of the slope. Times are UTC milliseconds, rates are units per day.
// Thread-safety: pure functions.
#pragma once

#include "cairn/common/time.h"
#include "cairn/timeseries/series.h"

#include <optional>
#include <string>
#include <vector>

namespace cairn::forecast {

enum class ExhaustionStatus {
    WillExhaust,      // reaches capacity within the horizon (at, earliest, latest set)
    NotWithinHorizon, // grows, but not enough to reach capacity within the horizon
    NotGrowing,       // flat or shrinking: no exhaustion expected
    Exhausted,        // already at or above capacity
    InsufficientData, // too few samples (or no capacity) to say anything
};
std::string_view toString(ExhaustionStatus status);

struct ExhaustionOptions {
    TimeMs lookback = 7 * kDayMs; // history used for the trend, counted back from the last sample
    TimeMs horizon = 90 * kDayMs; // how far ahead an exhaustion is reported
    double confidence = 0.90;     // two-sided level of the [earliest, latest] range
    double resetDrop = 0.25; // a one-sample drop larger than this fraction of the window range is a reset
};

struct Exhaustion {
    ExhaustionStatus status = ExhaustionStatus::InsufficientData;
    std::string message; // one sentence: why, which trend was used
    double current = 0;  // usage at the last sample
    double capacity = 0;
    double growthPerDay = 0; // units per day of the trend that was used
    TimeMs now = 0;          // time of the last sample
    TimeMs at = 0;           // expected exhaustion (WillExhaust; Exhausted: now)
    TimeMs earliest = 0;     // with the fastest plausible growth
    TimeMs latest = 0;       // with the slowest plausible growth; 0 = not within the horizon
    int resets = 0;          // sawtooth resets seen in the window
    bool runaway = false;    // the current segment outgrew the usual sawtooth
    double daysLeft() const { return static_cast<double>(at - now) / kDayMs; }
};

// `capacity` <= 0 or NaN gives InsufficientData.
Exhaustion timeToExhaustion(const ts::Series& usage, double capacity, const ExhaustionOptions& options = {});
// Same, with a capacity series (e.g. a memory limit that can change): its last finite value is used.
Exhaustion timeToExhaustion(const ts::Series& usage, const ts::Series& capacity,
                            const ExhaustionOptions& options = {});

// Theil-Sen slope (per ms) of (t, v) with Sen's confidence interval at `confidence`; nullopt with < 3 points.
struct SlopeEstimate {
    double slope = 0, lower = 0, upper = 0, intercept = 0; // intercept at t = 0 (use a local time origin)
    double spread = 0; // robust standard deviation of the residuals around the line (1.4826 MAD)
};
std::optional<SlopeEstimate> theilSen(const std::vector<double>& t, const std::vector<double>& v,
                                      double confidence = 0.90);

// One bounded resource of one owner (pod, service, volume).
struct Resource {
    std::string owner;    // "checkout-7d9f" or "checkout"
    std::string resource; // "disk", "memory"
    ts::Series used;
    ts::Series capacity; // its last finite value is the capacity
};

struct CapacityRow {
    std::string owner, resource;
    Exhaustion exhaustion;
    double fractionUsed = 0; // current / capacity
};

// One row per resource, most urgent first: exhausted, then by expected exhaustion time, then the ones that
// do not run out (by fraction used, highest first), then those without enough data.
std::vector<CapacityRow> fleetCapacity(const std::vector<Resource>& resources,
                                       const ExhaustionOptions& options = {});

struct ProvisioningHint {
    std::string owner, resource;
    double p95 = 0, peak = 0, limit = 0;
    double p95Fraction = 0; // p95 / limit
    std::string advice;     // e.g. "p95 is 12% of the limit: a limit of 2.1 GiB would keep 50% headroom"
};

// Over-provisioning: p95 usage below `maxFraction` of the limit over the window. The suggested limit keeps
// the observed peak under `targetFraction` of it.
std::optional<ProvisioningHint> overProvisioning(const Resource& r, double maxFraction = 0.3,
                                                 double targetFraction = 0.7);

} // namespace cairn::forecast
