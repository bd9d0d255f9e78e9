import { join } from 'node:path';
import { openDatabase, type Database, type Db } from './db/database.ts';
import { readEnvConfig, type EnvConfig } from './config.ts';
import { makeLogger, type Logger } from './log.ts';
import { SecretBox, loadSecretKey } from './secrets/secret-box.ts';

/** What every command and server needs: the database, the config and the logger. */
export interface App {
  db: Db;
  database: Database;
  config: EnvConfig;
  log: Logger;
  secrets: SecretBox;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  dataDir?: string;
  databaseUrl?: string;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

export async function openApp(options: OpenAppOptions = {}): Promise<App> {
  const config = readEnvConfig(options.env);
  if (options.dataDir) config.SOURCESIBLE_DATA_DIR = options.dataDir;
  const url = options.databaseUrl ?? config.DATABASE_URL;
  const database = await openDatabase(url ? { url } : { dataDir: embeddedDatabaseDir(config.SOURCESIBLE_DATA_DIR) });
  const log = options.log ?? makeLogger({ level: config.LOG_LEVEL });
  const key = loadSecretKey({ envKey: config.SOURCESIBLE_SECRET_KEY, dataDir: config.SOURCESIBLE_DATA_DIR });
  const secrets = new SecretBox(key);
  return { db: database.db, database, config, log, secrets, close: () => database.close() };
}

/** PGlite's own folder inside the data folder, beside the secret key file. */
export function embeddedDatabaseDir(dataDir: string): string {
  return join(dataDir, 'pgdata');
}

/** Opens the app for one unit of work and closes it whatever happens. */
export async function withApp<T>(options: OpenAppOptions, work: (app: App) => Promise<T>): Promise<T> {
  const app = await openApp(options);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** The part of the app that services use; tests build one around a test database. */
export type Context = Pick<App, 'db' | 'log' | 'secrets' | 'config'>;
