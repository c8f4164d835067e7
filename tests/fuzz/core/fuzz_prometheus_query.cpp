// Fuzz target: decodePrometheusQuery, the streaming decoder of Prometheus /api/v1/query and query_range
// bodies (a remote server's answer), and decodePrometheusQueryNlohmannSax, the same decoder driven by
// nlohmann's SAX parser. Beyond "no crash, no UB, no exception escaping": every failure carries a message,
// and when both decoders accept an input they decode the same series and samples. fuzz-seeds:
// api-samples/prometheus/*.json tests/connectors/recordings/prometheus/*.json fuzz-max-len: 65536
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
    auto sax = cairn::sources::decodePrometheusQueryNlohmannSax(text);
    if (!sax && sax.error().message.empty()) {
        std::fprintf(stderr, "decodePrometheusQueryNlohmannSax failed without a message\n");
        std::abort();
    }
    if (r && sax && (r->samples != sax->samples || r->series.size() != sax->series.size())) {
        std::fprintf(stderr, "the two Prometheus decoders disagree on an input both accept\n");
        std::abort();
    }
    return 0;
}
