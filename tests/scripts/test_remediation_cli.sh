#!/usr/bin/env bash
# cairn-cli remediation commands end to end: plugins list (with a plugin that crashes while loading),
# remediate --plan --dry-run (verdicts, exact commands, injection refused), audit verify / export, and
# verify reporting where a hand-edited audit table breaks the chain.
set -euo pipefail
bin="${CAIRN_BIN_DIR:?CAIRN_BIN_DIR must point at the built binaries}"
cli="$bin/cairn-cli"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
db="$work/workspace.db"

# plugins list: the SSH plugin from the build tree, running.
"$cli" plugins list >"$work/plugins.txt" || fail "plugins list exit code"
grep -qE '^ssh +0\.1\.0 +running +medium +ssh\.restart-unit' "$work/plugins.txt" || fail "ssh plugin row: $(cat "$work/plugins.txt")"
# A plugin crashing while loading is shown as failed; the command itself survives.
CAIRN_TEST_CRASH_ON_INIT=1 "$cli" plugins list --path "${CAIRN_BUILD_DIR}/test-plugins" >"$work/chaos.txt" \
    || fail "plugins list died with a crashing plugin"
grep -qE '^test-chaos +1\.0\.0 +failed .*crashed' "$work/chaos.txt" || fail "crashing plugin row: $(cat "$work/chaos.txt")"
grep -qE '^test-too-new +1\.0\.0 +invalid .*needs plugin API 9\.0\.0' "$work/chaos.txt" || fail "too-new plugin row"

cat >"$work/plan.json" <<'JSON'
{"actions":[
 {"id":"r1","kind":"ssh.restart-unit","targets":[{"name":"web-1","service":"web","environment":"prod"}],
  "parameters":{"unit":"nginx.service"},"risk":"medium","reversible":true,"expectedEffect":"memory under 80%"},
 {"id":"r2","kind":"ssh.restart-unit","targets":[{"name":"web-1","service":"web","environment":"prod"}],
  "parameters":{"unit":"nginx.service; rm -rf /"}},
 {"id":"r3","kind":"ssh.restart-unit","targets":[{"name":"db-1","service":"db","environment":"prod"}],
  "parameters":{"unit":"postgresql.service"}}
]}
JSON
cat >"$work/policy.json" <<'JSON'
{"allow":[{"kind":"ssh.restart-unit","environment":"prod","targets":"web-*","approvals":1}],
 "parameters":{"ssh.restart-unit":[{"name":"unit","pattern":"[a-z0-9.-]+\\.service","required":true}]}}
JSON
rc=0
"$cli" remediate --plan "$work/plan.json" --dry-run --policy "$work/policy.json" --db "$db" --proposer alice \
    >"$work/dry.txt" || rc=$?
[ "$rc" -eq 1 ] || fail "remediate should exit 1 when an action is refused (got $rc)"
grep -q 'policy: needs approval (1 person)' "$work/dry.txt" || fail "r1 verdict"
grep -qF "ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=10" "$work/dry.txt" || fail "exact ssh command"
grep -qF "on web-1 runs: echo CAIRN-PID:\$\$; exec timeout -k 5 60 'systemctl' 'restart' '--' 'nginx.service'" \
    "$work/dry.txt" || fail "exact remote command"
grep -q 'dry run: REFUSED: unit "nginx.service; rm -rf /" is not a plain systemd unit name' "$work/dry.txt" \
    || fail "injection refused"
grep -q 'policy: deny: "ssh.restart-unit" is not allowlisted for target db-1 in prod' "$work/dry.txt" || fail "r3 denied"
# Without --dry-run the CLI refuses (approvals are collected in the GUI); bad usage is exit 2.
rc=0; "$cli" remediate --plan "$work/plan.json" 2>/dev/null || rc=$?; [ "$rc" -eq 2 ] || fail "no --dry-run: $rc"
rc=0; "$cli" remediate --dry-run 2>/dev/null || rc=$?; [ "$rc" -eq 2 ] || fail "no --plan: $rc"
echo '{"actions": [' >"$work/bad.json"
rc=0; "$cli" remediate --plan "$work/bad.json" --dry-run --db "$db" 2>"$work/err.txt" || rc=$?
[ "$rc" -eq 1 ] && grep -q "not valid JSON" "$work/err.txt" || fail "malformed plan: $rc $(cat "$work/err.txt")"

# The audit log: 3 proposals + 3 dry runs, intact, exported as JSON lines.
"$cli" audit verify --db "$db" >"$work/verify.txt" || fail "verify of an intact log: $(cat "$work/verify.txt")"
grep -q "audit log intact: 6 entries" "$work/verify.txt" || fail "verify output: $(cat "$work/verify.txt")"
"$cli" audit export --db "$db" --out "$work/audit.jsonl" 2>/dev/null || fail "export"
[ "$(wc -l <"$work/audit.jsonl")" -eq 6 ] || fail "export line count"
python3 - "$work/audit.jsonl" <<'PY' || fail "export content"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5, 6]
assert [r["type"] for r in rows] == ["propose", "dry-run"] * 3
assert all(r["actor"] == "alice" for r in rows if r["type"] == "propose")
assert all(rows[i]["prevHash"] == rows[i - 1]["hash"] for i in range(1, 6))
assert rows[1]["payload"]["report"]["ok"] is True and rows[3]["payload"]["report"]["ok"] is False
PY

# Someone edits the table by hand (dropping the append-only triggers first): verify says where.
sqlite3 "$db" "DROP TRIGGER remediation_audit_no_update; UPDATE remediation_audit SET actor='mallory' WHERE seq=3;"
rc=0; "$cli" audit verify --db "$db" >"$work/verify2.txt" || rc=$?
[ "$rc" -eq 1 ] || fail "verify of an edited log should exit 1"
grep -q "audit log TAMPERED at entry 3: entry 3 was modified after it was written" "$work/verify2.txt" \
    || fail "tamper report: $(cat "$work/verify2.txt")"
echo "remediation CLI ok"
