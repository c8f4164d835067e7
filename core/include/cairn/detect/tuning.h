// Per-series tuning of the detector, remembered in the workspace: sensitivity (a band width in sigmas,
// or low/medium/high) per series or per service, "not an anomaly" feedback that stops that series from
// raising the same pattern again (same direction, similar time of day, no larger deviation), and the
// silences/maintenance windows of the alert engine. Persistence is behind DetectStore: an in-memory store
// for tests and tools, and WorkspaceDetectStore over the SQLite workspace (tables detect_*).
// Times are UTC milliseconds. Thread-safety: Tuning is not synchronised (one owner); the workspace store
// may be used from any thread (the workspace serialises calls).
#pragma once

#include "cairn/common/error.h"
#include "cairn/detect/alerts.h"
#include "cairn/detect/analyze.h"

#include <memory>
#include <string>
#include <vector>

namespace cairn::storage {
class Workspace;
}

namespace cairn::detect {

// scope: "series:<Prometheus notation>", "service:<name>" or "*" (everything).
struct SensitivitySetting {
    std::string scope;
    double bandSigmas = 3.0;
};

struct Feedback {
    std::string series;     // SeriesId::toString()
    TimeMs at = 0;          // peak time of the anomaly the user dismissed
    double deviation = 0.0; // its signed deviation in sigmas
    std::string note;
    TimeMs recordedAt = 0;
};

class DetectStore {
public:
    virtual ~DetectStore() = default;
    virtual Result<void> saveSensitivity(const SensitivitySetting& s) = 0; // replaces the scope's setting
    virtual Result<void> removeSensitivity(const std::string& scope) = 0;
    virtual Result<std::vector<SensitivitySetting>> sensitivities() = 0;
    virtual Result<void> addFeedback(const Feedback& f) = 0;
    virtual Result<std::vector<Feedback>> feedback() = 0;
    virtual Result<void> saveSilence(const Silence& s) = 0; // by id, replaces
    virtual Result<void> removeSilence(const std::string& id) = 0;
    virtual Result<std::vector<Silence>> silences() = 0;
};

class MemoryDetectStore final : public DetectStore {
public:
    Result<void> saveSensitivity(const SensitivitySetting& s) override;
    Result<void> removeSensitivity(const std::string& scope) override;
    Result<std::vector<SensitivitySetting>> sensitivities() override { return m_sensitivity; }
    Result<void> addFeedback(const Feedback& f) override;
    Result<std::vector<Feedback>> feedback() override { return m_feedback; }
    Result<void> saveSilence(const Silence& s) override;
    Result<void> removeSilence(const std::string& id) override;
    Result<std::vector<Silence>> silences() override { return m_silences; }

private:
    std::vector<SensitivitySetting> m_sensitivity;
    std::vector<Feedback> m_feedback;
    std::vector<Silence> m_silences;
};

// Stores everything in the workspace (tables detect_sensitivity, detect_feedback, detect_silence; the
// "detect" migration area). Silence matchers are stored as their selector's metric and labels (JSON).
class WorkspaceDetectStore final : public DetectStore {
public:
    explicit WorkspaceDetectStore(std::shared_ptr<storage::Workspace> workspace);
    Result<void> saveSensitivity(const SensitivitySetting& s) override;
    Result<void> removeSensitivity(const std::string& scope) override;
    Result<std::vector<SensitivitySetting>> sensitivities() override;
    Result<void> addFeedback(const Feedback& f) override;
    Result<std::vector<Feedback>> feedback() override;
    Result<void> saveSilence(const Silence& s) override;
    Result<void> removeSilence(const std::string& id) override;
    Result<std::vector<Silence>> silences() override;

private:
    std::shared_ptr<storage::Workspace> m_ws;
};

class Tuning {
public:
    explicit Tuning(DetectStore& store)
        : m_store(store) {}
    // Reads sensitivities and feedback from the store.
    Result<void> load();

    // Band width for a series: its own setting, else its service's (label "service"), else "*", else 3.
    double bandSigmasFor(const ts::SeriesId& id) const;
    AnalysisOptions optionsFor(const ts::SeriesId& id, AnalysisOptions base = {}) const;
    Result<void> setSensitivity(const std::string& scope, double bandSigmas);
    Result<void> setSensitivity(const std::string& scope, Sensitivity level) {
        return setSensitivity(scope, bandSigmasFor(level));
    }

    // "Not an anomaly": remembered; later anomalies of the same series with the same direction, within
    // two hours of the same time of day and no larger deviation (x1.25) are no longer raised.
    Result<void> markNotAnomaly(const Anomaly& anomaly, std::string note = {}, TimeMs now = 0);
    // Why this anomaly is covered by earlier feedback, or empty.
    std::string coveredByFeedback(const Anomaly& anomaly) const;
    // Marks (Anomaly::suppressed) every anomaly of an analysis that feedback covers.
    void apply(SeriesAnalysis& analysis) const;

    static std::string seriesScope(const ts::SeriesId& id) { return "series:" + id.toString(); }
    static std::string serviceScope(const std::string& service) { return "service:" + service; }

private:
    static double bandSigmasFor(Sensitivity s) { return detect::bandSigmasFor(s); }
    DetectStore& m_store;
    std::vector<SensitivitySetting> m_sensitivity;
    std::vector<Feedback> m_feedback;
};

} // namespace cairn::detect
