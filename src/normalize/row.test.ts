import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeRowBuilder, type MappingRow } from './row.ts';
import { sha256Hex } from './text.ts';

const MARY_SHA = 'f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79';

const CONTACT: MappingRow[] = [
  { source: 'email', destination: 'EMAIL' },
  { source: 'phone', destination: 'PHONE' },
];

describe('makeRowBuilder: schema and mapping checks', () => {
  test('the schema follows the mapping order with DOB expanded to DOBY, DOBM, DOBD', () => {
    const builder = makeRowBuilder({
      mapping: [
        { source: 'first_name', destination: 'FN' },
        { source: 'date_of_birth', destination: 'DOB' },
        { source: 'email', destination: 'EMAIL' },
      ],
      hashPii: true,
    });

    assert.deepEqual(builder.schema, ['FN', 'DOBY', 'DOBM', 'DOBD', 'EMAIL']);
  });

  test('a destination mapped twice is refused', () => {
    const mapping: MappingRow[] = [
      ...CONTACT,
      { source: 'attributes.work_email', destination: 'EMAIL' },
    ];

    assert.throws(() => makeRowBuilder({ mapping, hashPii: true }), /EMAIL appears twice/);
  });

  test('a source that is neither a customer column nor attributes.<name> is refused', () => {
    const mapping: MappingRow[] = [{ source: 'emial', destination: 'EMAIL' }];

    const build = () => makeRowBuilder({ mapping, hashPii: true });

    assert.throws(build, /"emial" .* not a customer field/);
  });

  test('a mapping with no identifier is refused: no row could ever be matched', () => {
    const mapping: MappingRow[] = [{ source: 'first_name', destination: 'FN' }];

    assert.throws(() => makeRowBuilder({ mapping, hashPii: true }), /no identifier/);
  });

  test('a default country that is no country is refused; a name is accepted', () => {
    const withDefault = (defaultCountry: string) =>
      makeRowBuilder({ mapping: CONTACT, hashPii: true, defaultCountry });

    assert.throws(() => withDefault('XX'), /XX/);
    assert.doesNotThrow(() => withDefault('Germany'));
  });
});

describe('makeRowBuilder: cells', () => {
  test('hashed keys carry SHA-256 of the normalized value; MADID, EXTERN_ID go as is', () => {
    const builder = makeRowBuilder({
      mapping: [
        { source: 'email', destination: 'EMAIL' },
        { source: 'madid', destination: 'MADID' },
        { source: 'external_id', destination: 'EXTERN_ID' },
        { source: 'last_name', destination: 'LN' },
      ],
      hashPii: true,
    });

    const row = builder.build({
      email: ' Mary@Example.com ',
      madid: 'AB-CD',
      external_id: 'C-42',
      last_name: "O'Brien",
    });

    assert.deepEqual(row, {
      cells: [MARY_SHA, 'ab-cd', 'C-42', sha256Hex('obrien')],
      skipReason: null,
      issues: [],
    });
  });

  test('attributes.<name> reads the customer\'s attributes', () => {
    const mapping: MappingRow[] = [{ source: 'attributes.work_email', destination: 'EMAIL' }];
    const builder = makeRowBuilder({ mapping, hashPii: true });

    const row = builder.build({ email: null, attributes: { work_email: 'mary@example.com' } });

    assert.deepEqual(row.cells, [MARY_SHA]);
  });

  test('a field that fails leaves its cell empty with a KEY:reason issue; the row goes', () => {
    const builder = makeRowBuilder({ mapping: CONTACT, hashPii: true, defaultCountry: 'US' });

    const row = builder.build({ email: 'mary@example.com', phone: '-5361' });

    assert.deepEqual(row.cells, [MARY_SHA, '']);
    assert.deepEqual(row.issues, ['PHONE:phone_wrong_length']);
    assert.equal(row.skipReason, null);
  });

  test('a missing or blank value leaves its cell empty and is no issue', () => {
    const builder = makeRowBuilder({ mapping: CONTACT, hashPii: true });

    const row = builder.build({ email: 'mary@example.com', phone: '   ' });

    assert.deepEqual(row, { cells: [MARY_SHA, ''], skipReason: null, issues: [] });
  });

  test('a phone of the right length in no assigned range is sent, flagged PHONE:unverified', () => {
    const builder = makeRowBuilder({ mapping: CONTACT, hashPii: true, defaultCountry: 'US' });

    const row = builder.build({ email: null, phone: '846-790-4623x4715' });

    assert.deepEqual(row.cells, ['', sha256Hex('18467904623')]);
    assert.deepEqual(row.issues, ['PHONE:unverified']);
    assert.equal(row.skipReason, null);
  });

  test('a pre-hashed value is sent lowercased, not hashed again', () => {
    const builder = makeRowBuilder({ mapping: CONTACT, hashPii: true });

    const row = builder.build({ email: MARY_SHA.toUpperCase(), phone: null });

    assert.deepEqual(row.cells, [MARY_SHA, '']);
  });

  test('FI is the first letter of its source read as a first name', () => {
    const builder = makeRowBuilder({
      mapping: [...CONTACT, { source: 'first_name', destination: 'FI' }],
      hashPii: true,
    });

    const row = builder.build({ email: 'mary@example.com', first_name: ' Émile ' });

    assert.equal(row.cells[2], sha256Hex('é'));
  });

  test('DOB fills three hashed cells from text or a Date; a failure is one DOB issue', () => {
    const builder = makeRowBuilder({
      mapping: [...CONTACT, { source: 'date_of_birth', destination: 'DOB' }],
      hashPii: true,
    });

    const born = (date_of_birth: unknown) =>
      builder.build({ email: 'mary@example.com', date_of_birth });

    const fromText = born('17/05/1990');
    const fromDate = born(new Date(Date.UTC(1990, 4, 17)));
    const ambiguous = born('03/04/1990');

    const expected = [sha256Hex('1990'), sha256Hex('05'), sha256Hex('17')];
    assert.deepEqual(fromText.cells.slice(2), expected);
    assert.deepEqual(fromDate.cells.slice(2), expected);
    assert.deepEqual(ambiguous.cells.slice(2), ['', '', '']);
    assert.deepEqual(ambiguous.issues, ['DOB:ambiguous_date']);
  });
});

