import type { Hook } from '@hono/zod-openapi';
import type { z } from 'zod';
import { HttpProblem } from './errors.ts';

const TARGET_LABELS: Record<string, string> = {
  json: 'field',
  form: 'form field',
  query: 'query parameter',
  param: 'path parameter',
  header: 'header',
  cookie: 'cookie',
};

/**
 * What every route does when its zod schema refuses the input: 400
 * invalid_input naming the first field at fault, e.g. `mapping.0.destination`.
 */
export const validationHook: Hook<unknown, any, string, unknown> = (result) => {
  if (result.success) return;
  const label = TARGET_LABELS[result.target] ?? 'field';
  const issue = describeZodIssue(result.error.issues[0]!, label);
  throw new HttpProblem(400, 'invalid_input', issue.message, { field: issue.field ?? undefined });
};

/** A zod issue as a sentence for people, and the dotted path of the field at fault. */
export function describeZodIssue(
  issue: z.core.$ZodIssue,
  label: string,
): { message: string; field: string | null } {
  const field = issue.path.map(String).join('.') || null;
  const where = field ? `The ${label} "${field}"` : 'The request body';
  return { message: `${where} ${explain(issue)}.`, field };
}

function explain(issue: z.core.$ZodIssue): string {
  // Our own schemas word their messages as predicates ("must be at most 50 characters").
  if (/^(must|is|are|has|lists|maps|needs) /.test(issue.message)) return issue.message;

  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${unit(issue.origin)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}${unit(issue.origin)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `has unknown keys ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    default:
      return `is invalid: ${issue.message.replace(/^Invalid input: /, '')}`;
  }
}

function unit(origin: string): string {
  if (origin === 'string') return ' characters';
  if (origin === 'array' || origin === 'set') return ' items';
  return '';
}

function article(expected: string): string {
  const word = expected === 'int' ? 'whole number' : expected;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}
