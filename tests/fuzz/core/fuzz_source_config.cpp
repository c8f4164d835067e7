// Fuzz target: parseSourceConfig, the data sources file a user edits or copies between machines.
// Beyond "no crash, no UB, no exception escaping": every failure carries a message, and an accepted file
// serializes (serializeSourceConfig) to text that parses back to the same sources.
// fuzz-max-len: 16384
#include "cairn/sources/sourceconfig.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = cairn::sources::parseSourceConfig(text);
    if (!r && r.error().message.empty()) {
        std::fprintf(stderr, "cairn::sources::parseSourceConfig failed without a message\n");
        std::abort();
    }
    if (r) {
        const std::string again = cairn::sources::serializeSourceConfig(*r);
        auto back = cairn::sources::parseSourceConfig(again);
        if (!back || *back != *r) {
            std::fprintf(stderr, "source config round trip failed: %s\n",
                         back ? again.c_str() : back.error().what().c_str());
            std::abort();
        }
    }
    return 0;
}
