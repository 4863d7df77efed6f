#!/usr/bin/env bash
# --web.config.file end to end with certificates made here (openssl) and a real
# client (curl): TLS, client-certificate auth (mTLS), minimum TLS version,
# basic auth with a bcrypt hash (htpasswd), and bad configs refused at start.
#   [WINNET_REQUIRE_TLS=1] tls_test.sh PATH_TO_winnet_exporter
# Where the HTTP library cannot start TLS (Debian's libcivetweb with OpenSSL 3)
# only the refusal is checked, unless WINNET_REQUIRE_TLS=1 makes that a failure.
BIN="$(readlink -f "$1")"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for tool in openssl htpasswd curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (deploy/debian/install-deps.sh test installs it)"
done
cd "$WORK"
# A CA, a server certificate for 127.0.0.1, a client certificate from the CA
# and one from an unrelated CA.
sslq() { openssl "$@" >/dev/null 2>&1 || fail "openssl $1 failed"; }
sslq req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca -keyout ca.key -out ca.crt
sslq req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=rogue-ca -keyout rogue-ca.key -out rogue-ca.crt
sslq req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
sslq x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.crt
printf 'extendedKeyUsage=clientAuth\n' >client.ext
sslq req -newkey rsa:2048 -nodes -subj /CN=prometheus -keyout client.key -out client.csr
sslq x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile client.ext -out client.crt
sslq req -newkey rsa:2048 -nodes -subj /CN=intruder -keyout rogue.key -out rogue.csr
sslq x509 -req -in rogue.csr -CA rogue-ca.crt -CAkey rogue-ca.key -CAcreateserial -days 2 -extfile client.ext -out rogue.crt

