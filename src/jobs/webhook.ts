import { createHmac } from 'node:crypto';
import type { Context } from '../app.ts';
import type { JobsConfig } from './config.ts';
import { getEvent, type EventView } from './events.ts';

export const SIGNATURE_HEADER = 'X-Sourcesible-Signature';
const TIMEOUT_MS = 10_000;

type WebhookConfig = Pick<JobsConfig, 'SOURCESIBLE_WEBHOOK_URL' | 'SOURCESIBLE_WEBHOOK_SECRET'>;

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. A receiver recomputes
 * v1 with the shared secret over the raw body, and refuses an old t (a replay).
 */
export function signWebhookBody(secret: string, body: string, unixSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${digest}`;
}

/** The JSON a webhook receives for one event. */
export function makeWebhookBody(event: EventView): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    message: event.message,
    sync: event.sync,
    destination: event.destination,
    details: event.details,
  });
}

export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';
}

export interface DeliveryAttempt {
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

/**
 * Posts one event to the webhook. A refusal (anything but 2xx, redirects too)
 * or a network fault throws, and the queue retries with backoff; the last
 * attempt marks the event failed instead, with the reason, for the web app.
 */
export async function deliverEvent(
  ctx: Context,
  config: WebhookConfig,
  eventId: number,
  attempt: DeliveryAttempt,
): Promise<void> {
  const event = await getEvent(ctx, eventId);
  if (!event || event.delivery.status === 'delivered') return;
  const url = config.SOURCESIBLE_WEBHOOK_URL;
  const secret = config.SOURCESIBLE_WEBHOOK_SECRET;
  if (!url || !secret) {
    await setDelivery(ctx, eventId, { delivery_status: 'none' });
    return;
  }

  const body = makeWebhookBody(event);
  const now = attempt.now?.() ?? new Date();
  const problem = await post(attempt.fetch ?? fetch, url, body, {
    'content-type': 'application/json',
    'user-agent': 'Sourcesible-Webhooks/1',
    'x-sourcesible-event': event.type,
    'x-sourcesible-delivery': String(event.id),
    [SIGNATURE_HEADER.toLowerCase()]: signWebhookBody(secret, body, Math.floor(now.getTime() / 1000)),
  });
  // The host only: a URL's path or query may hold a token of the receiver's.
  const host = new URL(url).host;

  if (problem === null) {
    await setDelivery(ctx, eventId, { delivery_status: 'delivered', delivered_at: now, delivery_error: null });
    ctx.log.info({ eventId, host }, 'event delivered to the webhook');
    return;
  }

  const last = attempt.retryCount >= attempt.retryLimit;
  await setDelivery(ctx, eventId, { delivery_status: last ? 'failed' : 'pending', delivery_error: problem });
  const context = { eventId, host, problem, attempt: attempt.retryCount + 1, last };
  ctx.log.warn(context, 'webhook refused the event');
  if (!last) throw new WebhookDeliveryError(`The webhook at ${host} refused event ${eventId}: ${problem}`);
}

type DeliveryColumns = {
  delivery_status: 'none' | 'pending' | 'delivered' | 'failed';
  delivered_at?: Date;
  delivery_error?: string | null;
};

async function setDelivery(ctx: Context, eventId: number, columns: DeliveryColumns): Promise<void> {
  const counted = columns.delivery_status !== 'none';
  await ctx.db
    .updateTable('events')
    .set((eb) => ({ ...columns, ...(counted && { delivery_attempts: eb('delivery_attempts', '+', 1) }) }))
    .where('id', '=', eventId)
    .execute();
}

/** Null when the receiver took it; else what went wrong, in words. */
async function post(
  fetchImpl: typeof fetch,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<string | null> {
  try {
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    const response = await fetchImpl(url, { method: 'POST', headers, body, redirect: 'manual', signal });
    await response.body?.cancel();
    return response.ok ? null : `HTTP ${response.status}`;
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
    const cause = (error as { cause?: { code?: string } }).cause;
    return `could not connect (${cause?.code ?? (error as Error).message})`;
  }
}
