// Fuzz target: the CSV record reader of cairn-cli's log benchmarks (splitLines + splitCsvRecord, which read
// Loghub's structured CSV) against the one CSV writer every Cairn CSV output uses (cairn/common/csv.h).
// Beyond "no crash, no UB": every record read from the input, written back field by field with
// appendCsvField and joined with commas, reads back as the same fields (RFC 4180 quoting round-trips).
// fuzz-seeds: loghub/*/*_structured.csv loghub/*/*_templates.csv
// fuzz-max-len: 16384
#include "cairn/common/csv.h"
#include "cairn/logs/loghub.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const std::string& line : cairn::logs::splitLines(text)) {
        const auto fields = cairn::logs::splitCsvRecord(line);
        if (fields.empty()) {
            std::fprintf(stderr, "splitCsvRecord returned no field\n");
            std::abort();
        }
        std::string written;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i)
                written += ',';
            cairn::appendCsvField(written, fields[i]);
        }
        if (cairn::logs::splitCsvRecord(written) != fields) {
            std::fprintf(stderr, "CSV quoting does not round-trip: %s\n", written.c_str());
            std::abort();
        }
    }
    return 0;
}
