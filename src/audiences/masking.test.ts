import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskEmail, maskPhone } from './masking.ts';

test('maskEmail keeps the first character and the domain only', () => {
  assert.equal(maskEmail('john.doe@example.com'), 'j***@example.com');
  assert.equal(maskEmail('  ANA@Example.org '), 'A***@Example.org');
  assert.equal(maskEmail('ø@example.no'), 'ø***@example.no');
});

test('maskEmail shows nothing of a value that is not an address, and null for none', () => {
  assert.equal(maskEmail('not-an-email'), '***');
  assert.equal(maskEmail('@example.com'), '***');
  assert.equal(maskEmail(''), null);
  assert.equal(maskEmail(null), null);
});

test('maskPhone keeps the last four digits of the number, never of its extension', () => {
  assert.equal(maskPhone('846-790-4623x4715'), '***4623');
  assert.equal(maskPhone('+1-134-348-0265 ext. 9132'), '***0265');
  assert.equal(maskPhone('(422)787-2331'), '***2331');
  assert.equal(maskPhone('+55 11 91234-5678'), '***5678');
});

test('maskPhone shows no digits of a number too short to hide behind four', () => {
  assert.equal(maskPhone('-5361'), '***');
  assert.equal(maskPhone('12 34 56'), '***');
  assert.equal(maskPhone('   '), null);
  assert.equal(maskPhone(null), null);
});
