// The Grafana dashboard against a real Prometheus that scrapes the exporter.
//   node grafana-check.js ROOT PROMETHEUS_URL
// Static: importable shape (fixed uid, no numeric id, datasource variable used
// by every panel and target), node/namespace/pod variables, unique panel ids,
// panels inside the 24-column grid, every winnet_ metric in docs/metrics.md.
// Live: each variable query, then every panel target with the variables
// substituted as Grafana would (once with "All", then with each node and the
// first value of the other variables), run through Prometheus' HTTP API; a
// query that errors, or returns no series with "All" or with every single node
// selected, fails the test.
'use strict';

const fs = require('fs');
const path = require('path');
const { promQuery, docMetrics, sleep } = require('./promlib');

const [ROOT, URL_] = process.argv.slice(2);
const file = path.join(ROOT, 'deploy', 'grafana', 'winnet-exporter.json');
const dash = JSON.parse(fs.readFileSync(file, 'utf8'));
const errors = [];
const check = (cond, msg) => { if (!cond) errors.push(msg); return !!cond; };
const ok = (msg) => console.log(`ok: ${msg}`);

// ---------------------------------------------------------------- static
check(dash.uid === 'winnet-exporter', `uid is ${dash.uid}, want the fixed winnet-exporter`);
check(dash.id === null || dash.id === undefined, 'id must be null for import');
check(typeof dash.title === 'string' && dash.title.length > 0, 'title');
check(Number.isInteger(dash.schemaVersion) && dash.schemaVersion >= 36, 'schemaVersion >= 36 (Grafana 9+)');
const vars = (dash.templating && dash.templating.list) || [];
const varByName = Object.fromEntries(vars.map((v) => [v.name, v]));
check(varByName.datasource && varByName.datasource.type === 'datasource' && varByName.datasource.query === 'prometheus',
  'a datasource variable of type prometheus named datasource');
for (const name of ['node', 'namespace', 'pod']) {
  const v = varByName[name];
  if (!check(v && v.type === 'query', `a query variable ${name}`)) continue;
  check(v.datasource && v.datasource.uid === '${datasource}', `variable ${name}: datasource \${datasource}`);
  check(/^label_values\(/.test(v.query), `variable ${name}: a label_values() query`);
  check(v.includeAll && v.allValue === '.*', `variable ${name}: includeAll with allValue .*`);
}

const flat = [];
(function walk(list) {
  for (const p of list || []) {
    flat.push(p);
    walk(p.panels);
  }
})(dash.panels);
const ids = flat.map((p) => p.id);
check(ids.every(Number.isInteger), 'every panel has an integer id');
const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
check(dup.length === 0, `duplicate panel ids: ${dup.join(', ')}`);
const documented = docMetrics(ROOT);
check(documented.size > 20, 'could not read docs/metrics.md');
const used = new Set();
const targets = [];
for (const p of flat) {
  const g = p.gridPos || {};
  check(g.w > 0 && g.h > 0 && g.x >= 0 && g.x + g.w <= 24 && g.y >= 0, `panel ${p.id} "${p.title}": gridPos inside the 24-column grid`);
  check(p.title, `panel ${p.id}: title`);
  if (p.type === 'row') continue;
  check(p.datasource && p.datasource.uid === '${datasource}', `panel ${p.id} "${p.title}": datasource must be \${datasource}`);
  check((p.targets || []).length > 0, `panel ${p.id} "${p.title}": no targets`);
  const refs = (p.targets || []).map((t) => t.refId);
  check(new Set(refs).size === refs.length, `panel ${p.id}: duplicate refIds`);
  for (const t of p.targets || []) {
    check(!t.datasource || t.datasource.uid === '${datasource}', `panel ${p.id} target ${t.refId}: datasource`);
    check(typeof t.expr === 'string' && t.expr.trim(), `panel ${p.id} target ${t.refId}: expr`);
    targets.push({ panel: p, target: t });
  }
}
const exprs = [...targets.map((x) => x.target.expr), ...vars.filter((v) => v.type === 'query').map((v) => v.query)];
for (const e of exprs) {
  for (const m of e.matchAll(/\b(winnet_[a-z0-9_]+)\b/g)) {
    used.add(m[1]);
    check(documented.has(m[1]), `${m[1]} (in ${e}) is not in docs/metrics.md`);
  }
}
ok(`${flat.length} panels with unique ids, ${targets.length} targets, ${used.size} winnet_ metrics, all in docs/metrics.md`);

// ------------------------------------------------------------ substitution
// Grafana's built-in variables as a 6-hour dashboard with a 1s-scraped data
// source would set them (the test Prometheus scrapes every second).
const BUILTIN = {
  __rate_interval: '1m', __interval: '15s', __interval_ms: '15000',
  __range: '5m', __range_s: '300', __range_ms: '300000', datasource: 'prometheus',
};
function substitute(expr, values) {
  const all = Object.assign({}, BUILTIN, values);
  const get = (name) => {
    if (!(name in all)) throw new Error(`unknown variable $${name} in ${expr}`);
    return all[name];
  };
  return expr
    .replace(/\$\{([A-Za-z0-9_]+)(?::[a-z]+)?\}/g, (_, n) => get(n))
    .replace(/\[\[([A-Za-z0-9_]+)\]\]/g, (_, n) => get(n))
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, n) => get(n));
}
const regexEscape = (s) => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

