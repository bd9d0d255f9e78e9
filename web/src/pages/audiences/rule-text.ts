import type { RuleCondition, RuleNode } from '../../api/types.ts';
import { OPERATORS } from './rule-tree.ts';

const MAX_TEXT = 110;

/** One line for the list: `country equals "Korea" and registered_at is after 2024-01-31`. */
export function describeRule(rule: RuleNode): string {
  const text = describe(rule, true);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

function describe(rule: RuleNode, top: boolean): string {
  if ('all' in rule || 'any' in rule) {
    const children = 'all' in rule ? rule.all : rule.any;
    if (children.length === 0) return 'all' in rule ? 'Every customer' : 'Nobody';
    const joined = children.map((child) => describe(
      child,
      false,
    )).join('all' in rule ? ' and ' : ' or ');
    return top || children.length === 1 ? joined : `(${joined})`;
  }
  const condition = rule as RuleCondition;
  const op = OPERATORS.find((entry) => entry.value === condition.op)?.label ?? condition.op;
  if (condition.value === undefined) return `${condition.field} ${op}`;
  const value = Array.isArray(condition.value) ? condition.value.map(quote).join(', ') : quote(condition.value);
  return `${condition.field} ${op} ${value}`;
}

function quote(value: string | number | boolean): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
