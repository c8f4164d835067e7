// Fuzz target: decodePrometheusQuery, the SAX decoder of Prometheus /api/v1/query and query_range bodies (a
// remote server's answer). Beyond "no crash, no UB, no exception escaping": every failure carries a message.
// fuzz-seeds: api-samples/prometheus/*.json tests/connectors/recordings/prometheus/*.json
// fuzz-max-len: 65536
#include "cairn/sources/prometheus.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = cairn::sources::decodePrometheusQuery(text);
    if (!r && r.error().message.empty()) {
        std::fprintf(stderr, "cairn::sources::decodePrometheusQuery failed without a message\n");
        std::abort();
    }
    return 0;
}
