// CSV helpers for cairn-cli output: quoting (RFC 4180), Unix-seconds timestamps, numbers that round-trip.
#pragma once

#include "cairn/common/csv.h"
#include "cairn/common/time.h"

#include <charconv>
#include <cmath>
#include <string>

namespace cairn::cli {

// RFC 4180 quoting lives in core (cairn/common/csv.h), shared with the demo exporter.
using cairn::csvField;

// 1700000000123 ms -> "1700000000.123"; whole seconds print without a fraction.
inline void appendUnixSeconds(std::string& out, TimeMs t) {
    const bool neg = t < 0;
    const TimeMs a = neg ? -t : t;
    if (neg)
        out += '-';
    out += std::to_string(a / 1000);
    if (a % 1000) {
        char frac[5];
        frac[0] = '.';
        const int ms = static_cast<int>(a % 1000);
        frac[1] = static_cast<char>('0' + ms / 100);
        frac[2] = static_cast<char>('0' + ms / 10 % 10);
        frac[3] = static_cast<char>('0' + ms % 10);
        frac[4] = 0;
        std::string f(frac);
        while (f.back() == '0')
            f.pop_back();
        out += f;
    }
}

// Shortest text that reads back to the same double; NaN, +Inf, -Inf as Prometheus writes them.
inline void appendNumber(std::string& out, double v) {
    if (std::isnan(v)) {
        out += "NaN";
        return;
    }
    if (std::isinf(v)) {
        out += v > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc() ? p : buf);
}

} // namespace cairn::cli
