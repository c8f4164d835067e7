#!/usr/bin/env bash
# End-to-end: cairn-cli against a REAL Prometheus (Debian's package) on 127.0.0.1, its history backfilled by
# promtool from OpenMetrics generated here (with an injected anomaly), scraping a real
# prometheus-node-exporter live. Covers range/instant queries, range splitting over the 11,000-point
# limit, PromQL aggregation push-down, labels/series/metadata/alerts/rules, and clear failures.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${CAIRN_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
bin=${CAIRN_BIN_DIR:-$src/build/bin}
cli=$bin/cairn-cli
source "$src/tests/connectors/prometheus_env.sh"

if ! prom_env_have; then
    echo "SKIP: prometheus, promtool or prometheus-node-exporter is not installed (tests/deps.d/connectors.list)"
    exit 0
fi

work=$(mktemp -d)
cleanup() { prom_env_stop; rm -rf "$work"; }
trap cleanup EXIT
failures=0 passes=0
check() { # check "what" command...
    local what=$1; shift
    if "$@"; then echo "ok   - $what"; passes=$((passes + 1)); else echo "FAIL - $what"; failures=$((failures + 1)); fi
}

# Six hours of 1-minute history for 6 series, ending on an hour boundary two hours ago (older than the head
# block, so promtool's blocks do not overlap what Prometheus scrapes). svc-2 is 6x higher for 10 minutes.
end=$(( $(date +%s) / 3600 * 3600 - 2 * 3600 ))
start=$(( end - 6 * 3600 ))
anomaly=$(( end - 2 * 3600 ))
python3 "$src/tests/connectors/gen_openmetrics.py" "$work/history.om" --end "$end" --hours 6 --step 60 --series 6 \
    --anomaly-series 2 --anomaly-at "$anomaly" --anomaly-minutes 10 --anomaly-factor 6
prom_env_start "$work/prom" "$work/history.om"
echo "Prometheus at $PROM_URL, node exporter at $NODE_URL"

# 1. Range query: CSV header, every series, every step.
"$cli" query prometheus --url "$PROM_URL" --query cairn_test_latency_ms --start "$start" --end "$end" --step 60s \
    >"$work/range.csv"
check "range query prints the CSV header" test "$(head -1 "$work/range.csv")" = "series,timestamp,value"
check "range query returns 6 series x 360 points" test "$(($(wc -l <"$work/range.csv") - 1))" -eq $((6 * 360))
check "series are named in Prometheus notation" \
    grep -q '^"cairn_test_latency_ms{instance=""host-2:8080"",service=""svc-2""}",' "$work/range.csv"
# The series field is quoted and holds commas: timestamp and value are the last two fields.
peak=$(awk -F, -v a="$anomaly" '/svc-2/ { t = $(NF-1); v = $NF; if (t >= a && t < a + 600 && v > m) m = v } END { print m + 0 }' "$work/range.csv")
check "the injected anomaly is in the fetched data (peak $peak)" awk -v p="$peak" 'BEGIN { exit !(p > 400) }'

# RFC 3339 times are accepted and give the same answer.
"$cli" query prometheus --url "$PROM_URL" --query 'cairn_test_latency_ms{service="svc-0"}' \
    --start "$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)" --end "$(date -u -d "@$end" +%Y-%m-%dT%H:%M:%SZ)" \
    --step 1m >"$work/rfc.csv"
check "RFC 3339 times work" test "$(($(wc -l <"$work/rfc.csv") - 1))" -eq 360

# 2. Over the 11,000-points-per-series limit: 4 h at 1 s = 14,400 points, split into two requests.
"$cli" query prometheus --url "$PROM_URL" --query 'cairn_test_latency_ms{service="svc-1"}' \
    --start $((end - 4 * 3600)) --end "$end" --step 1s >"$work/split.csv"
check "a 14,400-point range is split and stitched" test "$(($(wc -l <"$work/split.csv") - 1))" -eq 14400
check "stitched timestamps are unique" \
    test "$(tail -n +2 "$work/split.csv" | awk -F, '{print $(NF-1)}' | sort -u | wc -l)" -eq 14400

# 3. Aggregation runs on the server.
"$cli" query prometheus --url "$PROM_URL" --query 'max by (instance) (cairn_test_latency_ms)' \
    --start "$start" --end "$end" --step 5m >"$work/agg.csv"
check "aggregation pushed down: one series per instance" \
    test "$(tail -n +2 "$work/agg.csv" | cut -d'"' -f2- | awk -F'",' '{print $1}' | sort -u | wc -l)" -eq 6

# 4. Live data from the node exporter (scraped every second).
live=0
for _ in $(seq 1 100); do
    if "$cli" query prometheus --url "$PROM_URL" --query 'up{job="node"}' --time now 2>/dev/null | grep -q ',1$'; then
        live=1; break
    fi
    sleep 0.1
done
check "node exporter is scraped live (up == 1)" test "$live" -eq 1
sleep 2
"$cli" query prometheus --url "$PROM_URL" --query node_load1 --start now-30s --end now --step 1s >"$work/live.csv"
check "live node_load1 has recent points" test "$(($(wc -l <"$work/live.csv") - 1))" -ge 2

# 5. The rest of the API.
check "labels include job" sh -c "'$cli' query prometheus --url '$PROM_URL' --labels | grep -qx job"
check "label values include node" sh -c "'$cli' query prometheus --url '$PROM_URL' --label-values job | grep -qx node"
check "series lists the backfilled ones" sh -c "'$cli' query prometheus --url '$PROM_URL' --series cairn_test_latency_ms \
    --start $start --end $end | grep -c cairn_test_latency_ms | grep -qx 6"
