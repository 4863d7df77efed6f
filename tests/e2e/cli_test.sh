#!/usr/bin/env bash
# The binary's command line: exit codes (0 ok, 1 runtime failure, 2 bad flags
# or config) and messages that name the flag, key or address.
#   cli_test.sh PATH_TO_winnet_exporter
BIN="$1"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# expect_exit CODE PATTERN ARGS...: runs the binary, checks code and stderr.
expect_exit() {
  local want="$1" pattern="$2"; shift 2
  local rc=0
  timeout 20 "$BIN" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [[ $rc == "$want" ]] || { cat "$WORK/err" >&2; fail "'$*' exited $rc, want $want"; }
  grep -q -- "$pattern" "$WORK/err" "$WORK/out" || { cat "$WORK/err" >&2; fail "'$*': no '$pattern' in output"; }
  echo "ok: $* -> $rc"
}

expect_exit 0 "usage: winnet_exporter" --help
expect_exit 0 "winnet_exporter 0" --version
expect_exit 2 "unknown flag --no.such-flag" --no.such-flag=1
expect_exit 2 "flag --poll.interval: \"often\" is not a duration" --poll.interval=often
echo '{"web.listen-address": ":1", "colour": "blue"}' >"$WORK/bad.json"
expect_exit 2 "unknown key \"colour\"" --config.file="$WORK/bad.json"
expect_exit 2 "is not a directory" dump --source.replay="$WORK/does-not-exist"

# dump: one cycle, both formats.
"$BIN" dump --source.replay="$EXAMPLE" --format=json 2>/dev/null >"$WORK/snap.json"
[[ "$(jq '.ipam.pools[0].leaked_ips[0]' "$WORK/snap.json")" == '"10.240.0.80"' ]] || fail "dump json: leaked IP"
[[ "$(jq '[.hns.endpoints[] | select(.orphaned)] | .[0].name' "$WORK/snap.json")" == '"7c930f38-eth0"' ]] \
  || fail "dump json: orphaned endpoint"
"$BIN" dump --source.replay="$EXAMPLE" 2>/dev/null | grep -q '^winnet_ipam_pool_capacity_ips{subnet="10.240.0.0/16"} 30$' \
  || fail "dump prometheus: capacity"
echo "ok: dump"

# containerd pod mapping: a capture whose azure-vnet.json has no pod names.
CDNODE="$ROOT/tests/fixtures/containerd-node"
"$BIN" dump --source.replay="$CDNODE" --format=json 2>"$WORK/cd.err" >"$WORK/cd.json"
[[ "$(jq -r '[.hns.endpoints[] | select(.location=="local") | "\(.pod.name // "-")/\(.pod_source)"] | join(" ")' "$WORK/cd.json")" \
  == "web-0/containerd_sandbox api-7f9c/containerd_namespace worker-x2/containerd_namespace legacy-0/containerd_container frontend-5d8f/network_state -/" ]] \
  || fail "containerd mapping: $(jq -c '[.hns.endpoints[] | [.name, .pod.name, .pod_source]]' "$WORK/cd.json")"
grep -q "source containerd: 1 item(s) skipped, first: .*e0f0000000000000000000000000000000000000000000000000000000000000/config.json: invalid JSON" "$WORK/cd.err" \
  || fail "containerd: the half-written spec is not logged: $(cat "$WORK/cd.err")"
expect_exit 2 "containerd.state-dir: \"\" must name a directory" --containerd.state-dir=
"$BIN" dump --containerd.state-dir=none --source.adapters=none --cni.ipam-state="$WORK/none.json" \
  --cni.network-state="$WORK/none.json" 2>&1 | grep -q "source containerd: unavailable: disabled by --containerd.state-dir=none" \
  || fail "containerd: none does not disable the source"
echo "ok: containerd pod mapping"

# Config file values apply; the flag wins.
echo "{\"source.replay\": \"$EXAMPLE\", \"web.telemetry-path\": \"/from-file\", \"web.listen-address\": \"127.0.0.1:1\"}" \
  >"$WORK/good.json"
start_exporter "$WORK/a.log" --config.file="$WORK/good.json" --web.listen-address=127.0.0.1:0
wait_ready "$EXPORTER_ADDR"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$EXPORTER_ADDR/from-file")" == 200 ]] || fail "telemetry path from file"
echo "ok: config file + flag precedence"

# Bind failure: one clear line, exit 1.
expect_exit 1 "cannot listen on $EXPORTER_ADDR" --source.replay="$EXAMPLE" --web.listen-address="$EXPORTER_ADDR"

# SIGINT stops cleanly with 0.
kill -INT "$EXPORTER_PID"
rc=0
wait "$EXPORTER_PID" || rc=$?
[[ $rc == 0 ]] || fail "exit $rc after SIGINT"
echo "ok: SIGINT -> 0"

# A source that does not exist on this platform: said once, no failing metric.
mkdir -p "$WORK/cni-only"
cp "$EXAMPLE/azure-vnet-ipam.json" "$EXAMPLE/azure-vnet.json" "$WORK/cni-only/"
start_exporter "$WORK/b.log" --source.replay="$WORK/cni-only" --web.listen-address=127.0.0.1:0 --poll.interval=100ms
wait_ready "$EXPORTER_ADDR"
sleep 0.5
[[ "$(grep -c 'source hns: unavailable' "$WORK/b.log")" == 1 ]] || fail "hns unavailability not logged exactly once"
curl -s "http://$EXPORTER_ADDR/healthz" | grep -q "hns: unavailable: the capture has no hns/ directory" || fail "healthz"
curl -s "http://$EXPORTER_ADDR/metrics" | grep -q 'source="hns"' && fail "failing metric for an unavailable source"
curl -s "http://$EXPORTER_ADDR/metrics" | grep -q '^winnet_ipam_pool_leaked_ips{subnet="10.240.0.0/16"} 1$' || fail "leak from CNI state only"
echo "ok: unavailable source"

# A state file that turns bad: failure logged once, old data served stale, recovery logged.
cp "$WORK/cni-only/azure-vnet-ipam.json" "$WORK/ipam.good"
printf '{"IPAM": {"Version": "v1.5' >"$WORK/cni-only/azure-vnet-ipam.json"
sleep 0.6
curl -s "http://$EXPORTER_ADDR/metrics" >"$WORK/m"
grep -q '^winnet_exporter_source_success{source="ipam_state"} 0$' "$WORK/m" || fail "failure not reported"
grep -q '^winnet_ipam_pool_capacity_ips{subnet="10.240.0.0/16"} 30$' "$WORK/m" || fail "stale data not served"
[[ "$(grep -c 'source ipam_state: failing' "$WORK/b.log")" == 1 ]] || fail "failure not logged exactly once"
grep -q "azure-vnet-ipam.json: invalid JSON" "$WORK/b.log" || fail "log does not name the file"
cp "$WORK/ipam.good" "$WORK/cni-only/azure-vnet-ipam.json"
sleep 0.6
curl -s "http://$EXPORTER_ADDR/metrics" | grep -q '^winnet_exporter_source_success{source="ipam_state"} 1$' || fail "no recovery"
grep -q 'source ipam_state: ok again' "$WORK/b.log" || fail "recovery not logged"
echo "ok: bad file survived"
echo "cli: ok"
