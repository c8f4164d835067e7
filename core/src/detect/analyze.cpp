#include "cairn/detect/analyze.h"

#include "cairn/detect/ensemble.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cairn::detect {

double bandSigmasFor(Sensitivity s) {
    switch (s) {
    case Sensitivity::Low:
        return 4.0;
    case Sensitivity::Medium:
        return 3.0;
    case Sensitivity::High:
        return 2.5;
    }
    return 3.0;
}

std::string_view toString(Sensitivity s) {
    switch (s) {
    case Sensitivity::Low:
        return "low";
    case Sensitivity::Medium:
        return "medium";
    case Sensitivity::High:
        return "high";
    }
    return "medium";
}

namespace {

std::string number(double v) {
    char buf[64];
    const double a = std::fabs(v);
    if (a != 0 && (a >= 1e6 || a < 1e-2))
        std::snprintf(buf, sizeof buf, "%.3g", v);
    else if (a >= 100)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

TimeMs typicalStep(const ts::Series& s) {
    std::vector<TimeMs> d;
    for (std::size_t i = 1; i < s.size() && d.size() < 1024; ++i)
        if (s.time[i] > s.time[i - 1])
            d.push_back(s.time[i] - s.time[i - 1]);
    if (d.empty())
        return kMinuteMs;
    std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2), d.end());
    return d[d.size() / 2];
}

} // namespace

std::string explainDeviation(const std::string& what, double observed, double expected, double lower,
                             double upper, double deviation, std::string_view detector,
                             const std::string& unit) {
    const std::string u = unit.empty() ? std::string() : " " + unit;
    char dev[64];
    std::snprintf(dev, sizeof dev, "%+.1f sigma", deviation);
    std::string out = what + " " + number(observed) + u + " vs expected " + number(expected) + u;
    if (std::isfinite(lower) && std::isfinite(upper))
        out += " (band " + number(lower) + ".." + number(upper) + u + ")";
    out += ", " + std::string(dev) + "; " + std::string(detector) + " detector";
    return out;
}

SeriesAnalysis analyzeSeries(const ts::Series& series, const AnalysisOptions& options,
                             const CancelToken& cancel) {
    SeriesAnalysis out;
    const double k = options.bandSigmas > 0 ? options.bandSigmas : bandSigmasFor(options.sensitivity);
    EnsembleConfig config;
    config.bandSigmas = k;
    EnsembleDetector detector(config);
    out.points.reserve(series.size());
    std::vector<std::string_view> firedBy;
    firedBy.reserve(series.size());

    const std::size_t n = std::min(series.time.size(), series.value.size());
    TimeMs last = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if ((i & 4095) == 0 && cancel.isCancelled()) {
            out.complete = false;
            break;
        }
        const double v = series.value[i];
        if (!std::isfinite(v) || (i > 0 && series.time[i] <= last))
            ++out.skippedPoints;
        else
            last = series.time[i];
        out.points.push_back(detector.update(series.time[i], v));
        firedBy.push_back(detector.lastExplanation().detector);
    }
    out.stateBytes = detector.stateBytes();

    // Runs of anomalous points (allowing short normal gaps) become one anomaly each.
    const TimeMs step = typicalStep(series);
    const std::string what = series.id.metric.empty() ? std::string("value") : series.id.metric;
    std::size_t i = 0;
    const std::size_t m = out.points.size();
    while (i < m) {
        if (out.points[i].score < options.scoreThreshold) {
            ++i;
            continue;
        }
        std::size_t j = i;
        std::size_t lastHit = i;
        std::size_t hits = 0;
        std::size_t peak = i;
        while (j < m && j <= lastHit + static_cast<std::size_t>(std::max(0, options.mergeGapPoints)) + 1) {
            if (out.points[j].score >= options.scoreThreshold) {
                lastHit = j;
                ++hits;
                if (out.points[j].score > out.points[peak].score)
                    peak = j;
            }
            ++j;
        }
        if (hits >= static_cast<std::size_t>(std::max(1, options.minPoints))) {
            const Estimate& p = out.points[peak];
            Anomaly a;
            a.series = series.id;
            a.start = series.time[i];
            a.end = series.time[lastHit] + step;
            a.peak = series.time[peak];
            a.score = p.score;
            a.observed = series.value[peak];
            a.expected = p.expected;
            a.lower = p.lower;
            a.upper = p.upper;
            a.deviation = p.deviation;
            a.detector = std::string(firedBy[peak].empty() ? std::string_view("ensemble") : firedBy[peak]);
            a.explanation = explainDeviation(what, a.observed, a.expected, a.lower, a.upper, p.deviation,
                                             a.detector, options.unit);
            out.anomalies.push_back(std::move(a));
        }
        i = lastHit + 1;
    }
    return out;
}

} // namespace cairn::detect
