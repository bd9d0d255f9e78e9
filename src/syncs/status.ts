import type { DestinationStatus, RunStatus } from '../db/schema.ts';

export type SyncStatus = 'Synced' | 'Disconnected' | 'Invalid' | 'Running' | 'Failed' | 'Pending';

export interface SyncStatusFacts {
  invalidReason: string | null;
  deletedAudienceNames: string[];
  destinationDeleted: boolean;
  destinationStatus: DestinationStatus;
  destinationMessage: string | null;
  lastRunStatus: RunStatus | null;
  lastRunError: string | null;
}

/**
 * The status a sync shows, most urgent first: a broken reference (Invalid), a
 * broken connection (Disconnected), then what its runs say.
 */
export function deriveSyncStatus(facts: SyncStatusFacts): { status: SyncStatus; reason: string | null } {
  if (facts.destinationDeleted) {
    return { status: 'Invalid', reason: 'Its destination was deleted. Choose another destination in Step 2.' };
  }
  if (facts.deletedAudienceNames.length > 0) {
    const names = facts.deletedAudienceNames.map((name) => `"${name}"`).join(', ');
    return {
      status: 'Invalid',
      reason: `Audience ${names} was deleted. Select a valid audience in Step 1, or create a new sync.`,
    };
  }
  if (facts.invalidReason) return { status: 'Invalid', reason: facts.invalidReason };
  if (facts.destinationStatus === 'disconnected') {
    const why = facts.destinationMessage ?? 'Meta no longer accepts its connection.';
    return { status: 'Disconnected', reason: `${why} Reconnect it under Connections → Destinations.` };
  }

  switch (facts.lastRunStatus) {
    case 'running':
      return { status: 'Running', reason: null };
    case 'failed':
    case 'interrupted':
      return { status: 'Failed', reason: facts.lastRunError ?? 'The last run did not finish.' };
    case 'succeeded':
      return { status: 'Synced', reason: null };
    default:
      return { status: 'Pending', reason: 'Not run yet.' };
  }
}
