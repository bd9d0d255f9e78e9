import { parseDate, type FixedDateFormat } from './dates.ts';
import {
  ATTRIBUTE_PREFIX,
  indexedValueProblem,
  makeCustomerKey,
  type CustomerField,
  type CustomerKeyField,
} from './fields.ts';
import type { MappedColumn } from './mapping.ts';
import type { CustomerInput } from './upsert.ts';

export type ParsedRow = { input: CustomerInput } | { reason: string };
export type RowParser = (cells: readonly string[]) => ParsedRow;

type UsedColumn = MappedColumn & { target: string };

/**
 * Makes the function that turns one CSV record into a profile to write. Values
 * stay as imported (phones, countries and emails are normalized at sync time);
 * an empty or blank cell means "no value". Reasons name the column, never its value.
 */
export function makeRowParser(
  columns: readonly MappedColumn[],
  keyField: CustomerKeyField,
  dateFormat: FixedDateFormat,
): RowParser {
  const used = columns.filter((column): column is UsedColumn => column.target !== null);
  const keyColumn = used.find((column) => column.target === keyField);
  const withAttributes = used.some((column) => column.target.startsWith(ATTRIBUTE_PREFIX));
  if (!keyColumn) throw new Error(`No column is mapped to the key field ${keyField}`);

  return (cells) => {
    const fields: Partial<Record<CustomerField, string | null>> = {};
    const attributes: Record<string, string | null> = {};
    const reasons: string[] = [];

    for (const { index, header, target } of used) {
      const raw = cells[index] ?? '';
      const value = raw.trim() === '' ? null : raw;
      if (value?.includes('\u0000')) {
        reasons.push(`Unstorable value: column "${header}" holds a NUL character`);
      } else if (target.startsWith(ATTRIBUTE_PREFIX)) {
        attributes[target.slice(ATTRIBUTE_PREFIX.length)] = value;
      } else if (target === 'registered_at' && value !== null) {
        fields.registered_at = parseDate(value, dateFormat) ?? null;
        const what = `column "${header}" (registered_at) is not a ${dateFormat} date`;
        if (fields.registered_at === null) reasons.push(`Unreadable date: ${what}`);
      } else if (indexedValueProblem(target, value)) {
        reasons.push(`Too long: column "${header}" (${target}) ${indexedValueProblem(target, value)}`);
      } else {
        fields[target as CustomerField] = value;
      }
    }

    const key = makeCustomerKey(keyField, cells[keyColumn.index]);
    if (key === undefined) {
      reasons.unshift(`Empty key: column "${keyColumn.header}" (${keyField}) is empty`);
    }
    if (key === undefined || reasons.length > 0) return { reason: reasons.join('; ') };
    return { input: { key, fields, attributes: withAttributes ? attributes : undefined } };
  };
}
