#include "cairn/timeseries/downsample.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cairn::ts {

namespace {

// Column of time t in [range.start, range.end) split into `columns` equal parts (128-bit safe arithmetic).
std::size_t columnOf(TimeMs t, TimeRange range, std::size_t columns) {
    const auto offset = static_cast<long double>(t - range.start);
    const auto width = static_cast<long double>(range.duration());
    auto c = static_cast<std::size_t>(offset * static_cast<long double>(columns) / width);
    return std::min(c, columns - 1);
}

} // namespace

std::vector<std::size_t> downsampleIndicesM4(const std::vector<TimeMs>& time,
                                             const std::vector<double>& value, TimeRange range,
                                             std::size_t columns) {
    std::vector<std::size_t> out;
    if (!range.valid() || columns == 0 || time.size() != value.size() || time.empty())
        return out;

    const auto first =
        static_cast<std::size_t>(std::lower_bound(time.begin(), time.end(), range.start) - time.begin());
    const auto last =
        static_cast<std::size_t>(std::lower_bound(time.begin(), time.end(), range.end) - time.begin());

    // Last finite sample before the range.
    for (std::size_t i = first; i-- > 0;) {
        if (std::isfinite(value[i])) {
            out.push_back(i);
            break;
        }
    }

    if (last - first <= 4 * columns) {
        for (std::size_t i = first; i < last; ++i)
            if (std::isfinite(value[i]))
                out.push_back(i);
    } else {
        constexpr auto npos = std::numeric_limits<std::size_t>::max();
        std::size_t column = npos;
        std::size_t cFirst = npos, cMin = npos, cMax = npos, cLast = npos;
        auto flush = [&] {
            if (cFirst == npos)
                return;
            std::size_t picks[4] = {cFirst, cMin, cMax, cLast};
            std::sort(std::begin(picks), std::end(picks));
            for (std::size_t k = 0; k < 4; ++k)
                if (k == 0 || picks[k] != picks[k - 1])
                    out.push_back(picks[k]);
            cFirst = cMin = cMax = cLast = npos;
        };
        for (std::size_t i = first; i < last; ++i) {
            const double v = value[i];
            if (!std::isfinite(v))
                continue;
            const std::size_t c = columnOf(time[i], range, columns);
            if (c != column) {
                flush();
                column = c;
            }
            if (cFirst == npos) {
                cFirst = cMin = cMax = cLast = i;
                continue;
            }
            if (v < value[cMin])
                cMin = i;
            if (v > value[cMax])
                cMax = i;
            cLast = i;
        }
        flush();
    }

    // First finite sample after the range.
    for (std::size_t i = last; i < time.size(); ++i) {
        if (std::isfinite(value[i])) {
            out.push_back(i);
            break;
        }
    }
    return out;
}

Series downsampleM4(const Series& series, TimeRange range, std::size_t columns) {
    Series out;
    out.id = series.id;
    const auto idx = downsampleIndicesM4(series.time, series.value, range, columns);
    out.time.reserve(idx.size());
    out.value.reserve(idx.size());
    for (auto i : idx) {
        out.time.push_back(series.time[i]);
        out.value.push_back(series.value[i]);
    }
    return out;
}

Band downsampleBand(const std::vector<TimeMs>& time, const std::vector<double>& lower,
                    const std::vector<double>& upper, TimeRange range, std::size_t columns) {
    Band out;
    if (!range.valid() || columns == 0 || time.size() != lower.size() || time.size() != upper.size())
        return out;
    const auto first =
        static_cast<std::size_t>(std::lower_bound(time.begin(), time.end(), range.start) - time.begin());
    const auto last =
        static_cast<std::size_t>(std::lower_bound(time.begin(), time.end(), range.end) - time.begin());
    // One sample of margin each side so the band reaches the plot edges like the line does.
    const std::size_t from = first > 0 ? first - 1 : first;
    const std::size_t to = last < time.size() ? last + 1 : last;
    const bool reduce = (to - from) > 2 * columns;

    auto ok = [&](std::size_t i) { return std::isfinite(lower[i]) && std::isfinite(upper[i]); };
    auto push = [&](TimeMs t, double lo, double hi) {
        out.time.push_back(t);
        out.lower.push_back(lo);
        out.upper.push_back(hi);
    };

    if (!reduce) {
        for (std::size_t i = from; i < to; ++i)
            if (ok(i))
                push(time[i], lower[i], upper[i]);
        return out;
    }

    constexpr auto npos = std::numeric_limits<std::size_t>::max();
    std::size_t column = npos;
    TimeMs tFirst = 0, tLast = 0;
    double lo = 0, hi = 0;
    bool open = false;
    auto flush = [&] {
        if (!open)
            return;
        push(tFirst, lo, hi);
        if (tLast != tFirst)
            push(tLast, lo, hi);
        open = false;
    };
    for (std::size_t i = from; i < to; ++i) {
        if (!ok(i))
            continue;
        // Margin samples outside the range get their own edge columns.
        std::size_t c = time[i] < range.start  ? npos - 1
                        : time[i] >= range.end ? npos - 2
                                               : columnOf(time[i], range, columns);
        if (c != column) {
            flush();
            column = c;
        }
        if (!open) {
            open = true;
            tFirst = tLast = time[i];
            lo = lower[i];
            hi = upper[i];
            continue;
        }
        tLast = time[i];
        lo = std::min(lo, lower[i]);
        hi = std::max(hi, upper[i]);
    }
    flush();
    return out;
}

} // namespace cairn::ts
