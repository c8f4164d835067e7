#include "cairn/common/time.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace cairn {

TimeMs nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t daysFromCivil(int y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {

struct Civil {
    int year;
    unsigned month, day, hour, minute, second, milli;
};

Civil toCivil(TimeMs t) {
    std::int64_t days = t >= 0 ? t / kDayMs : -((-t + kDayMs - 1) / kDayMs);
    TimeMs rem = t - days * kDayMs;
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    Civil c{};
    c.year = static_cast<int>(y + (m <= 2 ? 1 : 0));
    c.month = m;
    c.day = d;
    c.hour = static_cast<unsigned>(rem / kHourMs);
    rem %= kHourMs;
    c.minute = static_cast<unsigned>(rem / kMinuteMs);
    rem %= kMinuteMs;
    c.second = static_cast<unsigned>(rem / kSecondMs);
    c.milli = static_cast<unsigned>(rem % kSecondMs);
    return c;
}

bool readInt(std::string_view s, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > s.size())
        return false;
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return ec == std::errc() && p == s.data() + pos + len;
}

} // namespace

std::string formatIso(TimeMs t) {
    const Civil c = toCivil(t);
    char buf[40];
    if (c.milli != 0)
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ", c.year, c.month, c.day, c.hour,
                      c.minute, c.second, c.milli);
    else
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02uZ", c.year, c.month, c.day, c.hour,
                      c.minute, c.second);
    return buf;
}

std::string formatDateTime(TimeMs t) {
    const Civil c = toCivil(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02u:%02u:%02u", c.year, c.month, c.day, c.hour, c.minute,
                  c.second);
    return buf;
}

Result<TimeMs> parseTime(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    if (text.empty())
        return fail(ErrorCode::InvalidArgument, "empty time value");

    // Unix seconds, possibly fractional.
    if (text.find('-', 1) == std::string_view::npos && text.find(':') == std::string_view::npos) {
        double seconds = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(seconds))
            return fail(ErrorCode::InvalidArgument, "not a time: expected Unix seconds or RFC 3339",
                        std::string(text));
        return static_cast<TimeMs>(std::llround(seconds * 1000.0));
    }

    int y, mo, d, h = 0, mi = 0, s = 0;
    if (text.size() < 10 || !readInt(text, 0, 4, y) || text[4] != '-' || !readInt(text, 5, 2, mo) ||
        text[7] != '-' || !readInt(text, 8, 2, d))
        return fail(ErrorCode::InvalidArgument, "not a date: expected YYYY-MM-DD", std::string(text));
    std::size_t pos = 10;
    if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ' || text[pos] == 't')) {
        if (!readInt(text, pos + 1, 2, h) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
            !readInt(text, pos + 4, 2, mi))
            return fail(ErrorCode::InvalidArgument, "not a time of day: expected HH:MM[:SS]",
                        std::string(text));
        pos += 6;
        if (pos < text.size() && text[pos] == ':') {
            if (!readInt(text, pos + 1, 2, s))
                return fail(ErrorCode::InvalidArgument, "bad seconds field", std::string(text));
            pos += 3;
        }
    }
    int millis = 0;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 3)
                millis = millis * 10 + (text[pos] - '0');
            ++digits;
            ++pos;
        }
        for (; digits < 3; ++digits)
            millis *= 10;
    }
    TimeMs offset = 0;
    if (pos < text.size()) {
        const char c = text[pos];
        if (c == 'Z' || c == 'z') {
            ++pos;
        } else if (c == '+' || c == '-') {
            int oh = 0, om = 0;
            if (!readInt(text, pos + 1, 2, oh))
                return fail(ErrorCode::InvalidArgument, "bad UTC offset", std::string(text));
            std::size_t mpos = pos + 3;
            if (mpos < text.size() && text[mpos] == ':')
                ++mpos;
            if (!readInt(text, mpos, 2, om))
                return fail(ErrorCode::InvalidArgument, "bad UTC offset", std::string(text));
            offset = (c == '+' ? 1 : -1) * (oh * kHourMs + om * kMinuteMs);
            pos = mpos + 2;
        }
    }
    if (pos != text.size())
        return fail(ErrorCode::InvalidArgument, "trailing characters after time", std::string(text));
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return fail(ErrorCode::InvalidArgument, "time field out of range", std::string(text));
    const std::int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    return days * kDayMs + h * kHourMs + mi * kMinuteMs + s * kSecondMs + millis - offset;
}

Result<TimeMs> parseDuration(std::string_view text) {
    if (text.empty())
        return fail(ErrorCode::InvalidArgument, "empty duration");
    double value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || !std::isfinite(value) || value < 0)
        return fail(ErrorCode::InvalidArgument, "not a duration: expected a number and a unit (5m, 1h, 7d)",
                    std::string(text));
    const std::string_view unit(p, static_cast<std::size_t>(text.data() + text.size() - p));
    double scale = 0;
    if (unit.empty() || unit == "s")
        scale = kSecondMs;
    else if (unit == "ms")
        scale = 1;
    else if (unit == "m")
        scale = kMinuteMs;
    else if (unit == "h")
        scale = kHourMs;
    else if (unit == "d")
        scale = kDayMs;
    else if (unit == "w")
        scale = kWeekMs;
    else
        return fail(ErrorCode::InvalidArgument, "unknown duration unit (use ms, s, m, h, d or w)",
                    std::string(text));
    return static_cast<TimeMs>(std::llround(value * scale));
}

} // namespace cairn
