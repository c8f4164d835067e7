#!/usr/bin/env bash
# Configures the one clang build tree that the sanitize and fuzz stages of tests/run-all.sh share, so core
# and the plugin API are compiled once for both: clang 16, -O1 -g1, AddressSanitizer + UndefinedBehavior-
# Sanitizer (+ LeakSanitizer at run time) everywhere, libFuzzer coverage instrumentation on cairn::core,
# cairn::pluginapi and the fuzz targets (CAIRN_FUZZ=ON; tests/fuzz/CMakeLists.txt), no Qt Widgets.
# Usage: configure-clang.sh SOURCE_DIR BUILD_DIR   (environment: CAIRN_CLANG_CXX, CAIRN_SHARED_DATA_DIR)
set -euo pipefail
src=$1
build=$2
cxx=${CAIRN_CLANG_CXX:-clang++-16}
shared=${CAIRN_SHARED_DATA_DIR:-$src/../shared/data}
command -v "$cxx" >/dev/null || { echo "$cxx not found (Debian: clang-16 libclang-rt-16-dev)" >&2; exit 1; }
mkdir -p "$build"
# libstdc++ 12 hides std::expected unless __cpp_concepts says 202002; clang 16 implements what it needs
# (conditionally trivial special members) but still reports 201907.
flags="-U__cpp_concepts -D__cpp_concepts=202002L -Wno-builtin-macro-redefined"
# Warnings are not errors here: the GCC build of the tests stage enforces them.
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_COMPILER=$cxx" \
    "-DCMAKE_CXX_FLAGS=$flags" "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" -DCAIRN_SANITIZE=ON -DCAIRN_FUZZ=ON \
    -DCAIRN_WERROR=OFF -DCAIRN_BUILD_TESTS=ON -DCAIRN_BUILD_GUI=OFF "-DCAIRN_SHARED_DATA_DIR=$shared" \
    >"$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
