#!/usr/bin/env bash
# Static analysis of core/ and plugins/ (issue 8): clang-tidy with the checked-in .clang-tidy, and
# cppcheck (warning, performance, portability) with tests/static-analysis/cppcheck.supp. Any finding
# fails. Uses the build's compile_commands.json, so it analyses exactly what is compiled.
# Environment (set by CTest): CAIRN_BUILD_DIR, CAIRN_SOURCE_DIR. CAIRN_CLANG_TIDY overrides the binary.
# Run alone: (cd build && ctest -R test_static_analysis --output-on-failure)
set -euo pipefail
build=${CAIRN_BUILD_DIR:?CAIRN_BUILD_DIR is not set}
src=${CAIRN_SOURCE_DIR:?CAIRN_SOURCE_DIR is not set}
tidy=${CAIRN_CLANG_TIDY:-clang-tidy-16}
for tool in "$tidy" cppcheck python3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (tests/deps.d/storage.list)"; exit 1; }
done
[ -f "$build/compile_commands.json" ] || { echo "FAIL: $build/compile_commands.json missing"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cairn-static.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/db" "$work/cppcheck"

# The translation units of core and plugins that exist (not tests, not generated moc files, not
# plugins/testing/: test doubles that crash or misbehave on purpose).
python3 - "$build/compile_commands.json" "$src" "$work/db/compile_commands.json" >"$work/files.txt" <<'PY'
import json, os, sys
db, src, out = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3]
keep = []
for e in json.load(open(db)):
    f = os.path.realpath(os.path.join(e.get("directory", ""), e["file"]))
    if f.endswith(".cpp") and os.path.exists(f) and (f.startswith(src + "/core/src/") or f.startswith(src + "/plugins/")) and not f.startswith(src + "/plugins/testing/"):
        e["file"] = f
        keep.append(e)
json.dump(keep, open(out, "w"), indent=1)
print("\n".join(sorted({e["file"] for e in keep})))
PY
count=$(wc -l <"$work/files.txt")
[ "$count" -gt 0 ] || { echo "FAIL: no core or plugin sources in the compilation database"; exit 1; }
echo "analysing $count translation units of core and plugins"

failures=0
# clang 16 takes -std=c++2b; libstdc++ 12 hides <expected> unless __cpp_concepts is 202002 (see tests/fuzz/run-fuzz.sh).
# One clang-tidy per translation unit, one per core, the biggest first (they take longest); each TU's
# wall time is logged, so the slowest show at the end. CAIRN_TIDY_CHECKS replaces .clang-tidy's checks
# (e.g. to run the path-sensitive analyzer on demand).
checks=()
[ -z "${CAIRN_TIDY_CHECKS:-}" ] || checks=("-checks=$CAIRN_TIDY_CHECKS")
mkdir -p "$work/tidy"
t0=$(date +%s)
xargs -a <(xargs -a "$work/files.txt" ls -S) -P "$(nproc)" -I{} bash -c '
    f=$1; shift
    out=$(mktemp -p "'"$work"'/tidy")
    s=$(date +%s%N)
    "$@" "$f" >"$out" 2>&1 || true
    echo "$(( ($(date +%s%N) - s) / 1000000 )) ms $f" >>"'"$work"'/tidy-times.txt"
' _ {} "$tidy" -p "$work/db" --quiet "${checks[@]}" \
    --extra-arg=-std=c++2b --extra-arg=-Wno-unknown-warning-option --extra-arg=-Wno-builtin-macro-redefined \
    --extra-arg=-U__cpp_concepts --extra-arg=-D__cpp_concepts=202002L
cat "$work"/tidy/* >"$work/tidy.log" 2>/dev/null || true
echo "clang-tidy: $(($(date +%s) - t0)) s for $count translation units on $(nproc) cores; slowest:"
sort -rn "$work/tidy-times.txt" | head -5 | sed "s|$src/||; s/^/    /"
if grep -qE ': (warning|error):' "$work/tidy.log"; then
    echo "FAIL: clang-tidy findings:"
    grep -E ': (warning|error):' -A3 "$work/tidy.log" | head -300
    failures=$((failures + 1))
else
    echo "ok:   clang-tidy ($tidy, $src/.clang-tidy): no findings"
fi

t0=$(date +%s)
if ! cppcheck --project="$work/db/compile_commands.json" --enable=warning,performance,portability --std=c++20 \
    --inline-suppr --suppressions-list="$src/tests/static-analysis/cppcheck.supp" --error-exitcode=1 \
    --cppcheck-build-dir="$work/cppcheck" -j "$(nproc)" --quiet >"$work/cppcheck.log" 2>&1; then
    echo "FAIL: cppcheck findings:"
    head -200 "$work/cppcheck.log"
    failures=$((failures + 1))
else
    echo "ok:   cppcheck $(cppcheck --version | awk '{print $2}'): no findings"
fi
echo "cppcheck: $(($(date +%s) - t0)) s"
[ "$failures" -eq 0 ]
