#!/usr/bin/env bash
# Builds Cairn with its tests (warnings are errors) and runs every test suite with CTest.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${CAIRN_TEST_BUILD_DIR:-$src/build-tests}

"$src/installer/deps.sh" test
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAIRN_WERROR=ON -DCAIRN_BUILD_TESTS=ON >/dev/null
cmake --build "$build"
cd "$build"
ctest --output-on-failure -j "$(nproc)" "$@"
