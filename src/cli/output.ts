import type { Command } from 'commander';
import { AppError } from '../errors.ts';

export interface GlobalOptions {
  json?: boolean;
  dataDir?: string;
  databaseUrl?: string;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** Prints a result as JSON for scripts or as text for people, as the user asked. */
export function printResult(options: GlobalOptions, value: unknown, text: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** A failure the user can fix: printed as its message alone, exit code 1. */
export class UserError extends AppError {
  override name = 'UserError';

  constructor(message: string) {
    super('invalid_input', message);
  }
}

export function reportCliError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (process.argv.includes('--json')) {
    const code = error instanceof AppError ? error.code : 'internal';
    const field = error instanceof AppError ? (error.field ?? null) : null;
    process.stdout.write(`${JSON.stringify({ error: { code, message, field } }, null, 2)}\n`);
  } else {
    process.stderr.write(`error: ${message}\n`);
  }
  if (!(error instanceof AppError) && process.env.LOG_LEVEL === 'debug' && error instanceof Error) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = 1;
}
