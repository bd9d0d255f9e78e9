import { randomInt } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { GraphClient } from '../destinations/meta/client.ts';
import { GraphApiError } from '../destinations/meta/errors.ts';
import type { UsersResponse } from '../destinations/meta/wire.ts';
import type { RunCounters } from './counters.ts';

export type Operation = 'add' | 'remove' | 'replace';

/** How many rows one session lets Meta refuse one by one before it stops the run. */
export const MAX_REFUSED_ROWS = 20;

/** A row to send, with the index its caller knows it by. */
export interface OutgoingRow {
  key: number;
  cells: string[];
}

/** What every session of one run shares. */
export interface UploadContext {
  db: Db;
  client: GraphClient;
  runId: number;
  audienceId: string;
  counters: RunCounters;
  /** The run-wide sequence number of the next recorded batch. */
  nextSeq: () => number;
}

/**
 * One Graph upload session of a run: a Meta session id, its batch sequence and
 * its running num_received. Every batch is recorded in run_batches.
 */
export class UploadSession {
  readonly sessionId = randomInt(1, 2 ** 47);
  #batchSeq = 0;
  #received = 0;
  #refusedRows = 0;
  readonly #ctx: UploadContext;
  readonly operation: Operation;
  readonly schema: string[];

  constructor(ctx: UploadContext, operation: Operation, schema: string[]) {
    this.#ctx = ctx;
    this.operation = operation;
    this.schema = schema;
  }

  /**
   * Sends rows (at most one request's worth) and returns the keys Meta refused as a
   * request. Meta refuses a whole request for one bad row, so a refused request is
   * split in halves until the bad rows stand alone: one bad row never fails a batch.
   */
  async send(rows: OutgoingRow[], last: boolean, estimatedTotal?: number): Promise<Set<number>> {
    const refused = new Set<number>();
    if (rows.length > 0) await this.#sendSplitting(rows, last, estimatedTotal, refused);
    return refused;
  }

  async #sendSplitting(rows: OutgoingRow[], last: boolean, estimatedTotal: number | undefined, refused: Set<number>) {
    try {
      await this.#request(rows, last, estimatedTotal);
    } catch (error) {
      const splittable = error instanceof GraphApiError && error.action === 'reject_rows' && this.operation !== 'replace';
      if (!splittable) throw error;
      // Past a few refused rows the refusal is about the request, not the rows:
      // splitting further would send thousands of requests to be refused again.
      if (this.#refusedRows >= MAX_REFUSED_ROWS) throw error;
      if (rows.length === 1) {
        refused.add(rows[0]!.key);
        this.#refusedRows += 1;
        return;
      }
      const half = Math.ceil(rows.length / 2);
      await this.#sendSplitting(rows.slice(0, half), false, estimatedTotal, refused);
      await this.#sendSplitting(rows.slice(half), last, estimatedTotal, refused);
    }
  }

  async #request(rows: OutgoingRow[], last: boolean, estimatedTotal: number | undefined) {
    const { client, audienceId, db, runId, counters } = this.#ctx;
    this.#batchSeq += 1;
    const payload = { schema: this.schema, data: rows.map((row) => row.cells) };
    const session = {
      session_id: this.sessionId,
      batch_seq: this.#batchSeq,
      last_batch_flag: last,
      ...(estimatedTotal !== undefined && { estimated_num_total: estimatedTotal }),
    };
    const response: UsersResponse =
      this.operation === 'add'
        ? await client.addUsers(audienceId, payload, session)
        : this.operation === 'remove'
          ? await client.removeUsers(audienceId, payload, session)
          : await client.replaceUsers(audienceId, payload, session);

    // Meta's num_received counts the whole session so far; some answers count one request.
    const received = response.num_received >= this.#received ? response.num_received - this.#received : response.num_received;
    this.#received = Math.max(this.#received, response.num_received);
    counters.countResponse(response, received);
    await db
      .insertInto('run_batches')
      .values({
        run_id: runId,
        seq: this.#ctx.nextSeq(),
        operation: this.operation,
        rows: rows.length,
        session_id: String(this.sessionId),
        num_received: response.num_received,
        num_invalid_entries: response.num_invalid_entries,
        invalid_entry_samples: JSON.stringify(response.invalid_entry_samples ?? []),
      })
      .execute();
  }
}
