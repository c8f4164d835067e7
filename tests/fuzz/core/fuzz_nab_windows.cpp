// Fuzz target: NAB label windows JSON (cairn::detect::nab::readWindows), a file users point
// `cairn-cli bench nab` at. The input is written to a scratch file because the reader takes a path.
// Beyond "no crash, no UB, no exception escaping": every failure carries a message.
// fuzz-seeds: nab/labels/combined_windows*.json
// fuzz-max-len: 32768
#include "cairn/detect/nab.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = (std::filesystem::temp_directory_path() /
                                     ("cairn-fuzz-windows-" + std::to_string(::getpid()) + ".json"))
                                        .string();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    auto w = cairn::detect::nab::readWindows(path);
    if (!w && w.error().message.empty()) {
        std::fprintf(stderr, "readWindows failed without a message\n");
        std::abort();
    }
    std::remove(path.c_str());
    return 0;
}
