#!/usr/bin/env bash
# The cns_api source end to end (docs/state-files.md, "CNS API"): the exporter
# in Linux live mode asks a CNS stand-in on loopback (tests/cns_standin.h) in
# each failure mode: normal, slow (beyond --poll.timeout), HTTP 500, a
# non-zero ReturnCode, a truncated body, a body beyond the cap, a refused port.
# Each failure shows in /healthz and the log, once; the other sources keep
# serving. Then --cns.url=none, and capture + replay of the answer.
#   cns_api_test.sh PATH_TO_winnet_exporter PATH_TO_winnet_cns_standin
BIN="$1"
STANDIN="$2"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FIXTURE="$ROOT/tests/fixtures/cns/ipaddresses.json"

# start_standin MODE [FLAGS...] → SPORT (the stand-in's port)
start_standin() {
  local mode="$1"; shift
  : >"$WORK/standin.out"  # emptied first: the last stand-in's port must not be read
  "$STANDIN" --mode="$mode" --body="$FIXTURE" "$@" >"$WORK/standin.out" 2>&1 &
  PIDS+=($!)
  STANDIN_PID=$!
  SPORT=""
  for _ in $(seq 1 100); do
    SPORT="$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/standin.out")"
    [[ -n "$SPORT" ]] && return 0
    sleep 0.05
  done
  fail "the CNS stand-in did not start: $(cat "$WORK/standin.out")"
}
stop_standin() { kill "$STANDIN_PID" 2>/dev/null || true; wait "$STANDIN_PID" 2>/dev/null || true; }

LIVE_FLAGS=(--cni.ipam-state="$EXAMPLE/azure-vnet-ipam.json" --cni.network-state="$EXAMPLE/azure-vnet.json"
            --source.adapters=none --containerd.state-dir=none --web.listen-address=127.0.0.1:0
            --poll.interval=500ms --poll.timeout=1s)

# run_case NAME PORT HEALTH_PATTERN LOG_PATTERN: the exporter asks CNS at PORT;
# /healthz has HEALTH_PATTERN on the cns_api line, the log LOG_PATTERN once,
# and the IPAM state is served all the same.
run_case() {
  local name="$1" port="$2" health="$3" logpat="$4"
  start_exporter "$WORK/$name.log" "${LIVE_FLAGS[@]}" --cns.url="http://127.0.0.1:$port"
  wait_ready "$EXPORTER_ADDR"
  local line=""
  for _ in $(seq 1 60); do
    line="$(curl -s "http://$EXPORTER_ADDR/healthz" | grep '^cns_api: ' || true)"
    [[ "$line" =~ $health ]] && break
    sleep 0.1
  done
  [[ "$line" =~ $health ]] || fail "$name: /healthz says '$line', want /$health/"
  sleep 1.2  # two more cycles: the failure is logged once, not per cycle
  curl -s "http://$EXPORTER_ADDR/healthz" >"$WORK/$name.health"
  curl -s "http://$EXPORTER_ADDR/metrics" >"$WORK/$name.prom"
  grep -q '^ipam_state: ok' "$WORK/$name.health" || fail "$name: IPAM state not served: $(cat "$WORK/$name.health")"
  grep -q '^winnet_ipam_pool_capacity_ips{subnet="10.240.0.0/16"} 30$' "$WORK/$name.prom" || fail "$name: pool not served"
  local want=0
  [[ "$name" == normal ]] && want=1
  grep -q "^winnet_exporter_source_success{source=\"cns_api\"} $want\$" "$WORK/$name.prom" \
    || fail "$name: source_success is not $want"
  local logged
  logged="$(grep -c -- "$logpat" "$WORK/$name.log" || true)"
  [[ "$logged" == 1 ]] || { cat "$WORK/$name.log" >&2; fail "$name: '$logpat' logged $logged times, want 1"; }
  kill "$EXPORTER_PID"; wait "$EXPORTER_PID" 2>/dev/null || true
  echo "ok: $name: $line"
  echo "    logged: $(grep -m1 -- "$logpat" "$WORK/$name.log" | sed 's/.*\(source cns_api\)/\1/' | cut -c1-160)"
}

URL_RE='http://127\.0\.0\.1:[0-9]+/debug/ipaddresses'
start_standin normal
run_case normal "$SPORT" "^cns_api: ok \\($URL_RE\\)$" "source cns_api: ok (http://127.0.0.1:$SPORT/debug/ipaddresses"
stop_standin

