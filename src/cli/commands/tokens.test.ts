import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { withApp } from '../../app.ts';
import { findTokenUser } from '../../server/auth/api-tokens.ts';
import { runCommand } from '../../testing/cli.ts';
import { registerTokensCommand } from './tokens.ts';

let dataDir: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sourcesible-tokens-cli-'));
});
after(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Runs `sourcesible --json --data-dir <tmp> tokens <args>` in process; returns its parsed output. */
async function tokens(...args: string[]): Promise<any> {
  return JSON.parse(await runCommand(registerTokensCommand, ['--json', '--data-dir', dataDir, 'tokens', ...args]));
}

describe('sourcesible tokens', () => {
  test('create prints a token once that authenticates as the admin; list never shows it', async () => {
    const created = await tokens('create', '--name', 'nightly export');
    const listed = await tokens('list');

    assert.match(created.token, /^ssbl_[A-Za-z0-9_-]{43}$/);
    assert.match(created.generatedAdminPassword ?? '', /^[A-Za-z2-9]{20}$/);
    assert.deepEqual(listed.map((token: { name: string }) => token.name), ['nightly export']);
    assert.ok(!JSON.stringify(listed).includes(created.token));
    const user = await withApp({ dataDir }, (app) => findTokenUser(app.db, created.token));
    assert.equal(user?.username, 'admin');
  });

  test('revoke makes the token useless', async () => {
    const created = await tokens('create', '--name', 'short-lived');

    await tokens('revoke', String(created.id));

    const user = await withApp({ dataDir }, (app) => findTokenUser(app.db, created.token));
    assert.equal(user, undefined);
  });
});
