import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveSyncStatus, type SyncStatusFacts } from './status.ts';

const healthy: SyncStatusFacts = {
  invalidReason: null,
  deletedAudienceNames: [],
  destinationDeleted: false,
  destinationStatus: 'connected',
  destinationMessage: null,
  lastRunStatus: 'succeeded',
  lastRunError: null,
};

test('a sync whose last run succeeded on a connected destination is Synced', () => {
  assert.deepEqual(deriveSyncStatus(healthy), { status: 'Synced', reason: null });
});

test('a deleted audience makes the sync Invalid and names the audience', () => {
  const result = deriveSyncStatus({ ...healthy, deletedAudienceNames: ['VIP'] });

  assert.equal(result.status, 'Invalid');
  assert.match(result.reason!, /"VIP" was deleted/);
});

test('Invalid outranks Disconnected, and Disconnected outranks a failed run', () => {
  const broken = { ...healthy, destinationStatus: 'disconnected' as const, lastRunStatus: 'failed' as const };

  assert.equal(deriveSyncStatus({ ...broken, invalidReason: 'Meta audience deleted' }).status, 'Invalid');
  assert.equal(deriveSyncStatus(broken).status, 'Disconnected');
  assert.match(deriveSyncStatus(broken).reason!, /Reconnect/);
});

test('a run in progress, a failed run and no run yet each show their own state', () => {
  assert.equal(deriveSyncStatus({ ...healthy, lastRunStatus: 'running' }).status, 'Running');
  assert.equal(deriveSyncStatus({ ...healthy, lastRunStatus: 'failed', lastRunError: 'x' }).reason, 'x');
  assert.equal(deriveSyncStatus({ ...healthy, lastRunStatus: null }).status, 'Pending');
});
