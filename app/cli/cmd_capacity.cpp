// cairn-cli capacity / bench warnings: the fleet's "what runs out first" table on the demo environment, and
// a replay of the exhaustion warnings over the demo's history scored against its ground-truth incidents.
#include "args.h"
#include "commands.h"

#include "cairn/demo/demoenvironment.h"
#include "cairn/demo/demosources.h"
#include "cairn/forecast/capacity.h"
#include "cairn/forecast/earlywarning.h"
#include "cairn/forecast/fleet.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

namespace cairn::cli {

namespace {

bool parseSeed(const Args& args, std::uint64_t& seed) {
    if (!args.has("seed"))
        return true;
    const auto s = *args.get("seed");
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), seed);
    return ec == std::errc() && p == s.data() + s.size();
}

std::string human(double bytes) {
    char buf[32];
    if (bytes >= 1073741824.0)
        std::snprintf(buf, sizeof buf, "%.2f GiB", bytes / 1073741824.0);
    else
        std::snprintf(buf, sizeof buf, "%.0f MiB", bytes / 1048576.0);
    return buf;
}

std::string hoursOrDays(TimeMs d) {
    char buf[32];
    const double h = static_cast<double>(d) / kHourMs;
    if (h < 48)
        std::snprintf(buf, sizeof buf, "%.1f h", h);
    else
        std::snprintf(buf, sizeof buf, "%.1f d", h / 24);
    return buf;
}

void printTable(const std::vector<forecast::CapacityRow>& rows, std::size_t limit) {
    std::printf("%-34s %-7s %7s %12s %12s  %-18s %s\n", "owner", "res", "used", "now", "capacity", "status",
                "left (range)");
    for (std::size_t i = 0; i < rows.size() && i < limit; ++i) {
        const auto& r = rows[i];
        const auto& e = r.exhaustion;
        std::string left = "-";
        if (e.status == forecast::ExhaustionStatus::WillExhaust) {
            left = hoursOrDays(e.at - e.now) + " (" + hoursOrDays(e.earliest - e.now) + " .. " +
                   (e.latest ? hoursOrDays(e.latest - e.now) : std::string("beyond horizon")) + ")";
        }
        std::printf("%-34s %-7s %6.1f%% %12s %12s  %-18s %s%s\n", r.owner.c_str(), r.resource.c_str(),
                    100 * r.fractionUsed, human(e.current).c_str(), human(e.capacity).c_str(),
                    std::string(forecast::toString(e.status)).c_str(), left.c_str(),
                    e.runaway ? "  [runaway]" : "");
    }
}

} // namespace

