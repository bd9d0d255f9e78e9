import { z } from 'zod';
import { ATTRIBUTE_PREFIX, CUSTOMER_FIELDS, isCustomerField } from '../customers/fields.ts';
import { isRuleDate } from './rule-dates.ts';

/**
 * The audience rule language. A rule is a condition or a group:
 *
 *   { "all": [
 *     { "field": "country", "op": "equals", "value": "korea" },
 *     { "any": [
 *       { "field": "student_level", "op": "in", "value": ["1", "2"] },
 *       { "field": "registered_at", "op": "after", "value": "2024-01-31" } ] } ] }
 *
 * - `{ "all": [] }` matches every customer; `{ "any": [] }` is refused (it would match nobody).
 * - Groups nest at most MAX_GROUP_DEPTH deep; a rule holds at most MAX_CONDITIONS conditions.
 * - field: a customer column (CUSTOMER_FIELDS) or `attributes.<name>`; attribute names are
 *   case-sensitive, exactly as imported.
 * - Text comparisons (equals, not_equals, in, not_in, contains, not_contains, starts_with)
 *   ignore case and surrounding whitespace on both sides: "korea " matches "Korea". Numbers and
 *   true/false are compared as their text ("30" equals 30, "30.0" does not).
 * - greater_than / less_than with a number compare numerically; a stored value that is not a
 *   plain decimal number ("1,000", "n/a") simply does not match.
 * - before / after (and greater_than / less_than with a date) take an ISO date or datetime, see
 *   rule-dates.ts. A day is a whole UTC day: before "2024-01-31" means earlier than that day,
 *   after means later than that day, equals on registered_at means on that day. Stored text
 *   that is not an ISO date ("31-01-2024") does not match.
 * - Negative operators (not_equals, not_in, not_contains) match only customers who have a value:
 *   a blank or missing value is neither equal nor unequal. To include them, add
 *   { "field": ..., "op": "is_not_set" } in an `any` group.
 * - is_set: the value is present and not blank after trimming; is_not_set: the opposite.
 */
export const MAX_GROUP_DEPTH = 5;
export const MAX_CONDITIONS = 100;
export const MAX_LIST_VALUES = 1000;
export const MAX_VALUE_LENGTH = 1000;

/** Attribute names: letters, digits, `_`, `-`, `.` and inner spaces, up to 64 characters. */
export const ATTRIBUTE_NAME_PATTERN = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_ .-]{0,62}[\p{L}\p{N}_.-])?$/u;

export const TEXT_OPS = [
  'equals', 'not_equals', 'contains', 'not_contains', 'starts_with',
] as const;
export const LIST_OPS = ['in', 'not_in'] as const;
export const RANGE_OPS = ['greater_than', 'less_than'] as const;
export const DATE_OPS = ['before', 'after'] as const;
export const PRESENCE_OPS = ['is_set', 'is_not_set'] as const;
export const RULE_OPS = [...TEXT_OPS, ...LIST_OPS, ...RANGE_OPS, ...DATE_OPS, ...PRESENCE_OPS];

/** registered_at is the one timestamptz column; every other field holds text. */
export type RuleFieldKind = 'timestamp' | 'text';

export function ruleFieldKind(field: string): RuleFieldKind {
  return field === 'registered_at' ? 'timestamp' : 'text';
}

export function isRuleField(field: string): boolean {
  if (isCustomerField(field)) return true;
  if (!field.startsWith(ATTRIBUTE_PREFIX)) return false;
  return ATTRIBUTE_NAME_PATTERN.test(field.slice(ATTRIBUTE_PREFIX.length));
}

const RuleField = z
  .string({ error: 'field must be text, e.g. "country" or "attributes.company"' })
  .refine(isRuleField, {
    error: (issue) =>
      `unknown field ${quote(issue.input)}: ` +
      `use a customer column (${CUSTOMER_FIELDS.join(', ')}) ` +
      'or attributes.<name> (letters, digits, _ - . and inner spaces, up to 64 characters)',
  });

const Scalar = z
  .union([z.string().max(MAX_VALUE_LENGTH), z.number(), z.boolean()], {
    error: `value must be text (up to ${MAX_VALUE_LENGTH} characters), a number or true/false`,
  })
  .refine((value) => typeof value !== 'string' || value.trim() !== '', {
    error: 'value is blank: give the text to compare with, or use is_set / is_not_set',
  });

const DATE_VALUE_MESSAGE =
  'before and after take an ISO date like "2024-01-31" or a datetime like "2024-01-31T09:00:00Z"';

const RANGE_VALUE_MESSAGE =
  'greater_than and less_than take a number like 100 (no quotes) or an ISO date like "2024-01-31"';

const TextCondition = z.strictObject({ field: RuleField, op: z.enum(TEXT_OPS), value: Scalar });

const ListCondition = z.strictObject({
  field: RuleField,
  op: z.enum(LIST_OPS),
  value: z
    .array(Scalar, { error: 'in and not_in take a list of values, e.g. ["Korea", "Japan"]' })
    .min(1, { error: 'the list is empty: give at least one value' })
    .max(MAX_LIST_VALUES, { error: `the list is too long: at most ${MAX_LIST_VALUES} values` }),
});

