// Log lines of the demo environment: a few templated lines per service and minute, in proportion to
// traffic, plus the lines incidents cause (GC warnings and OOM kills, disk warnings and ENOSPC errors,
// slow provider and upstream timeouts, the deploy line and the new exception after it, cpu throttling).
#include "model.h"

#include <algorithm>
#include <cstdio>

namespace cairn::demo::detail {

namespace {

using sources::LogLevel;
using sources::LogRecord;

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = 1024.0 * kMiB;

// A counter-based stream: draw i of a key is hashOf(key, i).
struct Draw {
    std::uint64_t key;
    std::uint64_t n = 0;
    std::uint64_t next() { return hashOf(key, n++); }
    double unit() { return detail::unit(next()); }
    int below(int n_) { return static_cast<int>(next() % static_cast<std::uint64_t>(n_)); }
    std::string hex(int digits) {
        static constexpr char kHex[] = "0123456789abcdef";
        std::string s;
        std::uint64_t h = next();
        for (int i = 0; i < digits; ++i) {
            if (i == 16)
                h = next();
            s += kHex[h & 15];
            h >>= 4;
        }
        return s;
    }
};

std::string printf(const char* format, auto... args) {
    char buf[512];
    std::snprintf(buf, sizeof buf, format, args...);
    return buf;
}

} // namespace

void Model::logs(const MinuteState& st, const std::vector<Injection>& eff, const std::vector<Action>& actions,
                 int only, std::vector<LogRecord>& out) const {
    const std::size_t first = out.size();
    const TimeMs t0 = st.minute * kMinuteMs;
    const auto um = static_cast<std::uint64_t>(st.minute);
    const double load = 1.0 + 0.3 * st.util * st.util;

    auto emit = [&](TimeMs time, LogLevel level, int pod, std::string message) {
        const auto& p = topo.pods[static_cast<std::size_t>(pod)];
        LogRecord r;
        r.time = time;
        r.level = level;
        r.service = p.service;
        r.host = p.host;
        r.message = std::move(message);
        r.fields["pod"] = p.name;
        out.push_back(std::move(r));
    };
    auto wanted = [&](int s) { return only < 0 || only == s; };

    // The minute's sampled traces, made only when an error line needs one.
    std::vector<sources::Trace> traces;
    std::vector<std::pair<std::size_t, std::size_t>> used;
    bool tracesMade = false;
    const bool troubled = troubledService(st) >= 0;
    auto linkedSpan = [&](const std::string& service) -> const sources::Span* {
        if (!tracesMade) {
            tracesMade = true;
            const int n = traceCount(st);
            for (int i = 0; i < n; ++i)
                traces.push_back(makeTrace(st, i));
        }
        for (std::size_t ti = 0; ti < traces.size(); ++ti)
            for (std::size_t si = 0; si < traces[ti].spans.size(); ++si) {
                const auto& sp = traces[ti].spans[si];
                if (sp.error && sp.service == service &&
                    std::find(used.begin(), used.end(), std::make_pair(ti, si)) == used.end()) {
                    used.emplace_back(ti, si);
                    return &sp;
                }
            }
        return nullptr;
    };

    for (std::size_t si = 0; si < topo.services.size(); ++si) {
        const int s = static_cast<int>(si);
        if (!wanted(s))
            continue;
        const auto& spec = topo.services[si];
        const auto& pods = podsOfService[si];
        Draw d{hashOf(seed, 200, si, um)};
        auto podOf = [&]() { return pods[static_cast<std::size_t>(d.below(static_cast<int>(pods.size())))]; };
        auto when = [&]() { return t0 + static_cast<TimeMs>(d.next() % 60000); };
        auto ms = [&]() { return st.p50[si] * std::exp(0.42 * gauss(d.next())); };
        auto opName = [&]() {
            double r = d.unit();
            for (const auto& op : spec.operations) {
                if (r < op.weight)
                    return op.name;
                r -= op.weight;
            }
            return spec.operations.back().name;
        };
        auto clientIp = [&]() { return printf("203.0.113.%d", 1 + d.below(254)); };

        // Routine lines, in proportion to traffic, 1 to 6 a minute.
        const double expected = std::min(6.0, 1.0 + 4.0 * st.rps[si] / rpsAtPeak[si]);
        const int routine = static_cast<int>(expected) + (d.unit() < expected - std::floor(expected) ? 1 : 0);
        for (int i = 0; i < routine; ++i) {
            const int pod = podOf();
            const TimeMs time = when();
            const int variant = d.below(10);
            std::string op = opName();
            if (spec.kind == "web") {
                if (variant < 7) {
                    const auto space = op.find(' ');
                    std::string path = op.substr(space + 1);
                    if (path == "/product/{id}")
                        path = printf("/product/%s", d.hex(8).c_str());
                    emit(time, LogLevel::Info, pod,
                         printf("%s %s 200 %.1fms %dB client=%s request_id=%s", op.substr(0, space).c_str(),
                                path.c_str(), ms(), 800 + d.below(24000), clientIp().c_str(),
                                d.hex(16).c_str()));
                } else if (variant < 9) {
                    emit(time, LogLevel::Debug, pod,
                         printf("session %s cache lookup hit=%s", d.hex(12).c_str(),
                                d.below(5) ? "true" : "false"));
                } else {
                    emit(time, LogLevel::Info, pod,
                         printf("health check GET /healthz 200 %.2fms from 10.0.0.%d", 0.2 + d.unit(),
                                2 + d.below(3)));
                }
            } else if (spec.kind == "cache") {
                if (variant < 4)
                    emit(time, LogLevel::Info, pod,
                         printf("%d changes in 60 seconds. Saving...", 100 + d.below(9000)));
                else if (variant < 7)
                    emit(time, LogLevel::Info, pod,
                         printf("Background saving started by pid %d", 100 + d.below(30000)));
                else
                    emit(time, LogLevel::Debug, pod,
                         printf("Accepted 10.244.%d.%d:%d", 1 + d.below(5), 10 + d.below(30),
                                30000 + d.below(30000)));
            } else if (spec.kind == "database") {
                if (variant < 5) {
                    const double q = ms() * (variant == 0 ? 40.0 : 1.0);
                    emit(time, q > 200.0 ? LogLevel::Warn : LogLevel::Info, pod,
                         printf("duration: %.3f ms  statement: SELECT id, status, total FROM orders WHERE "
                                "customer_id = %d",
                                q, 10000 + d.below(90000)));
                } else if (variant < 8) {
                    emit(time, LogLevel::Info, pod,
                         printf("checkpoint complete: wrote %d buffers (%.1f%%); write=%.3f s, sync=%.3f s",
                                50 + d.below(4000), d.unit() * 5.0, d.unit() * 3.0, d.unit() * 0.05));
                } else {
                    emit(time, LogLevel::Debug, pod,
                         printf("automatic vacuum of table \"shop.public.orders\": index scans: 1, pages: %d "
                                "removed, %d remain",
                                d.below(200), 20000 + d.below(5000)));
                }
            } else {
                const std::string rid = d.hex(16);
                std::string message;
                if (variant < 2) {
                    emit(time, LogLevel::Debug, pod,
                         printf("%s request received from 10.244.%d.%d request_id=%s", op.c_str(),
                                1 + d.below(5), 10 + d.below(30), rid.c_str()));
                    continue;
                }
                if (variant < 6) {
                    emit(time, LogLevel::Info, pod,
                         printf("%s completed in %.1f ms request_id=%s", op.c_str(), ms(), rid.c_str()));
                    continue;
                }
                const double amount = 5.0 + d.unit() * 300.0;
                if (spec.name == "catalog")
                    message =
                        printf("Loaded product %s from cache in %d us", d.hex(8).c_str(), 80 + d.below(900));
                else if (spec.name == "cart")
                    message = printf("Cart %s updated: %d items, total %.2f EUR", d.hex(12).c_str(),
                                     1 + d.below(9), amount);
                else if (spec.name == "checkout")
                    message = printf("Order %s placed: %d items, total %.2f EUR", d.hex(12).c_str(),
                                     1 + d.below(9), amount);
                else if (spec.name == "payment")
                    message = printf("Charge ch_%s authorized for %.2f EUR via gateway in %.0f ms",
                                     d.hex(14).c_str(), amount, ms());
                else if (spec.name == "shipping")
                    message = printf("Quote for %d items to %05d: %.2f EUR", 1 + d.below(9),
                                     10000 + d.below(89999), 4.0 + d.unit() * 20.0);
                else if (spec.name == "currency")
                    message =
                        printf("Converted %.2f EUR to USD at rate %.4f", amount, 1.05 + d.unit() * 0.04);
                else if (spec.name == "email")
                    message = printf("Confirmation mail for order %s queued, %d bytes", d.hex(12).c_str(),
                                     4000 + d.below(20000));
                else if (spec.name == "recommendation")
                    message = printf("Returned %d recommendations for product %s in %.1f ms", 3 + d.below(6),
                                     d.hex(8).c_str(), ms());
                else
                    message = printf("%s completed in %.1f ms request_id=%s", op.c_str(), ms(), rid.c_str());
                emit(time, LogLevel::Info, pod, std::move(message));
            }
        }

        // Error lines in proportion to the error ratio (about 12 per minute at 100 %).
        const double expErr = std::min(8.0, st.err[si] * 12.0);
        const int errors = static_cast<int>(expErr) + (d.unit() < expErr - std::floor(expErr) ? 1 : 0);
        const int cause = st.errorCause[si];
        for (int i = 0; i < errors; ++i) {
            int pod = podOf();
            TimeMs time = when();
            const std::string rid = d.hex(16);
            // Tie the line to a sampled failing span of this service when the minute has one.
            // (Only in troubled minutes: making traces costs more than the lines themselves.)
            const sources::Span* span = troubled ? linkedSpan(spec.name) : nullptr;
            if (span) {
                pod = podIndex(span->tags.at("pod"));
                time = std::clamp<TimeMs>((span->startUs + span->durationUs) / 1000, t0, t0 + kMinuteMs - 1);
            }
            const std::string child = cause >= 0 ? topo.services[static_cast<std::size_t>(cause)].name : "";
            std::string m;
            switch (st.errorTemplate[si]) {
            case ErrorTemplate::DeployNpe:
                m = printf(
                    "java.lang.NullPointerException: Cannot invoke \"PromotionRule.apply(Order)\" because "
                    "\"rule\" is null at com.shop.checkout.PromotionService.applyPromotions"
                    "(PromotionService.java:142) order_id=%s",
                    d.hex(12).c_str());
                break;
            case ErrorTemplate::DiskFull:
                m = spec.kind == "cache"
                        ? std::string("Error writing to the AOF file: No space left on device")
                        : printf("could not extend file \"base/16384/%d\": No space left on "
                                 "device (HINT: Check free disk space.)",
                                 16000 + d.below(4000));
                break;
            case ErrorTemplate::Timeout:
                if (cause >= 0)
                    m = printf("Upstream timeout calling %s after %.0f ms (deadline 2000 ms) request_id=%s",
                               child.c_str(), 2000.0 + d.unit() * 400.0, rid.c_str());
                else
                    m = printf("Provider request timed out after %.0f ms request_id=%s",
                               2000.0 + d.unit() * 900.0, rid.c_str());
                break;
            case ErrorTemplate::ConnectionReset:
                if (cause >= 0)
                    m = printf(
                        "upstream connect error or disconnect/reset before headers. reset reason: connection "
                        "failure, upstream=%s:8080 request_id=%s",
                        child.c_str(), rid.c_str());
                else
                    m = printf(
                        "Readiness probe failed: Get \"http://%s:8080/ready\": dial tcp: connect: connection "
                        "refused",
                        topo.pods[static_cast<std::size_t>(pod)].ip.c_str());
                break;
            case ErrorTemplate::None:
                if (cause >= 0)
                    m = printf(
                        "Call to %s failed: rpc error: code = Unavailable desc = upstream returned 503 "
                        "request_id=%s",
                        child.c_str(), rid.c_str());
                else
                    m = printf("Request %s failed: status=500 error=\"internal error\" request_id=%s",
                               opName().c_str(), rid.c_str());
                break;
            }
            emit(time, LogLevel::Error, pod, std::move(m));
            if (span) {
                out.back().fields["trace_id"] = span->traceId;
                out.back().fields["span_id"] = span->spanId;
            }
        }

        // A provider turning slow shows as warnings on the service and on its callers.
        const double normalSelf = spec.selfLatencyMs * load;
        if (st.selfP50[si] > 5.0 * normalSelf + 100.0) {
            const int pod = podOf();
            emit(when(), LogLevel::Warn, pod,
                 spec.name == "payment"
                     ? printf("Payment gateway responded slowly: %.0f ms for charge ch_%s (threshold 500 ms)",
                              st.selfP50[si] * std::exp(0.3 * gauss(d.next())), d.hex(14).c_str())
                     : printf("Slow response from upstream provider: %.0f ms (threshold 500 ms)",
                              st.selfP50[si] * std::exp(0.3 * gauss(d.next()))));
        }
        for (const auto& [c, w] : children[si]) {
            const auto& cs = topo.services[static_cast<std::size_t>(c)];
            if (st.selfP50[static_cast<std::size_t>(c)] > 5.0 * cs.selfLatencyMs * load + 100.0 &&
                d.unit() < 0.7)
                emit(when(), LogLevel::Warn, podOf(),
                     printf("Slow call to %s: %.0f ms (p95 budget %.0f ms), retrying (attempt 2/3)",
                            cs.name.c_str(), st.p95[static_cast<std::size_t>(c)] * (0.8 + 0.4 * d.unit()),
                            3.0 * cs.selfLatencyMs + 50.0));
        }
    }

    // Pod-level incident lines.
    for (std::size_t p = 0; p < topo.pods.size(); ++p) {
        const int s = podService[p];
        if (!wanted(s))
            continue;
        const auto& spec = topo.services[static_cast<std::size_t>(s)];
        const auto& pod = topo.pods[p];
        Draw d{hashOf(seed, 201, p, um)};
        auto when = [&]() { return t0 + static_cast<TimeMs>(d.next() % 60000); };
        const int pi = static_cast<int>(p);
        if (st.leakProgress[p] > 0.7) {
            const double limit = static_cast<double>(spec.memoryLimitBytes);
            emit(when(), LogLevel::Warn, pi,
                 printf("GC overhead high: heap %.0f MiB of %.0f MiB (%.1f%%), last full GC paused %.0f ms",
                        st.memory[p] / kMiB, limit / kMiB, 100.0 * st.memory[p] / limit,
                        200.0 + 2000.0 * (st.leakProgress[p] - 0.7) * (0.8 + 0.4 * d.unit())));
        }
        const double cap = static_cast<double>(spec.diskCapacityBytes);
        if (st.disk[p] > 0.85 * cap && st.minute % 5 == 0)
            emit(when(), LogLevel::Warn, pi,
                 printf("Disk usage on /data at %.1f%% (%.1f GiB of %.1f GiB)", 100.0 * st.disk[p] / cap,
                        st.disk[p] / kGiB, cap / kGiB));
        if (st.leakProgress[p] == 0.0 && st.podLatencyFactor[p] > 1.5 && st.cpu[p] > 0.8)
            emit(
                when(), LogLevel::Warn, pi,
                printf(
                    "CPU throttled: %.0f%% of CFS periods throttled in the last 60s (limit %d mcpu, node %s)",
                    40.0 + 50.0 * d.unit(), 1000, pod.host.c_str()));
    }

    // Discrete events: deploys, rollbacks, OOM kills, cleanups, operator restarts.
    const TimeRange minuteRange{t0, t0 + kMinuteMs};
    for (const auto& inj : eff) {
        if (inj.service >= 0 && !wanted(inj.service))
            continue;
        const auto svc = static_cast<std::size_t>(std::max(inj.service, 0));
        if (inj.kind == IncidentKind::MemoryLeak && !inj.prevented) {
            const auto& spec = topo.services[svc];
            const double limit = static_cast<double>(spec.memoryLimitBytes);
            if (minuteRange.contains(inj.oom))
                emit(inj.oom + 350, LogLevel::Error, inj.pod,
                     printf("Memory cgroup out of memory: Killed process %d (java) anon-rss:%.0fkB; "
                            "container %s in "
                            "pod %s OOMKilled (exit code 137)",
                            1000 + static_cast<int>(hashOf(seed, 9, inj.pod) % 30000), limit / 1024.0,
                            spec.name.c_str(), topo.pods[static_cast<std::size_t>(inj.pod)].name.c_str()));
            if (minuteRange.contains(inj.oom + kMinuteMs))
                emit(inj.oom + kMinuteMs + 4200, LogLevel::Info, inj.pod,
                     printf("Started %s %s in %.1f seconds (container restarted after an OOM kill)",
                            spec.name.c_str(), spec.version.c_str(),
                            4.0 + unit(hashOf(seed, 10, inj.pod)) * 3.0));
        } else if (inj.kind == IncidentKind::DiskFill && minuteRange.contains(inj.cleanup)) {
            emit(inj.cleanup + 2500, LogLevel::Info, inj.pod,
                 printf("Removed %d archived WAL segments from /data, freed %.1f GiB",
                        300 + static_cast<int>(inj.rate),
                        inj.rate * static_cast<double>(inj.fullAt - inj.start) / kGiB));
        }
    }
    for (const auto& r : rollouts) {
        if (!wanted(r.service) || r.at < t0 - kMinuteMs || r.at >= t0 + kMinuteMs)
            continue;
        const auto& pods = podsOfService[static_cast<std::size_t>(r.service)];
        const std::string& svc = topo.services[static_cast<std::size_t>(r.service)].name;
        for (std::size_t i = 0; i < pods.size(); ++i) {
            const auto& pod = topo.pods[static_cast<std::size_t>(pods[i])].name;
            const TimeMs time =
                r.at + static_cast<TimeMs>(i) * (r.rollback ? 6000 : 7000) + (r.rollback ? 900 : 1200);
            if (!minuteRange.contains(time))
                continue;
            if (r.rollback)
                emit(time, LogLevel::Info, pods[i],
                     printf("Rolled back to version %s on pod %s: error ratio above 5%% since %s",
                            r.version.c_str(), pod.c_str(), formatDateTime(r.badSince).c_str()));
            else
                emit(time, LogLevel::Info, pods[i],
                     printf("Deployed version %s (commit %s) to %s: pod %s ready (rollout %zu/%zu)",
                            r.version.c_str(), r.commit.c_str(), svc.c_str(), pod.c_str(), i + 1,
                            pods.size()));
        }
    }
    for (const auto& a : actions) {
        if (!wanted(podService[static_cast<std::size_t>(a.pod)]))
            continue;
        const auto& spec =
            topo.services[static_cast<std::size_t>(podService[static_cast<std::size_t>(a.pod)])];
        if (a.restart) {
            if (minuteRange.contains(a.at))
                emit(a.at, LogLevel::Info, a.pod,
                     "Received SIGTERM: shutting down gracefully (restart requested)");
            if (minuteRange.contains(a.at + 5000))
                emit(a.at + 5000, LogLevel::Info, a.pod,
                     printf("Started %s %s in %.1f seconds", spec.name.c_str(),
                            versionAt(podService[static_cast<std::size_t>(a.pod)], a.at).c_str(), 4.6));
        } else if (minuteRange.contains(a.at)) {
            emit(a.at, LogLevel::Info, a.pod,
                 printf("Freed %.2f GiB on /data (cleanup requested)", static_cast<double>(a.bytes) / kGiB));
        }
    }

    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                     [](const LogRecord& a, const LogRecord& b) { return a.time < b.time; });
}

} // namespace cairn::demo::detail
