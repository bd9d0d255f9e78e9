import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import type { Hono } from 'hono';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const MISSING_BUILD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sourcesible Activation</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>Sourcesible Activation</h1>
<p>The server and its REST API are running, but the web app has not been built yet.</p>
<p>Build it with <code>npm run build:web</code>, then reload this page.</p>
<p>Meanwhile the API reference is at <a href="/api/docs">/api/docs</a> (log in first through
<code>POST /api/auth/login</code>, or send an API token).</p></body></html>`;

/**
 * Serves the built web app: files from `dir`, and index.html for any other
 * path outside /api so that the app's own router handles deep links. Without a
 * build, every page says how to make one.
 */
export function serveWebApp(app: Hono<any>, dir: string): void {
  const root = resolve(dir);
  const index = join(root, 'index.html');

  app.get('*', async (c) => {
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) return c.notFound();
    if (!existsSync(index)) return c.html(MISSING_BUILD_PAGE, 200);

    const file = findFile(root, c.req.path);
    if (file) {
      // Vite fingerprints what it puts under assets/, so those never change under one name.
      const immutable = relative(root, file).startsWith(`assets${sep}`);
      c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      c.header('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
      return c.body(await readFile(file), 200);
    }
    // A missing asset is a 404; any other path is a page of the app.
    if (extname(c.req.path) !== '' && !c.req.path.endsWith('.html')) return c.notFound();
    c.header('Cache-Control', 'no-cache');
    return c.html(await readFile(index, 'utf8'), 200);
  });
}

/** The file a URL path names inside root, never outside it (`..`, encoded or not). */
function findFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const candidate = resolve(root, `.${normalize(`/${decoded}`)}`);
  if (candidate !== root && !candidate.startsWith(`${root}${sep}`)) return undefined;
  if (!existsSync(candidate) || !statSync(candidate).isFile()) return undefined;
  return candidate;
}
