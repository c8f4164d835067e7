// MetricSource: the contract every metrics back end implements (the demo, Prometheus and friends).
// Calls are synchronous and may block on the network; run them off the UI thread. An implementation
// must be safe to call from one worker thread at a time; the demo source is safe from any thread.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/common/error.h"
#include "cairn/timeseries/series.h"

#include <string>
#include <vector>

namespace cairn::sources {

struct MetricQuery {
    ts::Selector selector;
    TimeRange range;         // [start, end)
    TimeMs step = kMinuteMs; // resolution wanted; sources may return their native resolution if coarser
};

class MetricSource {
public:
    virtual ~MetricSource() = default;
    // Human name shown in the UI ("Demo", "prometheus @ http://...").
    virtual std::string name() const = 0;
    // Identities of the series that match, without samples.
    virtual Result<std::vector<ts::SeriesId>> listSeries(const ts::Selector& selector,
                                                         const CancelToken& cancel) = 0;
    // Samples of every matching series in the range.
    virtual Result<std::vector<ts::Series>> query(const MetricQuery& query, const CancelToken& cancel) = 0;
};

} // namespace cairn::sources
