#include "cairn/detect/ensemble.h"

#include <algorithm>
#include <cmath>

namespace cairn::detect {

EnsembleDetector::EnsembleDetector(EnsembleConfig config)
    : m_config(config)
    , m_seasonal([&] {
        SeasonalConfig s = config.seasonal;
        s.bandSigmas = config.bandSigmas;
        return s;
    }())
    , m_mad(config.bandSigmas)
    , m_cusum(config.cusum) {
    // The ensemble scores the deviation it picks itself; the members' own scores would be thrown away.
    m_seasonal.setScoring(false);
    m_mad.setScoring(false);
}

void EnsembleDetector::reset() {
    m_seasonal.reset();
    m_mad.reset();
    m_cusum.reset();
    m_explanation = {};
    m_shiftOffset = 0.0;
    m_shiftLeft = 0;
    m_lastTime = 0;
}

void EnsembleDetector::setBandSigmas(double k) {
    m_config.bandSigmas = k;
    m_seasonal.setBandSigmas(k);
    m_mad.setBandSigmas(k);
}

Estimate EnsembleDetector::update(TimeMs t, double value) {
    const double k = m_config.bandSigmas;
    const bool skipped = !std::isfinite(value) || (m_seasonal.count() > 0 && t <= m_lastTime);
    Estimate s = m_seasonal.update(t, value);
    const Estimate m = m_mad.update(t, value);
    m_explanation = {};
    if (skipped) {
        // NaN/Inf, duplicate or out-of-order time: nothing learned, score 0, band kept.
        if (!m_seasonal.settled() && m.ready) {
            s.expected = m.expected;
            s.lower = m.lower;
            s.upper = m.upper;
        }
        s.score = 0.0;
        s.deviation = 0.0;
        m_explanation.skipped = true;
        return s;
    }
    m_lastTime = t;
    if (!s.ready && !m.ready)
        return s;

    m_explanation.seasonalDeviation = s.deviation;
    m_explanation.madDeviation = m.deviation;
    // A point is only as anomalous as the model that explains it best.
    double z = 0.0;
    std::string_view point = "mad";
    if (s.ready && m.ready) {
        // With a learned daily season the seasonal baseline is the reference (a recent-median check would
        // excuse a day that looks like its own last hours but unlike a normal day); without one, a point
        // is only as anomalous as the model that explains it best.
        z = m_seasonal.dailyActive()                           ? s.deviation
            : std::fabs(s.deviation) <= std::fabs(m.deviation) ? s.deviation
                                                               : m.deviation;
        point = m_seasonal.dailyActive() ? "seasonal" : "mad";
    } else if (s.ready) {
        z = s.deviation;
        point = "seasonal";
    } else {
        z = m.deviation;
    }
    m_explanation.deviation = z;
    double score = scoreFromDeviation(z, k);

    // The CUSUM watches the seasonal residuals once the baseline has chosen its model; earlier residuals
    // are dominated by the model still learning and would raise false level shifts.
    if (s.ready && m_seasonal.settled()) {
        const bool alarm = m_cusum.update(m_seasonal.slowDeviation());
        const double change = alarm ? 1.0 : m_cusum.level();
        m_explanation.changeLevel = change;
        const double sigma = (s.upper - s.lower) / (2.0 * k);
        // The statistic alone only hints (quadratic ramp, at most 0.45 at the alarm level): whether a point
        // is anomalous is decided by where the point lies (below).
        // (Below half the alarm level the hint is under 0.01: not worth the exp on every point.)
        double changeScore = change < 0.5 ? 0.0 : 0.9 * scoreFromDeviation(k * change * change, k);
        if (alarm) {
            m_explanation.levelShift = true;
            // Re-level the baseline so a new normal stops raising alarms, and remember the old baseline
            // for a while: the shift is an anomaly for as long as points stay outside the old band.
            const double shift = m_cusum.lastShift() * sigma;
            m_seasonal.shiftLevel(shift);
            m_shiftOffset = std::isfinite(shift) ? shift : 0.0;
            m_shiftLeft = m_config.shiftPersistPoints;
        }
        // A change point marks points, not the instant of the alarm: a point scores as a level shift only
        // when it lies outside the band of the pre-shift baseline, on the side of the shift. So the stage
        // never flags a lone sample that sits inside the band, and a real shift shows as a run of points.
        if (m_shiftLeft > 0 && sigma > 0) {
            --m_shiftLeft;
            const double oldDeviation = (value - (s.expected - (alarm ? 0.0 : m_shiftOffset))) / sigma;
            const double beyond = m_shiftOffset > 0 ? oldDeviation : -oldDeviation;
            if (beyond > k && (alarm || std::fabs(s.deviation) < beyond)) {
                const double c = scoreFromDeviation(std::min(beyond, k + 1.1), k);
                if (c > score && c > changeScore) {
                    changeScore = c;
                    // Show the point against the baseline it departs from (the pre-shift one).
                    const double back = alarm ? 0.0 : m_shiftOffset;
                    s.expected -= back;
                    s.lower -= back;
                    s.upper -= back;
                    s.deviation = oldDeviation;
                    m_explanation.shiftDeviation = oldDeviation;
                }
            } else if (!alarm) {
                m_shiftLeft = 0; // back inside the old band: the shift run is over
            }
        }
        if (changeScore > score) {
            score = changeScore;
            point = "changepoint";
        }
    }
    s.score = score;
    s.deviation = s.ready ? s.deviation : m.deviation;
    if (!s.ready) {
        s.expected = m.expected;
        s.lower = m.lower;
        s.upper = m.upper;
        s.ready = true;
    }
    m_explanation.detector = score >= 0.5 ? point : std::string_view();
    return s;
}

} // namespace cairn::detect
