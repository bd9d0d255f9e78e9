import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { AppError, parseInput } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { readCsvBatches, readCsvHeader, type CsvInput } from './csv-batches.ts';
import { CsvRecordReader, type CsvRecord } from './csv-records.ts';
import { makeRowParser, type RowParser } from './csv-row.ts';
import { DateFormat, detectDateFormat, type FixedDateFormat } from './dates.ts';
import { CUSTOMER_KEY_FIELDS, type CustomerKeyField } from './fields.ts';
import {
  createImport,
  finishImport,
  recordImportBatch,
  type ImportCounts,
  type ImportReject,
} from './imports-repository.ts';
import { ColumnMapping, describeMapping, resolveColumns, type MappedColumn } from './mapping.ts';
import { MAX_ROWS_PER_STATEMENT, upsertCustomers, type CustomerInput } from './upsert.ts';

export interface ImportCustomersOptions {
  /** The CSV bytes (a file stream, a request body), read chunk by chunk, never whole. */
  input: CsvInput;
  /** What the import came from, as shown in its record (a file name, say). */
  source: string;
  /** The field that identifies a profile; a row whose key is empty is rejected. */
  key: CustomerKeyField;
  /** Per-column choices by header; other columns get suggestColumnTarget's guess. */
  mapping?: ColumnMapping;
  /** How registered_at reads; default `auto` (see detectDateFormat). */
  dateFormat?: DateFormat;
  /** Called after every batch with the running totals. */
  onProgress?: (progress: ImportProgress) => void;
  /** Rows per upsert statement, at most 1,000 (the default). */
  batchSize?: number;
  log?: Logger;
}

export interface ImportProgress extends ImportCounts {
  /** Bytes taken from the input so far, to set against the file's size. */
  bytesRead: number;
  /** Lines folded into a later line of the same batch with the same key. */
  duplicates: number;
}

export interface ImportReport extends ImportProgress {
  importId: number;
  source: string;
  keyField: CustomerKeyField;
  status: 'completed';
  columns: MappedColumn[];
  /** The format registered_at was read with; null when no column maps to it. */
  dateFormat: FixedDateFormat | null;
  /** The first rejects in line order; getImport lists them all. */
  rejects: ImportReject[];
}

/** How many rejects a report carries; the import's record keeps every one. */
export const REPORT_REJECT_LIMIT = 20;

const ImportSettings = z.object({
  source: z.string().trim().min(1, 'must name where the rows come from'),
  key: z.enum(CUSTOMER_KEY_FIELDS),
  dateFormat: DateFormat.default('auto'),
  batchSize: z.number().int().min(1).max(MAX_ROWS_PER_STATEMENT).default(MAX_ROWS_PER_STATEMENT),
});

type BatchResult = ImportCounts & { duplicates: number; rejects: ImportReject[] };

/**
 * Streams a CSV file into customers: upserts on the key field in batches, keeps
 * unknown columns as attributes, rejects bad lines one by one with their line
 * number, and records the import with its counts and rejects.
 * Example: importCustomers(db, { input: createReadStream(path), source: 'crm.csv', key: 'email' }).
 */
