import { randomBytes } from 'node:crypto';
import type { Context } from '../app.ts';
import { readEnvConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { SecretBox } from '../secrets/secret-box.ts';
import { openTestDatabase } from './database.ts';

/** A service context on a fresh test database, with a throwaway secret key. */
export async function openTestContext(): Promise<Context & { close(): Promise<void> }> {
  const database = await openTestDatabase();
  const config = readEnvConfig({ SOURCESIBLE_DATA_DIR: '/nonexistent-test-data-dir' });
  return {
    db: database.db,
    log: silentLogger,
    secrets: new SecretBox(randomBytes(32)),
    config,
    close: () => database.close(),
  };
}
