import { sql, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { KyselyBossDb } from './boss-adapter.ts';
import { JOB_TYPES, type JobType } from './job-types.ts';
import { metrics } from './metrics.ts';

/** What a job handler learns besides its payload. */
export interface JobContext {
  id: string;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
  /**
   * Aborted when the process stops or the job nears its timeout: finish the
   * step in hand, record where things stand, and return.
   */
  signal: AbortSignal;
}

export type JobHandler<S extends z.ZodType> = (payload: z.output<S>, job: JobContext) => Promise<void>;

export interface SendOptions {
  startAfterSeconds?: number;
  /**
   * Send inside this open transaction: the job exists once it commits. On PGlite
   * this is also the only way to send from inside a transaction, whose one
   * connection a send through the app's Kysely instance would wait for forever.
   */
  trx?: Kysely<any>;
}

export interface WorkOptions {
  /** Jobs of this type handled at once in this process. */
  concurrency: number;
  /** How often an idle worker looks for work. Default 2 s. */
  pollSeconds?: number;
}

interface BossJob {
  id: string;
  data: unknown;
  retryCount: number;
  retryLimit: number;
  createdOn: Date;
  startedOn: Date;
}

/** Longest a stopping process waits for its handlers (a run's batch in flight). */
const STOP_GRACE_MS = 10 * 60_000;

/**
 * The job queue: pg-boss in the app's own database (PGlite or PostgreSQL), its
 * SQL sent through the app's Kysely instance. Every process that sends or works
 * jobs opens it once per database; any number of processes share it.
 *
 * pg-boss keeps its tables in the schema `pgboss`, or, when the app works in a
 * schema of its own (tests), in that schema, so dropping it drops the queue too.
 */
export class JobQueue {
  readonly schema: string;
  readonly #db: Db;
  readonly #boss: PgBoss;
  readonly #adapter: KyselyBossDb;
  readonly #log: Logger;
  readonly #stopping = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #working = new Set<string>();
  #closed = false;

  private constructor(db: Db, schema: string, log: Logger) {
    this.#db = db;
    this.schema = schema;
    this.#log = log;
    this.#adapter = new KyselyBossDb(db);
    // No timers of pg-boss's own: maintenance runs where workers run (background.ts),
    // and its cron is not used: schedules are ours (scheduler.ts).
    const options = { db: this.#adapter, schema, schedule: false, supervise: false, migrate: true };
    this.#boss = new PgBoss(options);
    this.#boss.on('error', (error) => this.#log.error({ err: error }, 'job queue error'));
  }

  static async start(db: Db, log: Logger): Promise<JobQueue> {
    const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    const own = current.rows[0]!.schema;
    const queue = new JobQueue(db, own === 'public' ? 'pgboss' : own, log);
    await queue.#boss.start();
    for (const type of JOB_TYPES) {
      const settings: PgBoss.Queue = {
        name: type.name,
        policy: type.key ? 'short' : 'standard',
        retryLimit: type.retry.limit,
        retryDelay: type.retry.delaySeconds,
        retryBackoff: type.retry.backoff,
        expireInSeconds: type.timeoutSeconds,
      };
      await queue.#boss.createQueue(type.name, settings);
      await queue.#boss.updateQueue(type.name, settings);
    }
    return queue;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Validates the payload and queues a job. Null when a job with the same key is
   * already waiting: the caller's work is in the queue already.
   */
  async send<S extends z.ZodType>(
    type: JobType<S>,
    payload: z.input<S>,
    options: SendOptions = {},
  ): Promise<string | null> {
    const data = type.payload.parse(payload);
    const delay = options.startAfterSeconds ?? 0;
    return this.#boss.send(type.name, data as object, {
      singletonKey: type.key?.(data),
      startAfter: delay > 0 ? Math.ceil(delay) : undefined,
      db: options.trx ? new KyselyBossDb(options.trx) : undefined,
    } as PgBoss.SendOptions);
  }

  /**
   * Runs `handler` for jobs of this type, `concurrency` at a time in this process.
   * A payload that no longer parses is logged and dropped, never retried.
   */
  work<S extends z.ZodType>(type: JobType<S>, work: WorkOptions, handler: JobHandler<S>): void {
    this.#working.add(type.name);
    const options = { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: work.pollSeconds ?? 2 };
    for (let i = 0; i < work.concurrency; i += 1) {
      void this.#boss.work(type.name, options, async (jobs) => {
        const task = this.#handle(type, jobs[0] as unknown as BossJob, handler);
        this.#inFlight.add(task);
        try {
          await task;
        } finally {
          this.#inFlight.delete(task);
        }
      });
    }
  }

  async #handle<S extends z.ZodType>(type: JobType<S>, job: BossJob, handler: JobHandler<S>): Promise<void> {
    const labels = { job: type.name };
    const waited = (job.startedOn.getTime() - job.createdOn.getTime()) / 1000;
    metrics.jobWait.observe(labels, Math.max(0, waited));
    const parsed = type.payload.safeParse(job.data);
    if (!parsed.success) {
      metrics.jobs.inc({ ...labels, outcome: 'rejected' });
      const fields = parsed.error.issues.map((issue) => issue.path.join('.'));
      this.#log.error({ job: type.name, jobId: job.id, fields }, 'job payload is invalid; dropped');
      return;
    }

    // Stop the handler a little before pg-boss would give the job up, so it ends cleanly.
    const marginMs = Math.min(120, type.timeoutSeconds / 10) * 1000;
    const timeout = AbortSignal.timeout(type.timeoutSeconds * 1000 - marginMs);
    const signal = AbortSignal.any([this.#stopping.signal, timeout]);
    const started = performance.now();
    try {
      await handler(parsed.data, { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit, signal });
      metrics.jobs.inc({ ...labels, outcome: 'completed' });
    } catch (error) {
      metrics.jobs.inc({ ...labels, outcome: 'failed' });
      const context = { job: type.name, jobId: job.id, retryCount: job.retryCount, err: error };
      this.#log.error(context, 'job failed; the queue retries it');
      throw error;
    } finally {
      metrics.jobDuration.observe(labels, (performance.now() - started) / 1000);
    }
  }

  /** Whether a job of this key waits, or started less than `activeWithinMs` ago. */
  async hasPendingJob(type: JobType<any>, key: string, activeWithinMs: number): Promise<boolean> {
    const found = await sql<{ found: number }>`
      select 1 as found from ${sql.table(`${this.schema}.job`)}
      where name = ${type.name} and singleton_key = ${key}
        and (state in ('created', 'retry')
          or (state = 'active' and started_on > now() - ${activeWithinMs} * interval '1 millisecond'))
      limit 1`.execute(this.#db);
    return found.rows.length > 0;
  }

  /**
   * The keys of jobs taken by a worker longer ago than `olderThanMs`: a worker
   * that died after taking a job leaves it active until its timeout.
   */
  async staleActiveKeys(type: JobType<any>, olderThanMs: number): Promise<string[]> {
    const rows = await sql<{ key: string }>`
      select distinct singleton_key as key from ${sql.table(`${this.schema}.job`)}
      where name = ${type.name} and state = 'active' and singleton_key is not null
        and started_on < now() - ${olderThanMs} * interval '1 millisecond'`.execute(this.#db);
    return rows.rows.map((row) => row.key);
  }

  /** Cancels this key's jobs taken longer ago than `olderThanMs`, so that they are not retried too. */
  async cancelStaleActive(type: JobType<any>, key: string, olderThanMs: number): Promise<number> {
    const rows = await sql<{ id: string }>`
      select id from ${sql.table(`${this.schema}.job`)}
      where name = ${type.name} and state = 'active' and singleton_key = ${key}
        and started_on < now() - ${olderThanMs} * interval '1 millisecond'`.execute(this.#db);
    if (rows.rows.length > 0) await this.#boss.cancel(type.name, rows.rows.map((row) => row.id));
    return rows.rows.length;
  }

  /** Jobs waiting, retrying and active, per job type, across every process. */
  async depth(): Promise<Array<{ job: string; state: string; count: number }>> {
    const rows = await sql<{ job: string; state: string; count: number }>`
      select name as job, state::text as state, count(*)::int as count
      from ${sql.table(`${this.schema}.job`)}
      where state in ('created', 'retry', 'active')
      group by name, state`.execute(this.#db);
    return rows.rows.map((row) => ({ ...row, count: Number(row.count) }));
  }

  /** Jobs a worker could take now or has taken: what a test waits on to see the queue settle. */
  async busyCount(): Promise<number> {
    const rows = await sql<{ count: number }>`
      select count(*)::int as count from ${sql.table(`${this.schema}.job`)}
      where state = 'active' or (state in ('created', 'retry') and start_after <= now())`.execute(this.#db);
    return Number(rows.rows[0]?.count ?? 0);
  }

  /** Expires jobs past their timeout (their workers died) and archives old ones. */
  async maintain(): Promise<void> {
    await this.#boss.maintain();
  }

  /**
   * Stops taking jobs, tells running handlers to stop (a sync run finishes its
   * batch in flight), waits for them, then closes. The database stays open.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const name of this.#working) await this.#boss.offWork(name);
    this.#stopping.abort();

    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([Promise.allSettled([...this.#inFlight]), grace]);
    await this.#boss.stop({ graceful: true, wait: true, close: false, timeout: 1000 });
    await this.#adapter.drain();
  }
}

const queues = new WeakMap<Db, { opening: Promise<JobQueue>; queue?: JobQueue }>();

/**
 * The job queue of this database in this process, started on first use. A
 * queue opened only to send jobs starts no timer, so it never keeps a process alive.
 */
export async function openJobQueue(db: Db, log: Logger): Promise<JobQueue> {
  const known = queues.get(db);
  if (known && !known.queue?.closed) return known.opening;

  const entry: { opening: Promise<JobQueue>; queue?: JobQueue } = { opening: JobQueue.start(db, log) };
  queues.set(db, entry);
  try {
    entry.queue = await entry.opening;
    return entry.queue;
  } catch (error) {
    queues.delete(db);
    throw error;
  }
}

/** The started queue of this database in this process, if any (readiness, metrics). */
export function startedJobQueue(db: Db): JobQueue | null {
  const queue = queues.get(db)?.queue;
  return queue && !queue.closed ? queue : null;
}
