import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AppError } from '../errors.ts';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.ts';
import { makePGliteDialect } from './pglite-driver.ts';
import type { Schema } from './schema.ts';

export type Db = Kysely<Schema>;

export interface DatabaseOptions {
  /** A PostgreSQL connection string; when absent, PGlite is used. */
  url?: string;
  /** PGlite's data folder; absent means in memory (tests). */
  dataDir?: string;
  /** PostgreSQL schema to work in (tests isolate themselves this way). */
  schema?: string;
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The raw PGlite instance when kind is pglite, for the job queue adapter. */
  pglite?: PGlite;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;

// Row counts and ids stay far below 2^53, so int8 comes back as a JS number on both drivers.
const parseInt8 = (value: string) => Number(value);

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url ? openPostgres(options.url, options.schema) : openPGlite(options.dataDir);
  await migrateToLatest(database.db);
  return database;
}

function openPGlite(dataDir: string | undefined): Database {
  // PGlite writes its files world-readable; customer data stays the owner's alone.
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
    unlock = lockDataDir(dataDir);
  }
  const pglite = new PGlite(dataDir, { parsers: { [INT8]: parseInt8 } });
  const db = new Kysely<Schema>({ dialect: makePGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      unlock();
    },
  };
}

/**
 * PGlite is one process's database: two processes on one folder corrupt it. A lock
 * file beside the folder names the holder; a holder that died leaves a lock we take over.
 */
function lockDataDir(dataDir: string): () => void {
  const path = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8'));
      if (isAlive(holder)) {
        throw new AppError(
          'conflict',
          `Another Sourcesible process (pid ${holder}) is using the embedded database in ${dataDir}. ` +
            'While `sourcesible serve` runs, use the web app or the REST API; to run several processes at once, use PostgreSQL (DATABASE_URL).',
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function openPostgres(url: string, schema: string | undefined): Database {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === INT8 ? parseInt8 : oid === NUMERIC ? String : pg.types.getTypeParser(oid, format),
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types,
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}
