// Fuzz target: parseWideCsv, the M4-style wide CSV that `cairn-cli` forecast commands read.
// Beyond "no crash, no UB": a failure carries a message, and whatever parses survives
// formatWideCsv -> parseWideCsv unchanged (ids that need RFC 4180 quoting, NaN, infinities).
// fuzz-seeds: m4/*.csv
// fuzz-max-len: 16384
#include "cairn/forecast/widecsv.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

bool sameValue(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool sameSeries(const std::vector<cairn::forecast::NamedSeries>& a,
                const std::vector<cairn::forecast::NamedSeries>& b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].id != b[i].id || a[i].values.size() != b[i].values.size())
            return false;
        for (std::size_t j = 0; j < a[i].values.size(); ++j)
            if (!sameValue(a[i].values[j], b[i].values[j]))
                return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = cairn::forecast::parseWideCsv(text, "fuzz input");
    if (!r) {
        if (r.error().message.empty()) {
            std::fprintf(stderr, "parseWideCsv failed without a message\n");
            std::abort();
        }
        return 0;
    }
    const std::string written = cairn::forecast::formatWideCsv(*r);
    auto back = cairn::forecast::parseWideCsv(written, "formatted");
    if (!back || !sameSeries(*r, *back)) {
        std::fprintf(stderr, "formatWideCsv does not round-trip:\n%s\n%s\n", written.c_str(),
                     back ? "(different series)" : back.error().message.c_str());
        std::abort();
    }
    return 0;
}
