import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../errors.ts';
import { describeMapping, resolveColumns, suggestColumnTarget, toSnakeCase } from './mapping.ts';

const CUSTOMERS_HEADER = [
  'Index', 'Customer Id', 'First Name', 'Last Name', 'Company', 'City', 'Country',
  'Phone 1', 'Phone 2', 'Email', 'Subscription Date', 'Website',
];
const PEOPLE_HEADER = ['Index', 'User_Id', 'First_Name', 'Last_Name', 'Sex', 'Email', 'Job_Title'];

function targets(headers: string[], mapping = {}): Record<string, string | null> {
  const columns = resolveColumns(headers, mapping);
  return Object.fromEntries(columns.map((column) => [column.header, column.target]));
}

describe('column mapping', () => {
  test('suggests fields for the sample files and keeps other columns as attributes', () => {
    assert.deepEqual(targets(CUSTOMERS_HEADER), {
      Index: 'attributes.index',
      'Customer Id': 'external_id',
      'First Name': 'first_name',
      'Last Name': 'last_name',
      Company: 'attributes.company',
      City: 'city',
      Country: 'country',
      'Phone 1': 'phone',
      'Phone 2': 'attributes.phone_2',
      Email: 'email',
      'Subscription Date': 'registered_at',
      Website: 'attributes.website',
    });
    assert.deepEqual(targets(PEOPLE_HEADER), {
      Index: 'attributes.index',
      User_Id: 'external_id',
      First_Name: 'first_name',
      Last_Name: 'last_name',
      Sex: 'gender',
      Email: 'email',
      Job_Title: 'attributes.job_title',
    });
  });

  test('reads past a format hint, accents and punctuation', () => {
    assert.equal(suggestColumnTarget('Subscription Date (DD-MM-YYYY)', 1), 'registered_at');
    assert.equal(toSnakeCase('Código Postal #2'), 'codigo_postal_2');
    assert.equal(suggestColumnTarget('電話', 4), 'attributes.column_4');
  });

  test('a choice per column overrides the suggestion and null ignores the column', () => {
    const mapping = { 'Phone 2': 'phone', 'Phone 1': 'attributes.home_phone', Index: null };

    const chosen = targets(CUSTOMERS_HEADER, mapping);

    assert.equal(chosen['Phone 2'], 'phone');
    assert.equal(chosen['Phone 1'], 'attributes.home_phone');
    assert.equal(chosen.Index, null);
    assert.equal(describeMapping(resolveColumns(CUSTOMERS_HEADER, mapping)).Index, undefined);
  });

  test('matches a mapped header regardless of case when only one column fits', () => {
    const chosen = targets(PEOPLE_HEADER, { job_title: 'attributes.role' });
    assert.equal(chosen.Job_Title, 'attributes.role');
  });

  test('a suggestion never takes a field the caller gave to another column', () => {
    const chosen = targets(['Email', 'Work Email'], { 'Work Email': 'email' });
    assert.deepEqual(chosen, { Email: 'attributes.email', 'Work Email': 'email' });
  });

  test('a second column that suggests the same field becomes an attribute', () => {
    const chosen = targets(['Email', 'E-mail']);
    assert.deepEqual(chosen, { Email: 'email', 'E-mail': 'attributes.e_mail' });
  });

  test('a mapping to an unknown field names the field and the allowed ones', () => {
    assert.throws(
      () => resolveColumns(PEOPLE_HEADER, { Email: 'emial' }),
      (error: AppError) => {
        assert.equal(error.code, 'invalid_input');
        assert.match(error.message, /"emial" is not a customer field/);
        assert.match(error.message, /external_id, email, first_name, last_name, phone/);
        assert.match(error.message, /attributes\.<name>/);
        return true;
      },
    );
  });

  test('an attribute name must be snake case', () => {
    assert.throws(
      () => resolveColumns(PEOPLE_HEADER, { Sex: 'attributes.Sex Code' }),
      /not a customer field/,
    );
  });

  test('a mapping that names a column the file lacks is refused, listing the header', () => {
    assert.throws(
      () => resolveColumns(PEOPLE_HEADER, { Phone: 'phone' }),
      /column "Phone".*The header has: "Index", "User_Id"/,
    );
  });

  test('two columns sent to one field are refused', () => {
    assert.throws(
      () => resolveColumns(CUSTOMERS_HEADER, { 'Phone 2': 'phone', 'Phone 1': 'phone' }),
      /Columns "Phone 1" and "Phone 2" both map to phone/,
    );
  });

  test('a header that names a column twice is refused', () => {
    assert.throws(
      () => resolveColumns(['Email', 'City', 'Email']),
      /names column "Email" twice \(columns 1 and 3\)/,
    );
  });
});
