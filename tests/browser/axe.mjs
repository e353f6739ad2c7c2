// Accessibility check of generated pages: axe-core in headless Chromium.
//
//   node axe.mjs [options] <site_dir> <url_path>...
//   node axe.mjs public / /hovedudvalget/2025-03-04/
//
// For every path:
//   * loads the page from a local static server (serve.mjs) at 1280x800,
//   * runs axe-core with the WCAG 2.0/2.1 A and AA rules,
//   * at a 320px-wide viewport checks there is no horizontal scrolling
//     (WCAG 1.4.10 Reflow), and that what scrolls there on its own (a
//     wide table) can be reached by keyboard (axe's
//     scrollable-region-focusable, which at 1280px has nothing to test),
//   * counts console errors, uncaught page errors, failed requests, requests
//     that leave the machine, and a non-2xx status of the page itself
//     as failures.
// Prints a readable report, then ONE final line of JSON (the whole result).
// Exit status: 0 = no failures, 1 = failures, 2 = usage error or the harness
// itself broke (no Chromium, server error, ...).
//
// Options:
//   --color-scheme=light|dark|both   emulated prefers-color-scheme (default light)
//   --tags=wcag2a,wcag2aa,...        axe rule tags (default WCAG 2.0/2.1 A + AA)
//   --disable=rule-id,rule-id        axe rules to switch off
//   --no-reflow                      skip the 320px check

import path from 'node:path';
import { createRequire } from 'node:module';
import { start } from './serve.mjs';
import { launch, isLocal } from './chromium.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_VERSION = require('axe-core/package.json').version;

const DEFAULT_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = { width: 1280, height: 800 };
const REFLOW_WIDTH = 320;
const NAV_TIMEOUT = 30_000;

