#!/usr/bin/env bash
# Builds Cairn with its tests (warnings are errors) and runs every test suite with CTest, then the
# safety-net stages (issue 8):
#   sanitize  the core and plugin suites again in a second build (build-asan) with AddressSanitizer,
#             UndefinedBehaviorSanitizer and LeakSanitizer; any report fails the run
#   fuzz      every fuzz target under libFuzzer for CAIRN_FUZZ_SECONDS (default 20) each (tests/fuzz/run-fuzz.sh)
# Static analysis (clang-tidy, cppcheck) is the CTest test test_static_analysis, label "static": on demand with
# CAIRN_STATIC_ANALYSIS=1 (about 10 min of clang-tidy on 2 cores). Fuzz corpora and kept crash inputs replay in
# every build as fuzz_regress_* tests; the fuzz stage (libFuzzer runs) is on demand: CAIRN_STAGES="tests fuzz".
# CAIRN_STAGES selects stages (default "tests sanitize"); arguments go to the first stage's ctest.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${CAIRN_TEST_BUILD_DIR:-$src/build-tests}
asan=${CAIRN_ASAN_BUILD_DIR:-$src/build-asan}
stages=${CAIRN_STAGES:-tests sanitize}
jobs=$(nproc)

"$src/installer/deps.sh" test

failures=()
summary=()
passed_total=0
failed_total=0
has_stage() { [[ " $stages " == *" $1 "* ]]; }
now() { date +%s; }
# Adds a ctest log's "N tests failed out of M" to the totals.
count_ctest() {
    local line
    line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -1 || true)
    [ -n "$line" ] || return 0
    local failed total
    failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
    passed_total=$((passed_total + total - failed))
    failed_total=$((failed_total + failed))
}

if has_stage tests; then
    t0=$(now)
    cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAIRN_WERROR=ON -DCAIRN_BUILD_TESTS=ON >/dev/null
    cmake --build "$build"
    log="$build/ctest-tests.log"
    static=(-LE static)
    [ "${CAIRN_STATIC_ANALYSIS:-0}" = 1 ] && static=()
    (cd "$build" && ctest --output-on-failure -j "$jobs" "${static[@]}" "$@") 2>&1 | tee "$log" || failures+=("tests")
    count_ctest "$log"
    summary+=("tests: $(($(now) - t0)) s")
fi

if has_stage sanitize; then
    t0=$(now)
    echo "=== sanitize: core and plugin suites under ASan + UBSan + LSan ($asan) ==="
    # -O1 keeps the instrumented tests fast, -g1 keeps line numbers in reports at a fraction of the
    # compile cost. Only the core and plugin suites (and what they use) are built. Warnings are not
    # errors here: the first stage enforces them, and GCC 12 reports false -Wmaybe-uninitialized in
    # libstdc++'s <regex> when ASan instruments it.
    cmake -S "$src" -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" \
        -DCAIRN_SANITIZE=ON -DCAIRN_WERROR=OFF -DCAIRN_BUILD_TESTS=ON >/dev/null
    targets=(cairn_tests_core)
    grep -q '^cairn_tests_plugins:' <(ninja -C "$asan" -t targets all 2>/dev/null) && targets+=(cairn_tests_plugins)
    cmake --build "$asan" --target "${targets[@]}"
    log="$asan/ctest-sanitize.log"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export LSAN_OPTIONS=suppressions=$src/tests/sanitizers/lsan.supp:print_suppressions=0
    (cd "$asan" && ctest --output-on-failure -j "$jobs" -L '^(core|plugins)$') 2>&1 | tee "$log" || failures+=("sanitize")
    unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
    count_ctest "$log"
    summary+=("sanitize: $(($(now) - t0)) s")
fi

if has_stage fuzz && [ "${CAIRN_FUZZ_SECONDS:-20}" != 0 ]; then
    t0=$(now)
    echo "=== fuzz: every target for ${CAIRN_FUZZ_SECONDS:-20} s under libFuzzer ==="
    mkdir -p "${CAIRN_FUZZ_BUILD_DIR:-$src/build-fuzz}"
    log="${CAIRN_FUZZ_BUILD_DIR:-$src/build-fuzz}/run.log"
    bash "$src/tests/fuzz/run-fuzz.sh" "${CAIRN_FUZZ_SECONDS:-20}" 2>&1 | tee "$log" || failures+=("fuzz")
    line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1 || true)
    if [ -n "$line" ]; then
        passed_total=$((passed_total + $(sed -E 's/fuzz: ([0-9]+) passed.*/\1/' <<<"$line")))
        failed_total=$((failed_total + $(sed -E 's/.* ([0-9]+) failed/\1/' <<<"$line")))
    fi
    summary+=("fuzz: $(($(now) - t0)) s")
fi

echo
echo "stage wall times: ${summary[*]:-none}"
if [ ${#failures[@]} -gt 0 ]; then
    echo "FAILED stages: ${failures[*]}"
    [ "$failed_total" -gt 0 ] || failed_total=1
fi
echo "total: $passed_total passed, $failed_total failed"
[ ${#failures[@]} -eq 0 ]
