import type { Logger } from '../log.ts';
import { metrics } from './metrics.ts';

// The Graph client reports each finished request in one log line (client.ts #logRequest);
// counting those lines counts requests and errors without touching the client's parsing.
const SUCCEEDED = 'Meta request succeeded';
const FAILED = 'Meta request failed';

interface RequestEntry {
  method?: string;
  code?: number | null;
  reason?: string;
}

/**
 * A logger that counts the Graph client's request lines into the metrics and
 * passes everything on unchanged; its children count too. Hand it to whatever
 * builds Graph clients (the worker's context) to measure every Meta call.
 */
export function withGraphMetrics(log: Logger): Logger {
  return new Proxy(log, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'child') {
        return (...args: Parameters<Logger['child']>) =>
          withGraphMetrics(target.child(...args) as unknown as Logger);
      }
      if (property === 'debug' || property === 'warn') {
        return (entry: unknown, message?: string, ...rest: unknown[]) => {
          count(entry, message);
          return (value as (...a: unknown[]) => void).call(target, entry, message, ...rest);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function count(entry: unknown, message: string | undefined): void {
  if (message !== SUCCEEDED && message !== FAILED) return;
  const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as RequestEntry;
  const method = fields.method ?? 'unknown';
  metrics.graphRequests.inc({ method, outcome: message === SUCCEEDED ? 'ok' : 'error' });
  if (message === FAILED) {
    const code = fields.code == null ? 'none' : String(fields.code);
    metrics.graphErrors.inc({ code, reason: fields.reason ?? 'unknown' });
  }
}
