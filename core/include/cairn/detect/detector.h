// The streaming anomaly-detector contract shared by every detector and the ensemble.
// Causal: the output for a point depends only on points fed before it and the point itself.
// Times are UTC milliseconds. Thread-safety: one instance per series, used by one thread at a time.
#pragma once

#include "cairn/common/time.h"
#include "cairn/timeseries/series.h"

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace cairn::detect {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What a detector says about one point.
struct Estimate {
    double score = 0.0;     // anomaly score in [0, 1]
    double expected = kNaN; // the value the detector expected
    double lower = kNaN;    // lower edge of the expected band
    double upper = kNaN;    // upper edge of the expected band
    bool ready = false;     // false while the detector is still learning (score is 0 then)
    double deviation = 0.0; // signed (observed - expected) / sigma; 0 when not ready or skipped
};

// Maps a deviation in sigmas to a score in [0,1]: 0.5 exactly at the band edge (|z| = bandSigmas),
// about 0.95 one and a half sigmas outside it, near 0 well inside it.
inline double scoreFromDeviation(double z, double bandSigmas) {
    if (!std::isfinite(z))
        return std::isnan(z) ? 0.0 : 1.0;
    return 1.0 / (1.0 + std::exp(-2.0 * (std::fabs(z) - bandSigmas)));
}

class Detector {
public:
    virtual ~Detector() = default;
    virtual std::string_view name() const = 0;
    // Feed one point in time order; NaN/Inf values are skipped by the detector (score 0, band kept).
    virtual Estimate update(TimeMs t, double value) = 0;
    virtual void reset() = 0;
    // Bytes of state this detector keeps per series (for the "small fixed state" budget).
    virtual std::size_t stateBytes() const = 0;
};

// A finding: a span of time where a series behaved unlike its expectation.
struct Anomaly {
    ts::SeriesId series;
    TimeMs start = 0;
    TimeMs end = 0;         // exclusive; equals the last anomalous point + step
    TimeMs peak = 0;        // time of the highest score
    double score = 0.0;     // peak score in [0,1]
    double observed = kNaN; // value at the peak
    double expected = kNaN; // expectation at the peak
    double lower = kNaN;
    double upper = kNaN;
    std::string detector;    // which detector fired ("seasonal", "mad", "ensemble"...)
    std::string explanation; // one sentence: "p95 latency 840 ms vs expected 210 ms (+4.1 sigma)"
};

} // namespace cairn::detect
