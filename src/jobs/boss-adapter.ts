import { CompiledQuery, type Kysely } from 'kysely';
import { splitSqlStatements } from './sql-statements.ts';

/** What pg-boss asks of a database: one method. */
export interface BossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/**
 * pg-boss's SQL, sent through the app's own Kysely instance. On PGlite that is
 * the point: PGlite has one session, and the Kysely driver queues every caller
 * for it, so the queue's polling never lands inside someone's open transaction.
 *
 * A statement with parameters goes as it is. A script (schema creation,
 * maintenance, each wrapped by pg-boss in BEGIN … COMMIT) is split and run
 * statement by statement on one held connection, because PGlite's parameterized
 * path takes a single statement; a failure rolls the script's transaction back
 * before the connection is handed on, so no caller inherits an aborted one.
 */
export class KyselyBossDb implements BossDb {
  readonly #db: Kysely<any>;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }> {
    const work = values && values.length > 0 ? this.#query(text, values) : this.#script(text);
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** Waits for statements already sent (pg-boss completes jobs without awaiting). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #query(text: string, values: unknown[]): Promise<{ rows: any[] }> {
    const parameters = values.map((value) => (value === undefined ? null : value));
    const result = await this.#db.executeQuery(CompiledQuery.raw(text, parameters));
    return { rows: result.rows as any[] };
  }

  async #script(text: string): Promise<{ rows: any[] }> {
    const statements = splitSqlStatements(text);
    if (statements.length === 1) return this.#query(statements[0]!, []);

    return this.#db.connection().execute(async (connection) => {
      let rows: any[] = [];
      let inTransaction = false;
      try {
        for (const statement of statements) {
          if (/^begin\b/i.test(statement)) inTransaction = true;
          const result = await connection.executeQuery(CompiledQuery.raw(statement, []));
          if (/^(commit|rollback)\b/i.test(statement)) inTransaction = false;
          rows = result.rows as any[];
        }
        return { rows };
      } catch (error) {
        if (inTransaction) {
          await connection.executeQuery(CompiledQuery.raw('rollback', [])).catch(() => undefined);
        }
        throw error;
      }
    });
  }
}

/** The adapter bound to an open transaction: a job sent through it commits with it. */
export function bossDbFor(db: Kysely<any>): BossDb {
  return new KyselyBossDb(db);
}
