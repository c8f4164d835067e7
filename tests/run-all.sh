#!/usr/bin/env bash
# Cairn's whole test run (the README's test command; .ci/run execs it). Stages, all on by default:
#   tests     GCC build (warnings are errors) and every CTest suite: core, ui, plugins, scripts, layering,
#             the fuzz_regress_* replays, the crash-safety test (220 SIGKILLs) and static analysis
#             (test_static_analysis: clang-tidy with .clang-tidy + cppcheck on core and plugins; any
#             finding fails)
#   sanitize  a clang build (build-asan, tests/sanitizers/configure-clang.sh) of core, plugins and their
#             suites with AddressSanitizer + UndefinedBehaviorSanitizer, LeakSanitizer on; every core and
#             plugin suite and fuzz replay runs there; any report fails the run
#   fuzz      every libFuzzer target for CAIRN_FUZZ_SECONDS (default 20) each, two at a time, in the same
#             clang tree (tests/fuzz/run-fuzz.sh); a crash fails the run and its input is kept in
#             tests/fuzz/regressions/<target>/
# CAIRN_STAGES selects stages (default "tests sanitize fuzz"); CAIRN_STATIC_ANALYSIS=0 leaves static
# analysis out of the tests stage; arguments go to the tests stage's ctest.
# The end of the output: the figures (fuzz executions per target, sanitizer-clean tests, crash-safety
# kills survived, static analysis), the wall time per stage, and "total: N passed, N failed".
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${CAIRN_TEST_BUILD_DIR:-$src/build-tests}
asan=${CAIRN_ASAN_BUILD_DIR:-$src/build-asan}
stages=${CAIRN_STAGES:-tests sanitize fuzz}
jobs=$(nproc)
start=$(date +%s)

"$src/installer/deps.sh" test

failures=()
summary=()
figures=()
passed_total=0
failed_total=0
has_stage() { [[ " $stages " == *" $1 "* ]]; }
now() { date +%s; }
# Adds a ctest log's "N tests failed out of M" to the totals; sets last_passed and last_total.
count_ctest() {
    local line failed
    last_passed=0
    last_total=0
    line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -1 || true)
    [ -n "$line" ] || return 0
    failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    last_total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
    last_passed=$((last_total - failed))
    passed_total=$((passed_total + last_passed))
    failed_total=$((failed_total + failed))
}
# The crash-safety and static-analysis figures from a CTest run's full log.
ctest_figures() {
    local log=$1/Testing/Temporary/LastTest.log where=$2 line
    [ -f "$log" ] || return 0
    line=$(grep -oE '[0-9]+ SIGKILLs survived: [0-9]+ transactions reported committed and found whole' "$log" | tail -1 || true)
    [ -z "$line" ] || figures+=("crash safety ($where): $line")
    line=$(grep -E '^(ok|FAIL): +(clang-tidy|cppcheck)' "$log" | tr '\n' ';' || true)
    [ -z "$line" ] || figures+=("static analysis: $line")
}

if has_stage tests; then
    t0=$(now)
    cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAIRN_WERROR=ON -DCAIRN_BUILD_TESTS=ON >/dev/null
    cmake --build "$build"
    log="$build/ctest-tests.log"
    static=()
    [ "${CAIRN_STATIC_ANALYSIS:-1}" = 0 ] && static=(-LE static)
    (cd "$build" && ctest --output-on-failure -j "$jobs" "${static[@]}" "$@") 2>&1 | tee "$log" || failures+=("tests")
    count_ctest "$log"
    ctest_figures "$build" "GCC build"
    st=$(grep -E 'test_static_analysis .*(Passed|Failed).* sec' "$log" | sed -E 's/.* ([0-9.]+) sec.*/\1/' | tail -1 || true)
    [ -z "$st" ] || figures+=("static analysis took ${st} s (in parallel with the other tests)")
    summary+=("tests: $(($(now) - t0)) s")
fi

if has_stage sanitize; then
    t0=$(now)
    echo "=== sanitize: core and plugin suites under ASan + UBSan + LSan (clang, $asan) ==="
    bash "$src/tests/sanitizers/configure-clang.sh" "$src" "$asan"
    targets=(cairn_tests_core cairn_fuzz_targets)
    grep -q '^cairn_tests_plugins:' <(ninja -C "$asan" -t targets all 2>/dev/null) && targets+=(cairn_tests_plugins)
    cmake --build "$asan" --target "${targets[@]}"
    log="$asan/ctest-sanitize.log"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export LSAN_OPTIONS=suppressions=$src/tests/sanitizers/lsan.supp:print_suppressions=0
    (cd "$asan" && ctest --output-on-failure -j "$jobs" -L '^(core|plugins)$') 2>&1 | tee "$log" || failures+=("sanitize")
    unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
    count_ctest "$log"
    figures+=("sanitizer-clean tests (ASan + UBSan + LSan, core + plugins + fuzz replays): $last_passed of $last_total")
    ctest_figures "$asan" "ASan build"
    summary+=("sanitize: $(($(now) - t0)) s")
fi

if has_stage fuzz && [ "${CAIRN_FUZZ_SECONDS:-20}" != 0 ]; then
    t0=$(now)
    echo "=== fuzz: every target for ${CAIRN_FUZZ_SECONDS:-20} s under libFuzzer ($asan) ==="
    mkdir -p "$asan"
    log="$asan/fuzz-run.log"
    CAIRN_FUZZ_BUILD_DIR=$asan bash "$src/tests/fuzz/run-fuzz.sh" "${CAIRN_FUZZ_SECONDS:-20}" 2>&1 | tee "$log" || failures+=("fuzz")
    line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1 || true)
    if [ -n "$line" ]; then
        passed_total=$((passed_total + $(sed -E 's/fuzz: ([0-9]+) passed.*/\1/' <<<"$line")))
        failed_total=$((failed_total + $(sed -E 's/.* ([0-9]+) failed/\1/' <<<"$line")))
    fi
    while read -r l; do figures+=("$l"); done < <(grep -E '^fuzz fuzz_[a-z_]+: ' "$log" | sed -E 's/, corpus .*//' || true)
    summary+=("fuzz: $(($(now) - t0)) s")
fi

echo
echo "=== figures ==="
for f in "${figures[@]}"; do echo "  $f"; done
echo "stage wall times: ${summary[*]:-none}; whole run: $(($(now) - start)) s on $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg))"
if [ ${#failures[@]} -gt 0 ]; then
    echo "FAILED stages: ${failures[*]}"
    [ "$failed_total" -gt 0 ] || failed_total=1
fi
echo "total: $passed_total passed, $failed_total failed"
[ ${#failures[@]} -eq 0 ]
