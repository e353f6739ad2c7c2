// A visitor in headless Chromium searching a site served by
// shared/tools/xfer_server.py, which logs the bytes each response put on
// the wire (gzip-compressed as a static host would). Used by search.sh.
//
//   node bench/search_visitor.mjs <base_url> <xfer_log> <spec.json>
//
// spec.json: { "cold": [{ "name": "...", "path": "/soeg/?q=..." }],
//              "warm": [{ "name": "...", "after": "/soeg/?q=...", "q": "..." }] }
// Cold: a fresh browser profile (empty cache) opens the path. Warm: on the
// results page of `after`, the visitor types `q` and presses Enter.
// Prints JSON: per scenario, requests and bytes for the index files
// (soeg/indeks/), for the item pages fetched for snippets, and for
// everything (page, CSS, script), and the time from navigation to results
// with their snippets.
import fs from 'node:fs';
import { launch } from '../tests/browser/chromium.mjs';

const [base, logFile, specFile] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));

function logLines() {
  return fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : [];
}

async function settle() {
  // xfer_server appends after sending; give it a moment.
  await new Promise((r) => setTimeout(r, 150));
}

function tally(lines) {
  const out = { index_requests: 0, index_bytes: 0, page_requests: 0, page_bytes: 0, all_requests: 0, all_bytes: 0, files: [] };
  for (const l of lines) {
    const [path, status, bytes] = l.split(' ');
    const n = Number(bytes);
    out.all_requests += 1;
    out.all_bytes += n;
    if (!path.startsWith('/soeg/') && path.endsWith('/')) {
      // An item's page, fetched for a snippet from deeper in its text.
      out.page_requests += 1;
      out.page_bytes += n;
    }
    if (path.includes('/indeks/')) {
      out.index_requests += 1;
      out.index_bytes += n;
      out.files.push(`${path.split('/').pop()} ${status} ${n}`);
    }
  }
  return out;
}

async function done(page) {
  await page.waitForFunction(() => {
    const app = document.getElementById('search-app');
    return app && app.getAttribute('data-state') === 'done' && !app.hasAttribute('data-snippets');
  }, null, { timeout: 60_000 });
}

const browser = await launch();
const results = [];
try {
  for (const c of spec.cold || []) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const before = logLines().length;
    const t0 = Date.now();
    await page.goto(base + c.path);
    await done(page);
    const ms = Date.now() - t0;
    await settle();
    results.push({ name: c.name, path: c.path, kind: 'cold', ms, ...tally(logLines().slice(before)) });
    await context.close();
  }
  for (const w of spec.warm || []) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base + w.after);
    await done(page);
    await settle();
    const before = logLines().length;
    const t0 = Date.now();
    await page.fill('#q', w.q);
    await page.press('#q', 'Enter');
    await page.waitForFunction((q) => {
      const app = document.getElementById('search-app');
      return new URLSearchParams(location.search).get('q') === q && app.getAttribute('data-state') === 'done' && !app.hasAttribute('data-snippets');
    }, w.q, { timeout: 60_000 });
    const ms = Date.now() - t0;
    await settle();
    results.push({ name: w.name, path: w.after + ' → ' + w.q, kind: 'warm', ms, ...tally(logLines().slice(before)) });
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
