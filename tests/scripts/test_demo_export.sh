#!/usr/bin/env bash
# cairn-cli demo export end to end: writes the four files for a pinned clock and checks their layout,
# determinism, and the exit codes for a bad range (1), an unwritable folder (1) and bad usage (2).
set -euo pipefail
cli="${CAIRN_BIN_DIR:?CAIRN_BIN_DIR must point at the built binaries}/cairn-cli"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

now=2026-11-24T12:00:00Z
"$cli" demo export --now "$now" --start 2026-11-24T07:00:00Z --end "$now" --out "$work/a" --seed 7 >"$work/out.txt"
grep -q "Wrote 188 series" "$work/out.txt" || fail "summary line: $(cat "$work/out.txt")"
for f in metrics.csv logs.log traces.json incidents.json; do
    [ -s "$work/a/$f" ] || fail "$f missing or empty"
done

# metrics.csv: header, Prometheus-notation series (quoted per RFC 4180), Unix seconds, 1-minute samples.
[ "$(head -1 "$work/a/metrics.csv")" = "series,timestamp,value" ] || fail "metrics.csv header"
rows=$(grep -c '^"request_rate{service=""frontend""}",' "$work/a/metrics.csv")
[ "$rows" -eq 300 ] || fail "expected 300 frontend request_rate samples in 5 h, got $rows"
grep -q '^"cpu_usage_ratio{host=""node-[1-5]"",pod=""[a-z0-9-]*"",service=""[a-z-]*""}",[0-9]\{10\},0\.[0-9]' \
    "$work/a/metrics.csv" || fail "pod-level cpu series"
bad=$(tail -n +2 "$work/a/metrics.csv" | grep -vc '^".*",[0-9]\{10\},[0-9.e+-]*$' || true)
[ "$bad" -eq 0 ] || fail "$bad malformed metrics rows"

# logs.log: <Date> <Time> <Level> <Component>: <Content>
bad=$(grep -vcE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} (DEBUG|INFO|WARN|ERROR) [a-z-]+: .+$' \
    "$work/a/logs.log" || true)
[ "$bad" -eq 0 ] || fail "$bad malformed log lines"
lines=$(wc -l <"$work/a/logs.log")
[ "$lines" -gt 5000 ] || fail "too few log lines: $lines"
sort -c -s -k1,2 "$work/a/logs.log" || fail "log lines out of time order"

# traces.json: a Jaeger /api/traces envelope whose spans reference parents inside their trace.
jq -e '.data | length > 100' "$work/a/traces.json" >/dev/null || fail "too few traces"
jq -e '.total == (.data | length) and .limit == 0 and .offset == 0 and .errors == null' "$work/a/traces.json" \
    >/dev/null || fail "envelope fields"
jq -e '[.data[] | .processes as $p | .spans[] | ($p[.processID] != null) and (.traceID | test("^[0-9a-f]{32}$"))
        and (.spanID | test("^[0-9a-f]{16}$")) and (.startTime > 1700000000000000) and (.duration > 0)] | all' \
    "$work/a/traces.json" >/dev/null || fail "span fields"
jq -e '[.data[] | ([.spans[].spanID]) as $ids | .spans[] | .references[] |
        .refType == "CHILD_OF" and (.spanID as $s | $ids | index($s) != null)] | all' \
    "$work/a/traces.json" >/dev/null || fail "span references"

# incidents.json: the ground truth in the range; the recent payment slowdown is in it.
jq -e '.incidents | length >= 1' "$work/a/incidents.json" >/dev/null || fail "no incidents in range"
jq -e '[.incidents[] | .kind] | index("dependency_latency") != null' "$work/a/incidents.json" >/dev/null ||
    fail "recent latency incident missing"

# Deterministic for a seed and a clock.
"$cli" demo export --now "$now" --start 2026-11-24T07:00:00Z --end "$now" --out "$work/b" --seed 7 >/dev/null
for f in metrics.csv logs.log traces.json incidents.json; do
    cmp -s "$work/a/$f" "$work/b/$f" || fail "$f differs between two runs"
done

# Errors: inverted range and unwritable folder exit 1, bad usage exits 2, each with a message.
set +e
"$cli" demo export --now "$now" --start "$now" --end 2026-11-24T10:00:00Z --out "$work/c" 2>"$work/err.txt"
[ $? -eq 1 ] || fail "inverted range must exit 1"
grep -q "inverted" "$work/err.txt" || fail "inverted range message: $(cat "$work/err.txt")"
touch "$work/file"
"$cli" demo export --now "$now" --out "$work/file/sub" 2>"$work/err.txt"
[ $? -eq 1 ] || fail "unwritable folder must exit 1"
grep -q "$work/file/sub" "$work/err.txt" || fail "unwritable folder message: $(cat "$work/err.txt")"
"$cli" demo export --now "$now" --start 2020-01-01T00:00:00Z --end 2020-01-02T00:00:00Z --out "$work/d" 2>"$work/err.txt"
[ $? -eq 1 ] || fail "range without data must exit 1"
"$cli" demo export --start yesterday --out "$work/e" 2>/dev/null
[ $? -eq 2 ] || fail "unparseable time must exit 2"
"$cli" demo export --now "$now" 2>/dev/null
[ $? -eq 2 ] || fail "missing --out must exit 2"
"$cli" demo export --now "$now" --out "$work/f" --bogus 1 2>/dev/null
[ $? -eq 2 ] || fail "unknown option must exit 2"
"$cli" demo export --now "$now" --out "$work/f" --seed -3 2>/dev/null
[ $? -eq 2 ] || fail "bad seed must exit 2"
set -e
echo "demo export: OK ($lines log lines)"
