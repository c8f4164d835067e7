// Fuzz target: the `timestamp,value` CSV reader (cairn::detect::nab::parseCsv) behind cairn-cli's
// detect and bench commands. Beyond "no crash, no UB": on success every row has a time and a value.
// fuzz-seeds: nab/data/realKnownCause/*.csv nab/data/artificialWithAnomaly/*.csv
// fuzz-max-len: 16384
#include "cairn/detect/nab.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto csv = cairn::detect::nab::parseCsv(text, "fuzz input");
    if (csv) {
        const auto rows = csv->time.size();
        if (csv->value.size() != rows || csv->stamp.size() != rows || csv->valueText.size() != rows) {
            std::fprintf(stderr, "parseCsv returned columns of different lengths\n");
            std::abort();
        }
    } else if (csv.error().message.empty()) {
        std::fprintf(stderr, "parseCsv failed without a message\n");
        std::abort();
    }
    return 0;
}
