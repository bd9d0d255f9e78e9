import type { AudienceError } from '../../audiences/errors.ts';
import type {
  AudienceRecord,
  AudienceWithCount,
  MemberPreview,
} from '../../audiences/repository.ts';
import { describeRule } from '../../audiences/rule-text.ts';

/** The text forms of `sourcesible audiences` results; --json prints the values instead. */

export function formatMembers(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'customer' : 'customers'}`;
}

export function formatAudienceList(list: AudienceWithCount[]): string {
  if (list.length === 0) {
    return 'No audiences yet. Create one with: sourcesible audiences create --name N --rule <json>';
  }
  const rows = list.map((audience) => [
    String(audience.id),
    audience.name,
    audience.member_count.toLocaleString('en-US'),
    clip(describeRule(audience.rule), 60),
  ]);
  return table(['ID', 'NAME', 'MEMBERS', 'RULE'], rows);
}

export function formatAudience(audience: AudienceRecord, count: number, preview: MemberPreview[]) {
  const lines = [
    `Audience ${audience.id}: ${audience.name}`,
    ...(audience.description ? [`Description: ${audience.description}`] : []),
    `Rule: ${describeRule(audience.rule)}`,
    `Members: ${formatMembers(count)}`,
  ];
  if (preview.length === 0) return lines.join('\n');

  const rows = preview.map((member) => [
    String(member.id),
    member.customer_key,
    [member.first_name, member.last_name].filter(Boolean).join(' '),
    member.masked_email ?? '',
    member.masked_phone ?? '',
  ]);
  const header = ['ID', 'KEY', 'NAME', 'EMAIL', 'PHONE'];
  return [...lines, '', `First ${preview.length}:`, table(header, rows)].join('\n');
}

export function formatDeleted(audience: AudienceRecord, syncIds: number[]): string {
  const line = `Deleted audience ${audience.id} "${audience.name}".`;
  if (syncIds.length === 0) return line;
  return (
    `${line} ${syncIds.length} sync(s) used it and now show Invalid ` +
    `(ids ${syncIds.join(', ')}): edit them to select another audience.`
  );
}

/** An invalid rule lists one problem a line, each with the path of the condition. */
export function formatAudienceError(error: AudienceError): string {
  if (error.problems.length === 0) return error.message;
  const lines = error.problems.map((problem) => `  ${problem.path}: ${problem.message}`);
  return ['The audience rule is invalid:', ...lines].join('\n');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 3)}...` : text;
}
