// Fuzz target: the log template miner (TemplateMiner::add / match) over arbitrary log messages, one
// per input line: log files are outside input, binary garbage included.
// Beyond "no crash, no UB": the number of live templates never exceeds the number of messages added.
// fuzz-seeds: loghub/*/*_2k.log
// fuzz-max-len: 16384
#include "cairn/logs/templateminer.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    cairn::logs::TemplateMiner miner;
    std::size_t added = 0;
    while (!text.empty()) {
        const auto n = text.find('\n');
        const std::string_view line = text.substr(0, n);
        miner.add(line, static_cast<cairn::TimeMs>(added) * 1000);
        ++added;
        (void)miner.match(line);
        if (miner.size() > added) {
            std::fprintf(stderr, "%zu templates from %zu messages\n", miner.size(), added);
            std::abort();
        }
        if (n == std::string_view::npos)
            break;
        text.remove_prefix(n + 1);
    }
    return 0;
}