int runCapacity(int argc, char** argv, int first) {
    Args args(argc, argv, first, {"services"});
    if (auto u = args.unknown({"seed", "lookback", "top", "services"}); !u.empty()) {
        std::fprintf(stderr, "cairn-cli capacity: unknown option --%s\n", u.front().c_str());
        return 2;
    }
    std::uint64_t seed = 1;
    if (!parseSeed(args, seed)) {
        std::fprintf(stderr, "cairn-cli capacity: --seed takes an unsigned integer\n");
        return 2;
    }
    forecast::ExhaustionOptions options;
    options.lookback = kDayMs;
    if (args.has("lookback")) {
        const auto d = parseDuration(*args.get("lookback"));
        if (!d || *d <= 0) {
            std::fprintf(stderr, "cairn-cli capacity: --lookback takes a duration such as 1d or 12h\n");
            return 2;
        }
        options.lookback = *d;
    }
    int top = 15;
    if (args.has("top"))
        top = std::atoi(args.get("top")->c_str());
    demo::DemoConfig config;
    config.seed = seed;
    auto env = std::make_shared<demo::DemoEnvironment>(config);
    demo::DemoMetricSource source(env);
    const TimeMs now = env->dataRange().end;
    auto resources =
        forecast::collectResources(source, {now - options.lookback - kHourMs, now}, 5 * kMinuteMs);
    if (!resources) {
        std::fprintf(stderr, "cairn-cli capacity: %s\n", resources.error().what().c_str());
        return 1;
    }
    std::printf("Demo web shop (seed %llu), now %s, %zu bounded resources, trend over the last %s\n\n",
                static_cast<unsigned long long>(seed), formatIso(now).c_str(), resources->size(),
                hoursOrDays(options.lookback).c_str());
    printTable(forecast::fleetCapacity(*resources, options), static_cast<std::size_t>(std::max(1, top)));
    std::printf("\nOver-provisioned (p95 below 30%% of the limit):\n");
    int hints = 0;
    for (const auto& r : *resources)
        if (const auto h = forecast::overProvisioning(r)) {
            std::printf("  %-34s %-7s %s\n", h->owner.c_str(), h->resource.c_str(), h->advice.c_str());
            ++hints;
        }
    if (!hints)
        std::printf("  none\n");
    if (!args.has("services"))
        return 0;
    auto services = forecast::forecastServices(source, {env->dataRange().start, now}, kHourMs, 7 * kDayMs);
    if (!services) {
        std::fprintf(stderr, "cairn-cli capacity: %s\n", services.error().what().c_str());
        return 1;
    }
    std::printf("\nPer-service forecasts for the next 7 days (hourly, from the whole history):\n");
    std::printf("%-16s %-18s %12s %12s %14s  %-8s %s\n", "service", "metric", "now", "peak", "peak (95% up)",
                "seasons", "model");
    for (const auto& f : *services) {
        const bool bytes = f.metric.find("bytes") != std::string::npos;
        auto fmt = [&](double v) {
            char b[32];
            if (bytes)
                return human(v);
            std::snprintf(b, sizeof b, "%.1f%%", 100 * v);
            return std::string(b);
        };
        std::string seasons;
        for (const auto& p : f.forecast.result.seasonality.periods)
            seasons += (seasons.empty() ? "" : ",") + std::to_string(p.period) + "h";
        std::printf("%-16s %-18s %12s %12s %14s  %-8s %s\n", f.service.c_str(), f.metric.c_str(),
                    fmt(f.current).c_str(), fmt(f.peak).c_str(), fmt(f.peakUpper95).c_str(),
                    seasons.empty() ? "none" : seasons.c_str(),
                    f.forecast.result.ok()
                        ? f.forecast.result.model.c_str()
                        : std::string(forecast::toString(f.forecast.result.status)).c_str());
    }
    return 0;
}