describe('makeRowBuilder: the row\'s country', () => {
  const mapping: MappingRow[] = [
    { source: 'phone', destination: 'PHONE' },
    { source: 'country', destination: 'COUNTRY' },
  ];

  test('the customer\'s country column, as a name, reads the phone', () => {
    const builder = makeRowBuilder({ mapping, hashPii: true, defaultCountry: 'US' });

    const row = builder.build({ phone: '020 7946 0958', country: 'United Kingdom' });

    assert.deepEqual(row.cells, [sha256Hex('442079460958'), sha256Hex('gb')]);
    assert.deepEqual(row.issues, []);
  });

  test('an ambiguous country (Korea) is dropped; the phone uses the default country', () => {
    const builder = makeRowBuilder({ mapping, hashPii: true, defaultCountry: 'US' });

    const row = builder.build({ phone: '(650) 253-0000', country: 'Korea' });

    assert.deepEqual(row.cells, [sha256Hex('16502530000'), '']);
    assert.deepEqual(row.issues, ['COUNTRY:ambiguous_country']);
  });

  test('one row\'s country does not leak into the next', () => {
    const builder = makeRowBuilder({ mapping, hashPii: true, defaultCountry: null });

    builder.build({ phone: '020 7946 0958', country: 'GB' });
    const next = builder.build({ phone: '020 7946 0958', country: null });

    assert.deepEqual(next.cells, ['', '']);
    assert.deepEqual(next.issues, ['PHONE:phone_no_country']);
    assert.equal(next.skipReason, 'no_identifier_invalid');
  });
});

describe('makeRowBuilder: PII hashing off', () => {
  const builder = makeRowBuilder({
    mapping: [
      ...CONTACT,
      { source: 'madid', destination: 'MADID' },
      { source: 'date_of_birth', destination: 'DOB' },
    ],
    hashPii: false,
  });

  test('plaintext in a hashed key never leaves: dropped as KEY:not_prehashed', () => {
    const row = builder.build({ email: 'mary@example.com', phone: '+16502530000', madid: 'AB-CD' });

    assert.deepEqual(row.cells, ['', '', 'ab-cd', '', '', '']);
    assert.deepEqual(row.issues, ['EMAIL:not_prehashed', 'PHONE:not_prehashed']);
  });

  test('a pre-hashed value is sent lowercased', () => {
    const row = builder.build({ email: MARY_SHA.toUpperCase() });

    assert.deepEqual(row.cells, [MARY_SHA, '', '', '', '', '']);
    assert.equal(row.skipReason, null);
  });

  test('DOB cannot arrive pre-hashed as one value, so it is dropped', () => {
    const row = builder.build({ email: MARY_SHA, date_of_birth: '1990-05-17' });

    assert.deepEqual(row.issues, ['DOB:not_prehashed']);
  });
});

describe('makeRowBuilder: skip reasons', () => {
  const builder = makeRowBuilder({
    mapping: [...CONTACT, { source: 'first_name', destination: 'FN' }],
    hashPii: true,
    defaultCountry: 'US',
  });

  test('no identifier with a value: no_identifier_missing, and no issues for the empties', () => {
    const row = builder.build({ email: null, phone: '', first_name: 'Mary' });

    assert.equal(row.skipReason, 'no_identifier_missing');
    assert.deepEqual(row.issues, []);
  });

  test('every identifier dropped as invalid: no_identifier_invalid, with the issues', () => {
    const row = builder.build({ email: 'mary', phone: '-5361', first_name: 'Mary' });

    assert.equal(row.skipReason, 'no_identifier_invalid');
    assert.deepEqual(row.issues, ['EMAIL:invalid_email', 'PHONE:phone_wrong_length']);
  });

  test('one identifier left is enough to send the row', () => {
    const row = builder.build({ email: 'mary', phone: '(650) 253-0000' });

    assert.equal(row.skipReason, null);
  });
});
