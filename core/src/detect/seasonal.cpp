#include "cairn/detect/seasonal.h"

#include <algorithm>
#include <cmath>

namespace cairn::detect {

namespace {

double clip(double x, double limit) {
    return std::clamp(x, -limit, limit);
}

} // namespace

SeasonalDetector::SeasonalDetector(SeasonalConfig config)
    : m_config(config) {}

void SeasonalDetector::reset() {
    SeasonalConfig keep = m_config;
    const bool scoring = m_scoring;
    *this = SeasonalDetector(keep);
    m_scoring = scoring;
}

SeasonalDetector::Slot SeasonalDetector::slot(TimeMs t, TimeMs period, int buckets) {
    TimeMs phase = t % period;
    if (phase < 0)
        phase += period;
    // Bucket centres sit at (i + 0.5) * width; interpolate between the two neighbouring centres
    // (i0 = floor(pos - 0.5), computed as a truncation since pos >= 0: floor is slow on every point).
    const double pos =
        static_cast<double>(phase) * (static_cast<double>(buckets) / static_cast<double>(period));
    const double up = pos + 0.5; // >= 0.5: truncation is floor here (not a rounding)
    const int i1 = static_cast<int>(up);
    int i0 = i1 - 1;
    const auto w1 = static_cast<float>(up - i1);
    if (i0 < 0)
        i0 += buckets;
    return {i0, i1 >= buckets ? i1 - buckets : i1, w1};
}

double SeasonalDetector::profile(const float* table, const Slot& s) const {
    return static_cast<double>(table[s.i0]) * (1.0 - s.w1) + static_cast<double>(table[s.i1]) * s.w1;
}

void SeasonalDetector::learn(float* table, const Slot& s, double err, double alpha) {
    table[s.i0] += static_cast<float>(alpha * (1.0 - s.w1) * err);
    table[s.i1] += static_cast<float>(alpha * s.w1 * err);
}

double SeasonalDetector::sigma() const {
    return m_absScale * kMeanAbsToSigma;
}

Estimate SeasonalDetector::expectation(TimeMs t) const {
    return expectationAt(slot(t, kDayMs, kDailyBuckets), slot(t, kWeekMs, kWeeklyBuckets));
}

Estimate SeasonalDetector::expectationAt(const Slot& sd, const Slot& sw) const {
    Estimate e;
    if (m_count == 0)
        return e;
    double expected = m_fast;
    double abs = m_absScale;
    if (m_useDaily) {
        expected = m_level + m_bias + profile(m_daily.data(), sd);
        // Band width by time of day, blended with the global width so a quiet bucket never collapses the
        // band.
        abs = 0.5 * (abs + profile(m_dailyAbs.data(), sd));
        if (m_useWeekly)
            expected += profile(m_weekly.data(), sw);
    }
    const double floor = 1e-3 * std::fabs(expected) + 1e-9;
    const double s = std::max(abs * kMeanAbsToSigma, floor);
    e.expected = expected;
    e.lower = expected - m_config.bandSigmas * s;
    e.upper = expected + m_config.bandSigmas * s;
    e.ready = m_count >= m_config.warmupPoints;
    return e;
}

void SeasonalDetector::shiftLevel(double delta) {
    if (std::isfinite(delta)) {
        m_level += delta;
        m_fast += delta;
        m_shifted += delta;
    }
}

void SeasonalDetector::updateRates(TimeMs t) {
    // Learning rates are defined per day/week (cycleAlpha) and per time constant (levelTau), then
    // converted to per-point rates with the sampling interval, so behaviour does not depend on the rate.
    // In the first cycles the profile is a running mean over cycles (1, 1/2, 1/3...) so it learns fast.
    const std::int64_t days = (t - m_first) / kDayMs + 1;
    const std::int64_t weeks = (t - m_first) / kWeekMs + 1;
    const double step = std::max(m_step, 1.0);
    const double aDay = std::max(m_config.cycleAlpha, 1.0 / static_cast<double>(days));
    const double aWeek = std::max(m_config.cycleAlpha, 1.0 / static_cast<double>(weeks));
    const double dailyWidth = static_cast<double>(kDayMs) / kDailyBuckets;
    const double weeklyWidth = static_cast<double>(kWeekMs) / kWeeklyBuckets;
    m_aDaily = aDay >= 1.0 ? 1.0 : 1.0 - std::pow(1.0 - aDay, std::min(1.0, step / dailyWidth));
    m_aWeekly = aWeek >= 1.0 ? 1.0 : 1.0 - std::pow(1.0 - aWeek, std::min(1.0, step / weeklyWidth));
    m_aLevel = 1.0 - std::exp(-step / static_cast<double>(std::max<TimeMs>(m_config.levelTau, 1)));
    m_aWeekErr = 1.0 - std::exp(-step / static_cast<double>(kWeekMs));
    m_ratesUntil = m_first + days * kDayMs; // the next day starts there: rates change
}

Estimate SeasonalDetector::update(TimeMs t, double value) {
    m_slowDeviation = 0.0;
    m_profileDeviation = std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(value) || (m_count > 0 && t <= m_last)) {
        Estimate e = expectation(t); // skipped: band kept, nothing learned
        e.score = 0.0;
        return e;
    }
    if (m_count == 0) {
        m_level = m_fast = value;
        m_first = t;
        m_last = t;
        m_count = 1;
        Estimate e;
        e.expected = e.lower = e.upper = value;
        return e;
    }

