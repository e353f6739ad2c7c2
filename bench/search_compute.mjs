// Client compute time of search.js in node: inflating, parsing and
// searching the index files with every file already in memory, so that
// no network or disk time is counted. Used by search.sh.
//
//   node bench/search_compute.mjs <site_dir> <runs> <spec.json>
// spec.json: [{ "name": "...", "q": "...", "committee": "slug" }]
import fs from 'node:fs';
import path from 'node:path';
import { searchJs } from '../tests/search/engine.mjs';

const [siteDir, runsArg, specFile] = process.argv.slice(2);
const runs = Number(runsArg) || 5;
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
const base = 'mem:///soeg/indeks/';
const memory = new Map();
const load = (url) => {
  if (!memory.has(url)) {
    const buf = fs.readFileSync(path.join(siteDir, url.slice('mem:///'.length)));
    memory.set(url, buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  }
  return memory.get(url);
};
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const out = [];
for (const s of spec) {
  const filters = { committee: s.committee || '', year: s.year || '', decisions: !!s.decisions };
  // First run reads the files it needs into memory.
  await new searchJs.Engine(base, async (u) => load(u)).search(s.q, filters, 0, 10);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const engine = new searchJs.Engine(base, async (u) => memory.get(u) || load(u));
    const t0 = performance.now();
    await engine.search(s.q, filters, 0, 10);
    times.push(performance.now() - t0);
  }
  out.push({ name: s.name, ms: median(times) });
}
console.log(JSON.stringify(out));
