# Sourced by connector script tests and the Prometheus benchmark: a real Prometheus (Debian's package) on
# 127.0.0.1 with history backfilled by promtool, scraping a real prometheus-node-exporter.
#   prom_env_start WORKDIR OPENMETRICS_FILE   -> sets PROM_URL, NODE_URL, PROM_PID, NODE_PID
#   prom_env_stop                             -> stops both (call it from your EXIT trap)
# Needs: prometheus, promtool (package prometheus), prometheus-node-exporter, python3, curl.

prom_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

prom_env_have() {
    command -v prometheus >/dev/null && command -v promtool >/dev/null &&
        command -v prometheus-node-exporter >/dev/null && command -v python3 >/dev/null && command -v curl >/dev/null
}

prom_env_stop() {
    # Stops only the two processes this file started (by PID); safe under set -e.
    if [ -n "${PROM_PID:-}" ]; then kill "$PROM_PID" 2>/dev/null || true; wait "$PROM_PID" 2>/dev/null || true; fi
    if [ -n "${NODE_PID:-}" ]; then kill "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi
    PROM_PID= NODE_PID=
    return 0
}

prom_env_start() {
    local work=$1 om=$2
    mkdir -p "$work/data"
    if [ -n "$om" ]; then
        promtool tsdb create-blocks-from openmetrics "$om" "$work/data" >"$work/promtool.log" 2>&1 || {
            echo "promtool backfill failed:" >&2; cat "$work/promtool.log" >&2; return 1; }
    fi
    local node_port prom_port
    node_port=$(prom_free_port)
    prometheus-node-exporter --web.listen-address="127.0.0.1:$node_port" \
        --collector.disable-defaults --collector.cpu --collector.meminfo --collector.loadavg \
        --collector.filesystem --collector.netdev --collector.stat >"$work/node.log" 2>&1 &
    NODE_PID=$!
    cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ["$work/rules.yml"]
scrape_configs:
  - job_name: node
    static_configs: [{targets: ["127.0.0.1:$node_port"]}]
YML
    cat >"$work/rules.yml" <<YML
groups:
  - name: cairn-test
    rules:
      - record: instance:node_load1:max
        expr: max by (instance) (node_load1)
      - alert: CairnTestAlwaysFiring
        expr: vector(1)
        labels: {severity: info}
        annotations: {summary: "always firing, for the connector tests"}
YML
    prom_port=$(prom_free_port)
    prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
        --storage.tsdb.retention.time=30d --web.listen-address="127.0.0.1:$prom_port" \
        --web.enable-admin-api >"$work/prometheus.log" 2>&1 &
    PROM_PID=$!
    PROM_URL="http://127.0.0.1:$prom_port"
    NODE_URL="http://127.0.0.1:$node_port"
    for _ in $(seq 1 150); do
        if curl -sf "$PROM_URL/-/ready" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "Prometheus did not become ready:" >&2
    tail -20 "$work/prometheus.log" >&2
    return 1
}
