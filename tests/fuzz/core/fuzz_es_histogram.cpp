// Fuzz target: decodeDateHistogram, Elasticsearch/OpenSearch date_histogram aggregation responses (a remote
// server's answer). Beyond "no crash, no UB, no exception escaping": every failure carries a message.
// fuzz-seeds: api-samples/elasticsearch/*.json tests/connectors/recordings/elasticsearch/*.json
// fuzz-max-len: 65536
#include "cairn/sources/elasticsearch.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = cairn::sources::decodeDateHistogram(text);
    if (!r && r.error().message.empty()) {
        std::fprintf(stderr, "cairn::sources::decodeDateHistogram failed without a message\n");
        std::abort();
    }
    return 0;
}
