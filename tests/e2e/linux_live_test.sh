#!/usr/bin/env bash
# Linux live mode on a small real node: network namespaces as pods, veth pairs
# named like Azure CNI's (host side "azv" + 11 hex) on a bridge, Azure CNI
# state files describing them, and real traffic (ping) between the pods. The
# node itself is a namespace too, so nothing changes in the host's network.
# Exit 77 (skipped) where namespaces cannot be created.
#   linux_live_test.sh PATH_TO_winnet_exporter
BIN="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tag="w$$"
NODE="$tag-node"
POD1="$tag-client"
POD2="$tag-server"
VETH1="azvc440f455691"
VETH2="azvc440f455692"
made=()
extra_cleanup() {
  for ns in "${made[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}

for tool in ip ping; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
if ! ip netns add "$NODE" 2>"$WORK/netns.err"; then
  echo "SKIP: cannot create network namespaces: $(cat "$WORK/netns.err")"
  exit 77
fi
made+=("$NODE")
ip -n "$NODE" link set lo up
ip -n "$NODE" link add azure0 type bridge
ip -n "$NODE" link set azure0 up
i=0
for pod in "$POD1" "$POD2"; do
  i=$((i + 1))
  veth="azvc440f45569$i"
  ip netns add "$pod"
  made+=("$pod")
  ip -n "$NODE" link add "$veth" type veth peer name eth0 netns "$pod"
  ip -n "$NODE" link set "$veth" master azure0 up
  ip -n "$pod" link set lo up
  ip -n "$pod" addr add "10.241.0.1$i/16" dev eth0
  ip -n "$pod" link set eth0 up
done

state="$WORK/state"
mkdir -p "$state"
endpoint() {  # endpoint ID VETH IP NAMESPACE POD
  cat <<JSON
"$1": {"Id": "$1", "SandboxKey": "", "IfName": "eth0", "HostIfName": "$2", "MacAddress": "ABVdOnwR",
  "IPAddresses": [{"IP": "$3", "Mask": "//8AAA=="}], "Gateways": ["0.0.0.0"],
  "NetworkNameSpace": "/var/run/netns/cni-$1", "ContainerID": "${1%%-*}00000000",
  "PODName": "$5", "PODNameSpace": "$4"}
JSON
}
write_network_state() {  # atomic replace, as Azure CNI writes
  {
    echo '{"Network": {"Version": "v1.6.21", "TimeStamp": "2026-11-26T10:00:00Z", "ExternalInterfaces": {"eth0": {'
    echo '"Name": "eth0", "Networks": {"azure": {"Id": "azure", "Mode": "bridge", "Endpoints": {'
    endpoint 1111aaaa-eth0 "$VETH1" 10.241.0.11 default client
    if [[ "$1" == both ]]; then echo ','; endpoint 2222bbbb-eth0 "$VETH2" 10.241.0.12 shop server; fi
    echo '}}}}}}}'
  } >"$state/azure-vnet.json.tmp"
  mv "$state/azure-vnet.json.tmp" "$state/azure-vnet.json"
}
write_network_state both
cat >"$state/azure-vnet-ipam.json" <<'JSON'
{"IPAM": {"Version": "v1.6.21", "TimeStamp": "2026-11-26T10:00:00+05:30", "AddressSpaces": {"local": {"Id": "local",
 "Pools": {"10.241.0.0/16": {"Id": "10.241.0.0/16", "IfName": "eth0", "Subnet": {"IP": "10.241.0.0", "Mask": "//8AAA=="},
 "Addresses": {"10.241.0.11": {"ID": "1111aaaa", "Addr": "10.241.0.11", "InUse": true},
               "10.241.0.12": {"ID": "2222bbbb", "Addr": "10.241.0.12", "InUse": true},
               "10.241.0.13": {"ID": "", "Addr": "10.241.0.13", "InUse": false}}}}}}}}
JSON

RUN_PREFIX=(ip netns exec "$NODE")
start_exporter "$WORK/exporter.log" --cni.ipam-state="$state/azure-vnet-ipam.json" \
  --cni.network-state="$state/azure-vnet.json" --web.listen-address=127.0.0.1:0 --poll.interval=200ms
wait_ready "$EXPORTER_ADDR"

scrape() { "${RUN_PREFIX[@]}" curl -sf "http://$EXPORTER_ADDR/metrics"; }
value() {  # value SERIES (exact name{labels}) from a scrape file
  awk -v s="$2" 'index($0, s" ") == 1 {print $2}' "$1"
}
scrape >"$WORK/before"
grep -q '^winnet_ipam_pool_capacity_ips{subnet="10.241.0.0/16"} 3$' "$WORK/before" || fail "pool capacity"
grep -q '^winnet_ipam_pool_leaked_ips{subnet="10.241.0.0/16"} 0$' "$WORK/before" || fail "pool leaked"
grep -q "^winnet_adapter_up{adapter=\"$VETH1\"} 1$" "$WORK/before" || fail "veth up"
c_rx="winnet_adapter_receive_bytes_total{adapter=\"$VETH1\",namespace=\"default\",pod=\"client\"}"
s_tx="winnet_adapter_transmit_bytes_total{adapter=\"$VETH2\",namespace=\"shop\",pod=\"server\"}"
s_rx="winnet_adapter_receive_bytes_total{adapter=\"$VETH2\",namespace=\"shop\",pod=\"server\"}"
for s in "$c_rx" "$s_tx" "$s_rx"; do [[ -n "$(value "$WORK/before" "$s")" ]] || fail "no series $s"; done

# 50 echo requests of 1,000 payload bytes: 1,028-byte IP packets each way.
count=50
ip netns exec "$POD1" ping -q -c "$count" -s 1000 -i 0.01 -W 2 10.241.0.12 >"$WORK/ping.log" ||
  { cat "$WORK/ping.log"; fail "ping between the pods failed"; }
sent=$((count * 1028))
sleep 0.6
scrape >"$WORK/after"
check_growth() {
  local series="$1" b a
  b="$(value "$WORK/before" "$series")"
  a="$(value "$WORK/after" "$series")"
  [[ -n "$a" ]] || fail "series vanished: $series"
  ((a - b >= sent)) || fail "$series grew by $((a - b)), less than the $sent bytes sent"
  echo "ok: $series grew by $((a - b)) >= $sent"
}
# The host-side veth receives what its pod sends and transmits what it receives.
check_growth "$c_rx"
check_growth "$s_tx"
check_growth "$s_rx"

# The server pod leaves the state file while its veth still exists: its
# counters keep their labels (a series keeps its label set for the life of
# its adapter; docs/metrics.md, "Labels over time").
write_network_state client-only
sleep 0.6
scrape >"$WORK/deleted"
[[ -n "$(value "$WORK/deleted" "winnet_adapter_receive_bytes_total{adapter=\"$VETH2\",namespace=\"shop\",pod=\"server\"}")" ]] ||
  fail "the veth of the pod that left the state file changed its labels"
grep -q "pod=\"client\"" "$WORK/deleted" || fail "remaining pod lost its labels"
# Its IP is still InUse in IPAM but held by no endpoint any more: leaked.
grep -q '^winnet_ipam_pool_leaked_ips{subnet="10.241.0.0/16"} 1$' "$WORK/deleted" || fail "leak not seen"
# The veth goes too: its series end; no other series takes its labels.
ip -n "$NODE" link del "$VETH2"
sleep 0.6
scrape >"$WORK/gone"
grep -q "adapter=\"$VETH2\"" "$WORK/gone" && fail "series of a deleted veth still served"
grep -q 'pod="server"' "$WORK/gone" && fail "deleted pod still labelled after its veth went"
echo "linux live: ok"
