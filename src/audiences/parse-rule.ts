import type { z } from 'zod';
import { AudienceError, type RuleProblem } from './errors.ts';
import { AudienceRule, NODE_SHAPE_MESSAGE, PRESENCE_OPS, quote } from './rules.ts';

type Issue = z.core.$ZodIssue;
type Path = PropertyKey[];

export type ParsedRule = { ok: true; rule: AudienceRule } | { ok: false; problems: RuleProblem[] };

/**
 * Checks untrusted input (an API body, a CLI argument, a stored row) against the rule
 * language and says, per wrong condition, where it is and how to fix it.
 */
export function parseAudienceRule(input: unknown): ParsedRule {
  const parsed = AudienceRule.safeParse(input);
  if (parsed.success) return { ok: true, rule: parsed.data };
  return { ok: false, problems: describeRuleIssues(parsed.error.issues, input) };
}

/** parseAudienceRule that throws an AudienceError (code invalid_rule) listing every problem. */
export function assertAudienceRule(input: unknown): AudienceRule {
  const parsed = parseAudienceRule(input);
  if (parsed.ok) return parsed.rule;
  const lines = parsed.problems.map((problem) => `${problem.path}: ${problem.message}`);
  const message = `The audience rule is invalid. ${lines.join('; ')}`;
  throw new AudienceError('invalid_rule', message, parsed.problems);
}

/**
 * zod reports a node that fits neither a group nor a condition with the issues of every
 * branch; the user meant one of them, so the node's own keys pick the branch to report.
 */
export function describeRuleIssues(
  issues: readonly Issue[],
  input: unknown,
  base: Path = [],
): RuleProblem[] {
  return issues.flatMap((issue) => describeIssue(issue, input, [...base, ...issue.path]));
}

function describeIssue(issue: Issue, input: unknown, path: Path): RuleProblem[] {
  if (issue.code === 'invalid_union' && issue.message === NODE_SHAPE_MESSAGE) {
    const node = valueAt(input, path);
    const branch = intendedBranch(node);
    const chosen = branch === undefined ? undefined : issue.errors[branch];
    if (chosen && chosen.length > 0) return describeRuleIssues(chosen, input, path);
    return [{ path: formatPath(path), message: shapeMessage(node) }];
  }

  if (issue.code === 'unrecognized_keys') {
    const node = valueAt(input, path);
    const where = formatPath(path);
    return issue.keys.map((key) => ({ path: where, message: unknownKeyMessage(node, key) }));
  }

  return [{ path: formatPath(path), message: issue.message }];
}

/** 0: an all-group, 1: an any-group, 2: a condition, as listed in RuleNode. */
function intendedBranch(node: unknown): number | undefined {
  if (!isObject(node)) return undefined;
  if ('all' in node && 'any' in node) return undefined;
  if ('all' in node) return 0;
  if ('any' in node) return 1;
  if ('field' in node || 'op' in node) return 2;
  return undefined;
}

function shapeMessage(node: unknown): string {
  if (isObject(node) && 'all' in node && 'any' in node) {
    return 'a group takes either "all" or "any", not both: wrap one of them in its own group';
  }
  return NODE_SHAPE_MESSAGE;
}

function unknownKeyMessage(node: unknown, key: string): string {
  const op = isObject(node) ? node.op : undefined;
  if (key === 'value' && (PRESENCE_OPS as readonly unknown[]).includes(op)) {
    return `${String(op)} takes no value: remove "value"`;
  }
  if (isObject(node) && ('all' in node || 'any' in node)) {
    return `unknown key ${quote(key)}: a group holds only "all" or "any"`;
  }
  return `unknown key ${quote(key)}: a condition holds only "field", "op" and "value"`;
}

function valueAt(input: unknown, path: Path): unknown {
  let node = input;
  for (const key of path) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** ['all', 0, 'any', 1, 'value'] reads as all[0].any[1].value; the root is "rule". */
export function formatPath(path: Path): string {
  if (path.length === 0) return 'rule';
  const parts = path.map((key, index) => {
    if (typeof key === 'number') return `[${key}]`;
    return index === 0 ? String(key) : `.${String(key)}`;
  });
  return parts.join('');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
