// Loads themes/default/static/search.js in node and runs its engine over a
// built site's index read from disk. Shared by the node test scripts.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const searchJs = require(path.join(here, '..', '..', 'themes', 'default', 'static', 'search.js'));

/** An engine over `<siteDir>/<indexDir>`, counting the files it reads. */
export function engineFor(siteDir, indexDir = 'soeg/indeks/') {
  const reads = [];
  const base = 'file:///' + indexDir;
  const fetchBytes = async (url) => {
    const rel = url.slice('file:///'.length);
    // A folder's URL is its index.html, as on a static host.
    const file = path.join(siteDir, rel.endsWith('/') || rel === '' ? rel + 'index.html' : rel);
    const buf = fs.readFileSync(file);
    reads.push({ file: rel, bytes: buf.length });
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  };
  const engine = new searchJs.Engine(base, fetchBytes);
  return { engine, reads };
}