bad_tls=()  # NAME PATTERN pairs for the bad-config checks below, when TLS works
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }
run() {  # run CONFIG_FILE: starts the exporter with it
  start_exporter "$WORK/$1.log" --source.replay="$EXAMPLE" --web.listen-address=127.0.0.1:0 --web.config.file="$WORK/$1"
  for _ in $(seq 1 100); do
    [[ "$(code --cacert ca.crt --cert client.crt --key client.key -u prom:secret "https://$EXPORTER_ADDR/healthz")" == 200 ]] && return
    sleep 0.1
  done
  cat "$WORK/$1.log" >&2
  fail "$1: /healthz never answered 200 over https"
}
stop() { kill "$EXPORTER_PID"; wait "$EXPORTER_PID" 2>/dev/null || true; }
expect() {  # expect CODE DESCRIPTION CURL_ARGS...
  local want="$1" what="$2"; shift 2
  local got
  got="$(code "$@")"
  [[ "$got" == "$want" ]] || fail "$what: HTTP $got, want $want"
  echo "ok: $what -> $got"
}

# 1. Basic auth (bcrypt) on plain HTTP.
hash="$(htpasswd -nbBC 10 prom secret | cut -d: -f2-)"
cat >auth.yml <<YAML
basic_auth_users:
  prom: '$hash'
YAML
start_exporter "$WORK/auth.log" --source.replay="$EXAMPLE" --web.listen-address=127.0.0.1:0 --web.config.file="$WORK/auth.yml"
for _ in $(seq 1 50); do [[ "$(code -u prom:secret "http://$EXPORTER_ADDR/healthz")" == 200 ]] && break; sleep 0.1; done
expect 401 "no credentials" "http://$EXPORTER_ADDR/metrics"
expect 401 "wrong password" -u prom:wrong "http://$EXPORTER_ADDR/metrics"
expect 401 "unknown user" -u eve:secret "http://$EXPORTER_ADDR/metrics"
expect 401 "healthz needs credentials too" "http://$EXPORTER_ADDR/healthz"
expect 200 "right password" -u prom:secret "http://$EXPORTER_ADDR/metrics"
# (Read whole, then searched: grep -q closing the pipe early would fail curl.)
grep -q '^winnet_ipam_pool_capacity_ips' <<<"$(curl -s -u prom:secret "http://$EXPORTER_ADDR/metrics")" ||
  fail "authenticated scrape has no metrics"
grep -qi '^WWW-Authenticate: Basic realm="winnet_exporter"' <<<"$(curl -s -D - -o /dev/null "http://$EXPORTER_ADDR/metrics")" ||
  fail "401 without a WWW-Authenticate challenge"
# Plain HTTP never maps OpenSSL (it is opened by name only for TLS).
maps_openssl() { grep -qE '/lib(ssl|crypto)\.so' "/proc/$EXPORTER_PID/maps"; }
if [[ -r "/proc/$EXPORTER_PID/maps" ]]; then
  ! maps_openssl || fail "a plain HTTP exporter has OpenSSL mapped"
fi
stop

# 2. TLS. Debian 12's libcivetweb cannot load OpenSSL 3: the exporter must then
# refuse to start with a clear message instead of serving plain HTTP. With
# WINNET_REQUIRE_TLS=1 (civetweb built from source for OpenSSL 3,
# tests/CMakeLists.txt) that refusal is a failure: the TLS checks must run.
cat >tls.yml <<YAML
# server certificate only
tls_server_config:
  cert_file: $WORK/server.crt
  key_file: "$WORK/server.key"
YAML
rc=0
timeout 5 "$BIN" --source.replay="$EXAMPLE" --web.listen-address=127.0.0.1:0 --web.config.file="$WORK/tls.yml" \
  >"$WORK/tls-probe.out" 2>&1 || rc=$?
if grep -q "could not start TLS" "$WORK/tls-probe.out"; then
  if [[ "${WINNET_REQUIRE_TLS:-0}" == 1 ]]; then
    cat "$WORK/tls-probe.out" >&2
    fail "WINNET_REQUIRE_TLS=1 but this build cannot start TLS"
  fi
  [[ $rc == 2 ]] || fail "TLS unavailable: exit $rc, want 2"
  echo "ok: TLS unavailable in this build, refused at start: $(grep -o 'could not start TLS.*' "$WORK/tls-probe.out" | head -c 160)"
  echo "NOTE: TLS and mTLS checks not run: this civetweb cannot load OpenSSL"
else
  # Otherwise the probe served over TLS until timeout stopped it.
  [[ $rc == 124 ]] && grep -q "metrics at https://" "$WORK/tls-probe.out" ||
    { cat "$WORK/tls-probe.out" >&2; fail "TLS probe: exit $rc, want it serving https until stopped"; }

  # 2a. Server certificate only.
  run tls.yml
  grep -q "metrics at https://" "$WORK/tls.yml.log" || fail "log does not say https"
  if [[ -r "/proc/$EXPORTER_PID/maps" ]]; then maps_openssl || fail "serving TLS without OpenSSL mapped?"; fi
  expect 200 "https with the CA" --cacert ca.crt "https://$EXPORTER_ADDR/metrics"
  grep -q '^winnet_ipam_pool_capacity_ips' <<<"$(curl -s --cacert ca.crt "https://$EXPORTER_ADDR/metrics")" ||
    fail "https scrape has no metrics"
  expect 000 "https without trusting the CA" "https://$EXPORTER_ADDR/metrics"
  expect 000 "plain http on the TLS port" "http://$EXPORTER_ADDR/metrics"
  expect 200 "TLS 1.2 accepted by default (min_version TLS12)" --cacert ca.crt --tls-max 1.2 "https://$EXPORTER_ADDR/metrics"
  expect 000 "TLS 1.1 refused" --cacert ca.crt --tlsv1.1 --tls-max 1.1 "https://$EXPORTER_ADDR/metrics"
  expect 200 "a client certificate is ignored when none is asked for" --cacert ca.crt --cert rogue.crt --key rogue.key \
    "https://$EXPORTER_ADDR/metrics"
  # New connections (Connection: close) resume the TLS session of the first.
  n="$(curl -s --cacert ca.crt -H 'Connection: close' -o /dev/null -w '%{http_code}\n' \
         "https://$EXPORTER_ADDR/healthz" "https://$EXPORTER_ADDR/metrics" "https://$EXPORTER_ADDR/healthz" |
       grep -c '^200$' || true)"
  [[ "$n" == 3 ]] || fail "three https requests on new connections: $n answered 200"
  echo "ok: three https requests on new connections -> 200"
  # A TLS config on a port in use is a bind failure (exit 1), not a TLS one.
  rc=0
  timeout 10 "$BIN" --source.replay="$EXAMPLE" --web.listen-address="$EXPORTER_ADDR" --web.config.file="$WORK/tls.yml" \
    >"$WORK/busy.out" 2>&1 || rc=$?
  [[ $rc == 1 ]] && grep -q "cannot listen on $EXPORTER_ADDR" "$WORK/busy.out" ||
    { cat "$WORK/busy.out" >&2; fail "TLS on a port in use: exit $rc, want 1 and 'cannot listen on'"; }
  echo "ok: TLS on a port in use -> exit 1, cannot listen on $EXPORTER_ADDR"
  stop

  # 2b. TLS 1.3 only.
  cat >tls13.yml <<YAML
tls_server_config:
  cert_file: $WORK/server.crt
  key_file: $WORK/server.key
  min_version: TLS13
YAML
  run tls13.yml
  expect 200 "TLS 1.3 when min_version is TLS13" --cacert ca.crt --tlsv1.3 "https://$EXPORTER_ADDR/metrics"
  expect 000 "TLS 1.2 refused when min_version is TLS13" --cacert ca.crt --tls-max 1.2 "https://$EXPORTER_ADDR/metrics"
  stop

  # 2c. Client certificates required (mTLS).
  cat >mtls.yml <<YAML
tls_server_config:
  cert_file: $WORK/server.crt
  key_file: $WORK/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: $WORK/ca.crt
YAML
  run mtls.yml
  expect 200 "mTLS with a client certificate from the CA" --cacert ca.crt --cert client.crt --key client.key "https://$EXPORTER_ADDR/metrics"
  expect 000 "mTLS without a client certificate" --cacert ca.crt "https://$EXPORTER_ADDR/metrics"
  expect 000 "mTLS with a certificate from another CA" --cacert ca.crt --cert rogue.crt --key rogue.key "https://$EXPORTER_ADDR/metrics"
  expect 000 "mTLS without a client certificate, TLS 1.2" --cacert ca.crt --tls-max 1.2 "https://$EXPORTER_ADDR/metrics"
  expect 000 "mTLS with a certificate from another CA, TLS 1.2" --cacert ca.crt --tls-max 1.2 --cert rogue.crt --key rogue.key \
    "https://$EXPORTER_ADDR/metrics"
  expect 200 "mTLS with a client certificate from the CA, TLS 1.2" --cacert ca.crt --tls-max 1.2 --cert client.crt --key client.key \
    "https://$EXPORTER_ADDR/metrics"
  n="$(curl -s --cacert ca.crt --cert client.crt --key client.key -H 'Connection: close' -o /dev/null -w '%{http_code}\n' \
         "https://$EXPORTER_ADDR/healthz" "https://$EXPORTER_ADDR/metrics" "https://$EXPORTER_ADDR/healthz" |
       grep -c '^200$' || true)"
  [[ "$n" == 3 ]] || fail "three mTLS requests on new connections: $n answered 200"
  echo "ok: three mTLS requests on new connections -> 200"
  stop

  # 2d. Client certificates verified when given.
  cat >mtls-optional.yml <<YAML
tls_server_config:
  cert_file: $WORK/server.crt
  key_file: $WORK/server.key
  client_auth_type: VerifyClientCertIfGiven
  client_ca_file: $WORK/ca.crt
YAML
  run mtls-optional.yml
  expect 200 "VerifyClientCertIfGiven without a client certificate" --cacert ca.crt "https://$EXPORTER_ADDR/metrics"
  expect 200 "VerifyClientCertIfGiven with a certificate from the CA" --cacert ca.crt --cert client.crt --key client.key \
    "https://$EXPORTER_ADDR/metrics"
  expect 000 "VerifyClientCertIfGiven with a certificate from another CA" --cacert ca.crt --cert rogue.crt --key rogue.key \
    "https://$EXPORTER_ADDR/metrics"
  stop

  # 2e. mTLS and basic auth together: both must pass.
  cat >mtls-auth.yml <<YAML
tls_server_config:
  cert_file: $WORK/server.crt
  key_file: $WORK/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: $WORK/ca.crt
basic_auth_users:
  prom: '$hash'
YAML
  run mtls-auth.yml
  mtls=(--cacert ca.crt --cert client.crt --key client.key)
  expect 401 "TLS and basic auth: client certificate, no credentials" "${mtls[@]}" "https://$EXPORTER_ADDR/metrics"
  expect 401 "TLS and basic auth: client certificate, wrong password" "${mtls[@]}" -u prom:wrong "https://$EXPORTER_ADDR/metrics"
  expect 000 "TLS and basic auth: right password, no client certificate" --cacert ca.crt -u prom:secret "https://$EXPORTER_ADDR/metrics"
  expect 200 "TLS and basic auth: client certificate and right password" "${mtls[@]}" -u prom:secret "https://$EXPORTER_ADDR/metrics"
  expect 000 "TLS and basic auth: plain http" -u prom:secret "http://$EXPORTER_ADDR/metrics"
  stop

  # 2f. TLS files that do not fit: refused at start, the file named.
  printf 'tls_server_config:\n  cert_file: %s/server.crt\n  key_file: %s/client.key\n' "$WORK" "$WORK" >mismatch.yml
  bad_tls+=(mismatch.yml "key_file $WORK/client.key")
  printf 'tls_server_config:\n  cert_file: %s/missing.crt\n  key_file: %s/server.key\n' "$WORK" "$WORK" >missing.yml
  bad_tls+=(missing.yml "cert_file $WORK/missing.crt")
fi

# 3. Bad configs: exit 2, and the message names the file, line or key.
bad() {  # bad NAME PATTERN: CONFIG in $WORK/NAME must be refused
  local rc=0
  timeout 20 "$BIN" --source.replay="$EXAMPLE" --web.listen-address=127.0.0.1:0 --web.config.file="$WORK/$1" \
    >"$WORK/$1.out" 2>&1 || rc=$?
  [[ $rc == 2 ]] || { cat "$WORK/$1.out"; fail "$1: exit $rc, want 2"; }
  grep -q -- "$2" "$WORK/$1.out" || { cat "$WORK/$1.out"; fail "$1: no '$2' in the message"; }
  echo "ok: $1 refused: $2"
}
printf 'tls_server_config:\n  cert_file: %s/server.crt\n  key_fil: %s/server.key\n' "$WORK" "$WORK" >typo.yml
bad typo.yml 'line 3: unknown key "tls_server_config.key_fil"'
printf 'tls_server_config:\n  cert_file: %s/server.crt\n' "$WORK" >nokey.yml
bad nokey.yml 'needs both cert_file and key_file'
printf 'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n' >noca.yml
bad noca.yml 'needs client_ca_file'
printf 'basic_auth_users:\n  prom: secret\n' >plain.yml
bad plain.yml 'must be a bcrypt hash'
for ((i = 0; i < ${#bad_tls[@]}; i += 2)); do bad "${bad_tls[i]}" "${bad_tls[i + 1]}"; done
echo "tls: ok"