export async function importCustomers(
  db: Db,
  options: ImportCustomersOptions,
): Promise<ImportReport> {
  const settings = parseInput(ImportSettings, options, 'import option');
  const log = (options.log ?? silentLogger).child({ source: settings.source });
  const reader = new CsvRecordReader();
  const batches = readCsvBatches(options.input, reader, settings.batchSize);
  const started = Date.now();

  let columns: MappedColumn[];
  let importId: number;
  try {
    columns = resolveColumns(await readCsvHeader(batches), options.mapping);
    assertKeyMapped(columns, settings.key);
    const mapping = describeMapping(columns);
    importId = await createImport(db, { source: settings.source, keyField: settings.key, mapping });
  } catch (error) {
    await batches.return(undefined);
    throw error;
  }

  const totals: ImportProgress = {
    bytesRead: 0, rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, duplicates: 0,
  };
  const rejects: ImportReject[] = [];
  let dateFormat: FixedDateFormat | undefined;
  try {
    let parseRow: RowParser | undefined;
    for await (const batch of batches) {
      dateFormat ??= chooseDateFormat(columns, settings.dateFormat, batch);
      parseRow ??= makeRowParser(columns, settings.key, dateFormat);
      const result = await writeBatch(db, importId, batch, parseRow);

      addCounts(totals, result, reader.bytesRead);
      rejects.push(...result.rejects.slice(0, REPORT_REJECT_LIMIT - rejects.length));
      log.debug({ importId, rowsRead: totals.rowsRead }, 'customer import wrote a batch');
      options.onProgress?.({ ...totals });
    }
    await finishImport(db, importId);
  } catch (error) {
    await finishImport(db, importId, describeFailure(error)).catch(() => undefined);
    const durationMs = Date.now() - started;
    log.error({ importId, err: summarizeError(error), durationMs }, 'customer import failed');
    throw error;
  }

  totals.bytesRead = reader.bytesRead;
  log.info({ importId, ...totals, durationMs: Date.now() - started }, 'customer import finished');
  const datesMapped = columns.some((column) => column.target === 'registered_at');
  return {
    importId,
    source: settings.source,
    keyField: settings.key,
    status: 'completed',
    columns,
    dateFormat: datesMapped ? (dateFormat ?? null) : null,
    ...totals,
    rejects,
  };
}

function assertKeyMapped(columns: MappedColumn[], key: CustomerKeyField): void {
  if (columns.some((column) => column.target === key)) return;
  const message =
    `No column maps to ${key}, the key every profile is matched on. ` +
    `Map a column to it (CLI: --map "Header=${key}") or choose another key (--key).`;
  throw new AppError('invalid_input', message, { field: 'key' });
}

/** Decides the date format once, from the first batch (see detectDateFormat for the rule). */
function chooseDateFormat(
  columns: MappedColumn[],
  wanted: DateFormat,
  sample: readonly CsvRecord[],
): FixedDateFormat {
  const column = columns.find((candidate) => candidate.target === 'registered_at');
  if (wanted !== 'auto') return wanted;
  if (!column) return 'YYYY-MM-DD';

  const values = sample.flatMap((record) =>
    'fields' in record ? [record.fields[column.index] ?? ''] : [],
  );
  const detected = detectDateFormat(column.header, values);
  if (detected.format) return detected.format;

  const message =
    `Cannot tell the date format of column "${column.header}": ${detected.problem}. ` +
    'Name it with --date-format (DD-MM-YYYY or MM-DD-YYYY) or the dateFormat option.';
  throw new AppError('invalid_input', message, { field: 'dateFormat' });
}

/** Writes one batch and its bookkeeping in one transaction: counts never run ahead of rows. */
async function writeBatch(
  db: Db,
  importId: number,
  batch: readonly CsvRecord[],
  parseRow: RowParser,
): Promise<BatchResult> {
  const inputs: CustomerInput[] = [];
  const rejects: ImportReject[] = [];
  for (const record of batch) {
    const parsed = 'fields' in record ? parseRow(record.fields) : { reason: record.problem };
    if ('input' in parsed) inputs.push(parsed.input);
    else rejects.push({ line: record.line, reason: parsed.reason });
  }

  return db.transaction().execute(async (trx) => {
    const upserted = await upsertCustomers(trx, inputs);
    const counts = { rowsRead: batch.length, rejected: rejects.length, ...upserted };
    await recordImportBatch(trx, importId, counts, rejects);
    return { ...counts, rejects };
  });
}

function addCounts(totals: ImportProgress, result: BatchResult, bytesRead: number): void {
  totals.bytesRead = bytesRead;
  totals.rowsRead += result.rowsRead;
  totals.inserted += result.inserted;
  totals.updated += result.updated;
  totals.unchanged += result.unchanged;
  totals.rejected += result.rejected;
  totals.duplicates += result.duplicates;
}

// An AppError's message is written for the user; anything else may quote database
// internals, so the import's record keeps a generic sentence and the log the detail.
function describeFailure(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return (
    'The import stopped on an unexpected error; the service log has the details. ' +
    'Batches written before it are kept; importing the file again completes it.'
  );
}

// Driver errors can carry row values in their detail; the log gets the kind and message only.
function summarizeError(error: unknown): { type: string; code?: unknown; message: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: 'a non-error was thrown' };
  return { type: error.name, code: (error as { code?: unknown }).code, message: error.message };
}
