// cairn-cli bench detect-demo: the Anomalies page's fleet scan (detect::scanFleet: every series, the group
// detector, persistence, correlation) over the demo environment's 14 days; reports which injected
// incidents were found (and by which detector) and the alert compression ratio.
#include "args.h"
#include "commands.h"

#include "cairn/demo/demoenvironment.h"
#include "cairn/detect/correlate.h"
#include "cairn/detect/fleet.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace cairn::cli {

int runBenchDetectDemo(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    if (auto u = args.unknown({"seed"}); !u.empty()) {
        std::fprintf(stderr, "Usage: cairn-cli bench detect-demo [--seed N]\n");
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
    // The scan the Anomalies page runs (default sensitivity, no feedback, no silences) over the 14 days.
    detect::FleetScanOptions options;
    options.window = range;
    if (auto deps = env.dependencies(range); deps)
        for (const auto& d : *deps)
            options.dependencies.push_back({d.parent, d.child});
    const auto scan = detect::scanFleet(*series, options);
    const auto& anomalies = scan.anomalies;
    const auto& groups = scan.alertGroups;
    std::size_t points = 0;
    for (const auto& s : *series)
        points += s.size();

    std::printf("demo (seed %llu): %zu series, %zu points\n", static_cast<unsigned long long>(config.seed),
                series->size(), points);
    std::printf(
        "anomalies: %zu (%zu suppressed, %zu from the group detector); raised %zu -> alert groups: %zu; "
        "compression %.1fx (raised / alert groups)\n",
        anomalies.size(), scan.suppressed, scan.groupAnomalies, scan.raised, groups.size(),
        detect::compressionRatio(scan.raised, groups.size()));
    int found = 0;
    const auto incidents = env.incidents();
    for (const auto& inc : incidents) {
        std::set<std::string> services(inc.affectedServices.begin(), inc.affectedServices.end());
        services.insert(inc.rootService);
        const detect::AlertGroup* hit = nullptr;
        const detect::Anomaly* first = nullptr;
        for (const auto& g : groups) {
            if (g.start < inc.start - 10 * kMinuteMs || g.start > inc.end)
                continue;
            for (std::size_t i : g.alerts) {
                const auto& a = anomalies[i];
                bool related = services.count(a.series.label("service")) ||
                               (!inc.rootPod.empty() && a.series.label("pod") == inc.rootPod);
                for (const auto& [member, share] : a.contributors)
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
                        static_cast<double>(first->start - inc.start) / kMinuteMs, first->detector.c_str(),
                        first->explanation.c_str(), hit->headline.c_str());
        else
            std::printf(" (%s on %s)\n", inc.primaryMetric.c_str(), inc.rootService.c_str());
    }
    std::printf("incidents found: %d / %zu\n", found, incidents.size());
    // Precision of the group detector: its anomalies that overlap an incident (30 min of slack each side).
    std::size_t explained = 0;
    std::size_t groupAnomalies = 0;
    for (const auto& a : anomalies) {
        if (a.detector != "group")
            continue;
        ++groupAnomalies;
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
    std::printf("group anomalies during an incident: %zu / %zu\n", explained, groupAnomalies);
    return 0;
}

} // namespace cairn::cli
