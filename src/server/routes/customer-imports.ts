import { z } from '@hono/zod-openapi';
import { CsvRecordReader, type CsvRecord } from '../../customers/csv-records.ts';
import { DateFormat, detectDateFormat } from '../../customers/dates.ts';
import { CUSTOMER_KEY_FIELDS } from '../../customers/fields.ts';
import { importCustomers } from '../../customers/import.ts';
import { ColumnMapping, resolveColumns } from '../../customers/mapping.ts';
import { AppError } from '../../errors.ts';
import { HttpProblem } from '../errors.ts';
import { maskCell } from '../masking.ts';
import { readMultipart, readTextPart, type MultipartPart } from '../multipart.ts';
import { COMMON_ERRORS, jsonAnswer, SECURITY, type ApiApp, type RouteDeps } from '../openapi.ts';
import { ImportPreview, ImportReport } from '../schemas.ts';
import { describeZodIssue } from '../validation.ts';

const SAMPLE_ROWS = 5;
// The importer decides the date format from its first batch; the preview reads as many rows.
const DETECTION_ROWS = 1000;
const PREVIEW_BYTES = 4 * 1024 * 1024;

const ImportForm = z.object({
  key: z.enum(CUSTOMER_KEY_FIELDS).default('external_id'),
  mapping: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        const message = 'must be a JSON object of header to field (or null)';
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
    })
    .pipe(ColumnMapping),
  dateFormat: DateFormat.default('auto'),
});

const FormFields = {
  key: { type: 'string', enum: [...CUSTOMER_KEY_FIELDS], default: 'external_id' },
  mapping: {
    type: 'string',
    description: 'JSON: {"Header": "field" | "attributes.<name>" | null}; left-out columns get the suggestion',
    example: '{"Phone 1": "phone", "Index": null}',
  },
  dateFormat: { type: 'string', enum: DateFormat.options, default: 'auto' },
} as const;

/**
 * The two multipart routes. They read the upload as a stream (see readMultipart),
 * so they are documented in the OpenAPI registry by hand rather than validated
 * by a form schema, which would buffer the whole file first.
 */
export function registerImportRoutes(app: ApiApp, deps: RouteDeps): void {
  const multipart = (properties: object, required: string[]) => ({
    required: true,
    content: {
      'multipart/form-data': {
        schema: { type: 'object', properties, required },
        encoding: { file: { contentType: 'text/csv' } },
      },
    },
  });
  const file = { file: { type: 'string', format: 'binary', description: 'The CSV file' } };

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/customers/imports/preview',
    tags: ['Customers'],
    summary: "A CSV file's header, first rows (masked) and suggested column mapping",
    security: SECURITY,
    request: { body: multipart(file, ['file']) as never },
    responses: { 200: jsonAnswer(ImportPreview, 'The preview'), ...COMMON_ERRORS },
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/customers/imports',
    tags: ['Customers'],
    summary: 'Import a CSV file: upsert on the key, reject bad lines one by one',
    description: 'Send key, mapping and dateFormat before the file part (FormData keeps append order).',
    security: SECURITY,
    request: { body: multipart({ ...FormFields, ...file }, ['file']) as never },
    responses: { 201: jsonAnswer(ImportReport, 'The import report'), ...COMMON_ERRORS },
  });

  app.post('/api/customers/imports/preview', async (c) => {
    for await (const part of readMultipart(c.req.raw.body, c.req.header('content-type'))) {
      if (part.filename === null) continue;
      return c.json(await previewFile(part), 200);
    }
    throw missingFile();
  });

  app.post('/api/customers/imports', async (c) => {
    const form: Record<string, string> = {};
    for await (const part of readMultipart(c.req.raw.body, c.req.header('content-type'))) {
      if (part.filename === null) {
        form[part.name] = await readTextPart(part);
        continue;
      }
      const settings = parseForm(form);
      const report = await importCustomers(deps.ctx.db, {
        input: part.body,
        source: part.filename || 'upload.csv',
        key: settings.key,
        mapping: settings.mapping,
        dateFormat: settings.dateFormat,
        log: deps.ctx.log,
      });
      return c.json(report, 201);
    }
    throw missingFile();
  });
}

function parseForm(form: Record<string, string>) {
  const parsed = ImportForm.safeParse(form);
  if (parsed.success) return parsed.data;
  const issue = describeZodIssue(parsed.error.issues[0]!, 'form field');
  throw new HttpProblem(400, 'invalid_input', issue.message, { field: issue.field ?? undefined });
}

async function previewFile(part: MultipartPart) {
  const reader = new CsvRecordReader();
  const records: CsvRecord[] = [];
  for await (const chunk of part.body) {
    records.push(...reader.push(chunk));
    if (records.length > DETECTION_ROWS || reader.bytesRead > PREVIEW_BYTES) break;
  }
  const wholeFile = records.length <= DETECTION_ROWS && reader.bytesRead <= PREVIEW_BYTES;
  if (wholeFile) records.push(...reader.end());

  const [header, ...rows] = records;
  if (!header || !('fields' in header)) {
    const message = 'The file has no readable header line naming its columns.';
    throw new AppError('invalid_input', message, { field: 'file' });
  }
  const columns = resolveColumns(header.fields);
  const good = rows.flatMap((row) => ('fields' in row ? [row.fields] : []));
  const sampleRows = good
    .slice(0, SAMPLE_ROWS)
    .map((fields) => columns.map((column) => maskCell(fields[column.index] ?? '', column.target)));

  const dated = columns.find((column) => column.target === 'registered_at');
  const detection = dated
    ? detectDateFormat(dated.header, good.map((fields) => fields[dated.index] ?? ''))
    : undefined;
  return {
    headers: columns.map((column) => column.header),
    sampleRows,
    suggestedMapping: Object.fromEntries(columns.map((column) => [column.header, column.target])),
    detectedDateFormat: detection?.format ?? null,
    dateFormatProblem: detection && detection.format === undefined ? detection.problem : null,
  };
}

function missingFile(): HttpProblem {
  const message = 'The form has no file: add the CSV as the field "file".';
  return new HttpProblem(400, 'invalid_input', message, { field: 'file' });
}
