#!/usr/bin/env bash
# CNS-managed modes in Linux live mode (docs/state-files.md, "Modes"): the
# exporter reads 10-azure.conflist, azure-cns.json and azure-endpoints.json
# of a stateless-CNI node (tests/fixtures/cns-stateless) from temporary paths
# given by --cni.conflist, --cns.state and --cns.endpoint-state, and asks a
# CNS stand-in on loopback whose answer gives each IP of the NC its state: the
# three pods' IPs Assigned, one more Assigned IP that nothing holds (leaked),
# one PendingRelease, the rest Available. Checked: the mode, the sources not
# used in it, and the pool figures (Linux has no HNS: the pods named by
# azure-endpoints.json are checked on the replayed fixture, cns_join_test.cc).
#   cns_live_test.sh PATH_TO_winnet_exporter PATH_TO_winnet_cns_standin
BIN="$1"
STANDIN="$2"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FX="$ROOT/tests/fixtures/cns-stateless"
mkdir -p "$WORK/etc" "$WORK/cns"
cp "$FX/10-azure.conflist" "$WORK/etc/10-azure.conflist"
cp "$FX/azure-cns.json" "$WORK/cns/azure-cns.json"
cp "$FX/azure-endpoints.json" "$WORK/cns/azure-endpoints.json"

# The CNS answer: built from the fixture's NC and endpoint records.
python3 - "$FX" "$WORK/ipaddresses.json" <<'PY'
import json, sys
fx, out = sys.argv[1], sys.argv[2]
ncs = json.load(open(f"{fx}/azure-cns.json"))["ContainerNetworkService"]["ContainerStatus"]
held = {}
for ep in json.load(open(f"{fx}/azure-endpoints.json"))["Endpoints"].values():
    for iface in ep["IfnameToIPMap"].values():
        for a in iface.get("IPv4") or []:
            held[a["IP"]] = ep
status, spare = [], []
for nc_id, nc in ncs.items():
    ips = sorted(nc["CreateNetworkContainerRequest"]["SecondaryIPConfigs"].items(),
                 key=lambda kv: tuple(int(x) for x in kv[1]["IPAddress"].split(".")))
    for ip_id, ip in ips:
        addr = ip["IPAddress"]
        entry = {"state": "Available", "ID": ip_id, "IPAddress": addr,
                 "LastStateTransition": "2026-11-29T10:00:00Z", "NCID": nc_id, "PodInfo": None}
        if addr in held:
            ep = held[addr]
            entry["state"] = "Assigned"
            entry["PodInfo"] = {"podName": ep["PodName"], "podNamespace": ep["PodNamespace"],
                                "PodInfraContainerID": "", "PodInterfaceID": "", "Version": 1,
                                "SecondaryInterfaceSet": False}
        else:
            spare.append(entry)
        status.append(entry)
spare[-1]["state"] = "Assigned"  # nothing holds it: leaked
spare[-1]["PodInfo"] = {"podName": "job-x", "podNamespace": "batch", "PodInfraContainerID": "",
                        "PodInterfaceID": "", "Version": 1, "SecondaryInterfaceSet": False}
spare[-2]["state"] = "PendingRelease"
json.dump({"IPConfigurationStatus": status, "Response": {"ReturnCode": 0, "Message": ""}}, open(out, "w"))
PY

: >"$WORK/standin.out"  # there before the first look: the job opens it only once started
"$STANDIN" --mode=normal --body="$WORK/ipaddresses.json" >"$WORK/standin.out" 2>&1 &
PIDS+=($!)
sport=""
for _ in $(seq 1 100); do
  sport="$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/standin.out")"
  [[ -n "$sport" ]] && break
  sleep 0.05
done
[[ -n "$sport" ]] || fail "the CNS stand-in did not start: $(cat "$WORK/standin.out")"

start_exporter "$WORK/exporter.log" --cni.conflist="$WORK/etc/10-azure.conflist" \
  --cns.state="$WORK/cns/azure-cns.json" --cns.endpoint-state="$WORK/cns/azure-endpoints.json" \
  --cni.ipam-state="$WORK/absent/azure-vnet-ipam.json" --cni.network-state="$WORK/absent/azure-vnet.json" \
  --cns.url="http://127.0.0.1:$sport" --source.adapters=none --containerd.state-dir=none \
  --web.listen-address=127.0.0.1:0 --poll.interval=500ms
wait_ready "$EXPORTER_ADDR"
sleep 1
curl -sf "http://$EXPORTER_ADDR/healthz" >"$WORK/healthz" || fail "GET /healthz failed"
curl -sf "http://$EXPORTER_ADDR/metrics" >"$WORK/metrics.prom" || fail "GET /metrics failed"

expect() {  # expect FILE LINE: FILE has LINE exactly
  grep -qxF "$2" "$1" || { cat "$1" >&2; fail "$(basename "$1") lacks: $2"; }
}
grep -q '^mode: stateless' "$WORK/healthz" || { cat "$WORK/healthz" >&2; fail "mode is not stateless"; }
for s in cni_conflist cns_state cns_endpoints cns_api; do
  grep -q "^$s: ok" "$WORK/healthz" || { cat "$WORK/healthz" >&2; fail "$s is not ok"; }
  expect "$WORK/metrics.prom" "winnet_exporter_source_success{source=\"$s\"} 1"
done
for s in ipam_state network_state; do
  grep -q "^$s: not used in this mode" "$WORK/healthz" || { cat "$WORK/healthz" >&2; fail "$s is not 'not used in this mode'"; }
  grep -q "^winnet_exporter_source_success{source=\"$s\"}" "$WORK/metrics.prom" && fail "$s, not used, has a success series"
done
subnet='subnet="10.244.5.0/24"'
expect "$WORK/metrics.prom" 'winnet_cni_info{plugin="azure-vnet",ipam="azure-cns",mode=""} 1'  # the conflist's ipam.mode: none
expect "$WORK/metrics.prom" "winnet_ipam_pool_capacity_ips{$subnet} 16"
expect "$WORK/metrics.prom" "winnet_ipam_pool_allocated_ips{$subnet} 4"
expect "$WORK/metrics.prom" "winnet_ipam_pool_available_ips{$subnet} 11"
expect "$WORK/metrics.prom" "winnet_ipam_pool_pending_release_ips{$subnet} 1"
expect "$WORK/metrics.prom" "winnet_ipam_pool_leaked_ips{$subnet} 1"
expect "$WORK/metrics.prom" "winnet_ipam_pool_unaccounted_ips{$subnet} 0"
echo "cns live: stateless mode from the three files and the CNS stand-in; pool 16 = 4 assigned (1 leaked) + 1 pending release + 11 available"
