// Checks of deploy/prometheus/ that promtool does not make.
//   node prometheus-checks.js lint ROOT
//     alert rules: unique names, for:, severity, summary and description naming
//     the node; every alert has a promtool test where it fires and one where it
//     does not; every recording rule is tested and documented; every winnet_
//     metric the rules use is in docs/metrics.md.
//   node prometheus-checks.js config ROOT OUT_CONFIG TARGETS_FILE EXPORTER_ADDR [OVERLAY_ADDR]
//     writes a Prometheus configuration that runs the job of scrape-config.yaml
//     with its relabelling unchanged, its Kubernetes discovery replaced by a
//     file with the labels Kubernetes discovery gives the exporter pod on
//     node akswin000000 (and four pods the relabelling must drop), plus the
//     rule files. (Debian's Prometheus has no Kubernetes discovery.) With
//     OVERLAY_ADDR, a second exporter pod on node akswin000001 (an overlay
//     node, examples/aks-windows-overlay-node).
//   node prometheus-checks.js live ROOT PROMETHEUS_URL
//     against that Prometheus: the relabelled target, the labels of the
//     scraped series, the recorded cAdvisor-style series and the alerts the
//     example capture must raise.
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const { promQuery, docMetrics, sleep } = require('./promlib');

const [cmd, ROOT, ...rest] = process.argv.slice(2);
const PROM = path.join(ROOT || '.', 'deploy', 'prometheus');
const errors = [];
const check = (cond, msg) => { if (!cond) errors.push(msg); return !!cond; };
const ok = (msg) => console.log(`ok: ${msg}`);
const readYaml = (f) => YAML.parse(fs.readFileSync(f, 'utf8'));
function finish(what) {
  if (errors.length) {
    for (const e of errors) console.error(`FAIL: ${e}`);
    process.exit(1);
  }
  console.log(`${what}: ok`);
}

