import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Context } from '../app.ts';
import { startMetaEmulator, type MetaEmulator } from './meta/emulator/index.ts';
import { openTestContext } from '../testing/context.ts';
import { connectDestination, listDestinations, refreshDestinationStatus } from './service.ts';

describe('connectDestination', () => {
  let ctx: Context & { close(): Promise<void> };
  let emulator: MetaEmulator;
  let seq = 0;
  const connect = (fields: Record<string, string>) =>
    connectDestination(ctx, {
      name: `Meta ${(seq += 1)}`,
      adAccountId: emulator.adAccountId,
      accessToken: emulator.accessToken,
      graphBaseUrl: emulator.url,
      ...fields,
    });

  before(async () => {
    ctx = await openTestContext();
    emulator = await startMetaEmulator();
  });
  after(async () => {
    await emulator.close();
    await ctx.close();
  });

  test('a working token is stored encrypted and the destination is Connected', async () => {
    const view = await connect({});

    const row = await ctx.db.selectFrom('destinations').selectAll().where('id', '=', view.id).executeTakeFirstOrThrow();
    assert.equal(view.status, 'Connected');
    assert.ok(!row.access_token_enc.includes(emulator.accessToken));
    assert.equal(ctx.secrets.open(row.access_token_enc), emulator.accessToken);
  });

  test('the versioned Graph URL the emulator prints is accepted as the base URL', async () => {
    const view = await connect({ graphBaseUrl: `${emulator.url}/v25.0/` });

    assert.equal(view.graphBaseUrl, emulator.url);
  });

  test('an unknown ad account is refused in words about the ad account, and nothing is stored', async () => {
    const before = (await listDestinations(ctx)).length;

    await assert.rejects(connect({ adAccountId: 'act_999' }), /ad account act_999 does not exist or this token cannot see it/);
    assert.equal((await listDestinations(ctx)).length, before);
  });

  test('a mistyped token is refused as a token problem, not as a failed sync', async () => {
    await assert.rejects(connect({ accessToken: 'EAAwrong-token-value' }), (error: Error) => {
      assert.match(error.message, /does not accept the access token/);
      assert.doesNotMatch(error.message, /sync|Reconnect/);
      return true;
    });
  });

  test('terms not accepted are refused with the link to accept them', async () => {
    emulator.control.setTermsAccepted(false);
    try {
      await assert.rejects(connect({}), /business\.facebook\.com\/ads\/manage\/customaudiences\/tos/);
    } finally {
      emulator.control.setTermsAccepted(true);
    }
  });

  test('a check after the token was revoked marks the destination Disconnected with the reason', async () => {
    const view = await connect({ accessToken: emulator.control.issueToken() });
    const token = ctx.secrets.open((await ctx.db.selectFrom('destinations').select('access_token_enc').where('id', '=', view.id).executeTakeFirstOrThrow()).access_token_enc);

    emulator.control.revokeToken(token);
    const checked = await refreshDestinationStatus(ctx, view.id);

    assert.equal(checked.status, 'Disconnected');
    assert.match(checked.statusReason!, /token/);
  });
});