const RangeCondition = z.strictObject({
  field: RuleField,
  op: z.enum(RANGE_OPS),
  value: z.union([z.number(), z.string().refine(isRuleDate, { error: RANGE_VALUE_MESSAGE })], {
    error: RANGE_VALUE_MESSAGE,
  }),
});

const DateCondition = z.strictObject({
  field: RuleField,
  op: z.enum(DATE_OPS),
  value: z.string({ error: DATE_VALUE_MESSAGE }).refine(isRuleDate, { error: DATE_VALUE_MESSAGE }),
});

const PresenceCondition = z.strictObject({ field: RuleField, op: z.enum(PRESENCE_OPS) });

export const AudienceCondition = z
  .discriminatedUnion(
    'op',
    [TextCondition, ListCondition, RangeCondition, DateCondition, PresenceCondition],
    { error: (issue) => opMessage(opOf(issue.input)) },
  )
  .superRefine((condition, ctx) => {
    const problem = timestampProblem(condition);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.key], message: problem.message });
  });
export type AudienceCondition = z.infer<typeof AudienceCondition>;

/** The message a node that is neither a group nor a condition gets; parse-rule.ts keys on it. */
export const NODE_SHAPE_MESSAGE =
  'each entry must be a condition {"field", "op", "value"} ' +
  'or a group {"all": [...]} / {"any": [...]}';

const AllGroup = z.strictObject({
  get all(): z.ZodArray<typeof RuleNode> {
    return z.array(RuleNode, { error: '"all" takes a list of conditions and groups' });
  },
});

const EMPTY_ANY_MESSAGE =
  'an empty "any" group matches nobody: add a condition, or use {"all": []} for everyone';

const AnyGroup = z.strictObject({
  get any(): z.ZodArray<typeof RuleNode> {
    return z
      .array(RuleNode, { error: '"any" takes a list of conditions and groups' })
      .min(1, { error: EMPTY_ANY_MESSAGE });
  },
});

const RuleNode: z.ZodUnion<[typeof AllGroup, typeof AnyGroup, typeof AudienceCondition]> = z.union(
  [AllGroup, AnyGroup, AudienceCondition],
  { error: NODE_SHAPE_MESSAGE },
);

export type AudienceGroup = z.infer<typeof AllGroup> | z.infer<typeof AnyGroup>;

/** A whole rule. Size limits are checked before the tree is walked, so hostile depth is cheap. */
export const AudienceRule = z.preprocess(checkRuleSize, RuleNode);
export type AudienceRule = z.infer<typeof AudienceRule>;

function timestampProblem(
  condition: AudienceCondition,
): { key: string; message: string } | undefined {
  if (ruleFieldKind(condition.field) !== 'timestamp') return undefined;

  switch (condition.op) {
    case 'in':
    case 'not_in':
    case 'contains':
    case 'not_contains':
    case 'starts_with':
      return {
        key: 'op',
        message: `${condition.field} is a date and time: use equals, not_equals, before, after, ` +
          'greater_than, less_than, is_set or is_not_set',
      };
    case 'equals':
    case 'not_equals':
    case 'greater_than':
    case 'less_than':
      if (typeof condition.value === 'string' && isRuleDate(condition.value)) return undefined;
      return {
        key: 'value',
        message: `${condition.field} compares with dates: write an ISO date like "2024-01-31" ` +
          'or a datetime like "2024-01-31T09:00:00Z"',
      };
    default:
      // before and after already insist on a date; is_set and is_not_set take none.
      return undefined;
  }
}

/** Walks the raw input without recursion and stops at the depth limit. */
function checkRuleSize(input: unknown, ctx: z.RefinementCtx): unknown {
  const pending: Array<{ node: unknown; path: Array<string | number>; depth: number }> = [
    { node: input, path: [], depth: 0 },
  ];
  let conditions = 0;

  while (pending.length > 0) {
    const { node, path, depth } = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const key = 'all' in node ? 'all' : 'any' in node ? 'any' : undefined;
    const children = key ? (node as Record<string, unknown>)[key] : undefined;
    if (!key || !Array.isArray(children)) {
      conditions += 1;
      continue;
    }

    if (depth + 1 > MAX_GROUP_DEPTH) {
      ctx.addIssue({
        code: 'custom',
        path,
        input: node,
        message:
          `groups nest at most ${MAX_GROUP_DEPTH} levels deep: merge this group into its parent`,
      });
      continue;
    }
    children.forEach((child, index) => {
      pending.push({ node: child, path: [...path, key, index], depth: depth + 1 });
    });
  }

  if (conditions > MAX_CONDITIONS) {
    ctx.addIssue({
      code: 'custom',
      input,
      message:
        `the rule has ${conditions} conditions; ` +
        `at most ${MAX_CONDITIONS} are allowed (use "in" with a list)`,
    });
  }
  return input;
}

function opMessage(op: unknown): string {
  const choices = `use one of ${RULE_OPS.join(', ')}`;
  return op === undefined ? `op is missing: ${choices}` : `unknown op ${quote(op)}: ${choices}`;
}

function opOf(input: unknown): unknown {
  return typeof input === 'object' && input !== null ? (input as { op?: unknown }).op : undefined;
}

/** Echoes a user's input in a message, shortened so a hostile value cannot flood it. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
