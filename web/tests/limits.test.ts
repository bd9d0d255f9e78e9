import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as server from '../../src/syncs/inputs.ts';
import * as web from '../src/lib/sync-fields.ts';

// The browser bundle repeats the API's limits to stay free of zod; they must not drift apart.
test('the web app counts against the same limits the API enforces', () => {
  assert.equal(web.SYNC_NAME_MAX, server.SYNC_NAME_MAX);
  assert.equal(web.SYNC_DESCRIPTION_MAX, server.SYNC_DESCRIPTION_MAX);
  assert.equal(web.MIN_INTERVAL_MINUTES, server.MIN_INTERVAL_MINUTES);
  assert.equal(web.MAX_INTERVAL_MINUTES, server.MAX_INTERVAL_MINUTES);
});
