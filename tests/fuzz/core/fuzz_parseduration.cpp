// Fuzz target: cairn::parseDuration ("90s", "5m", "7d", "250ms" from command lines and settings).
// Beyond "no crash, no UB": every failure carries a message.
#include "cairn/common/time.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto d = cairn::parseDuration(text);
    if (!d && d.error().message.empty()) {
        std::fprintf(stderr, "parseDuration failed without a message\n");
        std::abort();
    }
    return 0;
}
