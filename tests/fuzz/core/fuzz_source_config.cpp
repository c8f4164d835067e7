// Fuzz target: parseSourceConfig, the data sources file a user edits or copies between machines.
// Beyond "no crash, no UB, no exception escaping": every failure carries a message.
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
    // TODO(connectors): some accepted files do not survive serializeSourceConfig -> parseSourceConfig
    // unchanged (input in regressions/fuzz_source_config); once fixed, assert the round trip here.
    if (r)
        (void)cairn::sources::serializeSourceConfig(*r);
    return 0;
}
