// Fuzz target: parseSourceConfig, the data sources file a user edits or copies between machines.
// Beyond "no crash, no UB, no exception escaping": every failure carries a message, and every accepted
// file survives serializeSourceConfig -> parseSourceConfig unchanged.
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
        // What parses survives serializeSourceConfig -> parseSourceConfig unchanged.
        const std::string written = cairn::sources::serializeSourceConfig(*r);
        auto back = cairn::sources::parseSourceConfig(written);
        if (!back || *back != *r) {
            std::fprintf(stderr, "serializeSourceConfig does not round-trip:\n%s\n%s\n", written.c_str(),
                         back ? "(different sources)" : back.error().message.c_str());
            std::abort();
        }
    }
    return 0;
}
