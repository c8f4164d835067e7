// Metric series as plain values: an identity (metric name + labels, Prometheus-style) and samples.
// Timestamps are UTC milliseconds (TimeMs), strictly increasing within a Series; a missing sample is a
// gap in time, never a NaN placeholder. Thread-safety: plain values.
#pragma once

#include "cairn/common/time.h"

#include <map>
#include <string>
#include <vector>

namespace cairn::ts {

using Labels = std::map<std::string, std::string>;

struct SeriesId {
    std::string metric; // e.g. "http_requests_per_second"
    Labels labels;      // e.g. {service="checkout", pod="checkout-1"}

    // Prometheus notation: metric{a="x",b="y"} (labels sorted, values escaped).
    std::string toString() const;
    // Value of a label, or empty.
    std::string label(const std::string& key) const;
    // Value of the first of these labels that is set ("service", "job", "app"), or empty.
    std::string firstLabel(const std::vector<std::string>& keys) const;
    auto operator<=>(const SeriesId&) const = default;
};

struct Series {
    SeriesId id;
    std::vector<TimeMs> time;
    std::vector<double> value;

    std::size_t size() const { return time.size(); }
    bool empty() const { return time.empty(); }
};

// Selects series: metric name (empty = any) and labels that must match exactly.
struct Selector {
    std::string metric;
    Labels equals;

    bool matches(const SeriesId& id) const;
    std::string toString() const; // as a PromQL vector selector
};

} // namespace cairn::ts
