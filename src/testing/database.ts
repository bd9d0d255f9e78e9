import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database.ts';

/**
 * A fresh, migrated database for one test: PGlite in memory by default, or a
 * schema of its own on the PostgreSQL named by TEST_DATABASE_URL. close() drops it.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({});

  const schema = `test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(url, (client) => client.query(`create schema ${schema}`));
  const dropSchema = () => withAdminClient(url, (client) => client.query(`drop schema ${schema} cascade`));
  const database = await openDatabase({ url, schema }).catch(async (error: unknown) => {
    await dropSchema();
    throw error;
  });
  return {
    ...database,
    close: async () => {
      await database.close();
      await dropSchema();
    },
  };
}

async function withAdminClient(url: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
