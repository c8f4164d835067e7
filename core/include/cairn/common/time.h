// Time in Cairn: UTC milliseconds since the Unix epoch (TimeMs) and half-open ranges [start, end).
// Trace spans use microseconds (TimeUs) because Jaeger, Zipkin and OTLP do.
// Thread-safety: pure functions over values.
#pragma once

#include "cairn/common/error.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

using TimeMs = std::int64_t;
using TimeUs = std::int64_t;

inline constexpr TimeMs kSecondMs = 1000;
inline constexpr TimeMs kMinuteMs = 60 * kSecondMs;
inline constexpr TimeMs kHourMs = 60 * kMinuteMs;
inline constexpr TimeMs kDayMs = 24 * kHourMs;
inline constexpr TimeMs kWeekMs = 7 * kDayMs;

struct TimeRange {
    TimeMs start = 0; // inclusive
    TimeMs end = 0;   // exclusive

    TimeMs duration() const { return end - start; }
    bool contains(TimeMs t) const { return t >= start && t < end; }
    bool overlaps(const TimeRange& o) const { return start < o.end && o.start < end; }
    bool valid() const { return end > start; }
    bool operator==(const TimeRange&) const = default;
};

// A number from outside input taken as an integer (epoch milliseconds, a count): empty when it is NaN,
// infinite or beyond +-9e18, where converting it to int64 would be undefined behaviour.
inline std::optional<std::int64_t> int64FromDouble(double d) {
    if (!std::isfinite(d) || std::abs(d) >= 9.0e18)
        return std::nullopt;
    return static_cast<std::int64_t>(d);
}

// Wall-clock now, UTC.
TimeMs nowMs();

// Days since 1970-01-01 for a proleptic Gregorian date, and back (Howard Hinnant's algorithms).
std::int64_t daysFromCivil(int year, unsigned month, unsigned day);

// "2026-11-24T21:53:13Z" (RFC 3339, UTC, seconds; milliseconds added when non-zero).
std::string formatIso(TimeMs t);
// "2026-11-24 21:53:13" — NAB's CSV layout.
std::string formatDateTime(TimeMs t);

// Accepts Unix seconds ("1700000000", "1700000000.5"), RFC 3339 ("2026-11-24T21:53:13Z",
// "...T21:53:13.250+01:00") and "YYYY-MM-DD HH:MM:SS[.fff]" (taken as UTC).
Result<TimeMs> parseTime(std::string_view text);

// Durations such as "90s", "5m", "1h", "7d", "2w", "250ms"; a bare number is seconds.
Result<TimeMs> parseDuration(std::string_view text);

} // namespace cairn
