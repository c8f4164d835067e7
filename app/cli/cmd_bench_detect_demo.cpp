// cairn-cli bench detect-demo: runs the detector, the alert engine and correlation over the demo
// environment's 14 days and reports which injected incidents were found and the alert compression ratio.
#include "args.h"
#include "commands.h"

#include "cairn/demo/demoenvironment.h"
#include "cairn/detect/alerts.h"
#include "cairn/detect/analyze.h"
#include "cairn/detect/correlate.h"
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
    const auto alerts = engine.finish();
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
    std::printf("anomalous points/runs: %zu; alerts: %zu (%zu suppressed); groups: %zu; compression %.1fx "
                "(alerts not suppressed / groups)\n",
                anomalies, alerts.size(), alerts.size() - active, groups.size(),
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
                const bool related = services.count(a.series.label("service")) ||
                                     (!inc.rootPod.empty() && a.series.label("pod") == inc.rootPod);
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
            std::printf(" after %.0f min: %s\n      group: %s\n",
                        static_cast<double>(first->start - inc.start) / kMinuteMs,
                        first->peak.explanation.c_str(), hit->headline.c_str());
        else
            std::printf(" (%s on %s)\n", inc.primaryMetric.c_str(), inc.rootService.c_str());
    }
    std::printf("incidents found: %d / %zu\n", found, incidents.size());
    return 0;
}

} // namespace cairn::cli
