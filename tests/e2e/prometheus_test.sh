#!/usr/bin/env bash
# Integration with a real Prometheus: it scrapes the exporter (serving the
# example capture) on 127.0.0.1, and its HTTP API must answer with the
# capture's pool and traffic figures. Exit 77 (skipped) without Prometheus.
#   prometheus_test.sh PATH_TO_winnet_exporter
BIN="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PROMETHEUS="$(command -v prometheus || true)"
if [[ -z "$PROMETHEUS" ]]; then
  echo "SKIP: prometheus not installed (apt-get install prometheus)"
  exit 77
fi

start_exporter "$WORK/exporter.log" --source.replay="$EXAMPLE" --web.listen-address=127.0.0.1:0 \
  --poll.interval=1s
wait_ready "$EXPORTER_ADDR"

prom_port="$(free_port)"
cat >"$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: winnet
    static_configs:
      - targets: ['$EXPORTER_ADDR']
YAML
"$PROMETHEUS" --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
API="http://127.0.0.1:$prom_port/api/v1"

# query EXPR → prints the single value, or nothing
query() {
  curl -sf --get "$API/query" --data-urlencode "query=$1" |
    jq -r 'if .status == "success" and (.data.result | length) == 1 then .data.result[0].value[1] else empty end'
}

up=""
for _ in $(seq 1 60); do
  up="$(query 'up{job="winnet"}' 2>/dev/null || true)"
  [[ "$up" == 1 ]] && break
  sleep 0.5
done
[[ "$up" == 1 ]] || { tail -20 "$WORK/prometheus.log" >&2; fail "Prometheus never scraped the exporter (up=$up)"; }

expect() {
  local expr="$1" want="$2" got
  got="$(query "$expr")"
  [[ "$got" == "$want" ]] || fail "$expr = '$got', want '$want'"
  echo "ok: $expr = $got"
}
expect 'winnet_ipam_pool_capacity_ips{subnet="10.240.0.0/16"}' 30
expect 'winnet_ipam_pool_allocated_ips{subnet="10.240.0.0/16"}' 7
expect 'winnet_ipam_pool_leaked_ips{subnet="10.240.0.0/16"}' 1
expect 'winnet_pod_network_receive_bytes_total{namespace="default",pod="wintcpserver"}' 3918442617
expect 'sum(winnet_hns_endpoints{location="remote"})' 9
expect 'winnet_hns_orphaned_endpoints' 1
expect 'winnet_hns_duplicate_ip_endpoints' 2
expect 'min(winnet_exporter_source_success)' 1
# Prometheus accepted every sample (no parse or duplicate-series errors).
expect 'scrape_samples_scraped{job="winnet"} == scrape_samples_post_metric_relabeling{job="winnet"}' \
  "$(query 'scrape_samples_scraped{job="winnet"}')"
echo "prometheus: ok"
