import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** Runs the CLI in a child process from an empty folder; resolves once it printed its summary. */
function startCli(args: string[], cwd: string) {
  const stdio = ['ignore', 'pipe', 'pipe'] as const;
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: [...stdio] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const summary = new Promise<Record<string, string>>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      try {
        resolve(JSON.parse(stdout));
      } catch {
        // The JSON is not complete yet.
      }
    });
    void exited.then((code) => reject(new Error(`CLI exited with ${code}: ${stderr}`)));
  });
  return { child, summary, exited, stderr: () => stderr };
}

describe('sourcesible meta-emulator', () => {
  test('prints its url, ad account, token and app, serves Graph calls, and stops cleanly on SIGTERM', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'meta-emulator-cli-'));
    try {
      const args = ['--json', 'meta-emulator', '--port', '0', '--token', 'EAAcliToken'];
      const cli = startCli(args, cwd);
      const summary = await cli.summary;

      const me = await fetch(`${summary.graphUrl}/me?access_token=${summary.accessToken}`);
      cli.child.kill('SIGTERM');

      assert.match(summary.url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(summary.adAccountId, 'act_1000000000000001');
      assert.equal(summary.accessToken, 'EAAcliToken');
      assert.match(summary.appId ?? '', /^\d+$/);
      assert.ok(summary.appSecret);
      assert.equal(me.status, 200);
      assert.equal(await cli.exited, 0);
      assert.deepEqual(await readdir(cwd), [], 'the emulator must not create a database folder');
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  test('a port that is not a number is refused with a message and exit code 1', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'meta-emulator-cli-'));
    try {
      const cli = startCli(['meta-emulator', '--port', 'eighty'], cwd);
      cli.summary.catch(() => undefined);

      const code = await cli.exited;

      assert.equal(code, 1);
      assert.match(cli.stderr(), /--port must be a number from 0 to 65535; got eighty/);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
