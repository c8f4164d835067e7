// Fuzz target: parseOtlpJson, OTLP/JSON trace exports (imported files).
// Beyond "no crash, no UB, no exception escaping": every failure carries a message.
// fuzz-seeds: api-samples/otlp/*.json
// fuzz-max-len: 65536
#include "cairn/sources/traceimport.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = cairn::sources::parseOtlpJson(text);
    if (!r && r.error().message.empty()) {
        std::fprintf(stderr, "cairn::sources::parseOtlpJson failed without a message\n");
        std::abort();
    }
    return 0;
}
