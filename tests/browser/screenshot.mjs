// Full-page screenshot of one generated page, for humans to look at.
//
//   node screenshot.mjs [--dark] <site_dir> <url_path> <out.png> [width]
//   node screenshot.mjs public /hovedudvalget/2025-03-04/ /tmp/page.png 320
//
// width defaults to 1280; the height grows to the whole page.

import path from 'node:path';
import { start } from './serve.mjs';
import { launch, isLocal } from './chromium.mjs';

function usage(msg) {
  if (msg) console.error(`screenshot.mjs: ${msg}`);
  console.error('usage: node screenshot.mjs [--dark] <site_dir> <url_path> <out.png> [width]');
  process.exit(2);
}

const argv = process.argv.slice(2);
const dark = argv.includes('--dark');
const positional = argv.filter((a) => !a.startsWith('--'));
if (argv.some((a) => a.startsWith('--') && a !== '--dark')) usage('unknown option');
if (positional.length < 3 || positional.length > 4) usage();
const [siteDir, rawPath, out, widthArg] = positional;
const urlPath = rawPath.startsWith('/') ? rawPath : '/' + rawPath;
const width = widthArg ? Number.parseInt(widthArg, 10) : 1280;
if (!Number.isFinite(width) || width < 100 || width > 5000) usage(`bad width: ${widthArg}`);

let server;
let browser;
let code = 0;
try {
  server = await start(siteDir);
  browser = await launch();
  const context = await browser.newContext({
    viewport: { width, height: 800 },
    colorScheme: dark ? 'dark' : 'light',
    reducedMotion: 'reduce',
  });
  await context.route('**/*', (route) =>
    isLocal(route.request().url(), server.url) ? route.continue() : route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error(`console error: ${m.text()}`));
  page.on('pageerror', (e) => console.error(`uncaught exception: ${e.message}`));
  const resp = await page.goto(server.url + urlPath, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  await page.screenshot({ path: out, fullPage: true });
  const status = resp ? resp.status() : 'no response';
  console.log(`${path.resolve(out)}  (${urlPath}, ${width}px wide, HTTP ${status}${dark ? ', dark' : ''})`);
  if (!resp || resp.status() >= 400) code = 1;
} catch (err) {
  console.error(`screenshot.mjs: ${err && err.message ? err.message : err}`);
  code = 2;
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) await server.close();
}
process.exit(code);
