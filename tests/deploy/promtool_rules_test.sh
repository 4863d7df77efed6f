#!/usr/bin/env bash
# deploy.promtool_rules: the alert and recording rules of deploy/prometheus/
# through promtool (check rules; unit tests in which every alert fires and
# stays silent), the scrape job through `promtool check config`, and a lint of
# what promtool does not check (prometheus-checks.js lint).
#   promtool_rules_test.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need promtool
npm_setup
prom="$DEPLOY/prometheus"

promtool check rules "$prom/alerts.yaml" "$prom/recording-rules.yaml" || fail "promtool check rules"
(cd "$prom" && promtool test rules tests/alerts_test.yaml tests/recording_test.yaml) || fail "promtool test rules"
node "$HERE/prometheus-checks.js" lint "$ROOT"

# Debian's promtool has no Kubernetes discovery: the job is checked with its
# discovery swapped for a file (its keys are checked by prometheus-checks.js).
node "$HERE/prometheus-checks.js" config "$ROOT" "$WORK/prometheus.yml" "$WORK/targets.json" 127.0.0.1:10382
promtool check config "$WORK/prometheus.yml" || fail "promtool check config on the scrape job"
echo "promtool rules: ok"
