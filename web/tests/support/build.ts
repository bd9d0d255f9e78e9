import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_ROOT = resolve(WEB_DIR, '..');
export const DIST_DIR = join(WEB_DIR, 'dist');
const LOCK_DIR = join(WEB_DIR, '.build-lock');
const STALE_LOCK_MS = 5 * 60 * 1000;

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (latest, entry) => Math.max(latest, newestChange(join(path, entry))),
    stat.mtimeMs,
  );
}

function isFresh(): boolean {
  const index = join(DIST_DIR, 'index.html');
  if (!existsSync(index)) return false;
  const sources = [
    join(WEB_DIR, 'src'),
    join(WEB_DIR, 'index.html'),
    join(WEB_DIR, 'vite.config.ts'),
    join(WEB_DIR, 'public'),
  ];
  const newest = Math.max(...sources.filter(existsSync).map(newestChange));
  return statSync(index).mtimeMs >= newest;
}

/**
 * Builds web/dist when it is missing or older than web/src. Test files run in
 * parallel processes, so one builds under a lock directory and the others wait.
 */
export async function ensureWebBuild(): Promise<void> {
  for (;;) {
    if (isFresh()) return;
    try {
      mkdirSync(LOCK_DIR);
    } catch {
      if (existsSync(
        LOCK_DIR,
      ) && Date.now() - statSync(
        LOCK_DIR,
      ).mtimeMs > STALE_LOCK_MS) rmSync(LOCK_DIR, { recursive: true, force: true });
      await delay(250);
      continue;
    }
    try {
      if (isFresh()) return;
      const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
      const result = spawnSync(process.execPath, [
        vite,
        'build',
        '--config',
        join(WEB_DIR, 'vite.config.ts'),
        '--logLevel',
        'warn',
      ], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(
        `vite build failed:\n${result.stdout}\n${result.stderr}`,
      );
      return;
    } finally {
      rmSync(LOCK_DIR, { recursive: true, force: true });
    }
  }
}
