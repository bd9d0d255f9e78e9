import type { Db } from '../db/database.ts';
import type { Sync } from '../db/schema.ts';
import type { GraphClient } from '../destinations/meta/client.ts';
import { GraphApiError } from '../destinations/meta/errors.ts';

/** Meta's operation_status code for an audience flagged by its integrity checks. */
const FLAGGED = 471;

/** Marks the audiences we create, so that a retried creation recognizes its own. */
export function managedDescription(syncId: number): string {
  return `Managed by Sourcesible Activation (sync ${syncId})`;
}

/** A reason the sync cannot go on until the user changes its Meta target. */
export class TargetInvalid extends Error {
  override name = 'TargetInvalid';
}

/**
 * Returns the Meta audience this sync writes to. In create mode the audience is
 * made once: its id is stored before anything is uploaded, and a creation retried
 * after a crash or an unclear answer finds the audience by name and marker instead
 * of making a second one.
 */
export async function ensureMetaAudience(db: Db, client: GraphClient, sync: Sync, adAccountId: string): Promise<string> {
  if (sync.meta_audience_id) {
    await assertUsable(client, sync.meta_audience_id);
    return sync.meta_audience_id;
  }
  const name = sync.meta_audience_name!;
  const marker = managedDescription(sync.id);

  let audience = await findOwn(client, adAccountId, name, marker);
  if (!audience) {
    try {
      audience = await client.createCustomAudience(adAccountId, {
        name,
        description: marker,
        customer_file_source: 'USER_PROVIDED_ONLY',
      });
    } catch (error) {
      // The create may have reached Meta before the connection broke: look before failing.
      audience = await findOwn(client, adAccountId, name, marker);
      if (!audience) throw error;
    }
  }

  await db.updateTable('syncs').set({ meta_audience_id: audience.id }).where('id', '=', sync.id).execute();
  return audience.id;
}

async function findOwn(client: GraphClient, adAccountId: string, name: string, marker: string) {
  const found = await client.findCustomAudienceByName(adAccountId, name);
  if (!found) return null;
  if (found.description !== marker) {
    throw new TargetInvalid(
      `A Custom Audience named "${name}" already exists in the ad account and was not made by this sync. ` +
        'Change the Audience Name in Step 3 (Set up Sync) to a unique value, or choose "Use an existing Facebook audience".',
    );
  }
  return found;
}

async function assertUsable(client: GraphClient, audienceId: string): Promise<void> {
  try {
    const audience = await client.getCustomAudience(audienceId, ['id', 'operation_status']);
    if (audience.operation_status?.code === FLAGGED) {
      throw new TargetInvalid(
        `Meta flagged the Facebook audience ${audienceId} for review and blocks uploads to it. ` +
          'Resolve it in Ads Manager, or choose another audience in Step 3.',
      );
    }
  } catch (error) {
    if (error instanceof GraphApiError && error.action === 'target_gone') {
      throw new TargetInvalid(
        `The Facebook audience ${audienceId} no longer exists or this token cannot reach it (deleted in Ads Manager?). ` +
          'Choose a new audience in Step 3 (Set up Sync).',
      );
    }
    throw error;
  }
}
