// Fuzz target: parseWideCsv, the M4-style wide CSV that `cairn-cli` forecast commands read.
// Beyond "no crash, no UB": a failure carries a message, and accepted series written back with
// formatWideCsv parse to the same ids and values (NaN for NaN).
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

bool sameValues(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))))
            return false;
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
    const std::string again = cairn::forecast::formatWideCsv(*r);
    auto back = cairn::forecast::parseWideCsv(again, "round trip");
    if (!back || back->size() != r->size()) {
        std::fprintf(stderr, "wide CSV round trip failed: %s\n",
                     back ? again.c_str() : back.error().what().c_str());
        std::abort();
    }
    for (std::size_t i = 0; i < r->size(); ++i) {
        if ((*back)[i].id != (*r)[i].id || !sameValues((*back)[i].values, (*r)[i].values)) {
            std::fprintf(stderr, "wide CSV round trip changed series %zu (%s)\n", i, (*r)[i].id.c_str());
            std::abort();
        }
    }
    return 0;
}
