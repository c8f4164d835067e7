// Cooperative cancellation and progress reporting for long core work.
// A CancelToken is cheap to copy; all copies share one flag. Thread-safe: any thread may cancel,
// the worker polls isCancelled(). A default-constructed token can never be cancelled.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string_view>

namespace cairn {

class CancelToken {
public:
    CancelToken() = default;
    static CancelToken create() { return CancelToken(std::make_shared<std::atomic<bool>>(false)); }

    void cancel() const {
        if (m_flag)
            m_flag->store(true, std::memory_order_relaxed);
    }
    bool isCancelled() const { return m_flag && m_flag->load(std::memory_order_relaxed); }

private:
    explicit CancelToken(std::shared_ptr<std::atomic<bool>> flag)
        : m_flag(std::move(flag)) {}
    std::shared_ptr<std::atomic<bool>> m_flag;
};

// Progress sink: fraction in [0,1] and a short stage label ("loading metrics").
// May be empty; call through reportProgress() so callers need not check.
using ProgressSink = std::function<void(double fraction, std::string_view stage)>;

inline void reportProgress(const ProgressSink& sink, double fraction, std::string_view stage) {
    if (sink)
        sink(fraction, stage);
}

} // namespace cairn
