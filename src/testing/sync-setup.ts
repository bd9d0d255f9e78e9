import type { Context } from '../app.ts';
import { createAudience } from '../audiences/repository.ts';
import type { AudienceRule } from '../audiences/rules.ts';
import { startMetaEmulator, type MetaEmulator } from '../destinations/meta/emulator/index.ts';
import { connectDestination } from '../destinations/service.ts';
import { createSync, type SyncView } from '../syncs/service.ts';
import type { CreateSyncInput } from '../syncs/inputs.ts';
import { openTestContext } from './context.ts';

export interface SyncSetup {
  ctx: Context;
  emulator: MetaEmulator;
  destinationId: number;
  close(): Promise<void>;
}

/** A test database, a Meta emulator on an ephemeral port and a destination connected to it. */
export async function openSyncSetup(): Promise<SyncSetup> {
  const ctx = await openTestContext();
  const emulator = await startMetaEmulator();
  const destination = await connectDestination(ctx, {
    name: 'Meta (emulator)',
    adAccountId: emulator.adAccountId,
    accessToken: emulator.accessToken,
    graphBaseUrl: emulator.url,
  });
  return {
    ctx,
    emulator,
    destinationId: destination.id,
    close: async () => {
      await emulator.close();
      await ctx.close();
    },
  };
}

export interface TestCustomer {
  key: string;
  email?: string | null;
  phone?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  country?: string | null;
  attributes?: Record<string, string>;
}

/** Inserts or updates customers the way an import would (a change bumps the version). */
export async function putCustomers(ctx: Context, customers: TestCustomer[]): Promise<void> {
  for (const c of customers) {
    const values = {
      customer_key: c.key,
      email: c.email ?? null,
      phone: c.phone ?? null,
      first_name: c.first_name ?? null,
      last_name: c.last_name ?? null,
      country: c.country ?? null,
      attributes: JSON.stringify(c.attributes ?? {}),
    };
    await ctx.db
      .insertInto('customers')
      .values(values)
      .onConflict((oc) =>
        oc.column('customer_key').doUpdateSet((eb) => ({
          ...values,
          version: eb.fn('nextval', [eb.val('customer_version_seq')]),
        })),
      )
      .execute();
  }
}

export async function makeAudience(ctx: Context, name: string, rule: AudienceRule): Promise<number> {
  return (await createAudience(ctx.db, { name, rule })).id;
}

export async function makeSync(setup: SyncSetup, audienceIds: number[], overrides: Partial<CreateSyncInput> = {}): Promise<SyncView> {
  return createSync(setup.ctx, {
    name: 'Test sync',
    audienceIds,
    destinationId: setup.destinationId,
    metaAudience: { mode: 'create', name: 'Test audience' },
    mapping: [{ source: 'email', destination: 'EMAIL' }],
    ...overrides,
  });
}
