// cairn-cli: the headless face of Cairn. Everything here goes through cairn::core.
#include "commands.h"

#include "cairn/common/version.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

void printUsage() {
    std::printf("Usage: cairn-cli <command> [options]\n\nCommands:\n");
    for (const auto& c : cairn::cli::kCommands)
        std::printf("  %-18s %s\n", c.name, c.summary);
    std::printf("\n  --version          print the version\n  --help             this text\n");
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
        !std::strcmp(argv[1], "help")) {
        printUsage();
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::printf("cairn-cli %s\n", cairn::kVersion);
        return 0;
    }
    // Longest match first: two-word commands ("demo export") before one-word ones ("detect").
    for (int words = 2; words >= 1; --words) {
        if (argc < 1 + words)
            continue;
        std::string name = argv[1];
        if (words == 2)
            name += std::string(" ") + argv[2];
        for (const auto& c : cairn::cli::kCommands)
            if (name == c.name)
                return c.run(argc, argv, 1 + words);
    }
    std::fprintf(stderr, "cairn-cli: unknown command '%s' (see cairn-cli --help)\n", argv[1]);
    return 2;
}
