// node client.mjs <site_public_dir> <requests.json>: runs each query on a cold
// engine and (mode warm) on one shared engine, prints JSON (for fuzz.py).
import fs from 'node:fs';
import { engineFor } from '../engine.mjs';
const [siteDir, reqFile] = process.argv.slice(2);
const req = JSON.parse(fs.readFileSync(reqFile, 'utf8'));
const warm = engineFor(siteDir).engine;
const out = [];
const conv = (res) => ({
  terms: res.terms, total: res.total,
  results: res.results.map((r) => ({ doc: r.doc, score: r.score, path: r.url, title: r.title })),
});
for (const q of req.queries) {
  const filters = { committee: q.committee || '', year: q.year || '', decisions: !!q.decisions };
  const o = {};
  try {
    const { engine, reads } = engineFor(siteDir);
    o.cold = conv(await engine.search(q.q, filters, q.from || 0, q.to || 10));
    o.cold.kinds = [...new Set(reads.map((r) => r.file.split('/').pop().split(/[-.]/)[0]))];
  } catch (e) { o.cold = { error: String(e && e.stack || e) }; }
  try {
    o.warm = conv(await warm.search(q.q, filters, q.from || 0, q.to || 10));
  } catch (e) { o.warm = { error: String(e && e.stack || e) }; }
  out.push(o);
}
process.stdout.write(JSON.stringify(out));
