// Fuzz target: cairn::parseTime (times typed by users, read from CSV files and back-end responses).
// Property beyond "no crash, no UB": a time it accepts within years 1970-9999 formats with formatIso
// and parses back to the same millisecond.
#include "cairn/common/time.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto t = cairn::parseTime(text);
    if (!t) {
        if (t.error().message.empty()) {
            std::fprintf(stderr, "parseTime failed without a message\n");
            std::abort();
        }
        return 0;
    }
    constexpr cairn::TimeMs kYear10000 = 253402300800000;
    if (*t >= 0 && *t < kYear10000) {
        const std::string iso = cairn::formatIso(*t);
        auto back = cairn::parseTime(iso);
        if (!back || *back != *t) {
            std::fprintf(stderr, "round trip failed: %lld -> %s -> %s\n", static_cast<long long>(*t),
                         iso.c_str(), back ? std::to_string(*back).c_str() : back.error().what().c_str());
            std::abort();
        }
    }
    return 0;
}
