import type { Context } from '../app.ts';
import { systemClock, type Clock } from './clock.ts';
import { readJobsConfig, type JobsConfig } from './config.ts';
import type { Notifier } from './events.ts';
import { withGraphMetrics } from './graph-metrics.ts';
import { checkDestination } from './health-checks.ts';
import { DestinationCheckJob, NotificationDeliveryJob, SyncRunJob } from './job-types.ts';
import { openJobQueue, type JobQueue } from './queue.ts';
import { enqueueDueChecks, enqueueDueRuns, takeOverExpiredRuns } from './scheduler.ts';
import { publishStatusChanges } from './status-watch.ts';
import { handleSyncRun } from './sync-run-job.ts';
import { deliverEvent } from './webhook.ts';

export interface BackgroundOptions {
  /** Work jobs in this process (serve's default; --no-worker turns it off). */
  worker: boolean;
  /** Sync runs at once in this process. */
  concurrency: number;
  /** Default: the environment (readJobsConfig). */
  config?: JobsConfig;
  /** Tests hold time still; runs and leases keep real time. */
  clock?: Clock;
  /** Default true: queue scheduled runs, takeovers and checks; announce status changes. */
  scheduler?: boolean;
}

export interface BackgroundWork {
  queue: JobQueue;
  /** Stops taking jobs, lets running ones end (a run after its batch in flight), then returns. */
  stop(): Promise<void>;
}

const MAINTENANCE_MS = 60_000;

/**
 * What a process does besides answering HTTP. Always: the job queue, so that it
 * can queue runs. With `worker`: sync runs, destination checks and webhook
 * deliveries from the queue, and the scheduler (due runs, takeovers of runs
 * whose worker died, due checks, status-change events). Any number of processes
 * may do this on one PostgreSQL; they coordinate through the database alone.
 */
export async function startBackgroundWork(
  ctx: Context,
  options: BackgroundOptions,
): Promise<BackgroundWork> {
  const config = options.config ?? readJobsConfig();
  const queue = await openJobQueue(ctx.db, ctx.log);
  if (!options.worker) return { queue, stop: () => queue.close() };

  // Graph requests made for jobs are counted for /metrics through the client's own log lines.
  const log = withGraphMetrics(ctx.log);
  const work: Context = { db: ctx.db, config: ctx.config, secrets: ctx.secrets, log };
  const notifier: Notifier = { queue, config };
  const pollSeconds = config.SOURCESIBLE_QUEUE_POLL_SECONDS;
  const statusOptions = { config };

  queue.work(SyncRunJob, { concurrency: options.concurrency, pollSeconds }, (payload, job) =>
    handleSyncRun(work, { notifier, config }, payload, job),
  );
  queue.work(DestinationCheckJob, { concurrency: 1, pollSeconds }, async (payload) => {
    await checkDestination(work, payload.destinationId);
    await publishStatusChanges(work, notifier, statusOptions);
  });
  queue.work(NotificationDeliveryJob, { concurrency: 1, pollSeconds }, (payload, job) =>
    deliverEvent(work, config, payload.eventId, job),
  );

  const loops: Loop[] = [startLoop(ctx, 'maintenance', MAINTENANCE_MS, () => queue.maintain())];
  if (options.scheduler !== false) {
    const clock = options.clock ?? systemClock;
    loops.push(
      startLoop(ctx, 'scheduler', config.SOURCESIBLE_SCHEDULER_INTERVAL_SECONDS * 1000, async () => {
        const intervalMinutes = config.SOURCESIBLE_CHECK_INTERVAL_MINUTES;
        await enqueueDueRuns(work, { clock });
        await takeOverExpiredRuns(work, queue);
        await enqueueDueChecks(work, queue, { clock, intervalMinutes });
        await publishStatusChanges(work, notifier, { config, now: clock.now() });
      }),
    );
  }
  const started = { concurrency: options.concurrency, scheduler: options.scheduler !== false };
  ctx.log.info(started, 'workers started');

  return {
    queue,
    stop: async () => {
      await Promise.all(loops.map((loop) => loop.stop()));
      await queue.close();
      ctx.log.info('workers stopped');
    },
  };
}

interface Loop {
  stop(): Promise<void>;
}

/** Runs `step` now and every `everyMs`, skipping a tick while the last runs; failures are logged. */
function startLoop(
  ctx: Context,
  name: string,
  everyMs: number,
  step: () => Promise<unknown>,
): Loop {
  let current: Promise<void> | null = null;
  const run = () => {
    if (current) return;
    current = step()
      .then(() => undefined)
      .catch((error: unknown) => {
        ctx.log.error({ loop: name, err: error }, 'background step failed; tried again at the next tick');
      })
      .finally(() => {
        current = null;
      });
  };
  run();
  const timer = setInterval(run, everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await current;
    },
  };
}
