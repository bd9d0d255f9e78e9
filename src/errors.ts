import type { z } from 'zod';

export type AppErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'not_connected'
  | 'already_running'
  | 'meta_rejected';

/**
 * An error the user can act on: a machine code, a message saying what is wrong
 * and how to fix it, and the input field at fault when there is one.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: AppErrorCode;
  readonly field: string | undefined;

  constructor(code: AppErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}

/** Parses input with its schema, or throws an invalid_input AppError naming the first field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, label = 'input'): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;

  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || undefined;
  const where = field ? `${label} field "${field}"` : label;
  throw new AppError('invalid_input', `The ${where} ${describeIssue(issue)}`, { field });
}

/** Zod's own wording for a wrong type ("Invalid input: expected array…") read as a sentence. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_type') return issue.message;
  // Zod reports the input only on request, but its message names what it received.
  if (issue.message.endsWith('received undefined')) return 'is required';
  return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
}