const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
function seconds(d) {
  const unit = { ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const m of d.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

function lint() {
  const documented = docMetrics(ROOT);
  check(documented.size > 20, 'could not read the metric names of docs/metrics.md');
  const usedMetrics = (expr) => [...expr.matchAll(/\b(winnet_[a-z0-9_]+)\b/g)].map((m) => m[1]);

  // ---- alerts
  const alerts = readYaml(path.join(PROM, 'alerts.yaml'));
  const names = new Set();
  for (const g of alerts.groups) {
    for (const r of g.rules) {
      const where = `alerts.yaml: ${r.alert || r.record}`;
      if (!check(r.alert, `${where}: only alerts belong in alerts.yaml`)) continue;
      check(/^Winnet[A-Z][A-Za-z]+$/.test(r.alert), `${where}: alert names start with Winnet`);
      check(!names.has(r.alert), `${where}: duplicate alert name`);
      names.add(r.alert);
      check(r.for && DURATION.test(r.for) && seconds(r.for) >= 60, `${where}: needs a for: of at least 1m`);
      check(r.labels && ['warning', 'critical'].includes(r.labels.severity), `${where}: severity warning or critical`);
      const a = r.annotations || {};
      check(a.summary && a.description, `${where}: summary and description`);
      // Name the node (and pool/source where the series has one). Only
      // absent() has no node to name.
      if (!/^absent\(/.test(r.expr.trim())) {
        check(/\{\{ \$labels\.node \}\}/.test(a.summary) && /\{\{ \$labels\.node \}\}/.test(a.description),
          `${where}: summary and description must name {{ $labels.node }}`);
      }
      for (const label of ['subnet', 'source']) {
        if (r.expr.includes('winnet_ipam_pool_') && label === 'subnet' || r.expr.includes('winnet_exporter_source_') && label === 'source') {
          check(a.description.includes(`{{ $labels.${label} }}`), `${where}: description must name {{ $labels.${label} }}`);
        }
      }
      for (const m of usedMetrics(r.expr)) check(documented.has(m), `${where}: ${m} is not in docs/metrics.md`);
    }
  }
  const required = ['WinnetIPPoolAlmostFull', 'WinnetIPPoolExhausted', 'WinnetLeakedIPs', 'WinnetDuplicateIPEndpoints',
    'WinnetOrphanedEndpoints', 'WinnetHNSLoadBalancersDropped', 'WinnetSourceFailing', 'WinnetIPAMStateStale',
    'WinnetExporterDown'];
  for (const n of required) check(names.has(n), `alerts.yaml: alert ${n} is missing`);

  // ---- each alert fires in one test and stays silent in another
  const tests = readYaml(path.join(PROM, 'tests', 'alerts_test.yaml'));
  check(tests.rule_files.includes('../alerts.yaml'), 'alerts_test.yaml must load ../alerts.yaml');
  const fired = new Set();
  const silent = new Set();
  for (const t of tests.tests) {
    for (const a of t.alert_rule_test || []) {
      ((a.exp_alerts || []).length ? fired : silent).add(a.alertname);
    }
  }
  for (const n of names) {
    check(fired.has(n), `tests/alerts_test.yaml: no test where ${n} fires`);
    check(silent.has(n), `tests/alerts_test.yaml: no test where ${n} does not fire`);
  }
  ok(`${names.size} alerts: for, severity, summary/description naming node; each fires and stays silent in a test`);

  // ---- recording rules: cAdvisor names, tested, documented
  const rec = readYaml(path.join(PROM, 'recording-rules.yaml'));
  const recTests = fs.readFileSync(path.join(PROM, 'tests', 'recording_test.yaml'), 'utf8');
  const readme = fs.readFileSync(path.join(PROM, 'README.md'), 'utf8');
  let n = 0;
  for (const g of rec.groups) {
    for (const r of g.rules) {
      const where = `recording-rules.yaml: ${r.record || r.alert}`;
      if (!check(r.record, `${where}: only recording rules belong here`)) continue;
      n++;
      check(/^container_network_[a-z_]+_total$/.test(r.record), `${where}: a cAdvisor container_network_*_total name`);
      for (const m of usedMetrics(r.expr)) check(documented.has(m), `${where}: ${m} is not in docs/metrics.md`);
      check(new RegExp(`expr: ${r.record}\\b`).test(recTests), `${where}: not tested in tests/recording_test.yaml`);
      const source = usedMetrics(r.expr)[0];
      check(new RegExp(`\\|\\s*\`${r.record}\`\\s*\\|\\s*\`${source}\``).test(readme),
        `${where}: README.md's mapping table must have a row | \`${r.record}\` | \`${source}\` |`);
    }
  }
  ok(`${n} recording rules: cAdvisor names, tested, in the README's mapping`);
  finish('rules lint');
}

// ---------------------------------------------------------------- config
// What Kubernetes discovery (role pod, attach_metadata.node) gives the pods.
function podTarget(address, overrides) {
  return {
    targets: [address],
    labels: Object.assign({
      __meta_kubernetes_namespace: 'winnet-exporter',
      __meta_kubernetes_pod_name: 'winnet-exporter-x7k2p',
      __meta_kubernetes_pod_node_name: 'akswin000000',
      __meta_kubernetes_pod_phase: 'Running',
      __meta_kubernetes_pod_label_app_kubernetes_io_name: 'winnet-exporter',
      __meta_kubernetes_pod_container_name: 'winnet-exporter',
      __meta_kubernetes_pod_container_port_name: 'metrics',
      __meta_kubernetes_pod_container_port_number: address.split(':').pop(),
      __meta_kubernetes_node_label_kubernetes_io_os: 'windows',
      __meta_kubernetes_node_name: 'akswin000000',
    }, overrides),
  };
}

function config() {
  const [out, targetsFile, exporterAddr, overlayAddr] = rest;
  const scrape = readYaml(path.join(PROM, 'scrape-config.yaml'));
  check(Object.keys(scrape).join() === 'scrape_configs' && scrape.scrape_configs.length === 1,
    'scrape-config.yaml: exactly one job under scrape_configs');
  const job = JSON.parse(JSON.stringify(scrape.scrape_configs[0]));
  check(job.job_name === 'winnet-exporter', 'scrape-config.yaml: job_name winnet-exporter (the alerts use it)');
  const sd = job.kubernetes_sd_configs || [];
  check(sd.length === 1 && sd[0].role === 'pod', 'scrape-config.yaml: one kubernetes_sd_configs entry, role pod');
  // The keys of Prometheus 2.42's kubernetes_sd_config (the HTTP client's too).
  const known = new Set(['api_server', 'role', 'kubeconfig_file', 'namespaces', 'selectors', 'attach_metadata',
    'basic_auth', 'authorization', 'oauth2', 'proxy_url', 'no_proxy', 'proxy_from_environment',
    'proxy_connect_header', 'follow_redirects', 'enable_http2', 'tls_config']);
  for (const k of Object.keys(sd[0] || {})) check(known.has(k), `scrape-config.yaml: kubernetes_sd_configs: unknown key ${k}`);
  check(sd[0] && sd[0].attach_metadata && sd[0].attach_metadata.node === true,
    'scrape-config.yaml: attach_metadata.node (the node labels select Windows nodes)');
  for (const s of (sd[0] && sd[0].selectors) || []) {
    check(['pod', 'node'].includes(s.role) && Object.keys(s).every((k) => ['role', 'label', 'field'].includes(k)),
      'scrape-config.yaml: selectors entries are {role, label, field}');
  }
  for (const k of Object.keys((sd[0] && sd[0].namespaces) || {})) {
    check(['names', 'own_namespace'].includes(k), `scrape-config.yaml: namespaces: unknown key ${k}`);
  }
  delete job.kubernetes_sd_configs;
  job.file_sd_configs = [{ files: [targetsFile], refresh_interval: '1s' }];
  job.scrape_interval = '1s';
  job.scrape_timeout = '1s';
  const cfg = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: [path.join(PROM, 'alerts.yaml'), path.join(PROM, 'recording-rules.yaml')],
    scrape_configs: [job],
  };
  fs.writeFileSync(out, YAML.stringify(cfg));
  // 127.0.0.1:9 (discard) is never scraped: the relabelling must drop them.
  const targets = [
    podTarget(exporterAddr, {}),
    ...(overlayAddr ? [podTarget(overlayAddr, { __meta_kubernetes_pod_name: 'winnet-exporter-q9m4t',
      __meta_kubernetes_pod_node_name: 'akswin000001', __meta_kubernetes_node_name: 'akswin000001' })] : []),
    podTarget('127.0.0.1:9', { __meta_kubernetes_node_label_kubernetes_io_os: 'linux', __meta_kubernetes_pod_node_name: 'aks-nodepool1-42275068-vmss000000' }),
    podTarget('127.0.0.1:9', { __meta_kubernetes_pod_container_port_name: 'other' }),
    podTarget('127.0.0.1:9', { __meta_kubernetes_pod_label_app_kubernetes_io_name: 'windows-exporter' }),
    podTarget('127.0.0.1:9', { __meta_kubernetes_pod_phase: 'Pending' }),
  ];
  fs.writeFileSync(targetsFile, JSON.stringify(targets, null, 1));
  finish('scrape config');
}

// ------------------------------------------------------------------- live
async function eventually(what, fn) {
  let last;
  for (let i = 0; i < 40; i++) {
    last = await fn();
    if (last === true) return true;
    await sleep(250);
  }
  return check(false, `${what}: ${last}`);
}

async function live() {
  const [url, overlay] = rest;
  const wantNodes = overlay === 'overlay' ? ['akswin000000', 'akswin000001'] : ['akswin000000'];
  // The targets: relabelled as in the cluster, the decoys dropped.
  const t = await promQuery(url, '/api/v1/targets', {});
  const active = t.data.activeTargets.filter((x) => x.labels.job === 'winnet-exporter');
  const nodes = active.map((x) => x.labels.node).sort();
  check(JSON.stringify(nodes) === JSON.stringify(wantNodes), `active targets on nodes ${nodes.join(', ')}, want ${wantNodes.join(', ')}`);
  for (const a of active) {
    const labels = Object.keys(a.labels).sort().join(',');
    check(labels === 'instance,job,node', `target labels ${labels}, want instance,job,node`);
  }
  check(t.data.droppedTargets.length === 4, `${t.data.droppedTargets.length} dropped targets, want the 4 decoys`);
  ok('scrape job: the exporter pod kept with job and node; Linux node, other port, other app and pending pods dropped');

  const series = async (q) => (await promQuery(url, '/api/v1/query', { query: q })).data.result;
  // The exporter's own namespace/pod labels survive (no exported_ prefixes).
  await eventually('workload labels kept', async () => {
    const r = await series('winnet_pod_network_receive_bytes_total{namespace="default",pod="wintcpserver",node="akswin000000",job="winnet-exporter"}');
    return r.length === 1 && r[0].value[1] === '3918442617' ? true : JSON.stringify(r);
  });
  const exported = await series('count({job="winnet-exporter", __name__=~"winnet_.+", exported_namespace!=""} or {job="winnet-exporter", __name__=~"winnet_.+", exported_pod!=""})');
  check(exported.length === 0, 'series with exported_namespace/exported_pod: the scrape overwrote the exporter\'s labels');
  const podless = await series('winnet_ipam_pool_capacity_ips{pod!=""}');
  check(podless.length === 0, 'pool series got a pod label from the target');
  ok('scraped series keep the workload namespace/pod labels and carry node');

  // Recording rules on real data.
  await eventually('recorded container_network_receive_bytes_total', async () => {
    const r = await series('container_network_receive_bytes_total{namespace="default",pod="wintcpserver",node="akswin000000"}');
    return r.length === 1 && r[0].value[1] === '3918442617' && r[0].metric.interface === r[0].metric.endpoint_id ? true : JSON.stringify(r);
  });
  await eventually('six pods recorded', async () => {
    const r = await series('count(container_network_transmit_packets_dropped_total{node="akswin000000"})');
    return r.length === 1 && r[0].value[1] === '6' ? true : JSON.stringify(r);
  });
  ok('recording rules: cAdvisor-style series for the six pods, none for the orphan');

  // The planted problems of the example capture raise their alerts (pending:
  // their for: has not passed); the pool (7 of 30) raises none. The remote
  // endpoint no load balancer references counts as stale from the first cycle
  // (the exporter runs with --hns.stale-remote-cycles=1). The orphaned
  // endpoint's IP, 10.240.0.72, is one IPAM released: unaccounted.
  const want = ['WinnetDuplicateIPEndpoints', 'WinnetHNSStaleRemoteEndpoints', 'WinnetLeakedIPs',
    'WinnetOrphanedEndpoints', 'WinnetUnaccountedIPs'];
  await eventually('alerts of the example capture', async () => {
    const a = (await promQuery(url, '/api/v1/alerts', {})).data.alerts.filter((x) => x.labels.node !== 'akswin000001');
    const got = [...new Set(a.map((x) => x.labels.alertname))].sort();
    const nodes = [...new Set(a.map((x) => x.labels.node))];
    return JSON.stringify(got) === JSON.stringify(want) && nodes.join() === 'akswin000000' ? true
      : `got ${JSON.stringify(got)} on nodes ${JSON.stringify(nodes)}, want ${JSON.stringify(want)} on akswin000000`;
  });
  ok(`alerts on the example capture: ${want.join(', ')} (pending), no other`);
  if (overlay === 'overlay') {
    // The overlay example (examples/aks-windows-overlay-node): its planted
    // leaked, pending-release and unaccounted IPs, and no DNS load balancer.
    const wantOverlay = ['WinnetHNSDNSLoadBalancerMissing', 'WinnetIPsPendingReleaseStuck', 'WinnetLeakedIPs',
      'WinnetUnaccountedIPs'];
    await eventually('alerts of the overlay example', async () => {
      const a = (await promQuery(url, '/api/v1/alerts', {})).data.alerts.filter((x) => x.labels.node === 'akswin000001');
      const got = [...new Set(a.map((x) => x.labels.alertname))].sort();
      return JSON.stringify(got) === JSON.stringify(wantOverlay) ? true
        : `got ${JSON.stringify(got)} on akswin000001, want ${JSON.stringify(wantOverlay)}`;
    });
    ok(`alerts on the overlay example: ${wantOverlay.join(', ')} (pending), no other`);
  }
  finish('live Prometheus');
}

const commands = { lint, config, live };
if (!commands[cmd]) {
  console.error('usage: prometheus-checks.js lint|config|live ROOT ...');
  process.exit(2);
}
Promise.resolve(commands[cmd]()).catch((e) => { console.error(`FAIL: ${e.stack || e}`); process.exit(1); });
