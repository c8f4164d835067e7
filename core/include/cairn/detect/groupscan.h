// Group scan: which series belong together for the group detector (GroupDetector), the way an SRE would
// group them, and the group anomalies found over a set of fetched series, as ordinary Anomaly values
// (detector "group", contributors filled) so they list, correlate and alert like the others.
//   - the instances of one service for one metric: "cpu_usage_ratio of the pods of catalog"
//     (series sharing the metric and the service label, differing by pod/instance);
//   - the metrics of one host: series with a host label and no service label (node_exporter style).
// Counters (metric names ending in _total) are left out: their raw values only ever grow.
// Times are UTC milliseconds. Thread-safety: pure functions over values; safe from several threads.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/detect/detector.h"
#include "cairn/detect/group.h"
#include "cairn/timeseries/series.h"

#include <string>
#include <vector>

namespace cairn::detect {

struct GroupingOptions {
    std::vector<std::string> serviceLabels{"service", "job", "app"};
    std::vector<std::string> instanceLabels{"pod", "instance"};
    std::vector<std::string> hostLabels{"host", "node"};
    std::size_t minMembers = 2;
    std::size_t maxMembers = 32; // larger groups are split into chunks of at most this many members
};

struct SeriesGroup {
    // Names the group in lists and alerts: metric "cpu_usage_ratio" with {service=catalog, group=instances}
    // for the instances of a service, metric "host" with {host=node-3, group=host} for a host's metrics.
    ts::SeriesId id;
    std::string title;                // "cpu_usage_ratio of the 3 instances of catalog"
    std::vector<std::size_t> members; // indices into the ids the groups were defined from
};

// Groups over a catalogue of series ids (a series may be in no group; never in two of the same kind).
std::vector<SeriesGroup> defineGroups(const std::vector<ts::SeriesId>& ids,
                                      const GroupingOptions& options = {});

// A slower-learning configuration than GroupDetector's default: over 1-minute data the running mean,
// covariance and typical error remember about 8 hours, so a relation that breaks for an hour stays
// anomalous instead of being learnt as the new normal within minutes.
inline GroupConfig slowGroupConfig() {
    GroupConfig c;
    c.alpha = 0.002;
    c.warmupPoints = 360;
    return c;
}

struct GroupScanOptions {
    GroupConfig config = slowGroupConfig();
    double scoreThreshold = 0.5;
    int minPoints = 2;      // a group anomaly must last this many time steps
    int mergeGapPoints = 3; // anomalous runs of one group separated by at most this many steps merge
};

// Runs the group detector over every group whose members (indices into `series`) vary; members that are
// constant over the data are left out of the group (they cannot part ways). Returns anomalies in time
// order; Anomaly::series is the group's id, contributors every varying member with its share of the error
// (largest first; members that did not contribute at 0).
std::vector<Anomaly> scanGroups(const std::vector<ts::Series>& series, const std::vector<SeriesGroup>& groups,
                                const GroupScanOptions& options = {}, const CancelToken& cancel = {});

} // namespace cairn::detect
