#!/usr/bin/env bash
# cairn-cli forecast / bench m4 end to end: output layout, bad input and bad usage exit codes.
set -euo pipefail
CLI="${CAIRN_BIN_DIR:?}/cairn-cli"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Two series with a header, quotes and padding; one constant; one too short to forecast.
{
  echo '"V1","V2","V3","V4","V5","V6","V7","V8"'
  printf '"A"'; for i in $(seq 1 200); do printf ',%s' $(( 100 + (i % 24) * 3 )); done; echo
  echo '"B",5,5,5,5,5,5,"",""'
  echo '"C",1,"",""'
} > "$tmp/in.csv"

"$CLI" forecast --input "$tmp/in.csv" --horizon 6 --output "$tmp/out.csv" 2> "$tmp/err.txt"
[ "$(wc -l < "$tmp/out.csv")" -eq 3 ] || { echo "expected 3 rows"; cat "$tmp/out.csv"; exit 1; }
awk -F, '{ if (NF != 7) { print "row " NR " has " NF " fields"; exit 1 } }' "$tmp/out.csv"
grep -q '^B,5,5,5,5,5,5$' "$tmp/out.csv" || { echo "constant series not constant"; cat "$tmp/out.csv"; exit 1; }
grep -q '^C,NA,NA,NA,NA,NA,NA$' "$tmp/out.csv" || { echo "short series not NA"; cat "$tmp/out.csv"; exit 1; }
grep -q 'series C: insufficient data' "$tmp/err.txt" || { echo "no message for C"; cat "$tmp/err.txt"; exit 1; }

# Bad usage is exit code 2, bad data exit code 1.
set +e
"$CLI" forecast --input "$tmp/in.csv" --output "$tmp/out.csv" 2>/dev/null; [ $? -eq 2 ] || { echo "missing horizon not 2"; exit 1; }
"$CLI" forecast --input "$tmp/in.csv" --horizon x --output "$tmp/o.csv" 2>/dev/null; [ $? -eq 2 ] || { echo "bad horizon not 2"; exit 1; }
echo 'A,1,2,three' > "$tmp/bad.csv"
"$CLI" forecast --input "$tmp/bad.csv" --horizon 3 --output "$tmp/o.csv" 2>/dev/null; [ $? -eq 1 ] || { echo "bad csv not 1"; exit 1; }
"$CLI" forecast --input "$tmp/missing.csv" --horizon 3 --output "$tmp/o.csv" 2>/dev/null; [ $? -eq 1 ] || { echo "missing file not 1"; exit 1; }
set -e

# bench m4 on a tiny train/test pair prints every figure.
printf 'A' > "$tmp/test.csv"; for i in $(seq 201 206); do printf ',%s' $(( 100 + (i % 24) * 3 )) >> "$tmp/test.csv"; done; echo >> "$tmp/test.csv"
head -2 "$tmp/in.csv" > "$tmp/train.csv"
"$CLI" bench m4 --train "$tmp/train.csv" --test "$tmp/test.csv" > "$tmp/bench.txt"
for k in sMAPE MASE OWA 'coverage 95%' 'series/s'; do
  grep -q "$k" "$tmp/bench.txt" || { echo "bench output lacks $k"; cat "$tmp/bench.txt"; exit 1; }
done
echo "forecast cli ok"
