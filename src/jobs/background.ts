import type { Context } from '../app.ts';
import { settleTriggeredRuns } from './trigger.ts';

export interface BackgroundOptions {
  /** Run sync jobs in this process (serve's default; --no-worker turns it off). */
  worker: boolean;
  concurrency: number;
}

export interface BackgroundWork {
  stop(): Promise<void>;
}

/**
 * What a server process does besides answering HTTP. For now: runs triggered in
 * this process finish before it stops.
 */
export async function startBackgroundWork(_ctx: Context, _options: BackgroundOptions): Promise<BackgroundWork> {
  return { stop: () => settleTriggeredRuns() };
}
