import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Context } from '../app.ts';
import { openTestContext } from '../testing/context.ts';
import { makeAudience, putCustomers } from '../testing/sync-setup.ts';
import { previewSyncQuality } from './quality.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the data quality preview of a sync', () => {
  let ctx: Context & { close(): Promise<void> };
  let norway: number;
  let elsewhere: number;
  const mapping = [
    { source: 'email', destination: 'EMAIL' as const },
    { source: 'phone', destination: 'PHONE' as const },
    { source: 'first_name', destination: 'FN' as const },
  ];

  before(async () => {
    ctx = await openTestContext();
    await putCustomers(ctx, [
      { key: 'c1', email: ' Ann@Example.com ', phone: '+47 412 34 567', first_name: 'Ann', country: 'Norway' },
      { key: 'c2', email: 'not-an-email', phone: '', country: 'Norway' },
      { key: 'c3', phone: '(650) 555-1212', country: 'United States' },
      { key: 'c4', country: 'Chile' },
      { key: 'c5', email: 'bad@', phone: '12', country: 'Chile' },
      { key: 'c6', email: 'outside@example.com', country: 'Peru' },
    ]);
    norway = await makeAudience(ctx, 'Norway', { all: [{ field: 'country', op: 'equals', value: 'Norway' }] });
    elsewhere = await makeAudience(ctx, 'Chile or US', {
      all: [{ field: 'country', op: 'in', value: ['Chile', 'United States', 'Norway'] }],
    });
  });
  after(async () => {
    await ctx.close();
  });

  test('counts the union of the audiences once per member and who would be sent or skipped', async () => {
    const preview = await previewSyncQuality(ctx, {
      audienceIds: [norway, elsewhere],
      mapping,
      hashPii: true,
      defaultCountry: 'us',
    });

    assert.equal(preview.members, 5);
    assert.equal(preview.scanned, 5);
    assert.equal(preview.capped, false);
    assert.equal(preview.note, null);
    assert.equal(preview.wouldSend, 2);
    assert.equal(preview.estimatedWouldSend, 2);
    assert.deepEqual(preview.skippedByReason, { no_identifier_invalid: 2, no_identifier_missing: 1 });
  });

  test('reports per field the share present, the share valid, the reasons and masked examples', async () => {
    const preview = await previewSyncQuality(ctx, {
      audienceIds: [norway, elsewhere],
      mapping,
      hashPii: true,
      defaultCountry: 'us',
    });
    const [email, phone, firstName] = preview.fields;

    assert.deepEqual(email, {
      destination: 'EMAIL',
      source: 'email',
      present: 0.6,
      valid: 0.2,
      unverified: 0,
      reasons: { invalid_email: 2, empty: 2 },
      examples: [{ masked: 'A***@Example.com', sha256: sha256('ann@example.com'), raw: null }],
    });
    assert.equal(phone!.present, 0.6);
    assert.equal(phone!.valid, 0.4);
    assert.deepEqual(phone!.reasons, { empty: 2, phone_wrong_length: 1 });
    assert.deepEqual(phone!.examples, [
      { masked: '***4567', sha256: sha256('4741234567'), raw: null },
      { masked: '***1212', sha256: sha256('16505551212'), raw: null },
    ]);
    assert.deepEqual([firstName!.present, firstName!.valid, firstName!.reasons], [0.2, 0.2, { empty: 4 }]);
    assert.deepEqual(firstName!.examples, [{ masked: 'A***', sha256: sha256('ann'), raw: null }]);
    assert.ok(!JSON.stringify(preview).includes('Ann@Example'));
  });

  test('stops at the scan limit and says so, scaling the count that would be sent', async () => {
    const preview = await previewSyncQuality(
      ctx,
      { audienceIds: [elsewhere], mapping, hashPii: true, defaultCountry: 'us' },
      { scanLimit: 2, pageSize: 1 },
    );

    assert.equal(preview.members, 5);
    assert.equal(preview.scanned, 2);
    assert.equal(preview.capped, true);
    assert.match(preview.note ?? '', /first 2 of 5 members/);
    assert.equal(preview.wouldSend, 1);
    assert.equal(preview.estimatedWouldSend, 3);
  });

  test('with hashing off, plaintext PII is counted as not pre-hashed; digests and unhashed ids pass', async () => {
    await putCustomers(ctx, [
      { key: 'h1', email: sha256('pre@example.com').toUpperCase(), country: 'Sweden', attributes: { crm: 'CRM-000123' } },
      { key: 'h2', email: 'plain@example.com', country: 'Sweden', attributes: { crm: 'CRM-000456' } },
    ]);
    const sweden = await makeAudience(ctx, 'Sweden', { all: [{ field: 'country', op: 'equals', value: 'Sweden' }] });

    const preview = await previewSyncQuality(ctx, {
      audienceIds: [sweden],
      mapping: [
        { source: 'email', destination: 'EMAIL' },
        { source: 'attributes.crm', destination: 'EXTERN_ID' },
      ],
      hashPii: false,
      defaultCountry: null,
    });
    const [email, extern] = preview.fields;

    assert.deepEqual(email!.reasons, { not_prehashed: 1 });
    assert.deepEqual(email!.examples, [
      {
        masked: `${sha256('pre@example.com').slice(0, 8)}… (pre-hashed)`,
        sha256: sha256('pre@example.com'),
        raw: null,
      },
    ]);
    assert.equal(extern!.valid, 1);
    assert.deepEqual(extern!.examples.map((example) => example.raw), ['CRM-***0123', 'CRM-***0456']);
    assert.equal(preview.wouldSend, 2);
  });

  test('an unknown audience is a not_found error', async () => {
    await assert.rejects(
      previewSyncQuality(ctx, { audienceIds: [999999], mapping, hashPii: true, defaultCountry: null }),
      { code: 'not_found' },
    );
  });
});
