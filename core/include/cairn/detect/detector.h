// The streaming anomaly-detector contract shared by every detector and the ensemble.
// Causal: the output for a point depends only on points fed before it and the point itself.
// Times are UTC milliseconds. Thread-safety: one instance per series, used by one thread at a time.
#pragma once

#include "cairn/common/time.h"
#include "cairn/timeseries/series.h"

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
// about 0.95 one and a half sigmas outside it, 0 from six sigmas inside it.
inline double scoreFromDeviation(double z, double bandSigmas) {
    if (!std::isfinite(z))
        return std::isnan(z) ? 0.0 : 1.0;
    const double x = 2.0 * (std::fabs(z) - bandSigmas);
    if (x < -12.0)
        return 0.0; // below 6e-6
    if (x > 30.0)
        return 1.0;
    // 1 / (1 + e^-x) with e^-x = 2^(-x log2 e) from an exact power of two and a degree-5 polynomial
    // (relative error < 2e-7): this runs for every point of every series, libm's exp is too slow here.
    const double y = -x * 1.4426950408889634;
    const double fl = std::floor(y);
    const double f = y - fl;
    const double p =
        1.0 + f * (0.6931471805599453 +
                   f * (0.2402265069591007 +
                        f * (0.0555041086648216 + f * (0.0096181291076285 + f * 0.0013333558146428))));
    const auto bits = static_cast<std::uint64_t>(static_cast<std::int64_t>(fl) + 1023)
                      << 52; // 2^fl, |fl| < 60
    return 1.0 / (1.0 + p * std::bit_cast<double>(bits));
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
    double deviation = 0.0;  // signed sigmas from the expectation at the peak
    std::string suppressed;  // non-empty: why it is not raised ("marked not an anomaly on ...")
    // Group anomalies (detector "group", `series` names the group): the member series and their share of
    // the reconstruction error over the anomaly, largest first. Empty for single-series anomalies.
    std::vector<std::pair<ts::SeriesId, double>> contributors;
};

} // namespace cairn::detect
