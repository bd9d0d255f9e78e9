import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';

export type Driver = 'pglite' | 'postgres';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** DATABASE_URL, else TEST_DATABASE_URL, else the local test database. */
export function postgresUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || env.TEST_DATABASE_URL || DEFAULT_POSTGRES_URL;
}

/** Null when PostgreSQL answers, else why not (for the report's note). */
export async function postgresProblem(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Where one benchmark's data lives: a temporary PGlite data folder (as the
 * embedded default runs, not in memory) or a schema of its own on PostgreSQL.
 * The parent process makes and removes it; child processes open it. The URL
 * is not part of it: children read it from the environment, not from argv.
 */
export type BenchLocation =
  | { driver: 'pglite'; dataDir: string }
  | { driver: 'postgres'; schema: string };

export async function makeLocation(driver: Driver): Promise<BenchLocation> {
  if (driver === 'pglite') {
    return { driver, dataDir: mkdtempSync(join(tmpdir(), 'sourcesible-bench-')) };
  }

  const schema = `bench_${randomBytes(6).toString('hex')}`;
  await withClient(postgresUrl(), (client) => client.query(`create schema ${schema}`));
  return { driver, schema };
}

export async function removeLocation(location: BenchLocation): Promise<void> {
  if (location.driver === 'pglite') {
    rmSync(location.dataDir, { recursive: true, force: true });
    // The lock file openDatabase keeps beside the folder, left behind if a step crashed.
    rmSync(`${location.dataDir}.lock`, { force: true });
    return;
  }
  const drop = `drop schema if exists ${location.schema} cascade`;
  await withClient(postgresUrl(), (client) => client.query(drop));
}

/** Opens (and on first use migrates) the benchmark's database. */
export function openLocation(location: BenchLocation): Promise<Database> {
  return location.driver === 'pglite'
    ? openDatabase({ dataDir: location.dataDir })
    : openDatabase({ url: postgresUrl(), schema: location.schema });
}

export function describeLocation(location: BenchLocation): string {
  return location.driver === 'pglite'
    ? `PGlite folder ${location.dataDir}`
    : `PostgreSQL schema ${location.schema}`;
}

async function withClient(
  url: string,
  work: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
