// Fuzz target: parseWideCsv, the M4-style wide CSV that `cairn-cli` forecast commands read.
// Beyond "no crash, no UB": a failure carries a message; formatting what was parsed does not crash.
// fuzz-seeds: m4/*.csv
// fuzz-max-len: 16384
#include "cairn/forecast/widecsv.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

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
    // TODO(forecast): formatWideCsv writes ids unquoted (an id with ',' or '"' does not parse back) and
    // infinities as NA; once fixed, assert parseWideCsv(formatWideCsv(r)) == r here (see
    // regressions/fuzz_widecsv for the input that showed it).
    (void)cairn::forecast::formatWideCsv(*r);
    return 0;
}
