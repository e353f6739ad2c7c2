// Requests and bytes of cold searches beyond search.sh's fixed queries:
// two words taken from the title of random items of the archive (words
// that go together, as a citizen would type them), and two words of five
// letters or more taken from the text of random items (mostly the
// archive's most common words), each searched by a fresh engine over the
// built index, once without and once with the item's committee as
// filter. Prints the distributions as JSON: `plain` and `committee` for
// the titles' words, `text_plain` and `text_committee` for the texts'.
//
//   node bench/search_requests.mjs <site_dir> <public_dir> [queries] [seed]
// <site_dir> holds the archive's content/, <public_dir> its built site.
import fs from 'node:fs';
import path from 'node:path';
import { engineFor } from '../tests/search/engine.mjs';

const [siteDir, pub, countArg, seedArg] = process.argv.slice(2);
const count = Number(countArg) || 200;
let seed = Number(seedArg) || 1;
// xorshift32: the same queries for the same seed on every machine.
const random = () => {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
};

const items = [];
const walk = (dir, depth) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, depth + 1);
    else if (depth === 2 && e.name.endsWith('.md')) items.push(p);
  }
};
const content = path.join(siteDir, 'content');
for (const c of fs.readdirSync(content).sort()) {
  if (c !== 'pages' && fs.statSync(path.join(content, c)).isDirectory()) walk(path.join(content, c), 1);
}

// Two distinct words of `words(file text)` of a random open item.
const pick = (words) => {
  const queries = [];
  while (queries.length < count) {
    const file = items[Math.floor(random() * items.length)];
    const text = fs.readFileSync(file, 'utf8');
    if (/^closed\s*=\s*true/m.test(text)) continue;
    const list = [...new Set(words(text))];
    if (list.length < 2) continue;
    const a = Math.floor(random() * list.length);
    let b = Math.floor(random() * (list.length - 1));
    if (b >= a) b++;
    const committee = path.relative(content, file).split(path.sep)[0];
    queries.push({ q: `${list[a]} ${list[b]}`, committee });
  }
  return queries;
};
const titleWords = (text) => {
  const title = /^title\s*=\s*"([^"]*)"/m.exec(text);
  return title ? title[1].toLowerCase().match(/[a-zæøå]{4,}/g) || [] : [];
};
// The Markdown after the front matter.
const textWords = (text) => text.split(/^\+\+\+$/m).slice(2).join(' ').toLowerCase().match(/[a-zæøå]{5,}/g) || [];

const runs = { plain: [], committee: [], text_plain: [], text_committee: [] };
for (const [prefix, queries] of [['', pick(titleWords)], ['text_', pick(textWords)]]) {
  for (const { q, committee } of queries) {
    for (const [kind, filters] of [['plain', { committee: '' }], ['committee', { committee }]]) {
      const { engine, reads } = engineFor(pub);
      const res = await engine.search(q, { year: '', decisions: false, ...filters }, 0, 10);
      runs[prefix + kind].push({ q, committee: filters.committee, hits: res.total, requests: reads.length, bytes: reads.reduce((s, r) => s + r.bytes, 0) });
    }
  }
}

const quantile = (xs, p) => xs.slice().sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const summary = {};
for (const [kind, rs] of Object.entries(runs)) {
  const req = rs.map((r) => r.requests);
  const kb = rs.map((r) => r.bytes / 1024);
  summary[kind] = {
    queries: rs.length,
    requests: { median: quantile(req, 0.5), p90: quantile(req, 0.9), max: Math.max(...req) },
    under5: rs.filter((r) => r.requests < 5).length / rs.length,
    kb: { median: +quantile(kb, 0.5).toFixed(1), p90: +quantile(kb, 0.9).toFixed(1), max: +Math.max(...kb).toFixed(1) },
    worst: rs.slice().sort((x, y) => y.requests - x.requests).slice(0, 3).map((r) => `${r.q} (${r.committee || 'all'}): ${r.requests}`),
  };
}
console.log(JSON.stringify(summary, null, 1));
