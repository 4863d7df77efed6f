// Small helpers shared by the deployment checks (no npm packages needed).
'use strict';

const fs = require('fs');
const path = require('path');
const http = require('http');

// promQuery('http://127.0.0.1:9090', '/api/v1/query', {query: 'up'}) -> parsed
// JSON; rejects on HTTP or API errors with Prometheus' own message.
function promQuery(base, apiPath, params) {
  const url = new URL(apiPath, base);
  for (const [k, v] of Object.entries(params)) {
    for (const one of [].concat(v)) url.searchParams.append(k, one);
  }
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(body); } catch (e) { return reject(new Error(`${apiPath}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`)); }
        if (json.status !== 'success') return reject(new Error(`${json.errorType}: ${json.error}`));
        resolve(json);
      });
    }).on('error', reject);
  });
}

// The metric names docs/metrics.md documents (first column of its tables).
// The metric names docs/metrics.md lists; a histogram's rows stand for its
// _bucket, _sum and _count series too.
function docMetrics(root) {
  const text = fs.readFileSync(path.join(root, 'docs', 'metrics.md'), 'utf8');
  const names = new Set();
  for (const m of text.matchAll(/^\|\s*`(winnet_[a-z0-9_]+)`\s*\|\s*([a-z]+)\s*\|/gm)) {
    names.add(m[1]);
    if (m[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m[1] + s);
  }
  return names;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = { promQuery, docMetrics, sleep };