start_standin slow --delay-ms=5000
t0=$SECONDS
run_case slow "$SPORT" "^cns_api: failing, no data: $URL_RE: no complete answer within 900ms \\(waiting for the answer's head\\)$" \
  "source cns_api: failing: .*no complete answer within 900ms"
stop_standin
echo "slow: the exporter served throughout ($((SECONDS - t0)) s for the case)"

start_standin 500
run_case status500 "$SPORT" "^cns_api: failing, no data: $URL_RE: HTTP 500 Internal Server Error: \"internal error" \
  "source cns_api: failing: .*HTTP 500"
stop_standin

: >"$WORK/standin.out"
"$STANDIN" --mode=normal --body="$ROOT/tests/fixtures/cns/returncode.json" >"$WORK/standin.out" 2>&1 &
PIDS+=($!); STANDIN_PID=$!
for _ in $(seq 1 100); do
  SPORT="$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/standin.out")"; [[ -n "$SPORT" ]] && break; sleep 0.05
done
run_case returncode "$SPORT" "^cns_api: failing, no data: $URL_RE: field Response.ReturnCode: CNS answered ReturnCode 23: \"InvalidRequest" \
  "source cns_api: failing: .*ReturnCode 23"
stop_standin

start_standin truncated
size=$(stat -c %s "$FIXTURE")
run_case truncated "$SPORT" "^cns_api: failing, no data: $URL_RE: truncated answer: $((size / 2)) of $size bytes" \
  "source cns_api: failing: .*truncated answer"
stop_standin

start_standin huge --huge-bytes=$((17 << 20))
run_case huge "$SPORT" "^cns_api: failing, no data: $URL_RE: the answer has 17825792 bytes, more than the limit of 16777216" \
  "source cns_api: failing: .*more than the limit"
stop_standin

start_standin huge-chunked --huge-bytes=$((17 << 20))
run_case huge_chunked "$SPORT" "^cns_api: failing, no data: $URL_RE: the answer is larger than the limit of 16777216 bytes" \
  "source cns_api: failing: .*larger than the limit"
stop_standin

port="$(free_port)"
run_case refused "$port" "^cns_api: failing, no data: $URL_RE: cannot connect: " \
  "source cns_api: failing: .*cannot connect"

# Turned off: unavailable with the reason, no source_success series.
start_exporter "$WORK/none.log" "${LIVE_FLAGS[@]}" --cns.url=none
wait_ready "$EXPORTER_ADDR"
curl -s "http://$EXPORTER_ADDR/healthz" | grep -q '^cns_api: unavailable: turned off (--cns.url=none)$' || fail "none: not reported"
curl -s "http://$EXPORTER_ADDR/metrics" | grep -q 'source="cns_api"' && fail "none: a source series for an unused source"
kill "$EXPORTER_PID"; wait "$EXPORTER_PID" 2>/dev/null || true
echo "ok: --cns.url=none"

# A bad URL is a flag error naming the flag.
rc=0
"$BIN" dump --cns.url=https://127.0.0.1:10090 >/dev/null 2>"$WORK/bad.err" || rc=$?
[[ $rc == 2 ]] && grep -q 'flag --cns.url: "https://127.0.0.1:10090" is not an http:// URL' "$WORK/bad.err" \
  || fail "bad --cns.url: exit $rc, $(cat "$WORK/bad.err")"
echo "ok: a bad --cns.url is refused naming the flag"

# capture writes the answer verbatim; replay reads it.
start_standin chunked
"$BIN" capture --out="$WORK/capture" "${LIVE_FLAGS[@]:0:4}" --cns.url="http://127.0.0.1:$SPORT" \
  >"$WORK/capture.log" 2>&1 || { cat "$WORK/capture.log" >&2; fail "capture failed"; }
stop_standin
cmp "$FIXTURE" "$WORK/capture/cns/ipaddresses.json" || fail "capture: cns/ipaddresses.json is not the answer verbatim"
"$BIN" dump --source.replay="$WORK/capture" 2>"$WORK/replay.err" >"$WORK/replay.prom"
grep -q '^winnet_exporter_source_success{source="cns_api"} 1$' "$WORK/replay.prom" || fail "replay: cns_api not read"
grep -q "source cns_api: ok ($WORK/capture/cns/ipaddresses.json" "$WORK/replay.err" || fail "replay: $(cat "$WORK/replay.err")"
echo "ok: capture writes cns/ipaddresses.json verbatim; replay reads it"
echo "PASS"
