#include "cairn/detect/fleet.h"

#include "cairn/detect/analyze.h"
#include "cairn/detect/groupscan.h"
#include "cairn/detect/tuning.h"

#include <utility>

namespace cairn::detect {

namespace {

bool inWindow(const Anomaly& a, const TimeRange& window) {
    return a.peak >= window.start && a.start < window.end;
}

} // namespace

FleetScan scanFleet(const std::vector<ts::Series>& series, const FleetScanOptions& options,
                    const CancelToken& cancel, const ProgressSink& progress) {
    FleetScan out;
    out.estimates.reserve(series.size());
    const double total = static_cast<double>(series.size()) + 1.0; // + 1: the group detector
    for (std::size_t i = 0; i < series.size(); ++i) {
        if (cancel.isCancelled()) {
            out.complete = false;
            break;
        }
        const ts::Series& s = series[i];
        auto a =
            analyzeSeries(s, options.tuning ? options.tuning->optionsFor(s.id) : AnalysisOptions{}, cancel);
        if (options.tuning)
            options.tuning->apply(a);
        applyPersistence(a.anomalies, options.persistFor, options.immediateSigmas);
        std::erase_if(a.anomalies, [&](const Anomaly& an) { return !inWindow(an, options.window); });
        applySilences(a.anomalies, options.silences);
        for (auto& an : a.anomalies)
            out.anomalies.push_back(std::move(an));
        out.estimates.push_back(std::move(a.points));
        reportProgress(progress, static_cast<double>(i + 1) / total, "analysing series");
    }

    if (options.groups && out.complete) {
        std::vector<ts::SeriesId> ids;
        ids.reserve(series.size());
        for (const auto& s : series)
            ids.push_back(s.id);
        const double medium = bandSigmasFor(Sensitivity::Medium);
        for (const auto& g : defineGroups(ids)) {
            if (cancel.isCancelled()) {
                out.complete = false;
                break;
            }
            GroupScanOptions go;
            go.config.bandSigmas = options.groupBandMedium *
                                   (options.tuning ? options.tuning->bandSigmasFor(g.id) : medium) / medium;
            auto found = scanGroups(series, {g}, go, cancel);
            std::erase_if(found, [&](const Anomaly& an) { return !inWindow(an, options.window); });
            if (options.tuning)
                for (auto& an : found)
                    an.suppressed = options.tuning->coveredByFeedback(an);
            applyPersistence(found, options.persistFor, options.immediateSigmas);
            applySilences(found, options.silences);
            out.groupAnomalies += found.size();
            for (auto& an : found)
                out.anomalies.push_back(std::move(an));
        }
        reportProgress(progress, 1.0, "group detector");
    }

    // Alert correlation over everything listed (suppressed anomalies stay out of the groups).
    std::vector<Alert> alerts;
    alerts.reserve(out.anomalies.size());
    for (const auto& an : out.anomalies) {
        alerts.push_back(alertFromAnomaly(an, options.window.end));
        out.suppressed += an.suppressed.empty() ? 0 : 1;
    }
    CorrelationOptions co;
    co.dependencies = options.dependencies;
    out.alertGroups = correlateAlerts(alerts, co);
    out.alertGroupOf.assign(out.anomalies.size(), -1);
    for (std::size_t g = 0; g < out.alertGroups.size(); ++g) {
        for (std::size_t i : out.alertGroups[g].alerts)
            out.alertGroupOf[i] = static_cast<int>(g + 1);
        out.raised += out.alertGroups[g].alerts.size();
    }
    return out;
}

} // namespace cairn::detect
