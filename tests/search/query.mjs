// Runs searches with the browser client's engine (search.js) in node,
// reading a built site's index from disk, and prints the results as JSON.
//
//   node query.mjs <site_dir> <requests.json>
//
// requests.json: { "index": "soeg/indeks/", "limit": 10, "deep": true,
//                  "queries": [{ "q": "lokalplan", "committee": "slug",
//                                "year": 2024, "decisions": true }] }
// Each query runs on a fresh engine (a cold visitor) and reports the
// files it read and their sizes. With "deep", results then get snippets
// from their pages as on the search page (`page_reads`).
import fs from 'node:fs';
import { engineFor } from './engine.mjs';

const [siteDir, requestFile] = process.argv.slice(2);
if (!siteDir || !requestFile) {
  console.error('usage: node query.mjs <site_dir> <requests.json>');
  process.exit(2);
}
const req = JSON.parse(fs.readFileSync(requestFile, 'utf8'));
const out = [];
for (const q of req.queries) {
  const { engine, reads } = engineFor(siteDir, req.index || 'soeg/indeks/');
  // How many words' whole postings the search decoded (for the tests of
  // what a search may skip).
  let postingLists = 0;
  const allPostings = engine.allPostings.bind(engine);
  engine.allPostings = (entry) => {
    postingLists += 1;
    return allPostings(entry);
  };
  const filters = { committee: q.committee || '', year: q.year || '', decisions: !!q.decisions };
  const t0 = performance.now();
  const res = await engine.search(q.q, filters, 0, req.limit || 10);
  const ms = performance.now() - t0;
  // Then, as the search page does, snippets from the results' pages where
  // the stored ones leave words of the query unexplained.
  const indexReads = reads.length;
  if (req.deep) {
    const terms = new Set(res.terms.filter((k) => k[0] !== '#'));
    await Promise.all(res.results.map((r) => engine.deepen(r, terms, 'file:///')));
  }
  out.push({
    q: q.q,
    terms: res.terms,
    total: res.total,
    results: res.results.map((r) => ({
      doc: r.doc,
      score: r.score,
      path: r.url,
      title: r.title,
      kind: r.kind,
      committee: r.committee,
      in_decision: r.inDecision,
      snippet: r.snippet.map((p) => (p.mark ? `[${p.text}]` : p.text)).join(''),
    })),
    suggestions: q.suggest ? await engine.suggest(q.suggest, 8) : undefined,
    reads: reads.slice(0, indexReads),
    page_reads: reads.slice(indexReads),
    posting_lists: postingLists,
    ms,
  });
}
process.stdout.write(JSON.stringify(out));