    // One 64-bit modulo for both seasons (a week is a whole number of days).
    TimeMs weekPhase = t % kWeekMs;
    if (weekPhase < 0)
        weekPhase += kWeekMs;
    const Slot sd = slot(weekPhase % kDayMs, kDayMs, kDailyBuckets);
    const Slot sw = slot(weekPhase, kWeekMs, kWeeklyBuckets);
    Estimate e = expectationAt(sd, sw);
    const double halfWidth = (e.upper - e.lower) / 2.0;
    const double s = m_config.bandSigmas > 0 ? halfWidth / m_config.bandSigmas : halfWidth;
    const double r = value - e.expected;
    if (e.ready && s > 0) {
        e.deviation = r / s;
        e.score = m_scoring ? scoreFromDeviation(e.deviation, m_config.bandSigmas) : 0.0;
    }

    const double dt = static_cast<double>(t - m_last);
    m_step = m_count == 1 ? dt : m_step + 0.02 * (std::min(dt, 10.0 * m_step) - m_step);
    ++m_count;
    m_last = t;
    if (m_count < 64 || (m_count & 255) == 0 || t >= m_ratesUntil)
        updateRates(t);
    // Early on every tracker is a running mean (alpha = 1/n) so it starts unbiased, then an EWMA.
    const double n = static_cast<double>(m_count);
    // Robust learning: points outside the band teach little. Bounded: a leaky clock counts time spent
    // outside (and gives it back inside); once it reaches adoptAfter, points count fully again, so a lasting
    // change becomes the new normal while a shorter incident never does.
    const bool outside = e.ready && s > 0 && std::fabs(r) > m_config.bandSigmas * s;
    const double adopt = static_cast<double>(std::max<TimeMs>(m_config.adoptAfter, 1));
    const double stepDt = std::min(dt, 10.0 * std::max(m_step, 1.0));
    m_outsideMs = std::clamp(m_outsideMs + (outside ? stepDt : -stepDt), 0.0, 2.0 * adopt);
    const double wt = outside && m_outsideMs < adopt ? std::clamp(m_config.anomalyWeight, 0.0, 1.0) : 1.0;
    const double aL = wt * std::max(m_aLevel, 1.0 / n);
    // A level shift confirmed by the caller is adopted by the profile deviation over levelTau only.
    m_shifted -= m_aLevel * m_shifted;
    const double aF = wt * std::max(m_config.fastAlpha, 1.0 / n);
    const double aE = std::max(m_config.scaleAlpha, 1.0 / n);
    const double limit = e.ready && s > 0 ? m_config.clipSigmas * s : std::numeric_limits<double>::infinity();

