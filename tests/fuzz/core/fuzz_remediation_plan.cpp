// Fuzz target: parsePlan, remediation plan files (proposed actions loaded from disk or pasted).
// Beyond "no crash, no UB, no exception escaping": every failure carries a message.
// fuzz-max-len: 16384
#include "cairn/remediation/action.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = cairn::remediation::parsePlan(text);
    if (!r && r.error().message.empty()) {
        std::fprintf(stderr, "cairn::remediation::parsePlan failed without a message\n");
        std::abort();
    }
    return 0;
}
