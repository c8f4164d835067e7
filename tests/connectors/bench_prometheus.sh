#!/usr/bin/env bash
# The connector figures: starts a real Prometheus (Debian package) on 127.0.0.1 with 1,000 series x 1,440
# points (one day at 1 minute) backfilled by promtool, then runs `cairn-cli bench sources` against it
# (JSON decoding MB/s, and fetch + decode of the whole day, medians of --repeat runs).
# Usage: tests/connectors/bench_prometheus.sh [BUILD_BIN_DIR] [REPEAT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/bin}
repeat=${2:-5}
source "$here/prometheus_env.sh"
prom_env_have || { echo "needs prometheus, promtool, prometheus-node-exporter, python3, curl" >&2; exit 1; }
work=$(mktemp -d)
trap 'prom_env_stop; rm -rf "$work"' EXIT
end=$(( $(date +%s) / 3600 * 3600 - 2 * 3600 ))
python3 "$here/gen_openmetrics.py" "$work/day.om" --end "$end" --hours 24 --step 60 --series 1000
prom_env_start "$work/prom" "$work/day.om"
"$bin/cairn-cli" bench sources --repeat "$repeat" --url "$PROM_URL" --query cairn_test_latency_ms \
    --start $((end - 86400 + 60)) --end $((end + 1)) --step 60s
