import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AudienceError } from './errors.ts';
import { assertAudienceRule, parseAudienceRule } from './parse-rule.ts';
import { parseRuleDate } from './rule-dates.ts';
import { describeRule } from './rule-text.ts';
import { AudienceRule, MAX_CONDITIONS } from './rules.ts';

/** The problems of a rule that must fail, as "path: message" lines. */
function problemsOf(input: unknown): string[] {
  const parsed = parseAudienceRule(input);
  assert.equal(parsed.ok, false, 'the rule was accepted');
  return parsed.ok ? [] : parsed.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

const korea = { field: 'country', op: 'equals', value: 'Korea' };

describe('valid rules', () => {
  test('every operator is accepted with the value it takes', () => {
    const rule = {
      all: [
        korea,
        { field: 'country', op: 'not_equals', value: 'Japan' },
        { field: 'student_level', op: 'in', value: ['1', 2, true] },
        { field: 'student_level', op: 'not_in', value: ['9'] },
        { field: 'email', op: 'contains', value: '@example' },
        { field: 'email', op: 'not_contains', value: 'test' },
        { field: 'first_name', op: 'starts_with', value: 'J' },
        { field: 'attributes.score', op: 'greater_than', value: 10 },
        { field: 'attributes.score', op: 'less_than', value: '2024-01-01' },
        { field: 'registered_at', op: 'before', value: '2024-01-31T09:00:00Z' },
        { field: 'registered_at', op: 'after', value: '2024-01-01' },
        { field: 'registered_at', op: 'equals', value: '2024-01-15' },
        { field: 'phone', op: 'is_set' },
        { field: 'attributes.Job Title', op: 'is_not_set' },
      ],
    };
    assert.deepEqual(assertAudienceRule(rule), rule);
  });

  test('{ all: [] } and a single condition are whole rules', () => {
    assert.deepEqual(assertAudienceRule({ all: [] }), { all: [] });
    assert.deepEqual(assertAudienceRule(korea), korea);
  });

  test('the zod schema itself accepts and types a rule', () => {
    const rule: AudienceRule = AudienceRule.parse({ any: [korea, { all: [] }] });
    assert.ok('any' in rule);
  });
});

describe('invalid rules say where and how to fix', () => {
  test('an unknown op lists the valid ones', () => {
    assert.match(problemsOf({ all: [{ field: 'country', op: 'equal', value: 'x' }] })[0]!,
      /^all\[0\]\.op: unknown op "equal": use one of equals, not_equals/);
  });

  test('a missing op says so', () => {
    assert.match(problemsOf({ field: 'country', value: 'x' })[0]!, /^op: op is missing: use one/);
  });

  test('an unknown field names the field and the allowed kinds', () => {
    assert.match(problemsOf({ any: [korea, { field: 'nation', op: 'is_set' }] })[0]!,
      /^any\[1\]\.field: unknown field "nation": use a customer column \(external_id, email/);
  });

  test('in and not_in need a non-empty list of at most 1,000 values', () => {
    assert.deepEqual(problemsOf({ field: 'country', op: 'in', value: 'Korea' }),
      ['value: in and not_in take a list of values, e.g. ["Korea", "Japan"]']);
    assert.deepEqual(problemsOf({ field: 'country', op: 'not_in', value: [] }),
      ['value: the list is empty: give at least one value']);
    const tooMany = Array.from({ length: 1001 }, (_, index) => `v${index}`);
    assert.deepEqual(problemsOf({ field: 'country', op: 'in', value: tooMany }),
      ['value: the list is too long: at most 1000 values']);
    assert.deepEqual(problemsOf({ field: 'country', op: 'in', value: ['ok', ' '] }),
      ['value[1]: value is blank: give the text to compare with, or use is_set / is_not_set']);
  });

  test('before and after need a real ISO date or datetime', () => {
    const message =
      'value: before and after take an ISO date like "2024-01-31" or a datetime like "2024-01-31T09:00:00Z"';
    for (const value of ['31-01-2024', '2024-02-30', '2024-01-31T25:00', 20240131, 'today']) {
      const problems = problemsOf({ field: 'attributes.signup', op: 'after', value });
      assert.deepEqual(problems, [message], String(value));
    }
  });

  test('greater_than and less_than take a number or a date, not a quoted number', () => {
    const message =
      'value: greater_than and less_than take a number like 100 (no quotes) or an ISO date like "2024-01-31"';
    const quoted = { field: 'attributes.age', op: 'greater_than', value: '30' };
    assert.deepEqual(problemsOf(quoted), [message]);
  });

  test('is_set and is_not_set take no value', () => {
    assert.deepEqual(problemsOf({ all: [{ field: 'email', op: 'is_set', value: 'x' }] }),
      ['all[0]: is_set takes no value: remove "value"']);
  });

  test('registered_at refuses text operators and non-date values', () => {
    assert.match(problemsOf({ field: 'registered_at', op: 'contains', value: '2024' })[0]!,
      /^op: registered_at is a date and time: use equals, not_equals, before, after/);
    assert.match(problemsOf({ field: 'registered_at', op: 'greater_than', value: 5 })[0]!,
      /^value: registered_at compares with dates/);
  });

  test('a missing or null value asks for one', () => {
    const rule = { all: [{ any: [{ field: 'country', op: 'equals', value: null }] }] };
    assert.deepEqual(problemsOf(rule),
      ['all[0].any[0].value: value must be text (up to 1000 characters), a number or true/false']);
  });

  test('an empty any-group is refused because it would match nobody', () => {
    const message =
      'an empty "any" group matches nobody: add a condition, or use {"all": []} for everyone';
    assert.deepEqual(problemsOf({ all: [korea, { any: [] }] }), [`all[1].any: ${message}`]);
  });

  test('entries that are neither a condition nor a group are named as such', () => {
    const shape =
      'each entry must be a condition {"field", "op", "value"} or a group {"all": [...]} / {"any": [...]}';
    assert.deepEqual(problemsOf({ all: [{}, 'korea', { all: [], any: [] }] }), [
      `all[0]: ${shape}`,
      `all[1]: ${shape}`,
      'all[2]: a group takes either "all" or "any", not both: wrap one of them in its own group',
    ]);
  });

  test('unknown keys are named', () => {
    assert.deepEqual(problemsOf({ all: [{ ...korea, negate: true }] }),
      ['all[0]: unknown key "negate": a condition holds only "field", "op" and "value"']);
  });

  test('groups nest at most five deep, and the message points at the sixth', () => {
    const six = { all: [{ any: [{ all: [{ any: [{ all: [{ any: [korea] }] }] }] }] }] };
    const message = 'groups nest at most 5 levels deep: merge this group into its parent';
    assert.deepEqual(problemsOf(six), [`all[0].any[0].all[0].any[0].all[0]: ${message}`]);
  });

  test('a hostile depth is refused without walking it', () => {
    let deep: unknown = korea;
    for (let i = 0; i < 200_000; i += 1) deep = { all: [deep] };
    assert.equal(problemsOf(deep).length, 1);
  });

  test('a rule holds at most 100 conditions', () => {
    const many = { any: Array.from({ length: MAX_CONDITIONS + 1 }, () => korea) };
    assert.deepEqual(problemsOf(many),
      ['rule: the rule has 101 conditions; at most 100 are allowed (use "in" with a list)']);
  });

  test('assertAudienceRule throws an invalid_rule AudienceError carrying every problem', () => {
    const rule = { all: [{ field: 'x', op: 'is_set' }, { any: [] }] };

    const error = captureError(() => assertAudienceRule(rule));
    assert.ok(error instanceof AudienceError);
    assert.equal(error.reason, 'invalid_rule');
    assert.deepEqual(error.problems.map((problem) => problem.path), ['all[0].field', 'all[1].any']);
    assert.match(error.message, /^The audience rule is invalid\. all\[0\]\.field: unknown field/);
  });
});

describe('rule dates', () => {
  test('a day covers one UTC day; a datetime without a zone is UTC', () => {
    assert.deepEqual(parseRuleDate('2024-02-29'),
      { precision: 'day', start: '2024-02-29T00:00:00.000Z', end: '2024-03-01T00:00:00.000Z' });
    assert.deepEqual(parseRuleDate('2024-01-31 09:30'),
      { precision: 'instant', at: '2024-01-31T09:30Z' });
    assert.deepEqual(parseRuleDate('2024-01-31T09:30:00+09:00'),
      { precision: 'instant', at: '2024-01-31T09:30:00+09:00' });
    assert.equal(parseRuleDate('2023-02-29'), undefined);
  });
});

test('describeRule reads a rule as one line', () => {
  const levels = { field: 'student_level', op: 'in', value: ['1', '2'] };
  const email = { field: 'email', op: 'is_set' };
  const rule = assertAudienceRule({ all: [korea, { any: [levels, email] }] });

  const text = 'country equals "Korea" and (student_level in ["1", "2"] or email is set)';
  assert.equal(describeRule(rule), text);
  assert.equal(describeRule({ all: [] }), 'every customer');
});

function captureError(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}
