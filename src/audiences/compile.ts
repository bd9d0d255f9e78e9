import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { ATTRIBUTE_PREFIX, isCustomerField } from '../customers/fields.ts';
import { parseRuleDate, type RuleDate } from './rule-dates.ts';
import { quote, ruleFieldKind, type AudienceCondition, type AudienceRule } from './rules.ts';
import {
  folded,
  guardedNumber,
  guardedTimestamp,
  textParam,
  trimmed,
  type SqlPart,
} from './sql-guards.ts';

/**
 * Turns a rule into a WHERE condition over the customers table (or its alias `table`):
 *
 *   db.selectFrom('customers as c').where(compileRule(rule, 'c')).select('c.id')
 *
 * Column names come only from CUSTOMER_FIELDS through sql.ref; every value and every
 * attribute key is a bound parameter. Each condition yields true or false, never NULL, so
 * that a missing value can never flip a result through three-valued logic.
 * The semantics are documented on the rule language in rules.ts.
 */
export function compileRule(rule: AudienceRule, table = 'customers'): RawBuilder<SqlBool> {
  return compileNode(rule, assertTableName(table));
}

/** Members of several audiences at once: a customer in any of them. No rules, no members. */
export function compileAudienceUnion(
  rules: readonly AudienceRule[],
  table = 'customers',
): RawBuilder<SqlBool> {
  if (rules.length === 0) return sql<SqlBool>`false`;
  const name = assertTableName(table);
  return joined(rules.map((rule) => compileNode(rule, name)), 'or');
}

function compileNode(node: AudienceRule, table: string): RawBuilder<SqlBool> {
  if ('all' in node) {
    if (node.all.length === 0) return sql<SqlBool>`true`;
    return joined(node.all.map((child) => compileNode(child, table)), 'and');
  }
  if ('any' in node) {
    if (node.any.length === 0) return sql<SqlBool>`false`;
    return joined(node.any.map((child) => compileNode(child, table)), 'or');
  }
  return sql<SqlBool>`coalesce(${compileCondition(node, table)}, false)`;
}

function joined(parts: RawBuilder<SqlBool>[], operator: 'and' | 'or'): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.join(parts, operator === 'and' ? sql` and ` : sql` or `)})`;
}

function compileCondition(condition: AudienceCondition, table: string): SqlPart {
  const value = fieldValue(condition.field, table);
  const isTimestamp = ruleFieldKind(condition.field) === 'timestamp';

  switch (condition.op) {
    case 'is_set':
      return isTimestamp ? sql`${value} is not null` : sql`${trimmed(value)} <> ''`;
    case 'is_not_set':
      return isTimestamp ? sql`${value} is null` : sql`coalesce(${trimmed(value)}, '') = ''`;
    case 'equals':
      if (isTimestamp) return onDate(value, ruleDate(condition.value));
      return compileText(condition.op, value, condition.value);
    case 'not_equals':
      if (isTimestamp) return sql`not ${onDate(value, ruleDate(condition.value))}`;
      return compileText(condition.op, value, condition.value);
    case 'contains':
    case 'not_contains':
    case 'starts_with':
      return compileText(condition.op, value, condition.value);
    case 'in':
      return sql`${folded(value)} in ${foldedList(condition.value)}`;
    case 'not_in':
      return sql`${folded(value)} <> '' and ${folded(value)} not in ${foldedList(condition.value)}`;
    case 'greater_than':
    case 'less_than':
      return compileRange(condition.op, condition.value, value, isTimestamp);
    case 'before':
      return before(asTimestamp(value, isTimestamp), ruleDate(condition.value));
    case 'after':
      return after(asTimestamp(value, isTimestamp), ruleDate(condition.value));
  }
}

/** The negative operators demand a value first: a blank field is neither equal nor unequal. */
function compileText(
  op: 'equals' | 'not_equals' | 'contains' | 'not_contains' | 'starts_with',
  value: SqlPart,
  target: string | number | boolean,
): SqlPart {
  const field = folded(value);
  const text = folded(textParam(target));

  switch (op) {
    case 'equals':
      return sql`${field} = ${text}`;
    case 'not_equals':
      return sql`${field} <> '' and ${field} <> ${text}`;
    case 'contains':
      return sql`strpos(${field}, ${text}) > 0`;
    case 'not_contains':
      return sql`${field} <> '' and strpos(${field}, ${text}) = 0`;
    case 'starts_with':
      return sql`starts_with(${field}, ${text})`;
  }
}

function compileRange(
  op: 'greater_than' | 'less_than',
  target: number | string,
  value: SqlPart,
  isTimestamp: boolean,
): SqlPart {
  if (typeof target === 'number') {
    const number = guardedNumber(value);
    const bound = sql`cast(${String(target)} as numeric)`;
    return op === 'greater_than' ? sql`${number} > ${bound}` : sql`${number} < ${bound}`;
  }
  const date = ruleDate(target);
  const stamp = asTimestamp(value, isTimestamp);
  return op === 'greater_than' ? after(stamp, date) : before(stamp, date);
}

/** A column through the whitelist, or an attribute whose key travels as a parameter. */
function fieldValue(field: string, table: string): SqlPart {
  if (isCustomerField(field)) return sql.ref(`${table}.${field}`);
  if (field.startsWith(ATTRIBUTE_PREFIX) && field.length > ATTRIBUTE_PREFIX.length) {
    const key = field.slice(ATTRIBUTE_PREFIX.length);
    return sql`(${sql.ref(`${table}.attributes`)} ->> cast(${key} as text))`;
  }
  throw new Error(`Cannot compile audience rule field ${quote(field)}: not a customer field`);
}

function foldedList(values: ReadonlyArray<string | number | boolean>): SqlPart {
  const list = values.map((value) => String(value));
  const item = folded(sql`rule_list.item`);
  return sql`(select ${item} from unnest(cast(${list} as text[])) as rule_list(item))`;
}

function asTimestamp(value: SqlPart, isTimestamp: boolean): SqlPart {
  return isTimestamp ? value : guardedTimestamp(value);
}

function stampParam(iso: string): SqlPart {
  return sql`cast(${iso} as timestamptz)`;
}

function before(stamp: SqlPart, date: RuleDate): SqlPart {
  return sql`${stamp} < ${stampParam(date.precision === 'day' ? date.start : date.at)}`;
}

function after(stamp: SqlPart, date: RuleDate): SqlPart {
  if (date.precision === 'day') return sql`${stamp} >= ${stampParam(date.end)}`;
  return sql`${stamp} > ${stampParam(date.at)}`;
}

function onDate(stamp: SqlPart, date: RuleDate): SqlPart {
  if (date.precision === 'instant') return sql`(${stamp} = ${stampParam(date.at)})`;
  return sql`(${stamp} >= ${stampParam(date.start)} and ${stamp} < ${stampParam(date.end)})`;
}

function ruleDate(value: unknown): RuleDate {
  const date = typeof value === 'string' ? parseRuleDate(value) : undefined;
  if (!date) {
    throw new Error(`Cannot compile audience rule date ${quote(value)}: parse the rule first`);
  }
  return date;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

function assertTableName(table: string): string {
  if (!TABLE_NAME.test(table)) {
    throw new Error(`Cannot compile an audience rule for table ${quote(table)}`);
  }
  return table;
}
