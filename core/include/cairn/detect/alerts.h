// Alert-noise reduction: turns per-point anomaly scores into alerts an operator wants to see.
// An anomaly becomes an alert only when it persists (configurable duration), with hysteresis (raise at
// one score, clear below a lower one), de-duplication (a re-raise soon after a clear continues the same
// alert), flapping suppression (too many raises in a window), silences and maintenance windows (one-off
// or recurring daily/weekly). Suppressed alerts are still produced, marked suppressed with the reason.
// Times are UTC milliseconds. Thread-safety: AlertEngine is one instance per evaluation, one thread at a
// time.
#pragma once

#include "cairn/common/time.h"
#include "cairn/detect/analyze.h"
#include "cairn/timeseries/series.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cairn::detect {

struct AlertPolicy {
    double raiseScore = 0.5;             // a point at or above this starts (or continues) an anomaly
    double clearScore = 0.3;             // ...which only ends when the score falls below this (hysteresis)
    TimeMs persistFor = 0;               // the anomaly must last this long before it is an alert
    TimeMs dedupWindow = 15 * kMinuteMs; // a raise this soon after a clear re-opens the same alert
    int flapRaises = 4;                  // this many raises of one series within flapWindow = flapping
    TimeMs flapWindow = kHourMs;
};

// When `every` is set the silence recurs: it is active in [start + n*every, start + n*every + duration)
// for every n >= 0 (e.g. every day 02:00-03:00 for a nightly backup). Otherwise active in [start,
// start+duration).
struct Silence {
    std::string id;
    ts::Selector matcher; // which series it applies to (empty selector = all)
    TimeMs start = 0;
    TimeMs duration = 0;
    std::optional<TimeMs> every; // kDayMs, kWeekMs or any period
    bool maintenance = false;    // a maintenance window rather than an ad-hoc silence (changes the reason)
    std::string comment;         // why, who

    bool activeAt(TimeMs t) const;
    bool matches(const ts::SeriesId& id, TimeMs t) const { return matcher.matches(id) && activeAt(t); }
};

enum class AlertState { Firing, Resolved, Suppressed };
std::string_view toString(AlertState s);

struct Alert {
    ts::SeriesId series;
    TimeMs start = 0;    // first anomalous point
    TimeMs raisedAt = 0; // when it became an alert (start + persistence)
    TimeMs end = 0;      // last anomalous point + step; 0 while still firing
    double peakScore = 0.0;
    Anomaly peak;        // observed vs expected at the peak, with the explanation
    int occurrences = 1; // raises merged into this alert by de-duplication
    AlertState state = AlertState::Firing;
    std::string suppressedReason; // why it is suppressed ("silence nightly-backup: ...", "flapping: ...")
};

// Streaming evaluation: feed each series' points in time order; alerts are collected.
class AlertEngine {
public:
    explicit AlertEngine(AlertPolicy policy = {}, std::vector<Silence> silences = {});

    // One scored point of a series (estimate from a detector, observed value). Skipped points (NaN) are
    // ignored.
    void feed(const ts::SeriesId& series, TimeMs t, double value, const Estimate& estimate,
              std::string_view detector = "ensemble");
    // Closes anomalies still open at the end of the data (they stay Firing with end = 0).
    std::vector<Alert> finish();
    const AlertPolicy& policy() const { return m_policy; }

private:
    struct Track {
        bool open = false;    // an anomaly run is in progress
        bool alerted = false; // ...and it became an alert (index into m_alerts)
        std::size_t alert = 0;
        TimeMs runStart = 0;
        TimeMs lastAnomalous = 0;
        TimeMs lastClear = -1;
        TimeMs step = kMinuteMs;
        TimeMs lastT = 0;
        std::vector<TimeMs> raises; // recent raise times (flapping)
        Anomaly peak;
        double peakScore = 0.0;
    };
    void closeRun(Track& track);
    std::string suppression(const ts::SeriesId& id, TimeMs t, const Track& track) const;

    AlertPolicy m_policy;
    std::vector<Silence> m_silences;
    std::map<ts::SeriesId, Track> m_tracks;
    std::vector<Alert> m_alerts;
};

// Marks (Anomaly::suppressed) the anomalies of an analysis that would not become alerts because they are
// shorter than `persistFor`, unless their deviation is at least `immediateSigmas` (a huge jolt alerts at
// once). They stay in the list, with the reason, so nothing is hidden.
void applyPersistence(SeriesAnalysis& analysis, TimeMs persistFor, double immediateSigmas = 8.0);
void applyPersistence(std::vector<Anomaly>& anomalies, TimeMs persistFor, double immediateSigmas = 8.0);

// Why a silence suppresses: "silence 'nightly-backup' (daily): backups" / "maintenance window 'db-upgrade'".
std::string silenceReason(const Silence& silence);
// Marks (Anomaly::suppressed) every anomaly not yet suppressed whose series and start a silence covers.
void applySilences(std::vector<Anomaly>& anomalies, const std::vector<Silence>& silences);

// Batch helper: alerts for one analysed series.
std::vector<Alert> alertsFor(const ts::Series& series, const SeriesAnalysis& analysis,
                             const AlertPolicy& policy, const std::vector<Silence>& silences = {});

} // namespace cairn::detect
