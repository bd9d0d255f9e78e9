import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/0001_initial.ts';
import * as auth from './migrations/0002_auth.ts';
import * as schedules from './migrations/0003_schedules.ts';

/** Numbered migrations, listed here so that they ship inside the code, not as files to find. */
const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_auth': auth,
  '0003_schedules': schedules,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  // Kysely reads the catalog of every schema to find its tables; a schema another
  // process drops at that moment (tests do) fails the read. That race clears at once.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await migrateOnce(db);
    } catch (error) {
      if (attempt >= 5 || !isCatalogRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function migrateOnce(db: Kysely<any>): Promise<void> {
  // Without a schema, Kysely looks for its migration tables in every schema, so a
  // database holding several of ours (tests, say) would read another's history.
  const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({ db, provider, migrationTableSchema: current.rows[0]!.schema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Database migration failed${name}: ${String(error)}`, { cause: error });
  }
}

/** A table, column or schema vanishing under the catalog read, raised by someone else's DROP. */
function isCatalogRace(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  const message = String((error as Error | undefined)?.message ?? '');
  return code === '42P01' || code === '42703' || code === '3F000' || /cache lookup failed/.test(message);
}
