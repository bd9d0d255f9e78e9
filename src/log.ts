import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths the logger itself blanks, wherever a caller puts them, so that no log
 * line carries an email, a phone, a token or a secret.
 */
const REDACTED_PATHS = [
  'email', '*.email', 'phone', '*.phone', 'token', '*.token', 'accessToken', '*.accessToken',
  'access_token', '*.access_token', 'appSecret', '*.appSecret', 'app_secret', '*.app_secret',
  'secret', '*.secret', 'password', '*.password', 'authorization', '*.authorization',
  'headers.authorization', 'headers.cookie', 'row', '*.row', 'rows', '*.rows', 'value', '*.value',
];

export function makeLogger(options: { level?: string; destination?: pino.DestinationStream } = {}) {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino(
    { level, base: undefined, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that writes nothing, for tests and for commands whose output is their result. */
export const silentLogger: Logger = pino({ level: 'silent' });
