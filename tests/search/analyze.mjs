// The browser client's text analysis (search.js), for comparison with the
// build's: prints {"texts": [[term, ...], ...], "stems": [...],
// "cases": [[caseTerm, looksLikeCase], ...]} for the input's texts, words
// (stemmed as they are) and case-number candidates.
//
//   node analyze.mjs <input.json>   input: {"texts": [], "words": [], "cases": []}
import fs from 'node:fs';
import { searchJs } from './engine.mjs';

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const out = {
  texts: (input.texts || []).map((t) => searchJs.analyze(t)),
  stems: (input.words || []).map((w) => searchJs.stem(w)),
  cases: (input.cases || []).map((c) => [searchJs.caseTerm(c), searchJs.looksLikeCase(c)]),
};
process.stdout.write(JSON.stringify(out));
