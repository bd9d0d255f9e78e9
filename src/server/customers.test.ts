import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { bodyOf, openServerTest, type ServerTest } from './testing.ts';

const FIXTURES = new URL('../customers/fixtures/', import.meta.url);

/** A multipart body as a browser's FormData sends it: fields first, then the file. */
function form(file: { name: string; text: string }, fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  data.append('file', new Blob([file.text], { type: 'text/csv' }), file.name);
  return data;
}

describe('REST API: customers', () => {
  let t: ServerTest;
  let upload: (path: string, body: FormData) => Promise<Response>;

  before(async () => {
    t = await openServerTest();
    upload = (path, body) =>
      Promise.resolve(
        t.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${t.token}` }, body }),
      );
  });
  after(async () => {
    await t.close();
  });

  test('the import preview shows the header, masked first rows, suggestions and the date format', async () => {
    const text = await readFile(new URL('customers-20.csv', FIXTURES), 'utf8');

    const response = await upload('/api/customers/imports/preview', form({ name: 'customers-20.csv', text }));
    const preview = await bodyOf(response);

    assert.equal(response.status, 200);
    assert.equal(preview.headers[1], 'Customer Id');
    assert.equal(preview.sampleRows.length, 5);
    assert.equal(preview.suggestedMapping['Customer Id'], 'external_id');
    assert.equal(preview.suggestedMapping.Email, 'email');
    assert.equal(preview.suggestedMapping['Phone 1'], 'phone');
    assert.equal(preview.suggestedMapping['Subscription Date'], 'registered_at');
    assert.equal(preview.detectedDateFormat, 'YYYY-MM-DD');
    const first = preview.sampleRows[0];
    assert.equal(first[preview.headers.indexOf('Email')], 'm***@gomez-spencer.info');
    assert.equal(first[preview.headers.indexOf('Phone 1')], '***4623');
    assert.equal(first[preview.headers.indexOf('Phone 2')], '***2331');
    assert.equal(first[preview.headers.indexOf('First Name')], 'A***');
    assert.equal(first[preview.headers.indexOf('Country')], 'Macao');
    assert.ok(!JSON.stringify(preview).includes('marieyates'));
  });

  test('an import takes the mapping and key from the form and reports rejected lines', async () => {
    const text = await readFile(new URL('malformed.csv', FIXTURES), 'utf8');
    const fields = { key: 'external_id', mapping: JSON.stringify({ Company: null }), dateFormat: 'YYYY-MM-DD' };

    const response = await upload('/api/customers/imports', form({ name: 'malformed.csv', text }, fields));
    const report = await bodyOf(response);

    assert.equal(response.status, 201);
    assert.equal(report.keyField, 'external_id');
    assert.equal(report.source, 'malformed.csv');
    assert.equal(report.inserted, 4);
    assert.equal(report.rejected, 5);
    assert.equal(report.columns.find((column: { header: string }) => column.header === 'Company').target, null);
    assert.ok(report.rejects.every((reject: { line: number; reason: string }) => reject.line > 1 && reject.reason));

    const details = await t.json('GET', `/api/customers/imports/${report.importId}`);
    assert.equal(details.rejects.length, report.rejected);
    assert.deepEqual(details.mapping['Customer Id'], 'external_id');
  });

  test('an import whose mapping is not JSON answers 400 naming the mapping field', async () => {
    const response = await upload(
      '/api/customers/imports',
      form({ name: 'x.csv', text: 'Customer Id\nc-1\n' }, { mapping: '{not json' }),
    );
    const body = await bodyOf(response);

    assert.equal(response.status, 400);
    assert.equal(body.error.code, 'invalid_input');
    assert.equal(body.error.field, 'mapping');
  });

  test('an import without a file, or not multipart, answers 400 naming the file', async () => {
    const empty = new FormData();
    empty.append('key', 'email');

    const noFile = await upload('/api/customers/imports', empty);
    const json = await t.call('POST', '/api/customers/imports', { file: 'a,b' });

    assert.equal(noFile.status, 400);
    assert.equal((await bodyOf(noFile)).error.field, 'file');
    assert.equal(json.status, 400);
    assert.equal((await bodyOf(json)).error.field, 'file');
  });

  test('the JSON batch upserts records and rejects bad ones by index', async () => {
    const response = await t.call('POST', '/api/customers/batch', {
      key: 'external_id',
      records: [
        { external_id: 'api-1', email: 'Ann.Lee@Example.com', phone: '+47 412 34 567', country: 'Norway' },
        { external_id: 'api-2', email: 'bo@example.com', attributes: { plan: 'gold' } },
        { email: 'no-key@example.com' },
        { external_id: 'api-3', favourite: 'x' },
      ],
    });
    const result = await bodyOf(response);

    assert.equal(response.status, 200);
    assert.equal(result.inserted, 2);
    assert.deepEqual(result.rejected.map((reject: { index: number }) => reject.index), [2, 3]);
  });

  test('the batch refuses an unknown key field, naming it', async () => {
    const response = await t.call('POST', '/api/customers/batch', { key: 'nickname', records: [{}] });

    assert.equal(response.status, 400);
    assert.equal((await bodyOf(response)).error.field, 'key');
  });

  test('list and search show customers with emails, phones and email keys masked', async () => {
    await t.call('POST', '/api/customers/batch', {
      key: 'email',
      records: [{ email: 'keyed.by.email@example.com', first_name: 'Kim' }],
    });

    const page = await t.json('GET', '/api/customers?query=api-1');
    const byEmail = await t.json('GET', '/api/customers?query=keyed.by');

    assert.equal(page.data.length, 1);
    assert.equal(page.data[0].maskedEmail, 'A***@Example.com');
    assert.equal(page.data[0].maskedPhone, '***4567');
    assert.equal(page.data[0].key, 'api-1');
    assert.equal(byEmail.data[0].key, 'k***@example.com');
    assert.ok(!JSON.stringify([page, byEmail]).includes('keyed.by.email'));
  });

  test('the list pages by cursor', async () => {
    const first = await t.json('GET', '/api/customers?limit=2');
    const second = await t.json('GET', `/api/customers?limit=2&after=${first.nextCursor}`);

    assert.equal(first.data.length, 2);
    assert.ok(second.data[0].id > first.data[1].id);
  });

  test('a limit out of range answers 400 naming the query parameter', async () => {
    const response = await t.call('GET', '/api/customers?limit=5000');
    const body = await bodyOf(response);

    assert.equal(response.status, 400);
    assert.equal(body.error.field, 'limit');
    assert.match(body.error.message, /query parameter "limit"/);
  });

  test('count and fields describe what is stored', async () => {
    const count = await t.json('GET', '/api/customers/count');
    const fields = await t.json('GET', '/api/customers/fields');

    const listed = await t.json('GET', '/api/customers?limit=1000');
    assert.equal(count.count, listed.data.length);
    assert.ok(fields.fields.includes('email'));
    assert.ok(fields.fields.includes('registered_at'));
    assert.ok(fields.attributes.includes('plan'));
  });

  test('an unknown import answers 404 not_found', async () => {
    const response = await t.call('GET', '/api/customers/imports/999999');

    assert.equal(response.status, 404);
    assert.equal((await bodyOf(response)).error.code, 'not_found');
  });
});
