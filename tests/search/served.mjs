// Polls a served site's search with the browser client's engine (search.js)
// until every query shows what it should, as a visitor searching again and
// again would see it; prints the first search that does as JSON.
//
//   node served.mjs <base_url> <spec.json>
//
// spec.json: { "index": "soeg/indeks/", "timeout_ms": 60000, "interval_ms": 20, "warm": false,
//              "queries": [{ "q": "regnskab", "has": "Regnskab 2025",
//                            "lacks": "Budget 2025" }] }
// A query is satisfied when some result title contains `has` (if given)
// and none contains `lacks` (if given). Each round is a fresh engine (a
// visitor loading the search page again): the manifest is fetched anew,
// the content-hashed files come from the cache, as a browser's. The
// output has `at`, the wall clock (ms since 1970) when that search ended,
// and `search_ms`, how long that search took.
import fs from 'node:fs';
import { searchJs } from './engine.mjs';

const [base, specFile] = process.argv.slice(2);
if (!base || !specFile) {
  console.error('usage: node served.mjs <base_url> <spec.json>');
  process.exit(2);
}
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
const indexUrl = new URL(spec.index || 'soeg/indeks/', base).href;
// The browser's cache: every file but the manifest is named by its
// content, so a visitor who searched before reads only the manifest anew.
const cached = new Map();
const fetchBytes = async (url, fresh) => {
  if (!fresh && cached.has(url)) return cached.get(url).slice(0);
  const res = await fetch(url, fresh ? { cache: 'no-store' } : {});
  if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
  const bytes = await res.arrayBuffer();
  if (!fresh) cached.set(url, bytes.slice(0));
  return bytes;
};
// With `warm`, one search first fills the cache, as a visitor's earlier
// search would have.
if (spec.warm) {
  await new searchJs.Engine(indexUrl, fetchBytes).search(spec.queries[0].q, {}, 0, 10).catch(() => null);
}
const start = performance.now();
let last = null;
for (;;) {
  const engine = new searchJs.Engine(indexUrl, fetchBytes);
  const round = performance.now();
  try {
    const results = [];
    let ok = true;
    for (const q of spec.queries) {
      const res = await engine.search(q.q, {}, 0, 10);
      const titles = res.results.map((r) => r.title);
      const good = (!q.has || titles.some((t) => t.includes(q.has)))
        && (!q.lacks || !titles.some((t) => t.includes(q.lacks)));
      ok = ok && good;
      results.push({ q: q.q, total: res.total, titles });
    }
    const now = performance.now();
    last = { at: Date.now(), ms: Math.round(now - start), search_ms: Math.round((now - round) * 10) / 10, version: engine.manifest.version, delta: engine.delta !== null, results };
    if (ok) {
      process.stdout.write(JSON.stringify(last));
      process.exit(0);
    }
  } catch (e) {
    // A file replaced between two requests: the next round reads anew.
    last = { error: String(e) };
  }
  if (performance.now() - start > (spec.timeout_ms || 60000)) {
    console.error('not seen in time; last search: ' + JSON.stringify(last));
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, spec.interval_ms || 20));
}
