import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeMembership } from './membership.ts';

describe('audience membership', () => {
  test('rows: a removal row takes every member holding all its cells, and nothing else', () => {
    const members = makeMembership('rows');
    members.add({ EXTERN_ID: 'a', EMAIL: 'e1' });
    members.add({ EXTERN_ID: 'a', EMAIL: 'e2' });
    members.add({ EXTERN_ID: 'b', EMAIL: 'e1' });

    const byId = members.remove({ EXTERN_ID: 'a' });
    const absent = members.remove({ EXTERN_ID: 'b', EMAIL: 'e9' });

    assert.equal(byId, 2);
    assert.equal(absent, 0);
    assert.deepEqual(members.rows(), [{ EXTERN_ID: 'b', EMAIL: 'e1' }]);
  });

  test('rows: a member removed and added again is a member once more', () => {
    const members = makeMembership('rows');
    members.add({ EMAIL: 'e1' });
    members.remove({ EMAIL: 'e1' });

    const added = members.add({ EMAIL: 'e1' });

    assert.equal(added, true);
    assert.equal(members.size, 1);
  });

  test('values that look like separators do not make two different rows equal', () => {
    const members = makeMembership('digests');

    members.add({ A: 'x;B:1:y' });
    members.add({ A: 'x', B: 'y' });

    assert.equal(members.size, 2);
  });

  test('digests: the same cells in any key order are one member; removal needs the exact row', () => {
    const members = makeMembership('digests');
    members.add({ EMAIL: 'e1', PHONE: 'p1' });
    members.add({ PHONE: 'p1', EMAIL: 'e1' });

    const partial = members.remove({ EMAIL: 'e1' });
    const exact = members.remove({ PHONE: 'p1', EMAIL: 'e1' });

    assert.deepEqual([partial, exact, members.size], [0, 1, 0]);
    assert.equal(members.rows(), null);
  });
});
