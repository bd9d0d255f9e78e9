import { setTimeout as delay } from 'node:timers/promises';
import type { Context } from '../app.ts';
import { startBackgroundWork } from './background.ts';
import { JobsConfig } from './config.ts';

/** The background settings tests use: fast polling, nothing posted anywhere. */
export function testJobsConfig(overrides: Partial<JobsConfig> = {}): JobsConfig {
  return { ...JobsConfig.parse({ SOURCESIBLE_QUEUE_POLL_SECONDS: 0.5 }), ...overrides };
}

/**
 * Works the queue in this process until no job is ready or running (delayed
 * jobs are left waiting), then stops: for tests that queue runs through the API
 * or triggerSyncRun and want them done. No scheduler runs meanwhile.
 */
export async function runQueuedJobs(
  ctx: Context,
  options: { timeoutMs?: number; config?: JobsConfig } = {},
): Promise<void> {
  const config = options.config ?? testJobsConfig();
  const work = await startBackgroundWork(ctx, { worker: true, concurrency: 4, scheduler: false, config });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  try {
    let idleChecks = 0;
    while (idleChecks < 2) {
      if (Date.now() > deadline) throw new Error('Queued jobs still ran when the wait ran out');
      await delay(250);
      idleChecks = (await work.queue.busyCount()) === 0 ? idleChecks + 1 : 0;
    }
  } finally {
    await work.stop();
  }
}
