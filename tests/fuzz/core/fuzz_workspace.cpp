// Fuzz target: opening a workspace file Cairn did not write cleanly (a crash, a bad disk, a user's
// copy). The input becomes the file; open() must refuse it with an error or open it, never crash, and
// a refused file must be left byte for byte as it was.
#include "cairn/storage/workspace.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

std::filesystem::path scratch() {
    static const std::filesystem::path p = std::filesystem::temp_directory_path() /
                                           ("cairn-fuzz-workspace-" + std::to_string(::getpid()) + ".db");
    return p;
}

void removeAll(const std::filesystem::path& p) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(p.string() + suffix, ec);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = scratch();
    removeAll(path);
    {
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    cairn::storage::OpenOptions o;
    o.path = path;
    o.useRegistry = false;
    o.migrations = {{"fuzz", {{1, "CREATE TABLE IF NOT EXISTS fuzz_t(id INTEGER PRIMARY KEY, v TEXT)"}}, {}}};
    {
        auto ws = cairn::storage::Workspace::open(o);
        if (ws) {
            (void)(*ws)->execute("INSERT INTO fuzz_t(v) VALUES (?)", "x");
            (void)(*ws)->queryOne<std::int64_t>("SELECT count(*) FROM fuzz_t");
        } else if (ws.error().code == cairn::ErrorCode::Corrupt ||
                   ws.error().code == cairn::ErrorCode::VersionTooNew ||
                   ws.error().code == cairn::ErrorCode::Unsupported) {
            std::ifstream in(path, std::ios::binary);
            const std::vector<char> now{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            if (now.size() != size || (size && std::memcmp(now.data(), data, size) != 0)) {
                std::fprintf(stderr, "a refused workspace file was modified\n");
                std::abort();
            }
        }
    }
    removeAll(path);
    return 0;
}
