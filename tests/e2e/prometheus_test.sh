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
    sample_limit: 1000  # the example gives 169 samples; far more is a bug
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
# Prometheus took every sample of every scrape. `up` must stay 1 (a parse
# failure, a timeout or a sample_limit overrun makes it 0), and stay so over
# several scrapes.
for _ in $(seq 1 40); do
  [[ "$(query 'count_over_time(up{job="winnet"}[1m]) >= 4')" != "" ]] && break
  sleep 0.5
done
expect 'count_over_time(up{job="winnet"}[1m]) >= bool 4' 1
expect 'min_over_time(up{job="winnet"}[1m])' 1
# Each sample scraped became a series of its own. Prometheus 2.42 counts
# nothing when one scrape holds the same series twice (same or another value):
# it stores one, so a duplicate shows only as fewer series than samples.
series="$(query 'count({job="winnet",__name__!~"up|scrape_.+"})')"
samples="$(query 'scrape_samples_scraped{job="winnet"}')"
[[ -n "$samples" && "$series" == "$samples" ]] ||
  fail "Prometheus holds $series series of the $samples samples a scrape gives: a series came twice or a sample was refused"
echo "ok: $samples samples a scrape, $series series"
# Prometheus' own counters of samples and scrapes it refused stay 0: each one
# named below must be there (a renamed counter must not pass unseen), and so
# must every other prometheus_target_scrapes_* counter.
curl -sf "http://127.0.0.1:$prom_port/metrics" >"$WORK/prometheus.metrics" ||
  fail "GET Prometheus' own /metrics failed"
for counter in \
  prometheus_target_scrapes_sample_duplicate_timestamp_total \
  prometheus_target_scrapes_sample_out_of_order_total \
  prometheus_target_scrapes_sample_out_of_bounds_total \
  prometheus_target_scrapes_exceeded_sample_limit_total \
  prometheus_target_scrapes_exceeded_body_size_limit_total \
  prometheus_target_scrapes_exemplar_out_of_order_total \
  prometheus_target_scrapes_cache_flush_forced_total \
  prometheus_target_scrape_pool_exceeded_label_limits_total \
  'prometheus_tsdb_out_of_bound_samples_total{type="float"}' \
  'prometheus_tsdb_out_of_order_samples_total{type="float"}' \
  'prometheus_target_sync_failed_total{scrape_job="winnet"}'; do
  grep -qF "$counter " "$WORK/prometheus.metrics" || fail "Prometheus has no counter $counter"
done
bad="$(grep -E '^prometheus_target_scrapes_|^prometheus_target_scrape_pool_exceeded_|^prometheus_tsdb_out_of_(bound|order)_samples_total|^prometheus_target_sync_failed_total' \
  "$WORK/prometheus.metrics" | grep -v ' 0$' || true)"
[[ -z "$bad" ]] || fail "Prometheus refused samples or scrapes: $bad"
echo "ok: Prometheus' refused-sample and failed-scrape counters are 0"
# Nor did its scrape manager warn about the target (the log names the cause).
if grep -E 'level=(warn|error)' "$WORK/prometheus.log" | grep -F 'scrape manager'; then
  fail "Prometheus' scrape manager warned (above)"
fi
echo "prometheus: ok"