function usage(msg) {
  if (msg) console.error(`axe.mjs: ${msg}`);
  console.error(
    'usage: node axe.mjs [--color-scheme=light|dark|both] [--tags=a,b] [--disable=rule,rule] [--no-reflow] <site_dir> <url_path>...',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { schemes: ['light'], tags: DEFAULT_TAGS, disable: [], reflow: true };
  const positional = [];
  for (const a of argv) {
    if (a === '--') continue;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [k, v = ''] = a.slice(2).split(/=(.*)/s);
    if (k === 'color-scheme') {
      if (v === 'both') opts.schemes = ['light', 'dark'];
      else if (v === 'light' || v === 'dark') opts.schemes = [v];
      else usage(`bad --color-scheme: ${v}`);
    } else if (k === 'tags') {
      opts.tags = v.split(',').filter(Boolean);
    } else if (k === 'disable') {
      opts.disable = v.split(',').filter(Boolean);
    } else if (k === 'no-reflow') {
      opts.reflow = false;
    } else if (k === 'help') {
      usage();
    } else {
      usage(`unknown option --${k}`);
    }
  }
  if (positional.length < 2) usage('need a site directory and at least one url path');
  const [siteDir, ...paths] = positional;
  return { opts, siteDir, paths: paths.map((p) => (p.startsWith('/') ? p : '/' + p)) };
}

async function checkPage(browser, baseUrl, urlPath, scheme, opts) {
  const result = {
    path: urlPath,
    colorScheme: scheme,
    status: null,
    violations: [],
    incomplete: 0,
    reflow: null,
    errors: [], // console errors, uncaught exceptions, failed/external requests
    failures: 0,
  };
  const context = await browser.newContext({
    viewport: DESKTOP,
    colorScheme: scheme,
    reducedMotion: 'reduce',
    bypassCSP: true, // lets us inject axe even if the page has a strict CSP meta tag
  });
  const page = await context.newPage();
  page.setDefaultTimeout(NAV_TIMEOUT);
  const problems = result.errors;
  const httpErrorUrls = new Set();

  // Nothing but our own server is reachable; refuse outside requests quickly
  // instead of waiting for them to time out, and report them.
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (isLocal(u, baseUrl)) return route.continue();
    problems.push(`external request blocked: ${u}`);
    return route.abort('blockedbyclient');
  });
  page.on('console', (msg) => {
    // "Failed to load resource" duplicates what the request/response handlers report.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      const loc = msg.location();
      const where = loc && loc.url ? ` (${loc.url}${loc.lineNumber ? ':' + loc.lineNumber : ''})` : '';
      problems.push(`console error: ${msg.text()}${where}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err && err.message ? err.message : err}`));
  page.on('requestfailed', (req) => {
    if (!isLocal(req.url(), baseUrl)) return; // already reported as external
    if (httpErrorUrls.has(req.url())) return; // already reported with its HTTP status
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? 'unknown'})`);
  });
  page.on('response', (resp) => {
    if (resp.status() < 400) return;
    const req = resp.request();
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) return; // reported via status below
    httpErrorUrls.add(resp.url());
    problems.push(`HTTP ${resp.status()} for ${resp.url()}`);
  });

  try {
    const resp = await page.goto(baseUrl + urlPath, { waitUntil: 'load' });
    result.status = resp ? resp.status() : null;
    if (!resp || resp.status() < 200 || resp.status() >= 300) {
      problems.push(`page itself answered HTTP ${result.status} (wrong path?)`);
    }
    // Let late scripts/fonts settle; ignore if the page keeps a connection open.
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});

    await page.addScriptTag({ path: AXE_PATH });
    const axeOptions = {
      runOnly: { type: 'tag', values: opts.tags },
      resultTypes: ['violations'],
      rules: Object.fromEntries(opts.disable.map((id) => [id, { enabled: false }])),
    };
    const axeResult = await page.evaluate(async (o) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, o);
      return {
        incomplete: r.incomplete.length,
        violations: r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({
            target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)),
            html: n.html.length > 200 ? n.html.slice(0, 200) + '…' : n.html,
            summary: n.failureSummary,
          })),
        })),
      };
    }, axeOptions);
    result.violations = axeResult.violations;
    result.incomplete = axeResult.incomplete;

    if (opts.reflow) {
      await page.setViewportSize({ width: REFLOW_WIDTH, height: 640 });
      // Two frames so layout and resize observers have run.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      result.reflow = await page.evaluate(() => {
        const sw = document.documentElement.scrollWidth;
        const iw = window.innerWidth;
        const offenders = [];
        if (sw > iw) {
          const describe = (el) => {
            let s = el.tagName.toLowerCase();
            if (el.id) s += '#' + el.id;
            else if (el.classList.length) s += '.' + [...el.classList].slice(0, 3).join('.');
            return s;
          };
          // Outermost elements sticking out to the right.
          for (const el of document.body ? document.body.querySelectorAll('*') : []) {
            const r = el.getBoundingClientRect();
            if (r.right > iw + 0.5 && r.width > 0) {
              const p = el.parentElement;
              const pr = p ? p.getBoundingClientRect() : null;
              if (!pr || pr.right <= iw + 0.5) {
                offenders.push(`${describe(el)} (right edge at ${Math.round(r.right)}px)`);
                if (offenders.length >= 8) break;
              }
            }
          }
        }
        return { width: iw, scrollWidth: sw, ok: sw <= iw, offenders };
      });
      // What scrolls only on a phone (a wide table in its own area) must
      // be reachable by keyboard there too: axe's rule, at this width.
      const narrow = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { runOnly: ['scrollable-region-focusable'], resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id + ' at 320px',
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html.slice(0, 200), summary: n.failureSummary })),
        }));
      });
      result.violations.push(...narrow);
    }
  } catch (err) {
    problems.push(`check aborted: ${err && err.message ? err.message.split('\n')[0] : err}`);
  } finally {
    await context.close().catch(() => {});
  }
  result.failures =
    result.violations.length + (result.reflow && !result.reflow.ok ? 1 : 0) + result.errors.length;
  return result;
}

function report(results) {
  const lines = [];
  for (const r of results) {
    const label = `${r.path}${r.colorScheme !== 'light' ? ` [${r.colorScheme}]` : ''}`;
    if (r.failures === 0) {
      lines.push(`ok    ${label}` + (r.incomplete ? `  (${r.incomplete} axe checks need manual review)` : ''));
      continue;
    }
    lines.push(`FAIL  ${label}  (HTTP ${r.status ?? '-'})`);
    for (const v of r.violations) {
      lines.push(`  axe ${v.id} [${v.impact}]: ${v.help}`);
      lines.push(`      ${v.helpUrl}`);
      for (const n of v.nodes.slice(0, 10)) {
        lines.push(`      - ${n.target.join(', ')}`);
        lines.push(`        ${n.html.replace(/\s+/g, ' ')}`);
      }
      if (v.nodes.length > 10) lines.push(`      … and ${v.nodes.length - 10} more elements`);
    }
    if (r.reflow && !r.reflow.ok) {
      lines.push(
        `  reflow: horizontal scroll at ${r.reflow.width}px wide (scrollWidth ${r.reflow.scrollWidth}px); WCAG 1.4.10`,
      );
      for (const o of r.reflow.offenders) lines.push(`      - ${o}`);
    }
    for (const e of r.errors) lines.push(`  ${e}`);
  }
  return lines.join('\n');
}

async function main() {
  const { opts, siteDir, paths } = parseArgs(process.argv.slice(2));
  let server;
  let browser;
  try {
    server = await start(siteDir);
    browser = await launch();
    const results = [];
    for (const p of paths) {
      for (const scheme of opts.schemes) {
        results.push(await checkPage(browser, server.url, p, scheme, opts));
      }
    }
    const failed = results.filter((r) => r.failures > 0);
    console.log(`axe-core ${AXE_VERSION}, tags ${opts.tags.join(',')}, site ${path.resolve(siteDir)}`);
    console.log(report(results));
    const totalViolations = results.reduce((n, r) => n + r.violations.length, 0);
    console.log(
      `axe summary: ${results.length} page checks, ${failed.length} with failures, ` +
        `${totalViolations} axe rule violations`,
    );
    console.log(
      JSON.stringify({
        ok: failed.length === 0,
        axeVersion: AXE_VERSION,
        tags: opts.tags,
        pages: results.length,
        failedPages: failed.length,
        violations: totalViolations,
        results,
      }),
    );
    return failed.length === 0 ? 0 : 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`axe.mjs: harness error: ${err && err.stack ? err.stack : err}`);
    console.log(JSON.stringify({ ok: false, error: String(err && err.message ? err.message : err) }));
    process.exit(2);
  },
);
