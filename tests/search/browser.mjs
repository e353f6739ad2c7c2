// The search page in headless Chromium, under a strict
// Content-Security-Policy (no inline script, no eval, no WebAssembly).
//
//   node browser.mjs <site_dir> <spec.json>
//
// spec.json:
//   { "searches": ["/soeg/?q=lokalplan", ...],      // load, wait, read results
//     "more": "/soeg/?q=...",                        // then "show more"
//     "typeahead": { "path": "/", "input": "#site-search", "text": "skole" },
//     "submit": { "path": "/soeg/", "q": "...", "committee": "slug" },
//     "filter": { "path": "/soeg/?q=...", "year": "2026" }, // change a filter after a search
//     "axe": "/soeg/?q=..." }                         // axe-core on a results page
// Prints one line of JSON with what a visitor would see, plus every
// console error, page error, CSP violation and failed request. Exit 2 when
// the harness itself breaks; the Rust test judges the observations.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { start } from '../browser/serve.mjs';
import { launch, isLocal } from '../browser/chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireBrowser = createRequire(path.join(here, '..', 'browser', 'package.json'));

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const [siteDir, specFile] = process.argv.slice(2);
if (!siteDir || !specFile) {
  console.error('usage: node browser.mjs <site_dir> <spec.json>');
  process.exit(2);
}
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));

const out = { errors: [], failed: [], searches: [] };
let server;
let browser;
try {
  server = await start(siteDir);
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every response carries the strict policy, as a careful host would send.
  await context.route('**/*', async (route) => {
    if (!isLocal(route.request().url(), server.url)) return route.abort('blockedbyclient');
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'content-security-policy': CSP },
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') out.errors.push(m.text());
  });
  page.on('pageerror', (e) => out.errors.push('page error: ' + e.message));
  page.on('requestfailed', (r) => out.failed.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) out.failed.push(`${r.status()} ${r.url()}`);
  });

  const waitDone = () =>
    page.waitForFunction(() => {
      const app = document.getElementById('search-app');
      const s = app && app.getAttribute('data-state');
      // Snippets still coming from the results' pages count as not done.
      return (s === 'done' || s === 'error' || s === 'empty') && !app.hasAttribute('data-snippets');
    }, null, { timeout: 20_000 });

  const read = () =>
    page.evaluate(() => {
      const app = document.getElementById('search-app');
      const status = document.getElementById('search-status');
      const more = document.getElementById('search-more');
      return {
        state: app.getAttribute('data-state'),
        url: location.pathname + location.search,
        status: status.textContent,
        statusRole: status.getAttribute('role'),
        statusLive: status.getAttribute('aria-live'),
        moreVisible: !more.hidden,
        form: {
          q: document.getElementById('q').value,
          udvalg: document.getElementById('udvalg').value,
          aar: document.getElementById('aar').value,
        },
        results: Array.from(document.querySelectorAll('#search-results > li')).map((li) => {
          const a = li.querySelector('h3 a');
          return {
            title: a.textContent,
            href: a.getAttribute('href'),
            meta: li.querySelector('.search-result-meta').textContent,
            snippet: (li.querySelector('.search-result-snippet') || {}).textContent || '',
            marks: Array.from(li.querySelectorAll('mark')).map((m) => m.textContent),
            // The language of each part, where it says one (null: the page's).
            lang: {
              title: a.getAttribute('lang'),
              titlePart: (a.querySelector('[lang]') || { textContent: null }).textContent,
              committee: li.querySelector('.search-result-meta').firstElementChild?.getAttribute('lang') ?? null,
              snippet: li.querySelector('.search-result-snippet')?.getAttribute('lang') ?? null,
            },
          };
        }),
      };
    });

  for (const p of spec.searches || []) {
    await page.goto(server.url + p, { waitUntil: 'load' });
    await waitDone();
    out.searches.push({ path: p, ...(await read()) });
  }

  if (spec.more) {
    await page.goto(server.url + spec.more, { waitUntil: 'load' });
    await waitDone();
    const before = (await read()).results.length;
    await page.click('#search-more');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results > li').length > n, before);
    await waitDone();
    const after = await read();
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('href'));
    out.more = { before, after: after.results.length, status: after.status, focused, eleventh: after.results[before] };
  }

  if (spec.typeahead) {
    const t = spec.typeahead;
    await page.goto(server.url + t.path, { waitUntil: 'load' });
    await page.focus(t.input);
    await page.keyboard.type(t.text, { delay: 30 });
    await page.waitForSelector('[role=listbox]:not([hidden]) [role=option]', { timeout: 10_000 });
    const info = await page.evaluate((sel) => {
      const input = document.querySelector(sel);
      const list = document.getElementById(input.getAttribute('aria-controls'));
      return {
        role: input.getAttribute('role'),
        expanded: input.getAttribute('aria-expanded'),
        options: Array.from(list.querySelectorAll('[role=option]')).map((o) => o.textContent),
        optionLangs: Array.from(list.querySelectorAll('[role=option]')).map((o) => o.getAttribute('lang')),
      };
    }, t.input);
    await page.keyboard.press('ArrowDown');
    info.active = await page.evaluate((sel) => {
      const input = document.querySelector(sel);
      const id = input.getAttribute('aria-activedescendant');
      const el = id && document.getElementById(id);
      return el ? { text: el.textContent, selected: el.getAttribute('aria-selected') } : null;
    }, t.input);
    info.expandedBefore = await page.$eval(t.input, (i) => i.getAttribute('aria-expanded'));
    // Enter on the suggestion searches for it on the search page.
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => location.search.includes('q=') && document.getElementById('search-app')?.getAttribute('data-state') === 'done',
      null,
      { timeout: 20_000 },
    );
    await waitDone();
    info.searched = await read();
    info.value = await page.$eval('#q', (i) => i.value);
    out.typeahead = info;
  }

  if (spec.submit) {
    const s = spec.submit;
    await page.goto(server.url + s.path, { waitUntil: 'load' });
    await waitDone();
    await page.fill('#q', s.q);
    if (s.committee) await page.selectOption('#udvalg', s.committee);
    await page.press('#q', 'Enter');
    // The page had no query ('empty'); it is done when the new one is.
    await page.waitForFunction(
      () => location.search.includes('q=') && document.getElementById('search-app').getAttribute('data-state') === 'done',
      null,
      { timeout: 20_000 },
    );
    await waitDone();
    out.submit = await read();
    await page.goBack();
    await waitDone();
    out.submit.back = await read();
  }

  if (spec.filter) {
    // A filter changed after a search runs it again, with the filter in the URL.
    const f = spec.filter;
    await page.goto(server.url + f.path, { waitUntil: 'load' });
    await waitDone();
    await page.selectOption('#aar', f.year);
    await page.waitForFunction(
      (y) => location.search.includes('aar=' + y) && document.getElementById('search-app').getAttribute('data-state') === 'done',
      f.year,
      { timeout: 20_000 },
    );
    await waitDone();
    out.filter = await read();
  }

  if (spec.axe) {
    await page.goto(server.url + spec.axe, { waitUntil: 'load' });
    await waitDone();
    const source = fs.readFileSync(requireBrowser.resolve('axe-core/axe.min.js'), 'utf8');
    // evaluate() runs outside the page's CSP, as a browser extension would.
    await page.evaluate(source);
    out.axe = await page.evaluate(async () => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    });
  }
  console.log(JSON.stringify(out));
} catch (e) {
  console.error('browser.mjs:', e && e.stack ? e.stack : e);
  process.exitCode = 2;
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) await server.close().catch(() => {});
}
