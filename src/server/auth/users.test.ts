import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Context } from '../../app.ts';
import { openTestContext } from '../../testing/context.ts';
import { checkLogin, ensureAdminUser } from './users.ts';

describe('the admin account', () => {
  let ctx: Context & { close(): Promise<void> };

  before(async () => {
    ctx = await openTestContext();
  });
  after(async () => {
    await ctx.close();
  });

  test('is created on first start with a generated password, returned once', async () => {
    const first = await ensureAdminUser(ctx.db);
    const second = await ensureAdminUser(ctx.db);

    assert.equal(first.user.username, 'admin');
    assert.match(first.generatedPassword ?? '', /^[A-Za-z2-9]{20}$/);
    assert.equal(second.generatedPassword, null);
    assert.equal(second.user.id, first.user.id);
    assert.deepEqual(await checkLogin(ctx.db, 'admin', first.generatedPassword!), first.user);
  });

  test('takes SOURCESIBLE_ADMIN_PASSWORD when it changes, which is how a lost password is reset', async () => {
    const reset = await ensureAdminUser(ctx.db, 'a new password 123');
    const again = await ensureAdminUser(ctx.db, 'a new password 123');

    assert.equal(reset.passwordReset, true);
    assert.equal(again.passwordReset, false);
    assert.ok(await checkLogin(ctx.db, 'ADMIN', 'a new password 123'));
    assert.equal(await checkLogin(ctx.db, 'admin', 'the old one'), undefined);
  });
});