async function withRetry(fn) {
  // Rates need two samples, recorded series an evaluation: give Prometheus a
  // few seconds before calling an empty result a failure.
  let r;
  for (let i = 0; i < 20; i++) {
    r = await fn();
    if (r.length) return r;
    await sleep(500);
  }
  return r;
}

const queryVars = vars.filter((x) => x.type === 'query');
const parseVar = (v) => v.query.match(/^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/s);

// The values of variable `v` with the variables before it set to `values`.
async function valuesOf(v, values, mode) {
  const m = parseVar(v);
  if (!check(m, `variable ${v.name}: cannot parse ${v.query}`)) return [];
  const now = Date.now() / 1000;
  let got = [];
  try {
    const selector = substitute(m[1], values);
    got = await withRetry(async () => (await promQuery(URL_, `/api/v1/label/${m[2]}/values`,
      { 'match[]': selector, start: String(now - 3600), end: String(now + 60) })).data.filter((x) => x !== ''));
    check(got.length > 0, `variable ${v.name} (${mode}): label_values(${selector}, ${m[2]}) has no values`);
  } catch (e) {
    check(false, `variable ${v.name} (${mode}): ${e.message}`);
  }
  return got;
}

// Grafana's choice when the user picks node `node`: each later variable's
// first value ("default" when there is one).
async function valuesForNode(node) {
  const chosen = {};
  for (const v of queryVars) {
    const got = await valuesOf(v, chosen, `node ${node}`);
    if (v.name === 'node') {
      check(got.includes(node), `variable node: ${node} is not among ${got.join(', ')}`);
      chosen.node = regexEscape(node);
    } else {
      chosen[v.name] = regexEscape(got.includes('default') ? 'default' : (got.sort()[0] || ''));
    }
  }
  console.log(`  node ${node}: ${JSON.stringify(chosen)}`);
  return chosen;
}

// One panel target run with the variables `values`: its series, or [].
async function runTarget(target, values, where) {
  let expr;
  try { expr = substitute(target.expr, values); } catch (e) { check(false, `${where}: ${e.message}`); return { expr, result: [] }; }
  const instant = target.instant === true && target.range !== true;
  try {
    const result = await withRetry(async () => {
      const t = Date.now() / 1000;
      const r = instant
        ? await promQuery(URL_, '/api/v1/query', { query: expr, time: String(t) })
        : await promQuery(URL_, '/api/v1/query_range', { query: expr, start: String(t - 60), end: String(t), step: '5' });
      return r.data.result;
    });
    return { expr, result };
  } catch (e) {
    check(false, `${where}: ${expr}: ${e.message}`);
    return { expr, result: [] };
  }
}

// Every panel must show series with "All" selected, and with at least one of
// the nodes selected: a panel of one network mode (the CNS pool states, say)
// shows data on the nodes of that mode only.
async function run() {
  const allValues = {};
  for (const v of queryVars) {
    await valuesOf(v, allValues, 'All');
    allValues[v.name] = v.allValue || '.*';
  }
  const nodes = (await valuesOf(queryVars.find((v) => v.name === 'node'), {}, 'All')).sort();
  const modes = [['All', allValues]];
  for (const n of nodes) modes.push([`node ${n}`, await valuesForNode(n)]);
  ok(`variables: node, namespace and pod queries return values (nodes ${nodes.join(', ')})`);

  let runs = 0;
  for (const { panel, target } of targets) {
    const where = `panel ${panel.id} "${panel.title}" ${target.refId}`;
    const shown = [];
    for (const [mode, values] of modes) {
      const { expr, result } = await runTarget(target, values, `${where} (${mode})`);
      runs++;
      if (result.length > 0) shown.push(mode);
      else if (mode === 'All') check(false, `${where} (All): no series for ${expr}`);
      if (result.length === 0) continue;
      // The legend's labels must exist on the series (else the legend is blank).
      const legendLabels = [...(target.legendFormat || '').matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1]);
      check(result.some((s) => legendLabels.every((l) => s.metric[l] !== undefined)),
        `${where} (${mode}): no series has all legend labels ${legendLabels.join(', ')}`);
    }
    check(shown.some((m) => m !== 'All'), `${where}: no series with any single node selected`);
  }
  ok(`${runs} panel queries (All, and each node with the first value of the other variables) returned series`);
  if (errors.length) {
    for (const e of errors) console.error(`FAIL: ${e}`);
    process.exit(1);
  }
  console.log('grafana dashboard: ok');
}

if (errors.length) {
  for (const e of errors) console.error(`FAIL: ${e}`);
  process.exit(1);
}
run().catch((e) => { console.error(`FAIL: ${e.stack || e}`); process.exit(1); });
