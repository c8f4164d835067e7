// cairn-cli bench detect-demo: runs the detector, the alert engine and correlation over the demo
// environment's 14 days, plus the group detector over the instances of each service, and reports which
// injected incidents were found (and by which detector) and the alert compression ratio.
#include "args.h"
#include "commands.h"

#include "cairn/demo/demoenvironment.h"
#include "cairn/detect/alerts.h"
#include "cairn/detect/analyze.h"
#include "cairn/detect/correlate.h"
#include "cairn/detect/groupscan.h"
#include "cairn/detect/pipeline.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace cairn::cli {

int runBenchDetectDemo(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    if (auto u = args.unknown({"seed", "score"}); !u.empty()) {
        std::fprintf(stderr, "Usage: cairn-cli bench detect-demo [--seed N] [--score band|surprise]\n");
        return 2;
    }
    const std::string mode = args.get("score", "band");
    if (mode != "surprise" && mode != "band") {
        std::fprintf(stderr, "cairn-cli bench detect-demo: --score must be surprise or band\n");
        return 2;
    }
    // A fixed history so the figures are reproducible.
    const TimeMs start = 1'767'225'600'000; // 2026-01-01 00:00 UTC
    demo::DemoConfig config;
    config.seed = static_cast<std::uint64_t>(std::strtoull(args.get("seed", "1").c_str(), nullptr, 10));
    config.historyStart = start;
    config.clock = [end = start + 14 * kDayMs] { return end; };
    demo::DemoEnvironment env(config);
    const TimeRange range = env.dataRange();
    auto series = env.query({}, range, kMinuteMs);
    if (!series) {
        std::fprintf(stderr, "cairn-cli bench detect-demo: %s\n", series.error().what().c_str());
        return 1;
    }
    detect::AlertPolicy policy;
    policy.persistFor = mode == "band" ? 5 * kMinuteMs : 0;
    detect::AlertEngine engine(policy);
    std::size_t points = 0;
    std::size_t anomalies = 0;
    for (const auto& s : *series) {
        if (mode == "band") {
            const auto a = detect::analyzeSeries(s, {});
            anomalies += a.anomalies.size();
            for (std::size_t i = 0; i < s.size(); ++i)
                engine.feed(s.id, s.time[i], s.value[i], a.points[i]);
        } else {
            detect::ScorePipeline p;
            for (std::size_t i = 0; i < s.size(); ++i) {
                const double score = p.update(s.time[i], s.value[i]);
                detect::Estimate e = p.lastEstimate();
                e.score = score;
                anomalies += score >= 0.5 ? 1 : 0;
                const auto reason = p.lastReason(); // "likelihood" / "extreme" or empty
                engine.feed(s.id, s.time[i], s.value[i], e,
                            reason.empty() ? p.ensemble().lastExplanation().detector : reason);
            }
        }
        points += s.size();
    }
    auto alerts = engine.finish();
    // The group detector over the instances of each service (and each host's metrics): its anomalies are
    // alerts like the others and take part in the correlation.
    std::vector<ts::SeriesId> ids;
    for (const auto& s : *series)
        ids.push_back(s.id);
    const auto groupDefs = detect::defineGroups(ids);
    const auto groupAnomalies = detect::scanGroups(*series, groupDefs);
    for (const auto& a : groupAnomalies)
        alerts.push_back(detect::alertFromAnomaly(a, range.end));
    detect::CorrelationOptions co;
    if (auto deps = env.dependencies(range); deps)
        for (const auto& d : *deps)
            co.dependencies.push_back({d.parent, d.child});
    const auto groups = detect::correlateAlerts(alerts, co);
    std::size_t active = 0;
    for (const auto& a : alerts)
        active += a.state != detect::AlertState::Suppressed ? 1 : 0;

    std::printf("demo (seed %llu): %zu series, %zu points, score=%s\n",
                static_cast<unsigned long long>(config.seed), series->size(), points, mode.c_str());
    std::printf("group detector: %zu groups of related series, %zu group anomalies\n", groupDefs.size(),
                groupAnomalies.size());
    std::printf("anomalous points/runs: %zu; alerts: %zu (%zu suppressed, %zu from the group detector); "
                "alert groups: %zu; compression %.1fx (alerts not suppressed / alert groups)\n",
                anomalies, alerts.size(), alerts.size() - active, groupAnomalies.size(), groups.size(),
                detect::compressionRatio(active, groups.size()));
    int found = 0;
    const auto incidents = env.incidents();
    for (const auto& inc : incidents) {
        std::set<std::string> services(inc.affectedServices.begin(), inc.affectedServices.end());
        services.insert(inc.rootService);
        const detect::AlertGroup* hit = nullptr;
        const detect::Alert* first = nullptr;
        for (const auto& g : groups) {
            if (g.start < inc.start - 10 * kMinuteMs || g.start > inc.end)
                continue;
            for (std::size_t i : g.alerts) {
                const auto& a = alerts[i];
                bool related = services.count(a.series.label("service")) ||
                               (!inc.rootPod.empty() && a.series.label("pod") == inc.rootPod);
                for (const auto& [member, share] : a.peak.contributors)
                    related = related || (!inc.rootPod.empty() && member.label("pod") == inc.rootPod);
                if (related && (!first || a.start < first->start)) {
                    first = &a;
                    hit = &g;
                }
            }
        }
        found += hit ? 1 : 0;
        std::printf("  %s %-16s %s..%s  %s", inc.id.c_str(), std::string(demo::toString(inc.kind)).c_str(),
                    formatDateTime(inc.start).c_str(), formatDateTime(inc.end).c_str(),
                    hit ? "FOUND" : "missed");
        if (hit)
            std::printf(" after %.0f min by the %s detector: %s\n      alert group: %s\n",
                        static_cast<double>(first->start - inc.start) / kMinuteMs,
                        first->peak.detector.c_str(), first->peak.explanation.c_str(), hit->headline.c_str());
        else
            std::printf(" (%s on %s)\n", inc.primaryMetric.c_str(), inc.rootService.c_str());
    }
    std::printf("incidents found: %d / %zu\n", found, incidents.size());
    // Precision of the group detector: its anomalies that overlap an incident (30 min of slack each side).
    std::size_t explained = 0;
    for (const auto& a : groupAnomalies) {
        const demo::IncidentTruth* match = nullptr;
        for (const auto& inc : incidents)
            if (a.start < inc.end + 30 * kMinuteMs && a.end > inc.start - 30 * kMinuteMs)
                match = &inc;
        explained += match ? 1 : 0;
        std::printf("  group %s..%s %-40s top %s (%.0f%%): %s\n", formatDateTime(a.start).c_str(),
                    formatDateTime(a.end).substr(11, 5).c_str(), a.series.toString().c_str(),
                    a.contributors.empty() ? "" : a.contributors.front().first.toString().c_str(),
                    a.contributors.empty() ? 0.0 : 100.0 * a.contributors.front().second,
                    match ? (match->id + " " + std::string(demo::toString(match->kind))).c_str()
                          : "no incident");
    }
    std::printf("group anomalies during an incident: %zu / %zu\n", explained, groupAnomalies.size());
    return 0;
}

} // namespace cairn::cli
