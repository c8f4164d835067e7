// Test support: a demo environment on simulated time, shared with the remediation lifecycle's clock, so a
// verification that "waits" five minutes advances the demo five minutes instead of sleeping. Used by the
// remediation tests on the demo (core and UI). Header-only; one instance per test.
#pragma once

#include "cairn/demo/demoenvironment.h"
#include "cairn/remediation/lifecycle.h"

#include <atomic>
#include <memory>
#include <optional>

namespace cairn::testing {

// A fixed history start (a whole minute) so incidents and figures repeat from run to run.
inline constexpr TimeMs kDemoHistoryStart = 1'790'000'000'000 - (1'790'000'000'000 % kMinuteMs);

// The lifecycle's clock reading and advancing the shared simulated time.
class SharedClock final : public remediation::Clock {
public:
    explicit SharedClock(std::shared_ptr<std::atomic<TimeMs>> now)
        : m_now(std::move(now)) {}
    TimeMs now() override { return m_now->load(); }
    void sleepFor(TimeMs ms) override { m_now->fetch_add(ms); }

private:
    std::shared_ptr<std::atomic<TimeMs>> m_now;
};

// The demo (seed 7, 14 days of history) whose clock is `now`.
struct DemoWorld {
    std::shared_ptr<std::atomic<TimeMs>> now =
        std::make_shared<std::atomic<TimeMs>>(kDemoHistoryStart + 14 * kDayMs);
    std::shared_ptr<demo::DemoEnvironment> env;

    DemoWorld() {
        demo::DemoConfig c;
        c.seed = 7;
        c.historyStart = kDemoHistoryStart;
        c.clock = [n = now] { return n->load(); };
        env = std::make_shared<demo::DemoEnvironment>(c);
    }
    std::shared_ptr<SharedClock> clock() const { return std::make_shared<SharedClock>(now); }
    // Moves now three quarters into the first incident of this kind with a root pod lasting over 30 min.
    std::optional<demo::IncidentTruth> into(demo::IncidentKind kind) {
        for (const auto& i : env->incidents())
            if (i.kind == kind && !i.rootPod.empty() && i.end - i.start > 30 * kMinuteMs) {
                now->store(i.start + (i.end - i.start) * 3 / 4);
                return i;
            }
        return std::nullopt;
    }
};

} // namespace cairn::testing
