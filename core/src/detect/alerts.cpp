#include "cairn/detect/alerts.h"

#include <algorithm>
#include <cmath>

namespace cairn::detect {

bool Silence::activeAt(TimeMs t) const {
    if (duration <= 0 || t < start)
        return false;
    if (!every || *every <= 0)
        return t < start + duration;
    return (t - start) % *every < duration;
}

std::string_view toString(AlertState s) {
    switch (s) {
    case AlertState::Firing:
        return "firing";
    case AlertState::Resolved:
        return "resolved";
    case AlertState::Suppressed:
        return "suppressed";
    }
    return "firing";
}

std::string silenceReason(const Silence& s) {
    std::string reason = s.maintenance ? "maintenance window" : "silence";
    if (!s.id.empty())
        reason += " '" + s.id + "'";
    if (s.every)
        reason += s.every == kDayMs ? " (daily)" : s.every == kWeekMs ? " (weekly)" : " (recurring)";
    if (!s.comment.empty())
        reason += ": " + s.comment;
    return reason;
}

void applySilences(std::vector<Anomaly>& anomalies, const std::vector<Silence>& silences) {
    for (Anomaly& a : anomalies) {
        if (!a.suppressed.empty())
            continue;
        for (const Silence& s : silences)
            if (s.matches(a.series, a.start)) {
                a.suppressed = silenceReason(s);
                break;
            }
    }
}

AlertEngine::AlertEngine(AlertPolicy policy, std::vector<Silence> silences)
    : m_policy(policy)
    , m_silences(std::move(silences)) {
    m_policy.clearScore = std::min(m_policy.clearScore, m_policy.raiseScore);
}

std::string AlertEngine::suppression(const ts::SeriesId& id, TimeMs t, const Track& track) const {
    for (const Silence& s : m_silences)
        if (s.matches(id, t))
            return silenceReason(s);
    if (m_policy.flapRaises > 0 && static_cast<int>(track.raises.size()) >= m_policy.flapRaises)
        return "flapping: " + std::to_string(track.raises.size()) + " raises within " +
               std::to_string(m_policy.flapWindow / kMinuteMs) + " min";
    return {};
}

void AlertEngine::closeRun(Track& track) {
    if (track.alerted) {
        Alert& a = m_alerts[track.alert];
        a.end = track.lastAnomalous + track.step;
        if (a.state == AlertState::Firing)
            a.state = AlertState::Resolved;
    }
    track.open = false;
    track.alerted = false;
    track.lastClear = track.lastAnomalous + track.step;
}

void AlertEngine::feed(const ts::SeriesId& series, TimeMs t, double value, const Estimate& estimate,
                       std::string_view detector) {
    if (!std::isfinite(value) || !std::isfinite(estimate.score))
        return;
    Track& track = m_tracks[series];
    if (track.lastT != 0 && t <= track.lastT)
        return; // duplicate or out of order: the detector ignored it too
    if (track.lastT != 0)
        track.step = t - track.lastT;
    track.lastT = t;

    const bool anomalous = estimate.score >= (track.open ? m_policy.clearScore : m_policy.raiseScore);
    if (!anomalous) {
        if (track.open)
            closeRun(track);
        return;
    }
    if (!track.open) {
        track.open = true;
        track.runStart = t;
        track.peakScore = -1.0;
    }
    track.lastAnomalous = t;
    if (estimate.score > track.peakScore) {
        track.peakScore = estimate.score;
        Anomaly& p = track.peak;
        p.series = series;
        p.start = track.runStart;
        p.peak = t;
        p.score = estimate.score;
        p.observed = value;
        p.expected = estimate.expected;
        p.lower = estimate.lower;
        p.upper = estimate.upper;
        p.detector = std::string(detector);
        p.explanation =
            explainDeviation(series.metric.empty() ? "value" : series.toString(), value, estimate.expected,
                             estimate.lower, estimate.upper, estimate.deviation, detector, {});
    }
    if (!track.alerted && t - track.runStart >= m_policy.persistFor) {
        // A raise: prune the flapping window, then either continue the previous alert (de-dup) or open one.
        std::erase_if(track.raises, [&](TimeMs r) { return r < t - m_policy.flapWindow; });
        track.raises.push_back(t);
        const bool dedup = track.lastClear >= 0 && !m_alerts.empty() && track.alert < m_alerts.size() &&
                           m_alerts[track.alert].series == series &&
                           track.runStart - track.lastClear <= m_policy.dedupWindow;
        if (dedup) {
            Alert& a = m_alerts[track.alert];
            ++a.occurrences;
            a.end = 0;
            if (a.state == AlertState::Resolved)
                a.state = AlertState::Firing;
        } else {
            Alert a;
            a.series = series;
            a.start = track.runStart;
            a.raisedAt = t;
            const std::string why = suppression(series, t, track);
            if (!why.empty()) {
                a.state = AlertState::Suppressed;
                a.suppressedReason = why;
            }
            m_alerts.push_back(std::move(a));
            track.alert = m_alerts.size() - 1;
        }
        track.alerted = true;
    }
    if (track.alerted) {
        Alert& a = m_alerts[track.alert];
        if (track.peakScore > a.peakScore) {
            a.peakScore = track.peakScore;
            a.peak = track.peak;
        }
    }
}

std::vector<Alert> AlertEngine::finish() {
    std::vector<Alert> out = m_alerts;
    std::sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) {
        return a.start != b.start ? a.start < b.start : a.series < b.series;
    });
    return out;
}

void applyPersistence(std::vector<Anomaly>& anomalies, TimeMs persistFor, double immediateSigmas) {
    if (persistFor <= 0)
        return;
    for (Anomaly& a : anomalies) {
        if (!a.suppressed.empty() || a.end - a.start >= persistFor ||
            std::fabs(a.deviation) >= immediateSigmas)
            continue;
        a.suppressed = "shorter than " + std::to_string(persistFor / kMinuteMs) + " min (persistence rule)";
    }
}

void applyPersistence(SeriesAnalysis& analysis, TimeMs persistFor, double immediateSigmas) {
    applyPersistence(analysis.anomalies, persistFor, immediateSigmas);
}

std::vector<Alert> alertsFor(const ts::Series& series, const SeriesAnalysis& analysis,
                             const AlertPolicy& policy, const std::vector<Silence>& silences) {
    AlertEngine engine(policy, silences);
    const std::size_t n = std::min({series.time.size(), series.value.size(), analysis.points.size()});
    for (std::size_t i = 0; i < n; ++i)
        engine.feed(series.id, series.time[i], series.value[i], analysis.points[i]);
    return engine.finish();
}

} // namespace cairn::detect
