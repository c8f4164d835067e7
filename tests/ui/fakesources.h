// A small deterministic MetricSource and analysis function for UI tests (stands in for the demo and the
// detector): services checkout and cart, three pods on two hosts, 14 days of 1-minute samples ending at a
// fixed clock. checkout's error ratio is 6% at the end (critical); a latency spike sits 30 minutes before
// "now". Optional failure and per-query delay make error and responsiveness paths testable.
#pragma once

#include "ui/backends.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

namespace cairn::testing {

inline constexpr TimeMs kFakeNow = 1'795'000'020'000; // 2026-11-18 (a fixed "now", minute aligned)
static_assert(kFakeNow % kMinuteMs == 0);

class FakeMetricSource : public sources::MetricSource {
public:
    std::atomic<bool> failing{false};
    std::atomic<int> delayMs{0};
    std::atomic<int> queries{0};
    // The thread the UI runs on: a call from it counts in callsOnGuardedThread (the UI must never wait on
    // us).
    std::atomic<const void*> guardedThread{nullptr};
    std::atomic<int> callsOnGuardedThread{0};

    void noteCaller() {
        if (guardedThread.load() != nullptr && guardedThread.load() == currentThreadTag())
            ++callsOnGuardedThread;
    }
    static const void* currentThreadTag() {
        thread_local char tag;
        return &tag;
    }

    std::string name() const override { return "Fake shop"; }

    std::vector<ts::SeriesId> all() const {
        std::vector<ts::SeriesId> ids;
        for (const char* s : {"cart", "checkout"})
            for (const char* m : {"request_rate", "latency_p50_ms", "latency_p95_ms", "error_ratio"})
                ids.push_back({m, {{"service", s}}});
        const char* pods[][3] = {{"cart", "cart-1", "node-a"},
                                 {"checkout", "checkout-1", "node-a"},
                                 {"checkout", "checkout-2", "node-b"}};
        for (auto& p : pods)
            for (const char* m : {"cpu_usage_ratio", "memory_used_bytes", "memory_limit_bytes",
                                  "disk_used_bytes", "disk_capacity_bytes", "restarts_total"})
                ids.push_back({m, {{"service", p[0]}, {"pod", p[1]}, {"host", p[2]}}});
        return ids;
    }

    Result<std::vector<ts::SeriesId>> listSeries(const ts::Selector& selector, const CancelToken&) override {
        if (failing)
            return fail(ErrorCode::Network, "Connection refused.", "http://127.0.0.1:9/api/v1/series");
        std::vector<ts::SeriesId> out;
        for (auto& id : all())
            if (selector.matches(id))
                out.push_back(id);
        return out;
    }

    Result<std::vector<ts::Series>> query(const sources::MetricQuery& q, const CancelToken& cancel) override {
        ++queries;
        noteCaller();
        for (int waited = 0; waited < delayMs; waited += 10) {
            if (cancel.isCancelled())
                return fail(ErrorCode::Cancelled, "cancelled");
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (failing)
            return fail(ErrorCode::Network, "Connection refused.", "http://127.0.0.1:9/api/v1/query_range");
        std::vector<ts::Series> out;
        const TimeMs start = std::max(q.range.start, kFakeNow - 14 * kDayMs) / kMinuteMs * kMinuteMs;
        const TimeMs end = std::min(q.range.end, kFakeNow + kMinuteMs);
        for (auto& id : all()) {
            if (!q.selector.matches(id))
                continue;
            ts::Series s;
            s.id = id;
            for (TimeMs t = start; t < end; t += kMinuteMs) {
                s.time.push_back(t);
                s.value.push_back(valueAt(id, t));
            }
            out.push_back(std::move(s));
        }
        return out;
    }

    static double valueAt(const ts::SeriesId& id, TimeMs t) {
        const double day = std::sin(static_cast<double>(t % kDayMs) / static_cast<double>(kDayMs) * 6.283185);
        const double wiggle = std::sin(static_cast<double>(t / kMinuteMs) * 0.7) * 0.05;
        const bool checkout = id.label("service") == "checkout";
        const std::string& m = id.metric;
        if (m == "request_rate")
            return 100.0 + 40.0 * day + 5.0 * wiggle;
        if (m == "latency_p50_ms")
            return 80.0 + 10.0 * day;
        if (m == "latency_p95_ms")
            return (t == kFakeNow - 30 * kMinuteMs && checkout) ? 900.0 : 200.0 + 30.0 * day + 40.0 * wiggle;
        if (m == "error_ratio")
            return checkout && t > kFakeNow - 2 * kHourMs ? 0.06 : 0.002 + 0.001 * wiggle;
        if (m == "cpu_usage_ratio")
            return 0.4 + 0.2 * day + wiggle;
        if (m == "memory_used_bytes")
            return 1.5e9 + 2e8 * day;
        if (m == "memory_limit_bytes")
            return 4e9;
        if (m == "disk_used_bytes")
            return 2e10 + static_cast<double>(t % kWeekMs) * 1e-2;
        if (m == "disk_capacity_bytes")
            return 5e10;
        return static_cast<double>((t - (kFakeNow - 14 * kDayMs)) / kDayMs); // restarts_total
    }
};

// A band of value +-10% around a trailing mean; a point outside twice the band is an anomaly.
inline Result<ui::SeriesFindings> fakeAnalyze(const ts::Series& s, const CancelToken& cancel) {
    ui::SeriesFindings f;
    f.estimates.resize(s.size());
    double mean = s.empty() ? 0.0 : s.value.front();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (cancel.isCancelled())
            return fail(ErrorCode::Cancelled, "cancelled");
        const double width = std::abs(mean) * 0.1 + 1e-9;
        auto& e = f.estimates[i];
        e.ready = i >= 10;
        e.expected = mean;
        e.lower = mean - width;
        e.upper = mean + width;
        if (e.ready && std::abs(s.value[i] - mean) > 2 * width) {
            e.score = 1.0;
            detect::Anomaly a;
            a.series = s.id;
            a.start = a.peak = s.time[i];
            a.end = s.time[i] + kMinuteMs;
            a.score = 0.95;
            a.observed = s.value[i];
            a.expected = mean;
            a.explanation = s.id.metric + " far outside its band";
            f.anomalies.push_back(a);
            continue; // outliers do not move the mean
        }
        mean = 0.95 * mean + 0.05 * s.value[i];
    }
    return f;
}

inline ui::Backends fakeBackends(std::shared_ptr<FakeMetricSource> source) {
    ui::Backends b;
    b.metrics = std::move(source);
    b.analyze = fakeAnalyze;
    b.clock = [] { return kFakeNow; };
    return b;
}

} // namespace cairn::testing
