import { z } from 'zod';

/**
 * A kind of background job, declared once: what its payload must be, how long
 * one may hold a worker, and how its failures are retried. A job that throws is
 * retried after `delaySeconds` (doubling with `backoff`) up to `limit` times.
 */
export interface JobType<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  timeoutSeconds: number;
  retry: { limit: number; delaySeconds: number; backoff: boolean };
  /** Jobs with the same key wait in the queue at most once: a second send is refused. */
  key?: (payload: z.output<S>) => string;
}

function defineJob<S extends z.ZodType>(type: JobType<S>): JobType<S> {
  return type;
}

export const SyncRunPayload = z.object({
  syncId: z.number().int().positive(),
  /** manual, created, schedule, resume, takeover, retry… as recorded on the run. */
  trigger: z.string().min(1).max(40),
  /** How many runs in a row this one retries after Meta asked to wait. */
  attempt: z.number().int().min(0).default(0),
});
export type SyncRunPayload = z.infer<typeof SyncRunPayload>;

/**
 * One run of a sync. Keyed by the sync, so a run waits in the queue at most
 * once; the runs table's one-running-run-per-sync index covers the rest.
 * A run that fails is recorded as failed, not thrown: the job's own retries are
 * for a worker that lost its database, and the schedule retries a failed run.
 * After the timeout the run stops after its batch in flight and a fresh job
 * resumes it, so no worker is held for hours by one audience.
 */
export const SyncRunJob = defineJob({
  name: 'sync-run',
  payload: SyncRunPayload,
  timeoutSeconds: 4 * 60 * 60,
  retry: { limit: 2, delaySeconds: 60, backoff: true },
  key: (payload) => String(payload.syncId),
});

export const DestinationCheckPayload = z.object({ destinationId: z.number().int().positive() });
export type DestinationCheckPayload = z.infer<typeof DestinationCheckPayload>;

/** Asks Meta whether a destination's token, permission and terms hold, then its syncs' audiences. */
export const DestinationCheckJob = defineJob({
  name: 'destination-check',
  payload: DestinationCheckPayload,
  timeoutSeconds: 5 * 60,
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  key: (payload) => String(payload.destinationId),
});

export const NotificationDeliveryPayload = z.object({ eventId: z.number().int().positive() });
export type NotificationDeliveryPayload = z.infer<typeof NotificationDeliveryPayload>;

/** Posts one event to the webhook; about two hours of retries before it is given up. */
export const NotificationDeliveryJob = defineJob({
  name: 'notification-delivery',
  payload: NotificationDeliveryPayload,
  timeoutSeconds: 60,
  retry: { limit: 8, delaySeconds: 30, backoff: true },
  key: (payload) => String(payload.eventId),
});

export const JOB_TYPES: ReadonlyArray<JobType> = [
  SyncRunJob,
  DestinationCheckJob,
  NotificationDeliveryJob,
];
