#!/usr/bin/env bash
# cairn-cli detect end to end: output layout, scores in [0,1], causality (a prefix of the input gives the
# same scores for that prefix), clear errors for bad input. Uses a NAB file when the shared data is present,
# a generated series otherwise.
set -euo pipefail
CLI="${CAIRN_BIN_DIR:?}/cairn-cli"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

input="${CAIRN_SHARED_DATA_DIR:-/nonexistent}/nab/data/realKnownCause/machine_temperature_system_failure.csv"
if [[ ! -f "$input" ]]; then
    input="$tmp/gen.csv"
    python3 - "$input" <<'PY'
import math, sys, datetime
t0 = datetime.datetime(2024, 1, 1)
with open(sys.argv[1], "w") as f:
    f.write("timestamp,value\n")
    for i in range(6000):
        v = 50 + 10 * math.sin(i * 2 * math.pi / 288) + (40 if i == 5000 else 0)
        f.write(f"{(t0 + datetime.timedelta(minutes=5 * i)).strftime('%Y-%m-%d %H:%M:%S')},{v}\n")
PY
fi

"$CLI" detect --input "$input" --output "$tmp/full.csv"
head -1 "$tmp/full.csv" | grep -qx 'timestamp,value,anomaly_score'
[[ $(wc -l < "$tmp/full.csv") -eq $(wc -l < "$input") ]]
awk -F, 'NR > 1 && ($3 < 0 || $3 > 1) { bad = 1 } END { exit bad }' "$tmp/full.csv"

# Causality: the first 3000 rows scored alone give exactly the same scores.
head -3001 "$input" > "$tmp/prefix_in.csv"
"$CLI" detect --input "$tmp/prefix_in.csv" --output "$tmp/prefix.csv"
cmp <(head -3001 "$tmp/full.csv") "$tmp/prefix.csv"

# Bad input: a clear message and exit code 1; bad usage: exit code 2.
printf 'timestamp,value\n2024-01-01 00:00:00,1\nnot-a-time,2\n' > "$tmp/bad.csv"
set +e
"$CLI" detect --input "$tmp/bad.csv" --output "$tmp/out.csv" 2> "$tmp/err.txt"
rc=$?
"$CLI" detect --input "$tmp/bad.csv" 2> /dev/null
rc2=$?
set -e
[[ $rc -eq 1 ]]
grep -q "bad timestamp" "$tmp/err.txt"
grep -q "bad.csv:3" "$tmp/err.txt"
[[ $rc2 -eq 2 ]]
echo "detect CLI: ok"