int runBenchWarnings(int argc, char** argv, int first) {
    Args args(argc, argv, first);
    if (auto u = args.unknown({"seed", "within", "every"}); !u.empty()) {
        std::fprintf(stderr, "cairn-cli bench warnings: unknown option --%s\n", u.front().c_str());
        return 2;
    }
    std::uint64_t seed = 1;
    if (!parseSeed(args, seed)) {
        std::fprintf(stderr, "cairn-cli bench warnings: --seed takes an unsigned integer\n");
        return 2;
    }
    forecast::WarningReplayOptions options;
    for (const auto& [key, target] : {std::pair<const char*, TimeMs*>{"within", &options.warnWithin},
                                      std::pair<const char*, TimeMs*>{"every", &options.every}})
        if (args.has(key)) {
            const auto d = parseDuration(*args.get(key));
            if (!d || *d <= 0) {
                std::fprintf(stderr, "cairn-cli bench warnings: --%s takes a duration such as 12h\n", key);
                return 2;
            }
            *target = *d;
        }
    demo::DemoConfig config;
    config.seed = seed;
    auto env = std::make_shared<demo::DemoEnvironment>(config);
    demo::DemoMetricSource source(env);
    const TimeRange data = env->dataRange();
    auto resources = forecast::collectResources(source, data, 5 * kMinuteMs);
    if (!resources) {
        std::fprintf(stderr, "cairn-cli bench warnings: %s\n", resources.error().what().c_str());
        return 1;
    }
    // Ground truth: a memory leak fails when memory first reaches its limit, a disk fill when the disk is
    // full. Failures still ahead of now are scored by the predicted time at now against the scheduled end.
    std::vector<forecast::ResourceFailure> failures, upcoming;
    for (const auto& inc : env->incidents()) {
        if (inc.remediated || inc.rootPod.empty())
            continue;
        std::string resource;
        if (inc.kind == demo::IncidentKind::MemoryLeak)
            resource = "memory";
        else if (inc.kind == demo::IncidentKind::DiskFill)
            resource = "disk";
        else
            continue;
        TimeMs at = 0;
        for (const auto& r : *resources) {
            if (r.owner != inc.rootPod || r.resource != resource || r.capacity.value.empty())
                continue;
            const double cap = r.capacity.value.back();
            for (std::size_t i = 0; i < r.used.size(); ++i)
                if (r.used.time[i] >= inc.start && r.used.value[i] >= 0.98 * cap) {
                    at = r.used.time[i];
                    break;
                }
        }
        if (at)
            failures.push_back({inc.id, inc.rootPod, resource, at});
        else if (inc.end > data.end)
            upcoming.push_back({inc.id, inc.rootPod, resource, inc.end});
    }
    const TimeRange replay{data.start + kDayMs, data.end};
    const auto t0 = std::chrono::steady_clock::now();
    auto scored = failures;
    scored.insert(scored.end(), upcoming.begin(), upcoming.end());
    const auto result = forecast::replayExhaustionWarnings(*resources, scored, replay, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "Replay of exhaustion warnings on the demo (seed %llu): %zu resources, %s of history every %s, "
        "warn when exhaustion is expected within %s (%.1f s)\n\n",
        static_cast<unsigned long long>(seed), resources->size(), hoursOrDays(replay.duration()).c_str(),
        hoursOrDays(options.every).c_str(), hoursOrDays(options.warnWithin).c_str(), seconds);
    for (const auto& f : result.failures) {
        if (f.firstWarning)
            std::printf("  %-7s %-34s %-6s failed %s  warned %5.0f min before, predicted %+.0f min off\n",
                        f.failure.id.c_str(), f.failure.owner.c_str(), f.failure.resource.c_str(),
                        formatIso(f.failure.at).c_str(), f.leadMinutes(),
                        static_cast<double>(f.predictedAt - f.failure.at) / kMinuteMs);
        else
            std::printf("  %-7s %-34s %-6s failed %s  NOT warned\n", f.failure.id.c_str(),
                        f.failure.owner.c_str(), f.failure.resource.c_str(), formatIso(f.failure.at).c_str());
    }
    for (const auto& f : result.falseWarnings)
        std::printf("  FALSE   %-34s %-6s warned %s, predicted exhaustion in %s\n", f.owner.c_str(),
                    f.resource.c_str(), formatIso(f.at).c_str(), hoursOrDays(f.predictedAt - f.at).c_str());
    std::printf("\nrecall          %.0f%% (%zu failures)\n", 100 * result.recall(), result.failures.size());
    std::printf("precision       %.0f%% (%d of %d warnings followed by a failure within %s)\n",
                100 * result.precision(), result.truePositives, result.warnings,
                hoursOrDays(options.warnWithin).c_str());
    std::printf("median lead     %.0f min\n", result.medianLeadMinutes());

    // The ones still ahead: predicted at now.
    const auto rows = forecast::fleetCapacity(*resources, options.exhaustion);
    for (const auto& u : upcoming) {
        for (const auto& r : rows) {
            if (r.owner != u.owner || r.resource != u.resource)
                continue;
            const auto& e = r.exhaustion;
            if (e.status == forecast::ExhaustionStatus::WillExhaust)
                std::printf("upcoming %-7s %-34s %-6s expected in %s (range %s .. %s), ground truth in %s "
                            "(error %+.0f min)\n",
                            u.id.c_str(), u.owner.c_str(), u.resource.c_str(),
                            hoursOrDays(e.at - e.now).c_str(), hoursOrDays(e.earliest - e.now).c_str(),
                            e.latest ? hoursOrDays(e.latest - e.now).c_str() : "beyond horizon",
                            hoursOrDays(u.at - e.now).c_str(), static_cast<double>(e.at - u.at) / kMinuteMs);
            else
                std::printf("upcoming %-7s %-34s %-6s NOT predicted (%s)\n", u.id.c_str(), u.owner.c_str(),
                            u.resource.c_str(), e.message.c_str());
        }
    }

    // Learned precursors: patterns learned from the incidents that failed more than a day ago; the last day
    // is scanned on every pod and the warnings scored against the incidents failing in it (or ahead of now).
    std::vector<forecast::EntityMetrics> entities;
    {
        std::map<std::string, forecast::EntityMetrics> byPod;
        for (const char* metric : {"memory_used_bytes", "memory_limit_bytes", "disk_used_bytes",
                                   "disk_capacity_bytes", "cpu_usage_ratio"}) {
            sources::MetricQuery q;
            q.selector.metric = metric;
            q.range = data;
            q.step = 5 * kMinuteMs;
            auto got = source.query(q, {});
            if (!got) {
                std::fprintf(stderr, "cairn-cli bench warnings: %s\n", got.error().what().c_str());
                return 1;
            }
            for (auto& sr : *got) {
                const auto pod = sr.id.label("pod");
                byPod[pod].entity = pod;
                byPod[pod].series[metric] = std::move(sr);
            }
        }
        for (auto& [pod, e] : byPod)
            entities.push_back(std::move(e));
    }
    const TimeMs split = data.end - kDayMs;
    std::vector<forecast::Incident> learnFrom, targets;
    std::map<std::string, TimeMs>
        faultStart; // a warning after the fault began and before the failure is early
    for (const auto& inc : env->incidents()) {
        if (inc.rootPod.empty())
            continue;
        TimeMs failure = inc.start; // symptoms show at the start for the other kinds
        for (const auto& f : scored)
            if (f.id == inc.id)
                failure = f.at;
        const forecast::Incident i{inc.id, inc.rootPod, std::string(demo::toString(inc.kind)), failure,
                                   inc.end};
        (failure < split ? learnFrom : targets).push_back(i);
        faultStart[inc.id] = inc.start;
    }
    forecast::PrecursorModel model;
    forecast::PrecursorOptions popts;
    if (auto learned = model.learn(entities, learnFrom, popts); !learned) {
        std::printf("\nlearned precursors: %s\n", learned.error().what().c_str());
        return 0;
    }
    int warnings = 0, truePositives = 0;
    std::map<std::string, TimeMs> firstWarning;
    for (const auto& e : entities)
        for (const auto& w : model.scan(e, {split, data.end})) {
            ++warnings;
            bool ok = false;
            for (const auto& t : targets)
                if (t.entity == w.entity && w.at >= std::min(faultStart[t.id], t.start - popts.maxLead) &&
                    w.at <= t.start) {
                    ok = true;
                    if (!firstWarning.count(t.id) || w.at < firstWarning[t.id])
                        firstWarning[t.id] = w.at;
                }
            truePositives += ok ? 1 : 0;
            if (!ok)
                std::printf("  FALSE   precursor of %s on %s at %s\n", w.kind.c_str(), w.entity.c_str(),
                            formatIso(w.at).c_str());
        }
    std::printf("\nLearned precursors (learned from %zu incidents before %s, kinds:", learnFrom.size(),
                formatIso(split).c_str());
    for (const auto& k : model.kinds())
        std::printf(" %s", k.c_str());
    std::printf("), scanning every pod over the last day:\n");
    for (const auto& t : targets) {
        const auto it = firstWarning.find(t.id);
        if (it != firstWarning.end())
            std::printf("  %-7s %-12s %-34s fails %s  warned %5.0f min before\n", t.id.c_str(),
                        t.kind.c_str(), t.entity.c_str(), formatIso(t.start).c_str(),
                        static_cast<double>(t.start - it->second) / kMinuteMs);
        else
            std::printf("  %-7s %-12s %-34s fails %s  NOT warned\n", t.id.c_str(), t.kind.c_str(),
                        t.entity.c_str(), formatIso(t.start).c_str());
    }
    std::printf("precision       %.0f%% (%d of %d precursor warnings fall between a fault's start (or %s "
                "before its failure) and the failure)\n",
                warnings ? 100.0 * truePositives / warnings : 0.0, truePositives, warnings,
                hoursOrDays(popts.maxLead).c_str());
    return 0;
}

} // namespace cairn::cli
