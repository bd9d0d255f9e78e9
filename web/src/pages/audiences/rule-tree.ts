import type { RuleCondition, RuleNode } from '../../api/types.ts';

/**
 * The rule builder's editable tree. Every node has an id for React; values stay
 * text while edited and become numbers or lists only when sent.
 */
export interface ConditionDraft {
  kind: 'condition';
  id: string;
  field: string;
  op: string;
  value: string;
}

export interface GroupDraft {
  kind: 'group';
  id: string;
  join: 'all' | 'any';
  children: NodeDraft[];
}

export type NodeDraft = ConditionDraft | GroupDraft;

export const OPERATORS: Array<{
  value: string;
  label: string;
  needsValue: boolean;
  timestamp: boolean;
  text: boolean;
}> = [
  { value: 'equals', label: 'equals', needsValue: true, timestamp: true, text: true },
  { value: 'not_equals', label: 'does not equal', needsValue: true, timestamp: true, text: true },
  { value: 'contains', label: 'contains', needsValue: true, timestamp: false, text: true },
  {
    value: 'not_contains',
    label: 'does not contain',
    needsValue: true,
    timestamp: false,
    text: true,
  },
  { value: 'starts_with', label: 'starts with', needsValue: true, timestamp: false, text: true },
  { value: 'in', label: 'is one of', needsValue: true, timestamp: false, text: true },
  { value: 'not_in', label: 'is none of', needsValue: true, timestamp: false, text: true },
  {
    value: 'greater_than',
    label: 'is greater than',
    needsValue: true,
    timestamp: true,
    text: true,
  },
  { value: 'less_than', label: 'is less than', needsValue: true, timestamp: true, text: true },
  { value: 'before', label: 'is before', needsValue: true, timestamp: true, text: true },
  { value: 'after', label: 'is after', needsValue: true, timestamp: true, text: true },
  { value: 'is_set', label: 'is set', needsValue: false, timestamp: true, text: true },
  { value: 'is_not_set', label: 'is not set', needsValue: false, timestamp: true, text: true },
];

export const LIST_OPS = new Set(['in', 'not_in']);

export function isTimestampField(field: string): boolean {
  return field === 'registered_at';
}

export function operatorsFor(field: string) {
  return OPERATORS.filter((op) => (isTimestampField(field) ? op.timestamp : op.text));
}

export function needsValue(op: string): boolean {
  return OPERATORS.find((entry) => entry.value === op)?.needsValue ?? true;
}

let counter = 0;
export function nodeId(): string {
  counter += 1;
  return `n${counter}`;
}

export function newCondition(field = 'country'): ConditionDraft {
  return { kind: 'condition', id: nodeId(), field, op: 'equals', value: '' };
}

export function newGroup(
  join: 'all' | 'any' = 'all',
  children: NodeDraft[] = [newCondition()],
): GroupDraft {
  return { kind: 'group', id: nodeId(), join, children };
}

export function fromRule(rule: RuleNode | undefined): GroupDraft {
  if (!rule) return newGroup('all', []);
  const node = fromNode(rule);
  return node.kind === 'group' ? node : newGroup('all', [node]);
}

function fromNode(rule: RuleNode): NodeDraft {
  if ('all' in rule) return {
    kind: 'group',
    id: nodeId(),
    join: 'all',
    children: rule.all.map(fromNode),
  };
  if ('any' in rule) return {
    kind: 'group',
    id: nodeId(),
    join: 'any',
    children: rule.any.map(fromNode),
  };
  const condition = rule as RuleCondition;
  const value = Array.isArray(condition.value) ? condition.value.join(', ') : condition.value === undefined ? '' : String(condition.value);
  return { kind: 'condition', id: nodeId(), field: condition.field, op: condition.op, value };
}

export function toRule(node: NodeDraft): RuleNode {
  if (node.kind === 'group') {
    const children = node.children.map(toRule);
    return node.join === 'all' ? { all: children } : { any: children };
  }
  if (!needsValue(node.op)) return { field: node.field, op: node.op };
  if (LIST_OPS.has(node.op)) {
    const values = node.value.split(',').map((part) => part.trim()).filter(Boolean);
    return { field: node.field, op: node.op, value: values };
  }
  const text = node.value.trim();
  if ((node.op === 'greater_than' || node.op === 'less_than') && /^-?\d+(\.\d+)?$/.test(text)) {
    return { field: node.field, op: node.op, value: Number(text) };
  }
  return { field: node.field, op: node.op, value: text };
}

/** The first condition still missing its value, if any: the live count waits for it. */
export function incompleteCondition(node: NodeDraft): ConditionDraft | null {
  if (node.kind === 'condition') return needsValue(node.op) && node.value.trim() === '' ? node : null;
  for (const child of node.children) {
    const found = incompleteCondition(child);
    if (found) return found;
  }
  return null;
}

export function emptyAnyGroup(node: NodeDraft): boolean {
  if (node.kind === 'condition') return false;
  if (node.join === 'any' && node.children.length === 0) return true;
  return node.children.some(emptyAnyGroup);
}

export function mapNode(
  root: GroupDraft,
  id: string,
  change: (node: NodeDraft) => NodeDraft | null,
): GroupDraft {
  const walk = (node: NodeDraft): NodeDraft | null => {
    if (node.id === id) return change(node);
    if (node.kind === 'condition') return node;
    return {
      ...node,
      children: node.children.map(walk).filter((child): child is NodeDraft => child !== null),
    };
  };
  return walk(root) as GroupDraft;
}
