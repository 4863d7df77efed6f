#!/usr/bin/env bash
# --web.config.file end to end with certificates made here (openssl) and a real
# client (curl): TLS, client-certificate auth (mTLS), minimum TLS version,
# basic auth with a bcrypt hash (htpasswd), and bad configs refused at start.
#   tls_test.sh PATH_TO_winnet_exporter
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

code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }
run() {  # run CONFIG_FILE: starts the exporter with it
  start_exporter "$WORK/$1.log" --source.replay="$EXAMPLE" --web.listen-address=127.0.0.1:0 --web.config.file="$WORK/$1"
  for _ in $(seq 1 50); do
    [[ "$(code --cacert ca.crt --cert client.crt --key client.key -u prom:secret "https://$EXPORTER_ADDR/healthz")" == 200 ]] && return
    sleep 0.1
  done
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
curl -s -u prom:secret "http://$EXPORTER_ADDR/metrics" | grep -q '^winnet_ipam_pool_capacity_ips' ||
  fail "authenticated scrape has no metrics"
curl -s -D - -o /dev/null "http://$EXPORTER_ADDR/metrics" | grep -qi '^WWW-Authenticate: Basic realm="winnet_exporter"' ||
  fail "401 without a WWW-Authenticate challenge"
stop

# 2. TLS. Debian 12's civetweb cannot load OpenSSL 3: the exporter must then
# refuse to start with a clear message instead of serving plain HTTP.
cat >tls.yml <<YAML
# server certificate only
tls_server_config:
  cert_file: $WORK/server.crt
  key_file: "$WORK/server.key"
YAML
rc=0
timeout 10 "$BIN" --source.replay="$EXAMPLE" --web.listen-address=127.0.0.1:0 --web.config.file="$WORK/tls.yml" \
  >"$WORK/tls-probe.out" 2>&1 || rc=$?
if grep -q "could not start TLS" "$WORK/tls-probe.out"; then
  [[ $rc == 2 ]] || fail "TLS unavailable: exit $rc, want 2"
  echo "ok: TLS unavailable in this build, refused at start: $(grep -o 'could not start TLS.*' "$WORK/tls-probe.out" | head -c 160)"
  echo "NOTE: TLS and mTLS checks not run: this civetweb cannot load OpenSSL"
else
# TLS only.
cat >tls.yml <<YAML
# server certificate only
tls_server_config:
  cert_file: $WORK/server.crt
  key_file: "$WORK/server.key"
YAML
run tls.yml
grep -q "metrics at https://" tls.yml.log || fail "log does not say https"
expect 200 "https with the CA" --cacert ca.crt "https://$EXPORTER_ADDR/metrics"
expect 000 "https without trusting the CA" "https://$EXPORTER_ADDR/metrics"
expect 000 "plain http on the TLS port" "http://$EXPORTER_ADDR/metrics"
expect 000 "TLS 1.1 refused" --cacert ca.crt --tlsv1.1 --tls-max 1.1 "https://$EXPORTER_ADDR/metrics"
stop

# 2. Client certificates required (mTLS), TLS 1.3 only.
cat >mtls.yml <<YAML
tls_server_config:
  cert_file: $WORK/server.crt
  key_file: $WORK/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: $WORK/ca.crt
  min_version: TLS13
YAML
run mtls.yml
expect 200 "mTLS with a client certificate from the CA" --cacert ca.crt --cert client.crt --key client.key "https://$EXPORTER_ADDR/metrics"
expect 000 "mTLS without a client certificate" --cacert ca.crt "https://$EXPORTER_ADDR/metrics"
expect 000 "mTLS with a certificate from another CA" --cacert ca.crt --cert rogue.crt --key rogue.key "https://$EXPORTER_ADDR/metrics"
expect 000 "TLS 1.2 refused when min_version is TLS13" --cacert ca.crt --cert client.crt --key client.key --tls-max 1.2 "https://$EXPORTER_ADDR/metrics"
stop
fi

# 4. Bad configs: exit 2, and the message names the file, line or key.
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
echo "tls: ok"
