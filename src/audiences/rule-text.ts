import type { AudienceCondition, AudienceRule } from './rules.ts';

/**
 * A rule as one line a person can read, for lists and logs of what an audience means:
 * `country equals "Korea" and (student_level in ["1", "2"] or email is set)`.
 * It carries the rule's values, so it is for the audience's owner, not for logs of members.
 */
export function describeRule(rule: AudienceRule): string {
  return describeNode(rule, true);
}

function describeNode(node: AudienceRule, top: boolean): string {
  if ('all' in node || 'any' in node) {
    const [children, joiner] = 'all' in node ? [node.all, ' and '] : [node.any, ' or '];
    if (children.length === 0) return 'every customer';
    if (children.length === 1) return describeNode(children[0]!, top);
    const text = children.map((child) => describeNode(child, false)).join(joiner);
    return top ? text : `(${text})`;
  }
  return describeCondition(node);
}

function describeCondition(condition: AudienceCondition): string {
  const op = condition.op.replaceAll('_', ' ');
  if (!('value' in condition)) return `${condition.field} ${op}`;
  const value = Array.isArray(condition.value)
    ? `[${condition.value.map((item) => JSON.stringify(item)).join(', ')}]`
    : JSON.stringify(condition.value);
  return `${condition.field} ${op} ${value}`;
}
