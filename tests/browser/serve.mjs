// Tiny static file server for browser tests of the generated site.
//
//   import { start } from './serve.mjs';
//   const { url, close } = await start('/path/to/public');   // url = 'http://127.0.0.1:PORT'
//   ...
//   await close();
//
// As a CLI, for humans:  node serve.mjs <site_dir> [port]
//
// Behaves like a typical static host:
//   /dir/          -> /dir/index.html
//   /dir           -> 301 to /dir/ when dir is a directory
//   missing file   -> /404.html with status 404 (plain text if there is no 404.html)
// Binds only to 127.0.0.1; port 0 picks a free port.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.xsl': 'application/xslt+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

async function statOrNull(p) {
  try {
    return await fsp.stat(p);
  } catch {
    return null;
  }
}

function send(req, res, status, headers, body) {
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

async function sendFile(req, res, status, file) {
  const st = await statOrNull(file);
  if (!st || !st.isFile()) return false;
  res.writeHead(status, {
    'Content-Type': contentType(file),
    'Content-Length': st.size,
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise((resolve) => {
    const stream = fs.createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
  return true;
}

async function handle(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(req, res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, 'Method Not Allowed\n');
  }
  let pathname;
  let search = '';
  try {
    const u = new URL(req.url, 'http://localhost');
    pathname = decodeURIComponent(u.pathname);
    search = u.search;
  } catch {
    return send(req, res, 400, { 'Content-Type': 'text/plain' }, 'Bad Request\n');
  }
  if (pathname.includes('\0')) {
    return send(req, res, 400, { 'Content-Type': 'text/plain' }, 'Bad Request\n');
  }
  // Resolve inside root; refuse anything that escapes it.
  const file = path.resolve(root, '.' + path.posix.normalize('/' + pathname));
  if (file !== root && !file.startsWith(root + path.sep)) {
    return send(req, res, 403, { 'Content-Type': 'text/plain' }, 'Forbidden\n');
  }

  const st = await statOrNull(file);
  if (st && st.isDirectory()) {
    if (!pathname.endsWith('/')) {
      const loc = encodeURI(pathname + '/') + search;
      return send(req, res, 301, { Location: loc, 'Content-Type': 'text/plain' }, `Moved to ${loc}\n`);
    }
    if (await sendFile(req, res, 200, path.join(file, 'index.html'))) return;
  } else if (st && st.isFile()) {
    if (await sendFile(req, res, 200, file)) return;
  }

  if (await sendFile(req, res, 404, path.join(root, '404.html'))) return;
  return send(req, res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Not Found\n');
}

/**
 * Serve `root` on 127.0.0.1.
 * @param {string} root directory to serve
 * @param {{port?: number}} [opts] port 0 (default) picks a free port
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
export async function start(root, opts = {}) {
  const absRoot = path.resolve(root);
  const st = await statOrNull(absRoot);
  if (!st || !st.isDirectory()) throw new Error(`serve.mjs: not a directory: ${absRoot}`);
  // Follow a symlinked root so the escape check compares real paths.
  const realRoot = await fsp.realpath(absRoot);

  const sockets = new Set();
  const server = http.createServer((req, res) => {
    handle(realRoot, req, res).catch((err) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`Internal Server Error: ${err && err.message}\n`);
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = server.address().port;
  let closed = null;
  const close = () => {
    if (!closed) {
      closed = new Promise((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections from the browser would otherwise hold close() open.
        for (const s of sockets) s.destroy();
      });
    }
    return closed;
  };
  return { url: `http://127.0.0.1:${port}`, port, close };
}

// CLI: node serve.mjs <site_dir> [port]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, port] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node serve.mjs <site_dir> [port]');
    process.exit(2);
  }
  const srv = await start(dir, { port: port ? Number(port) : 0 });
  console.log(`serving ${path.resolve(dir)} at ${srv.url}/  (Ctrl-C to stop)`);
  const stop = () => srv.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