    const double d = profile(m_daily.data(), sd);
    const double w = profile(m_weekly.data(), sw);

    m_errLevel += aE * (std::min(std::fabs(value - m_fast), limit) - m_errLevel);
    // Daily vs none is judged as used (with the short-memory bias); weekly vs daily on the profiles alone,
    // since the bias would otherwise absorb a weekday/weekend difference within hours and hide it.
    m_errDailyBias += aE * (std::min(std::fabs(value - m_level - m_bias - d), limit) - m_errDailyBias);
    // ...and over about a week of memory, or weekdays alone would switch the weekly profile off each week.
    const double aW = std::max(m_aWeekErr, 1.0 / n);
    m_errDaily += aW * (std::min(std::fabs(value - m_level - d), limit) - m_errDaily);
    m_errFull += aW * (std::min(std::fabs(value - m_level - d - w), limit) - m_errFull);
    if (t - m_first >= kDayMs + kDayMs / 2 && e.ready) {
        // Against the daily profile alone and in units of its own error (about a week of memory), not the
        // band's (which includes the bias). Not the weekly profile: learned from few weeks it can fit noise
        // (it may switch on for a series without a weekly pattern), and its smaller error would turn that
        // noise into deviations; a weekly pattern shows here as a recurring deviation, which the caller's
        // long memory learns.
        const double ps = kMeanAbsToSigma * m_errDaily;
        m_profileDeviation = ps > 0 ? (value - (m_level - m_shifted) - d) / ps : 0.0;
    }
    m_slowDeviation = s > 0 && e.ready ? (value - (m_useDaily ? e.expected : m_level)) / s : 0.0;
    m_bias += wt * m_config.biasAlpha * (clip(value - m_level - d - (m_useWeekly ? w : 0.0), limit) - m_bias);
    const double used = std::min(std::fabs(r), limit);
    m_absScale += aE * (used - m_absScale);
    if (m_useDaily)
        learn(m_dailyAbs.data(), sd, used - profile(m_dailyAbs.data(), sd), m_aDaily);

    // Holt-Winters additive updates with clipped residuals: level, then daily, then weekly on what is left.
    m_fast += aF * clip(value - m_fast, limit);
    m_level += aL * clip(value - d - w - m_level, limit);
    // A profile not in use yet learns from every point: what the current model calls anomalous may be
    // exactly the season it has not learned (weekends, before the weekly profile is active).
    learn(m_daily.data(), sd, clip(value - m_level - d - w, limit), (m_useDaily ? wt : 1.0) * m_aDaily);
    const double d2 = profile(m_daily.data(), sd);
    learn(m_weekly.data(), sw, clip(value - m_level - d2 - w, limit), (m_useWeekly ? wt : 1.0) * m_aWeekly);

    // A season is used once the series has spanned it (plus a margin) and it clearly predicts better;
    // hysteresis keeps the choice from flapping.
    const TimeMs spanned = t - m_first;
    if (spanned >= kDayMs + kDayMs / 2) {
        if (!m_useDaily && m_errDailyBias < 0.85 * m_errLevel) {
            m_useDaily = true;
            // Widths learned while the profile itself was still learning are stale: start them afresh.
            m_absScale = m_errDailyBias;
            m_dailyAbs.fill(static_cast<float>(m_errDailyBias));
        } else if (m_useDaily && (m_useWeekly ? m_absScale : m_errDailyBias) > 0.95 * m_errLevel)
            m_useDaily = false;
    }
    if (m_useDaily && spanned >= kWeekMs + kDayMs) {
        if (!m_useWeekly && m_errFull < 0.85 * m_errDaily)
            m_useWeekly = true;
        else if (m_useWeekly && m_errFull > 0.95 * m_errDaily)
            m_useWeekly = false;
    } else {
        m_useWeekly = false;
    }
    return e;
}

} // namespace cairn::detect
