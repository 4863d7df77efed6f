// Offline checks of deploy/kubernetes/:
//  - every YAML document validates against the Kubernetes 1.27 OpenAPI schema
//    (kubernetes-models) or, for the PodMonitor and PrometheusRule, against the
//    prometheus-operator CRD schema (@kubernetes-models/prometheus-operator);
//  - no unknown field anywhere (the JSON schemas allow extra fields; the API
//    server's strict field validation does not): each document is type-checked
//    against the same models' TypeScript types, whose excess-property check
//    rejects unknown fields;
//  - the kustomization lists every manifest, and its rendering (when a renderer
//    was available) is the same set of objects;
//  - the HostProcess DaemonSet has the fields the deployment relies on;
//  - names, ports, paths and labels agree across the files, the Dockerfile, the
//    scrape config, and the binary's own flags (its --help and its config file
//    parser).
// Usage: node validate-k8s.js --root DIR --bin EXPORTER --work DIR
//          [--rendered FILE] [--overlay-rendered FILE --overlay-image IMAGE]
//          [--prometheus-rule FILE]...
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const YAML = require('yaml');
const ts = require('typescript');
const core = require('kubernetes-models/v1');
const apps = require('kubernetes-models/apps/v1');
const monitoring = require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1');

// ---------------------------------------------------------------- arguments
const args = { 'prometheus-rule': [] };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  const value = process.argv[i + 1];
  if (Array.isArray(args[key])) args[key].push(value);
  else args[key] = value;
}
for (const k of ['root', 'bin', 'work']) {
  if (!args[k]) { console.error(`missing --${k}`); process.exit(2); }
}
const ROOT = path.resolve(args.root);
const K8S = path.join(ROOT, 'deploy', 'kubernetes');
const WORK = path.resolve(args.work);

// ---------------------------------------------------------------- reporting
const errors = [];
function check(cond, msg) {
  if (!cond) errors.push(msg);
  return !!cond;
}
function ok(msg) { console.log(`ok: ${msg}`); }

