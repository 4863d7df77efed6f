#!/usr/bin/env bash
# deploy.azure_monitor: the scrape job of
# deploy/azure-monitor/ama-metrics-prometheus-config-node-windows.yaml as the
# metrics add-on runs it on a Windows node: $NODE_IP and $NODE_NAME replaced
# (127.0.0.1 and akswin000000), `promtool check config` on it, then a real
# Prometheus runs it with the alert rules against the exporter serving the
# example capture, and its series carry job="winnet-exporter" and
# node="akswin000000", the labels the alert rules and the dashboard select on.
# Only the port differs from a node: the exporter listens on a free one.
#   azure_monitor_test.sh PATH_TO_winnet_exporter
BIN="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -x "$BIN" ]] || fail "no exporter binary at '$BIN'"
need promtool
need prometheus
need curl
npm_setup
cm="$DEPLOY/azure-monitor/ama-metrics-prometheus-config-node-windows.yaml"

port="$(free_port)"
"$BIN" --source.replay="$ROOT/examples/aks-windows-node" --web.listen-address="127.0.0.1:$port" \
  --poll.interval=1s >"$WORK/exporter.log" 2>&1 &
PIDS+=($!)

# The ConfigMap's name and namespace, then its prometheus-config, as the
# add-on sees it on node akswin000000.
node -e '
  const fs = require("fs"), YAML = require("yaml");
  const [file, out, port] = process.argv.slice(1);
  const cm = YAML.parse(fs.readFileSync(file, "utf8"));
  const want = { kind: "ConfigMap", name: "ama-metrics-prometheus-config-node-windows", namespace: "kube-system" };
  const got = { kind: cm.kind, name: cm.metadata.name, namespace: cm.metadata.namespace };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    console.error(`FAIL: ${file}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    process.exit(1);
  }
  const text = cm.data["prometheus-config"];
  if (!text.includes("$NODE_IP:10382")) { console.error(`FAIL: ${file}: no target $NODE_IP:10382`); process.exit(1); }
  const config = YAML.parse(text.replaceAll("$NODE_IP:10382", `127.0.0.1:${port}`).replaceAll("$NODE_NAME", "akswin000000"));
  config.global = { scrape_interval: "1s", evaluation_interval: "1s" };
  for (const job of config.scrape_configs) { job.scrape_interval = "1s"; job.scrape_timeout = "1s"; }
  config.rule_files = process.argv.slice(4, 6);
  fs.writeFileSync(out, YAML.stringify(config));
' "$cm" "$WORK/prometheus.yml" "$port" "$DEPLOY/prometheus/alerts.yaml" "$DEPLOY/prometheus/recording-rules.yaml"
promtool check config "$WORK/prometheus.yml" || fail "promtool check config on the add-on's job"

pport="$(free_port)"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$pport" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
url="http://127.0.0.1:$pport"
# query EXPR: the number of series EXPR returns.
query() {
  curl -sf --get "$url/api/v1/query" --data-urlencode "query=$1" 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).data.result.length))' 2>/dev/null || echo 0
}
n=0
for _ in $(seq 1 60); do
  n="$(query 'up{job="winnet-exporter",node="akswin000000",instance="akswin000000"} == 1')"
  [[ "$n" == 1 ]] && break
  sleep 0.5
done
[[ "$n" == 1 ]] || { tail -20 "$WORK/prometheus.log" >&2; fail "the add-on's job never scraped the exporter as node akswin000000"; }
n="$(query 'winnet_ipam_pool_capacity_ips{job="winnet-exporter",node="akswin000000"}')"
[[ "$n" -ge 1 ]] || fail "winnet_ipam_pool_capacity_ips without job/node labels"
n="$(query 'winnet_pod_network_receive_bytes_total{job="winnet-exporter",node="akswin000000",pod="wintcpclient"}')"
[[ "$n" == 1 ]] || fail "the workload's pod label did not survive the add-on's job"
echo "azure monitor: the add-on's job scrapes the node as job=\"winnet-exporter\", node=\"akswin000000\""