check "metadata knows node_load1 is a gauge" sh -c "'$cli' query prometheus --url '$PROM_URL' --metadata | grep -q '^node_load1,gauge'"
check "version is the server's" sh -c "'$cli' query prometheus --url '$PROM_URL' --version | grep -q '^2\.'"
check "rules list the recording rule" sh -c "'$cli' query prometheus --url '$PROM_URL' --rules | grep -q 'instance:node_load1:max'"
firing=0
for _ in $(seq 1 50); do
    if "$cli" query prometheus --url "$PROM_URL" --alerts | grep -q CairnTestAlwaysFiring; then firing=1; break; fi
    sleep 0.1
done
check "alerts list the firing alert" test "$firing" -eq 1

# 6. The detection engine finds the injected anomaly through the connector.
"$cli" detect --prometheus "$PROM_URL" --query cairn_test_latency_ms --start "$start" --end "$end" --step 60s \
    >"$work/anomalies.json" 2>"$work/detect.err" || cat "$work/detect.err"
check "detect reports anomalies as JSON" python3 -c "import json,sys; a=json.load(open(sys.argv[1])); assert isinstance(a, list) and a" "$work/anomalies.json"
check "detect finds the injected anomaly in svc-2 at the injected time" python3 - "$work/anomalies.json" "$anomaly" <<'PY'
import json, sys, datetime
anomalies, at = json.load(open(sys.argv[1])), int(sys.argv[2])
def t(s): return datetime.datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
hits = [a for a in anomalies if 'service="svc-2"' in a["series"] and t(a["start"]) <= at + 600 and t(a["end"]) >= at]
assert hits, "no anomaly overlapping the injected window"
h = hits[0]
assert h["observed"] > 3 * h["expected"], h
for k in ("series", "start", "end", "score", "observed", "expected"):
    assert k in h, k
PY
check "detect flags nothing big in the untouched series" python3 - "$work/anomalies.json" <<'PY'
import json, sys
anomalies = json.load(open(sys.argv[1]))
assert not [a for a in anomalies if 'svc-2' not in a["series"] and a["score"] >= 0.99 and a["observed"] > 2.5 * a["expected"]]
PY

# 7. sources check: the live Prometheus is ok with its version, a dead one fails with the reason.
cat >"$work/sources.json" <<JSON
{"sources": [
  {"name": "local", "kind": "prometheus", "url": "$PROM_URL", "poll_interval": "5s"},
  {"name": "gone", "kind": "prometheus", "url": "http://127.0.0.1:$(prom_free_port)", "timeout": "2s"},
  {"name": "demo", "kind": "demo"}
]}
JSON
set +e
"$cli" sources check --config "$work/sources.json" >"$work/check.txt" 2>&1
rc=$?
"$cli" sources check --config "$work/sources.json" --only local >"$work/check-local.txt" 2>&1
rc_local=$?
set -e
cat "$work/check.txt"
check "sources check exits 1 when a source fails" test "$rc" -eq 1
check "sources check shows the live Prometheus ok with its version" grep -Eq '^local +prometheus +ok +2\.' "$work/check.txt"
check "sources check explains the dead one" grep -Eq '^gone +prometheus +FAILED .*connection refused' "$work/check.txt"
check "sources check --only local exits 0" test "$rc_local" -eq 0

# 8. Failures are one clear sentence and a non-zero exit.
set +e
"$cli" query prometheus --url "$PROM_URL" --query 'sum(' --start "$start" --end "$end" --step 60s >/dev/null 2>"$work/err1"
rc1=$?
"$cli" query prometheus --url "http://127.0.0.1:$(prom_free_port)" --query up --start "$start" --end "$end" \
    --step 60s --retries 0 >/dev/null 2>"$work/err2"
rc2=$?
"$cli" query prometheus --url "$PROM_URL" --query up --start yesterday --step 60s >/dev/null 2>"$work/err3"
rc3=$?
set -e
check "bad PromQL exits 1 with the server's reason" sh -c "[ $rc1 -eq 1 ] && grep -q 'bad_data' '$work/err1'"
check "a dead server exits 1 naming the URL" sh -c "[ $rc2 -eq 1 ] && grep -q 'could not fetch http://127.0.0.1:.*/api/v1/query_range' '$work/err2'"
check "a bad time is a usage error (exit 2)" test "$rc3" -eq 2
cat "$work/err1" "$work/err2"

# 9. The GUI on the real Prometheus: node exporter's job becomes a service with its gauges as panels, rendered
# offscreen (the node exporter has been scraped for a few seconds only, so this checks wiring, not history).
if [ -x "$bin/cairn" ]; then
    set +e
    XDG_CONFIG_HOME="$work/gui-config" QT_QPA_PLATFORM=offscreen timeout 120 "$bin/cairn" --prometheus "$PROM_URL" \
        --range 1h --page Metrics --select service:node --screenshot "$work/live.png" >"$work/gui.log" 2>&1
    rc_gui=$?
    set -e
    check "cairn renders the Metrics page from the real Prometheus" \
        sh -c "[ $rc_gui -eq 0 ] && [ \$(stat -c %s '$work/live.png') -gt 20000 ]"
    check "the GUI reports no source failure" sh -c "! grep -qi 'fail\|could not' '$work/gui.log'"
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
