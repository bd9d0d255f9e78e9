import { AppError } from '../errors.ts';
import { CsvRecordReader, type CsvRecord } from './csv-records.ts';

export type CsvInput = AsyncIterable<Buffer | string>;

/**
 * Yields the header record alone, then the other records in batches of
 * batchSize. The input is read on only when the consumer asks for the next
 * batch, so a slow database slows the reading instead of filling memory.
 */
export async function* readCsvBatches(
  input: CsvInput,
  reader: CsvRecordReader,
  batchSize: number,
): AsyncGenerator<CsvRecord[]> {
  const pending: CsvRecord[] = [];
  let headerYielded = false;
  const takeBatches = function* (final: boolean) {
    if (!headerYielded && pending.length > 0) {
      headerYielded = true;
      yield pending.splice(0, 1);
    }
    while (pending.length >= batchSize || (final && pending.length > 0)) {
      yield pending.splice(0, batchSize);
    }
  };

  for await (const chunk of input) {
    pending.push(...reader.push(chunk));
    yield* takeBatches(false);
  }
  pending.push(...reader.end());
  yield* takeBatches(true);
}

/** Takes the header off readCsvBatches' output, or says why the file has none. */
export async function readCsvHeader(batches: AsyncGenerator<CsvRecord[]>): Promise<string[]> {
  const first = await batches.next();
  const header = first.done ? undefined : first.value[0];
  if (!header) {
    const message = 'The file is empty: a CSV import needs a header line naming its columns.';
    throw new AppError('invalid_input', message, { field: 'file' });
  }
  if ('problem' in header) {
    const message =
      `The header on line ${header.line} cannot be read (${header.problem}). ` +
      'Fix the header line and import again.';
    throw new AppError('invalid_input', message, { field: 'file' });
  }
  return header.fields;
}
