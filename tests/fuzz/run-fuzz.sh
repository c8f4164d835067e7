#!/usr/bin/env bash
# Builds every fuzz target (tests/fuzz/*/fuzz_*.cpp) with clang, libFuzzer, ASan and UBSan in the clang
# build tree the sanitizer stage also uses (tests/sanitizers/configure-clang.sh; default build-asan, so core
# is compiled once for both), then runs each for a fixed time, two at a time, from its seeds:
# tests/fuzz/corpus/<name>/, the crashing inputs kept in tests/fuzz/regressions/<name>/, and files named by
# "// fuzz-seeds: GLOB" lines in the target's source (GLOB relative to CAIRN_SHARED_DATA_DIR, default
# ../shared/data, or to the source tree when it starts with tests/, plugins/ or core/; absent data is
# skipped). A "// fuzz-max-len: N" line overrides the default input size limit (65536 bytes).
# Fails when a target crashes, leaks, times out or runs out of memory. The input is copied into
# tests/fuzz/regressions/<name>/ (commit it with the fix: from then on every build replays it as the CTest
# test fuzz_regress_<name>) and stays in <build>/fuzz-artifacts/.
# Prints one line per target with its executions, and "fuzz: N passed, N failed".
#
# Usage: tests/fuzz/run-fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Environment: CAIRN_FUZZ_BUILD_DIR (default build-asan), CAIRN_FUZZ_JOBS (default: number of cores),
#              CAIRN_FUZZ_SEED (default 1, so a CI run repeats the same mutations; 0 = random),
#              CAIRN_FUZZ_KEEP (default 1: copy crashing inputs into tests/fuzz/regressions/),
#              CAIRN_CLANG_CXX (default clang++-16: clang 14/15 cannot compile libstdc++ 12's <expected>).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${CAIRN_FUZZ_BUILD_DIR:-$src/build-asan}
secs=${1:-${CAIRN_FUZZ_SECONDS:-20}}
shift || true
only=("$@")
jobs=${CAIRN_FUZZ_JOBS:-$(nproc)}
shared=${CAIRN_SHARED_DATA_DIR:-$src/../shared/data}

bash "$src/tests/sanitizers/configure-clang.sh" "$src" "$build"
cmake --build "$build" --target cairn_fuzz_targets -- -j"$jobs" >"$build/fuzz-build.log" 2>&1 \
    || { tail -50 "$build/fuzz-build.log"; exit 1; }

mapfile -t sources < <(find "$src/tests/fuzz" -mindepth 2 -maxdepth 2 -name 'fuzz_*.cpp' | sort)
results="$build/fuzz-results"
rm -rf "$results" "$build/fuzz-artifacts" && mkdir -p "$results" "$build/fuzz-artifacts"

run_one() {
    local source=$1 name exe work seeds=() maxlen log rc
    name=$(basename "$source" .cpp)
    exe="$build/bin/$name"
    log="$results/$name.log"
    if [ ! -x "$exe" ]; then
        echo "not built (plugins off?)" >"$log"
        echo skipped >"$results/$name.rc"
        return
    fi
    work="$build/fuzz-work/$name"
    mkdir -p "$work"
    for d in "$src/tests/fuzz/corpus/$name" "$src/tests/fuzz/regressions/$name"; do
        [ -d "$d" ] && seeds+=("$d")
    done
    local globs
    globs=$(sed -n 's|^// fuzz-seeds: *||p' "$source")
    if [ -n "$globs" ]; then
        local seeddir="$build/fuzz-seeds/$name" n=0 base
        rm -rf "$seeddir" && mkdir -p "$seeddir"
        for g in $globs; do
            # tests/, plugins/ and core/ globs name files in the source tree, anything else the shared data.
            case "$g" in tests/*|plugins/*|core/*) base=$src ;; *) base=$shared ;; esac
            for f in $base/$g; do
                [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 1048576 ] || continue
                n=$((n + 1))
                [ $n -le 300 ] || break
                ln -sf "$f" "$seeddir/$n-$(basename "$f")"
            done
        done
        seeds+=("$seeddir")
    fi
    maxlen=$(sed -n 's|^// fuzz-max-len: *\([0-9]*\).*|\1|p' "$source" | head -1)
    rc=0
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        TMPDIR="$work" \
        "$exe" -max_total_time="$secs" -seed="${CAIRN_FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 -max_len="${maxlen:-65536}" \
        -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$name-" "$work" "${seeds[@]}" \
        >"$log" 2>&1 || rc=$?
    echo "$rc" >"$results/$name.rc"
}

for s in "${sources[@]}"; do
    name=$(basename "$s" .cpp)
    if [ ${#only[@]} -gt 0 ] && ! printf '%s\n' "${only[@]}" | grep -qxF "$name"; then continue; fi
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    run_one "$s" &
done
wait

failed=0
passed=0
for rcfile in "$results"/*.rc; do
    name=$(basename "$rcfile" .rc)
    rc=$(cat "$rcfile")
    log="$results/$name.log"
    if [ "$rc" = skipped ]; then
        echo "fuzz $name: skipped ($(cat "$log"))"
        continue
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus=$(find "$build/fuzz-work/$name" -type f | wc -l)
    if [ "$rc" = 0 ]; then
        passed=$((passed + 1))
        echo "fuzz $name: ${execs:-?} executions in ${secs} s ($(( ${execs:-0} / secs ))/s), corpus $corpus inputs, no crash"
    else
        failed=$((failed + 1))
        echo "fuzz $name: FAILED (exit $rc) after ${execs:-?} executions"
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written|==[0-9]+==' "$log" | head -20 | sed 's/^/    /'
        for a in "$build"/fuzz-artifacts/"$name"-*; do
            [ -e "$a" ] || continue
            if [ "${CAIRN_FUZZ_KEEP:-1}" = 1 ]; then
                mkdir -p "$src/tests/fuzz/regressions/$name"
                cp "$a" "$src/tests/fuzz/regressions/$name/"
                echo "    kept as tests/fuzz/regressions/$name/$(basename "$a"): commit it with the fix"
            else
                echo "    keep it as a regression test: mkdir -p tests/fuzz/regressions/$name && cp '$a' tests/fuzz/regressions/$name/"
            fi
        done
        echo "    full log: $log"
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