// ------------------------------------------------------------------- models
const MODELS = {
  'v1/Namespace': { cls: core.Namespace, mod: 'kubernetes-models/v1/Namespace', type: 'INamespace' },
  'v1/ServiceAccount': { cls: core.ServiceAccount, mod: 'kubernetes-models/v1/ServiceAccount', type: 'IServiceAccount' },
  'v1/ConfigMap': { cls: core.ConfigMap, mod: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  'v1/Service': { cls: core.Service, mod: 'kubernetes-models/v1/Service', type: 'IService' },
  'apps/v1/DaemonSet': { cls: apps.DaemonSet, mod: 'kubernetes-models/apps/v1/DaemonSet', type: 'IDaemonSet' },
  'monitoring.coreos.com/v1/PodMonitor': {
    cls: monitoring.PodMonitor,
    mod: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor',
    type: 'IPodMonitor',
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    cls: monitoring.PrometheusRule,
    mod: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    type: 'IPrometheusRule',
  },
};

// loadYaml FILE -> [{where, obj}], one per non-empty document
function loadYaml(file) {
  const text = fs.readFileSync(file, 'utf8');
  const docs = YAML.parseAllDocuments(text, { uniqueKeys: true });
  const out = [];
  docs.forEach((doc, i) => {
    const name = file.startsWith(ROOT + path.sep) ? path.relative(ROOT, file) : path.basename(file);
    const where = `${name}#${i}`;
    if (doc.errors.length) {
      errors.push(`${where}: YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      return;
    }
    const obj = doc.toJS();
    if (obj !== null && obj !== undefined) out.push({ where, obj });
  });
  return out;
}

const typeChecks = []; // {where, key, obj}

// validate: the JSON schema of the kind, and queue the strict type check.
function validate({ where, obj }) {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const model = MODELS[key];
  if (!check(model, `${where}: no schema known for ${key}`)) return false;
  try {
    new model.cls(obj).validate();
  } catch (e) {
    const details = (e.errors || []).map((d) => `${d.instancePath || '/'} ${d.message}`).join('; ');
    errors.push(`${where}: ${key} ${obj.metadata && obj.metadata.name}: schema: ${details || e.message}`);
    return false;
  }
  typeChecks.push({ where, key, obj });
  return true;
}

function runTypeCheck() {
  const dir = path.join(process.env.WINNET_NPM_DIR || path.join(__dirname), '.typecheck');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `manifests-${process.pid}.ts`);
  const imports = new Set();
  const lines = [];
  const lineOwner = {};
  for (const t of typeChecks) {
    const m = MODELS[t.key];
    imports.add(`import type { ${m.type} } from ${JSON.stringify(m.mod)};`);
  }
  lines.push(...imports);
  for (const [i, t] of typeChecks.entries()) {
    lineOwner[lines.length] = t;
    lines.push(`export const doc${i}: ${MODELS[t.key].type} = ${JSON.stringify(t.obj)};`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2020,
  });
  const diags = ts.getPreEmitDiagnostics(program);
  fs.rmSync(file, { force: true });
  let n = 0;
  for (const d of diags) {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (d.file && d.file.fileName === file) {
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const owner = lineOwner[line];
      errors.push(`${owner ? owner.where : 'typecheck'}: ${msg}`);
    } else {
      errors.push(`typecheck: ${msg}`);
    }
    n++;
  }
  if (n === 0) ok(`no unknown or mistyped field in ${typeChecks.length} documents (strict type check)`);
}

// --------------------------------------------------------------- helpers
function quantity(q) {
  const m = String(q).match(/^([0-9.]+)(m|k|M|G|Ki|Mi|Gi)?$/);
  if (!m) return NaN;
  const mult = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2]] || 1;
  return parseFloat(m[1]) * mult;
}
function subset(small, big) {
  return Object.entries(small || {}).every(([k, v]) => big && big[k] === v);
}
function sandboxPath(mountPath) {
  // How a HostProcess container sees a volume: under the sandbox mount point,
  // at the mountPath without its drive letter (containerd 1.6 and 1.7+).
  return '%CONTAINER_SANDBOX_MOUNT_POINT%' + mountPath.replace(/^[A-Za-z]:/, '').replace(/\//g, '\\');
}
const deepEqual = (a, b) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  }
  return v;
}

// ------------------------------------------------ the exporter's own flags
const help = spawnSync(args.bin, ['--help'], { encoding: 'utf8' });
check(help.status === 0, `${args.bin} --help exited ${help.status}`);
const FLAGS = new Set([...(help.stdout + help.stderr).matchAll(/--([a-z][a-z0-9.-]*)=VALUE/g)].map((m) => m[1]));
check(FLAGS.has('config.file') && FLAGS.has('web.listen-address'), `could not read the flags from ${args.bin} --help`);
// Flags the Windows build adds; the Linux binary used in CI does not know them.
const WINDOWS_ONLY_FLAGS = new Set(['console']);

// =========================================================== kustomization
const kustomization = YAML.parse(fs.readFileSync(path.join(K8S, 'kustomization.yaml'), 'utf8'));
check(kustomization.apiVersion === 'kustomize.config.k8s.io/v1beta1' && kustomization.kind === 'Kustomization',
  'kustomization.yaml: apiVersion/kind');
const KNOWN_KUSTOMIZE_KEYS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'labels',
  'commonLabels', 'commonAnnotations', 'configMapGenerator', 'generatorOptions', 'patches', 'components']);
for (const k of Object.keys(kustomization)) check(KNOWN_KUSTOMIZE_KEYS.has(k), `kustomization.yaml: unknown key ${k}`);
const resources = kustomization.resources || [];
const manifestFiles = fs.readdirSync(K8S).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
for (const r of resources) check(fs.existsSync(path.join(K8S, r)), `kustomization.yaml: resource ${r} does not exist`);
for (const f of manifestFiles) {
  if (f === 'podmonitor.yaml') {
    check(!resources.includes(f), 'podmonitor.yaml must not be in the kustomization (it needs the operator CRDs)');
  } else {
    check(resources.includes(f), `${f} is not listed in kustomization.yaml`);
  }
}
ok(`kustomization lists ${resources.length} resources, all present`);

// ===================================================== every manifest file
const byKind = {};
const baseObjects = [];
for (const f of manifestFiles) {
  for (const d of loadYaml(path.join(K8S, f))) {
    if (validate(d)) {
      (byKind[d.obj.kind] = byKind[d.obj.kind] || []).push(d.obj);
      if (resources.includes(f)) baseObjects.push(d.obj);
    }
  }
}
// The checks below need valid documents: stop here otherwise.
if (errors.length) report();
ok(`${manifestFiles.length} manifest files validated against the schema`);
const one = (kind) => {
  const list = byKind[kind] || [];
  check(list.length === 1, `expected exactly one ${kind}, found ${list.length}`);
  return list[0] || {};
};
const ns = one('Namespace');
const sa = one('ServiceAccount');
const cm = one('ConfigMap');
const ds = one('DaemonSet');
const svc = one('Service');
const pm = one('PodMonitor');
const NS = kustomization.namespace;

// ----------------------------------------------------------- namespaces
check(ns.metadata && ns.metadata.name === NS, `Namespace is ${ns.metadata && ns.metadata.name}, kustomization says ${NS}`);
for (const o of [...baseObjects, pm]) {
  if (o.kind !== 'Namespace') {
    check(o.metadata && o.metadata.namespace === NS, `${o.kind} ${o.metadata && o.metadata.name}: namespace must be ${NS}`);
  }
}
check(ns.metadata.labels && ns.metadata.labels['pod-security.kubernetes.io/enforce'] === 'privileged',
  'Namespace: HostProcess pods need pod-security.kubernetes.io/enforce=privileged');

// ============================================================ DaemonSet
const pod = (ds.spec && ds.spec.template && ds.spec.template.spec) || {};
const podLabels = (ds.spec.template.metadata || {}).labels || {};
const sc = pod.securityContext || {};
const win = sc.windowsOptions || {};
check(win.hostProcess === true, 'DaemonSet: securityContext.windowsOptions.hostProcess must be true');
check(win.runAsUserName === 'NT AUTHORITY\\SYSTEM', `DaemonSet: runAsUserName must be NT AUTHORITY\\SYSTEM, is ${win.runAsUserName}`);
check(pod.hostNetwork === true, 'DaemonSet: hostNetwork must be true (required for HostProcess)');
check(pod.nodeSelector && pod.nodeSelector['kubernetes.io/os'] === 'windows', 'DaemonSet: nodeSelector kubernetes.io/os: windows');
const tol = pod.tolerations || [];
check(tol.some((t) => t.key === 'os' && t.value === 'windows' && t.effect === 'NoSchedule') ||
      tol.some((t) => !t.key && t.operator === 'Exists'),
  'DaemonSet: must tolerate the os=windows:NoSchedule taint');
check(pod.serviceAccountName === sa.metadata.name, 'DaemonSet: serviceAccountName must be the ServiceAccount');
check(subset(ds.spec.selector.matchLabels, podLabels), 'DaemonSet: selector must match the pod labels');
const us = ds.spec.updateStrategy || {};
check(us.type === 'RollingUpdate' && us.rollingUpdate && us.rollingUpdate.maxUnavailable !== undefined,
  'DaemonSet: updateStrategy must be RollingUpdate with maxUnavailable');
check(!us.rollingUpdate || !us.rollingUpdate.maxSurge, 'DaemonSet: maxSurge must be 0 (the port is the host\'s)');
for (const c of [...(pod.containers || []), ...(pod.initContainers || [])]) {
  const csc = (c.securityContext || {}).windowsOptions || {};
  check(csc.hostProcess !== false, `container ${c.name}: every container of a HostProcess pod must be HostProcess`);
  check(c.image, `container ${c.name}: image`);
}

const main = (pod.containers || []).find((c) => c.name === 'winnet-exporter') || {};
check(pod.containers && pod.containers.length === 1, 'DaemonSet: one container');
check(main.command && /^%CONTAINER_SANDBOX_MOUNT_POINT%\\winnet_exporter\.exe$/.test(main.command[0]),
  'DaemonSet: the binary must be %CONTAINER_SANDBOX_MOUNT_POINT%\\winnet_exporter.exe');
const flagArgs = (main.args || []).map((a) => a.match(/^--([a-z][a-z0-9.-]*)(=(.*))?$/));
for (const [i, m] of flagArgs.entries()) {
  if (!check(m, `DaemonSet: argument ${main.args[i]} is not a --flag`)) continue;
  check(FLAGS.has(m[1]) || WINDOWS_ONLY_FLAGS.has(m[1]), `DaemonSet: --${m[1]} is not a flag of winnet_exporter`);
}
const configArg = flagArgs.find((m) => m && m[1] === 'config.file');
check(configArg, 'DaemonSet: --config.file must be given');

// The config file: a ConfigMap volume, seen through the sandbox mount point.
const configVolume = (pod.volumes || []).find((v) => v.configMap && v.configMap.name === cm.metadata.name);
check(configVolume, 'DaemonSet: a volume must hold the ConfigMap');
const configMount = configVolume && (main.volumeMounts || []).find((m) => m.name === configVolume.name);
check(configMount, 'DaemonSet: the ConfigMap volume must be mounted');
if (configArg && configMount) {
  const want = `${sandboxPath(configMount.mountPath)}\\config.json`;
  check(configArg[3] === want, `DaemonSet: --config.file is ${configArg[3]}, the mount gives ${want}`);
  check(configMount.readOnly === true, 'DaemonSet: config mount read-only');
}

// Port, probes, resources.
const ports = main.ports || [];
const metricsPort = ports.find((p) => p.name === 'metrics') || {};
check(metricsPort.containerPort, 'DaemonSet: a container port named metrics');
for (const probeName of ['livenessProbe', 'readinessProbe']) {
  const probe = main[probeName];
  if (!check(probe && probe.httpGet, `DaemonSet: ${probeName} must be an HTTP GET`)) continue;
  check(probe.httpGet.path === '/healthz', `DaemonSet: ${probeName} path must be /healthz`);
  check(probe.httpGet.port === 'metrics' || probe.httpGet.port === metricsPort.containerPort,
    `DaemonSet: ${probeName} port must be the metrics port`);
}
const res = main.resources || {};
for (const r of ['cpu', 'memory']) {
  const req = quantity((res.requests || {})[r]);
  const lim = quantity((res.limits || {})[r]);
  check(req > 0 && lim > 0 && req <= lim, `DaemonSet: resources.requests.${r} <= limits.${r}, both set`);
}
// 6.6 MiB measured (bench/README.md): the request must leave room for it.
check(quantity(res.requests.memory) >= 4 * 6.6 * 1024 * 1024, 'DaemonSet: memory request well above the measured 6.6 MiB');

// The firewall init step: PowerShell, idempotent, same port.
const fw = (pod.initContainers || []).find((c) => c.name === 'firewall');
if (check(fw, 'DaemonSet: an init container named firewall')) {
  const script = [...(fw.command || []), ...(fw.args || [])].join('\n');
  check(/powershell\.exe$/i.test(fw.command[0]), 'firewall: runs the host\'s powershell.exe');
  check(/Get-NetFirewallRule/.test(script) && /New-NetFirewallRule/.test(script),
    'firewall: must look the rule up before creating it (idempotent)');
  check(/-Direction Inbound/.test(script) && /-Protocol TCP/.test(script), 'firewall: inbound TCP rule');
  const env = Object.fromEntries((fw.env || []).map((e) => [e.name, e.value]));
  check(Number(env.PORT) === metricsPort.containerPort, `firewall: PORT ${env.PORT} must be ${metricsPort.containerPort}`);
  check(fw.image === main.image, 'firewall: same image as the exporter (one pull)');
}
ok('DaemonSet: HostProcess, SYSTEM, host network, Windows nodes, tolerations, probes, resources, rolling update, firewall');

// ============================================================ ConfigMap
let config = {};
try {
  config = JSON.parse(cm.data['config.json']);
} catch (e) {
  errors.push(`ConfigMap: config.json is not JSON: ${e.message}`);
}
for (const k of Object.keys(config)) check(FLAGS.has(k), `ConfigMap: config.json key ${k} is not a flag of winnet_exporter`);
const listenPort = Number(String(config['web.listen-address'] || ':10382').split(':').pop());
check(listenPort === 10382, `ConfigMap: web.listen-address port ${listenPort}, want the default 10382`);
check(listenPort === metricsPort.containerPort, 'ConfigMap: listen port must be the container port');
const telemetryPath = config['web.telemetry-path'] || '/metrics';
// The binary itself must accept the file (unknown keys and bad values exit 2).
const configFile = path.join(WORK, 'config.json');
fs.writeFileSync(configFile, cm.data['config.json']);
const dump = spawnSync(args.bin, ['dump', `--config.file=${configFile}`,
  `--source.replay=${path.join(ROOT, 'examples', 'aks-windows-node')}`], { encoding: 'utf8' });
check(dump.status === 0 && /winnet_ipam_pool_capacity_ips/.test(dump.stdout),
  `ConfigMap: winnet_exporter dump --config.file=config.json exited ${dump.status}: ${dump.stderr.trim()}`);
ok('ConfigMap: config.json accepted by the exporter binary');

// ============================================================== Service
check(svc.spec.clusterIP === 'None', 'Service: headless (clusterIP: None)');
check(subset(svc.spec.selector, podLabels), 'Service: selector must match the pod labels');
for (const p of svc.spec.ports || []) {
  check(ports.some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort),
    `Service: targetPort ${p.targetPort} is no container port`);
  check(p.port === metricsPort.containerPort, 'Service: port = metrics port');
}
check(sa.automountServiceAccountToken === false && pod.automountServiceAccountToken === false,
  'ServiceAccount/DaemonSet: no API token (the exporter never calls the API)');
ok('Service and ServiceAccount');

// ============================================================ PodMonitor
// A CRD: schema-validated above with the operator's CRD schema; here what it
// must select and produce.
check(pm.apiVersion === 'monitoring.coreos.com/v1' && pm.kind === 'PodMonitor', 'PodMonitor: apiVersion/kind');
check(pm.spec.namespaceSelector && (pm.spec.namespaceSelector.matchNames || []).includes(NS),
  'PodMonitor: namespaceSelector must name the exporter namespace');
check(pm.spec.selector && Object.keys(pm.spec.selector.matchLabels || {}).length > 0 &&
      subset(pm.spec.selector.matchLabels, podLabels), 'PodMonitor: selector must match the DaemonSet pod labels');
const scrape = YAML.parse(fs.readFileSync(path.join(ROOT, 'deploy', 'prometheus', 'scrape-config.yaml'), 'utf8'));
const job = scrape.scrape_configs[0];
check(podLabels[pm.spec.jobLabel] === job.job_name,
  `PodMonitor: jobLabel ${pm.spec.jobLabel} gives job "${podLabels[pm.spec.jobLabel]}", the scrape config "${job.job_name}"`);
for (const ep of pm.spec.podMetricsEndpoints || []) {
  check(ports.some((p) => p.name === ep.port), `PodMonitor: port ${ep.port} is no container port name`);
  check((ep.path || '/metrics') === telemetryPath, `PodMonitor: path ${ep.path}, exporter serves ${telemetryPath}`);
  const rl = ep.relabelings || [];
  check(rl.some((r) => r.targetLabel === 'node' && (r.sourceLabels || []).includes('__meta_kubernetes_pod_node_name')),
    'PodMonitor: must set node from __meta_kubernetes_pod_node_name');
  const drop = rl.find((r) => r.action === 'labeldrop');
  check(drop && new RegExp(`^(?:${drop.regex})$`).test('namespace') && new RegExp(`^(?:${drop.regex})$`).test('pod'),
    'PodMonitor: must drop the target namespace/pod labels (the exporter\'s series carry the workload\'s)');
}
check((job.metrics_path || '/metrics') === telemetryPath, 'scrape config: metrics_path = exporter telemetry path');
ok('PodMonitor selects the DaemonSet pods on a container port, job and node labels as the scrape config');

// ============================================================ Dockerfile
const dockerfile = fs.readFileSync(path.join(K8S, 'Dockerfile'), 'utf8');
const instr = dockerfile.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
const from = instr.filter((l) => /^FROM\s/i.test(l));
check(from.length === 1 && /mcr\.microsoft\.com\/oss\/kubernetes\/windows-host-process-containers-base-image:v1\.0\.0\s*$/.test(from[0]),
  'Dockerfile: one FROM, the HostProcess base image v1.0.0');
check(!instr.some((l) => /^RUN\s/i.test(l)), 'Dockerfile: no RUN (must build with buildx on Linux)');
check(instr.some((l) => /^COPY\s+winnet_exporter\.exe\s+\/winnet_exporter\.exe\s*$/i.test(l)),
  'Dockerfile: COPY winnet_exporter.exe /winnet_exporter.exe (the DaemonSet runs it from the sandbox root)');
const imageName = String(main.image).replace(/:[^:/]+$/, '');
check(imageName === 'winnet-exporter', `DaemonSet: image name ${imageName}, the README's overlay replaces winnet-exporter`);
ok('Dockerfile');

// ======================================================= rendered output
function checkRendered(file, label, wantImage) {
  const docs = loadYaml(file);
  for (const d of docs) validate(d);
  const key = (o) => `${o.kind}/${o.metadata.namespace || ''}/${o.metadata.name}`;
  const want = new Map(baseObjects.map((o) => [key(o), o]));
  const got = new Map(docs.map((d) => [key(d.obj), d.obj]));
  check(deepEqual([...want.keys()].sort(), [...got.keys()].sort()),
    `${label}: objects ${[...got.keys()].join(', ')}; want ${[...want.keys()].join(', ')}`);
  for (const [k, o] of got) {
    let expect = want.get(k);
    if (!expect) continue;
    if (wantImage && o.kind === 'DaemonSet') {
      const spec = o.spec.template.spec;
      for (const c of [...spec.containers, ...(spec.initContainers || [])]) {
        check(c.image === wantImage, `${label}: ${c.name} image ${c.image}, want ${wantImage}`);
      }
      expect = JSON.parse(JSON.stringify(expect));
      for (const c of [...expect.spec.template.spec.containers, ...(expect.spec.template.spec.initContainers || [])]) {
        c.image = wantImage;
      }
    }
    check(deepEqual(o, expect), `${label}: ${k} differs from its source file`);
  }
  ok(`${label}: ${docs.length} objects, equal to the sources and valid`);
}
if (args.rendered) checkRendered(args.rendered, 'kubectl kustomize deploy/kubernetes');
if (args['overlay-rendered']) checkRendered(args['overlay-rendered'], 'the README\'s image overlay', args['overlay-image']);

// ======================================= PrometheusRule (README one-liner)
for (const f of args['prometheus-rule']) {
  for (const d of loadYaml(f)) {
    if (!validate(d)) continue;
    const src = path.join(ROOT, 'deploy', 'prometheus', `${d.obj.metadata.name.replace(/^winnet-exporter-/, '')}.yaml`);
    check(fs.existsSync(src) && deepEqual(d.obj.spec, YAML.parse(fs.readFileSync(src, 'utf8'))),
      `${d.where}: spec must be the rules of ${path.relative(ROOT, src)}`);
    check(d.obj.metadata.namespace === NS, `${d.where}: namespace ${NS}`);
    ok(`PrometheusRule ${d.obj.metadata.name} from ${path.relative(ROOT, src)} is valid`);
  }
}

runTypeCheck();
report();

function report() {
  if (errors.length) {
    for (const e of errors) console.error(`FAIL: ${e}`);
    process.exit(1);
  }
  console.log('k8s manifests: ok');
  process.exit(0);
}
