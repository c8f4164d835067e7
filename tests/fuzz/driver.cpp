// Stand-alone replay driver for fuzz targets built without libFuzzer (GCC builds, the sanitizer
// build): runs LLVMFuzzerTestOneInput once on every file given, or on every file inside a folder
// given. Arguments starting with '-' are libFuzzer flags and are ignored, so the same command line
// works for both kinds of build. Exits non-zero only if the target crashes (it aborts).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

int runFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return 1;
    }
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int ran = 0;
    int unreadable = 0;
    // The empty input is always worth one run.
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(""), 0);
    ++ran;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.starts_with("-"))
            continue;
        std::error_code ec;
        if (std::filesystem::is_directory(arg, ec)) {
            std::vector<std::filesystem::path> files;
            for (const auto& e : std::filesystem::recursive_directory_iterator(arg, ec))
                if (e.is_regular_file())
                    files.push_back(e.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                unreadable += runFile(f);
                ++ran;
            }
        } else {
            unreadable += runFile(arg);
            ++ran;
        }
    }
    std::printf("%s: replayed %d input(s) without a crash\n", argv[0], ran);
    return unreadable ? 1 : 0;
}
