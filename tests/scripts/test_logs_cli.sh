#!/usr/bin/env bash
# cairn-cli logs parse / logs patterns end to end: CSV layout and LineId numbering from a file and from
# stdin, unmatched and empty lines kept, stable template ids through a workspace, exit codes for bad usage.
set -euo pipefail
cli="${CAIRN_BIN_DIR:?CAIRN_BIN_DIR must point at the built binaries}/cairn-cli"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

fmt='<Date> <Time> <Level> <Component>: <Content>'
cat >"$work/in.log" <<'LOG'
2024-03-01 10:00:00 INFO api: request 1 served in 5 ms
2024-03-01 10:00:01 INFO api: request 2 served in 7 ms

not a header line at all
2024-03-01 10:00:02 ERROR db: connection to 10.0.0.5:5432 refused, retry in 3 s
LOG
"$cli" logs parse --input "$work/in.log" --log-format "$fmt" --output "$work/out.csv" 2>"$work/err.txt"
[ "$(head -1 "$work/out.csv")" = "LineId,EventId,EventTemplate" ] || fail "CSV header"
[ "$(tail -n +2 "$work/out.csv" | wc -l)" -eq 5 ] || fail "one row per input line, empty ones included"
[ "$(sed -n 2p "$work/out.csv" | cut -d, -f1)" = 1 ] || fail "LineId starts at 1"
[ "$(sed -n 2p "$work/out.csv" | cut -d, -f2)" = "$(sed -n 3p "$work/out.csv" | cut -d, -f2)" ] || fail "same template"
grep -q '^2,E[0-9]*,request <\*> served in <\*> <\*>$' "$work/out.csv" || fail "template text: $(cat "$work/out.csv")"
grep -q '^4,E[0-9]*,not a header line at all$' "$work/out.csv" || fail "unmatched line kept as message"
grep -q "1 empty, 2 not matching the format" "$work/err.txt" || fail "unmatched count: $(cat "$work/err.txt")"

# stdin gives the same CSV.
"$cli" logs parse --input - --log-format "$fmt" --output "$work/out2.csv" <"$work/in.log" 2>/dev/null
cmp -s "$work/out.csv" "$work/out2.csv" || fail "stdin and file differ"

# Template ids survive a restart through the workspace.
"$cli" logs patterns --input "$work/in.log" --log-format "$fmt" --workspace "$work/ws.db" --set t >"$work/p1.txt"
printf '2024-03-01 11:00:00 ERROR db: disk full on /var/lib/db\n2024-03-01 11:00:01 INFO api: request 9 served in 1 ms\n' >"$work/in2.log"
"$cli" logs patterns --input "$work/in2.log" --log-format "$fmt" --workspace "$work/ws.db" --set t --since 2024-03-01T10:30:00Z >"$work/p2.txt"
id1=$(grep 'request <\*> served' "$work/p1.txt" | awk '{print $1}')
id2=$(grep 'request <\*> served' "$work/p2.txt" | head -1 | awk '{print $1}')
[ -n "$id1" ] && [ "$id1" = "$id2" ] || fail "template id changed across runs: '$id1' vs '$id2'"
sed -n '/New since/,/^$/p' "$work/p2.txt" | grep -q 'disk full' || fail "new pattern not reported: $(cat "$work/p2.txt")"
sed -n '/New since/,/^$/p' "$work/p2.txt" | grep -q 'request <\*> served' && fail "old pattern reported as new"

# Bad usage exits 2; a missing file exits 1.
set +e
"$cli" logs parse --input "$work/in.log" --log-format '<A>[' --output "$work/x.csv" 2>/dev/null; [ $? -eq 2 ] || fail "bad format exit"
"$cli" logs parse --output "$work/x.csv" 2>/dev/null; [ $? -eq 2 ] || fail "missing --input exit"
"$cli" logs parse --input "$work/none.log" --output "$work/x.csv" 2>/dev/null; [ $? -eq 1 ] || fail "missing file exit"
set -e
echo "ok"
