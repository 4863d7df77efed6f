#!/usr/bin/env bash
# deploy.grafana_queries: two exporters serve the example captures of a node
# subnet node (akswin000000) and an overlay node (akswin000001); a real
# Prometheus scrapes them through the relabelling of
# deploy/prometheus/scrape-config.yaml (its Kubernetes discovery replaced by a
# file with the labels discovery gives the pods on those nodes) and loads
# the alert and recording rules. Then:
#   prometheus-checks.js live: target labels, decoy pods dropped, workload
#     labels kept, recorded cAdvisor-style series, the capture's alerts;
#   grafana-check.js: every dashboard variable and panel query, variables
#     substituted, must return series with All and with one of the nodes; panel ids unique; every winnet_ metric
#     a panel uses is in docs/metrics.md.
#   grafana_queries_test.sh PATH_TO_winnet_exporter
BIN="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -x "$BIN" ]] || fail "no exporter binary at '$BIN'"
need prometheus
need curl
npm_setup

# start_exporter EXAMPLE_DIR LOG: the exporter replaying a capture on a free
# loopback port; its address in $addr once it answers.
start_exporter() {
  "$BIN" --source.replay="$1" --web.listen-address=127.0.0.1:0 --poll.interval=1s --hns.stale-remote-cycles=1 >"$2" 2>&1 &
  local pid=$!
  PIDS+=($pid)
  addr=""
  for _ in $(seq 1 100); do
    addr="$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$2" | head -1)"
    [[ -n "$addr" ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$2" >&2; fail "exporter exited early"; }
    sleep 0.1
  done
  [[ -n "$addr" ]] || { cat "$2" >&2; fail "exporter did not report its address"; }
  for _ in $(seq 1 100); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$addr/healthz")" == 200 ]] && break
    sleep 0.1
  done
}

# Node akswin000000 serves the example capture (node subnet), node
# akswin000001 the overlay example (CNS): the dashboard must work for both.
start_exporter "$ROOT/examples/aks-windows-node" "$WORK/exporter.log"
node_addr="$addr"
start_exporter "$ROOT/examples/aks-windows-overlay-node" "$WORK/exporter-overlay.log"
overlay_addr="$addr"

node "$HERE/prometheus-checks.js" config "$ROOT" "$WORK/prometheus.yml" "$WORK/targets.json" "$node_addr" "$overlay_addr"
port="$(free_port)"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$port" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
url="http://127.0.0.1:$port"
up=""
for _ in $(seq 1 60); do
  up="$(curl -sf --get "$url/api/v1/query" --data-urlencode 'query=min(up{job="winnet-exporter"}) and on() count(up{job="winnet-exporter"}) == 2' 2>/dev/null |
    sed -n 's/.*"value":\[[0-9.]*,"\([01]\)"\].*/\1/p' || true)"
  [[ "$up" == 1 ]] && break
  sleep 0.5
done
[[ "$up" == 1 ]] || { tail -20 "$WORK/prometheus.log" >&2; fail "Prometheus never scraped the exporter (up=$up)"; }

node "$HERE/prometheus-checks.js" live "$ROOT" "$url" overlay
node "$HERE/grafana-check.js" "$ROOT" "$url"
