// Fuzz target: the HTTP helpers that read what a remote server or a user's source file hands Cairn:
// parseRetryAfter (a server's Retry-After header), redactUrl and isLoopbackUrl (a configured URL).
// Beyond "no crash, no UB": redactUrl never returns longer text than it was given.
#include "cairn/sources/http.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    constexpr cairn::TimeMs now = 1'764'000'000'000;
    (void)cairn::sources::parseRetryAfter(text, now);
    (void)cairn::sources::isLoopbackUrl(text);
    if (cairn::sources::redactUrl(text).size() > text.size() + 16) {
        std::fprintf(stderr, "redactUrl grew the URL\n");
        std::abort();
    }
    return 0;
}
