// Fuzz target: decodeSearchHits, Elasticsearch/OpenSearch _search answers (hits.hits with _source documents,
// sort values, ids), as ElasticsearchSource::scan maps them to LogRecords. Beyond "no crash, no UB, no
// exception escaping": every failure carries a message, and a decoded record's mapped fields are not also
// kept among its flattened extra fields.
// fuzz-seeds: api-samples/elasticsearch/*.json tests/connectors/recordings/elasticsearch/*.json
// fuzz-max-len: 65536
#include "cairn/sources/elasticsearch.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const cairn::sources::LogFieldMapping fields;
    auto r = cairn::sources::decodeSearchHits(text, fields);
    if (!r) {
        if (r.error().message.empty()) {
            std::fprintf(stderr, "cairn::sources::decodeSearchHits failed without a message\n");
            std::abort();
        }
        return 0;
    }
    for (const auto& rec : *r) {
        if (rec.fields.count(fields.message) || rec.fields.count(fields.timestamp)) {
            std::fprintf(stderr, "a mapped field was also kept as an extra field\n");
            std::abort();
        }
    }
    return 0;
}
