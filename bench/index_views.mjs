// What the search index's term shards hold, by view: files, bytes before
// and after gzip, terms, terms in at most 10 documents of the archive
// ("rare": their global shard holds all their documents' metadata), and
// metadata records, with those only rare terms use. Parsed with search.js.
//
//   node bench/index_views.mjs <public>/soeg/indeks
import fs from 'node:fs';
import zlib from 'node:zlib';
import { searchJs } from '../tests/search/engine.mjs';

const dir = process.argv[2];
const shards = [];
const globalDf = new Map();
for (const f of fs.readdirSync(dir).sort()) {
  const m = /^t-[0-9a-f]+-(?:(c|y)\d+-)?\d+\.bin$/.exec(f);
  if (!m) continue;
  const gz = fs.readFileSync(`${dir}/${f}`);
  const raw = zlib.gunzipSync(gz);
  const shard = searchJs.parseShard(new Uint8Array(raw));
  const view = { c: 'committees', y: 'years' }[m[1]] || 'all';
  shards.push({ view, shard, raw: raw.length, gz: gz.length });
  if (view === 'all') for (const [k, t] of shard.terms) globalDf.set(k, t.df);
}
const stats = {};
for (const { view, shard, raw, gz } of shards) {
  const s = (stats[view] ||= { files: 0, raw: 0, gzip: 0, terms: 0, rare_terms: 0, metadata: 0, metadata_only_rare: 0 });
  s.files++;
  s.raw += raw;
  s.gzip += gz;
  s.terms += shard.terms.size;
  const common = new Map();
  for (const [k, t] of shard.terms) {
    const rare = (globalDf.get(k) ?? Infinity) <= 10;
    if (rare) s.rare_terms++;
    for (const d of t.metaDocs) common.set(d, common.get(d) || !rare);
  }
  s.metadata += shard.meta.size;
  for (const c of common.values()) if (!c) s.metadata_only_rare++;
}
console.log(JSON.stringify(stats, null, 1));
