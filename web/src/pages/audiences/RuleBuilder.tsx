import type { CustomerFields } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { Select } from '../../components/Field.tsx';
import { Icon } from '../../components/Icon.tsx';
import { sourceOptions } from '../../lib/sync-fields.ts';
import {
  LIST_OPS,
  isTimestampField,
  mapNode,
  needsValue,
  newCondition,
  newGroup,
  operatorsFor,
  type ConditionDraft,
  type GroupDraft,
  type NodeDraft,
} from './rule-tree.ts';

// The API allows 5 levels; three are plenty to click together and still read.
const MAX_UI_DEPTH = 3;

interface RuleBuilderProps {
  root: GroupDraft;
  onChange: (root: GroupDraft) => void;
  fields: CustomerFields | undefined;
}

/** All/any groups of conditions: field, operator, value. */
export function RuleBuilder({ root, onChange, fields }: RuleBuilderProps) {
  const options = sourceOptions(fields);
  const change = (id: string, next: (node: NodeDraft) => NodeDraft | null) => onChange(mapNode(
    root,
    id,
    next,
  ));
  return <GroupEditor group={root} depth={1} options={options} change={change} isRoot />;
}

interface GroupProps {
  group: GroupDraft;
  depth: number;
  options: Array<{ value: string; label: string }>;
  change: (id: string, next: (node: NodeDraft) => NodeDraft | null) => void;
  isRoot?: boolean;
}

function GroupEditor({ group, depth, options, change, isRoot }: GroupProps) {
  const setJoin = (join: 'all' | 'any') => change(group.id, (node) => ({
    ...(node as GroupDraft),
    join,
  }));
  const add = (child: NodeDraft) => change(group.id, (node) => ({
    ...(node as GroupDraft),
    children: [...(node as GroupDraft).children, child],
  }));
  const joiner = group.join === 'all' ? 'and' : 'or';

  return (
    <div
      className="rule-group"
      role="group"
      aria-label={isRoot ? 'Audience rule' : 'Condition group'}
    >
      <div className="row-between">
        <div className="row">
          <span className="small muted">Customers matching</span>
          <div className="segmented" role="group" aria-label="Match all or any">
            <button
              type="button"
              aria-pressed={group.join === 'all'}
              onClick={() => setJoin('all')}
            >
              all
            </button>
            <button
              type="button"
              aria-pressed={group.join === 'any'}
              onClick={() => setJoin('any')}
            >
              any
            </button>
          </div>
          <span className="small muted">of these conditions</span>
        </div>
        {!isRoot && (
          <button
            type="button"
            className="icon-btn"
            aria-label="Remove this group"
            onClick={() => change(group.id, () => null)}
          >
            <Icon name="trash" />
          </button>
        )}
      </div>
      {group.children.length === 0 && (
        <p className="small muted">{group.join === 'all' ? 'No condition: every customer matches.' : 'Add a condition: an empty “any” group matches nobody.'}</p>
      )}
      {group.children.map((child, index) => (
        <div key={child.id} className="stack-sm">
          {index > 0 && <span className="rule-joiner">{joiner}</span>}
          {child.kind === 'group' ? (
            <GroupEditor group={child} depth={depth + 1} options={options} change={change} />
          ) : (
            <ConditionEditor condition={child} options={options} change={change} />
          )}
        </div>
      ))}
      <div className="row">
        <Button size="sm" variant="ghost" icon="plus" onClick={() => add(newCondition())}>
          Add condition
        </Button>
        {depth < MAX_UI_DEPTH && (
          <Button
            size="sm"
            variant="ghost"
            icon="plus"
            onClick={() => add(newGroup(group.join === 'all' ? 'any' : 'all'))}
          >
            Add group
          </Button>
        )}
      </div>
    </div>
  );
}

function ConditionEditor({
  condition,
  options,
  change,
}: { condition: ConditionDraft; options: GroupProps['options']; change: GroupProps['change'] }) {
  const set = (patch: Partial<ConditionDraft>) => change(condition.id, (node) => ({
    ...(node as ConditionDraft),
    ...patch,
  }));
  const ops = operatorsFor(condition.field);
  const withValue = needsValue(condition.op);
  const dateInput = isTimestampField(condition.field) || condition.op === 'before' || condition.op === 'after';
  const fieldOptions = options.some((option) => option.value === condition.field) ? options : [
    { value: condition.field, label: condition.field },
    ...options,
  ];

  return (
    <div className="rule-row" data-testid="rule-condition">
      <Select
        size="sm"
        aria-label="Field"
        value={condition.field}
        onChange={(field) => set({
          field,
          op: operatorsFor(field).some((op) => op.value === condition.op) ? condition.op : 'equals',
        })}
        options={fieldOptions}
      />
      <Select
        size="sm"
        aria-label="Operator"
        value={condition.op}
        onChange={(op) => set({ op })}
        options={ops.map((op) => ({ value: op.value, label: op.label }))}
      />
      {withValue ? (
        <input
          className="input input-sm"
          aria-label="Value"
          type={dateInput ? 'date' : 'text'}
          value={condition.value}
          placeholder={LIST_OPS.has(condition.op) ? 'Korea, Japan, …' : 'Value'}
          onChange={(event) => set({ value: event.target.value })}
        />
      ) : (
        <span />
      )}
      <button
        type="button"
        className="icon-btn"
        aria-label="Remove this condition"
        onClick={() => change(condition.id, () => null)}
      >
        <Icon name="x" />
      </button>
    </div>
  );
}
