import { StringDecoder } from 'node:string_decoder';
import { parse, type CsvError } from 'csv-parse/sync';

/** A record: its fields, or why it is not one. `line` is where it starts (the header is 1). */
export type CsvRecord = { line: number; fields: string[] } | { line: number; problem: string };

/** No record may be longer; past it an open quote is taken as never closed. */
export const MAX_RECORD_CHARS = 1_000_000;

interface PhysicalLine {
  line: number;
  text: string;
  /** The terminator as found, so that a quoted field spanning lines keeps its line breaks. */
  eol: string;
  oversize?: boolean;
}

const PARSE_OPTIONS = { record_delimiter: '\n', relax_column_count: true, bom: false } as const;

/**
 * Splits CSV bytes into records with the physical line each starts on, chunk by
 * chunk, holding at most one record beyond the current chunk.
 *
 * csv-parse alone cannot do this job: after a bad quote it loses its place and
 * swallows the good lines that follow, and it counts a CRLF as two lines. So this
 * reader finds record boundaries itself (a line with an odd number of quotes
 * opens a field that continues on the next line) and hands each record to
 * csv-parse. When a record spanning several lines turns out malformed, only its
 * first line is rejected and reading resumes on the line after it.
 */
export class CsvRecordReader {
  /** Bytes taken from the input so far. */
  bytesRead = 0;
  /** The first record's fields once read; every later record must have as many. */
  header: string[] | undefined;

  readonly #decoder = new StringDecoder('utf8');
  #partial = '';
  #partialOversize = false;
  #lineCount = 0;
  #open: PhysicalLine[] = [];
  #openChars = 0;
  #openQuotes = 0;
  #out: Array<CsvRecord | { line: number; text: string }> = [];

  push(chunk: Buffer | string): CsvRecord[] {
    this.bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    this.#split(text, false);
    return this.#drain();
  }

  end(): CsvRecord[] {
    this.#split(this.#decoder.end(), true);
    while (this.#open.length > 0) this.#rejectFirstOpenLine();
    return this.#drain();
  }

  #split(text: string, final: boolean): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.#takeLine(text.slice(start, nl), '\n');
      start = nl + 1;
    }
    this.#appendPartial(text.slice(start));
    if (final && (this.#partial !== '' || this.#partialOversize)) this.#takeLine('', '');
  }

  #appendPartial(text: string): void {
    if (this.#partialOversize) return;
    this.#partial += text;
    if (this.#partial.length > MAX_RECORD_CHARS) {
      this.#partial = '';
      this.#partialOversize = true;
    }
  }

  #takeLine(tail: string, terminator: string): void {
    this.#appendPartial(tail);
    this.#lineCount += 1;
    const raw = this.#partial;
    const crlf = terminator === '\n' && raw.endsWith('\r');
    const line: PhysicalLine = {
      line: this.#lineCount,
      text: crlf ? raw.slice(0, -1) : raw,
      eol: crlf ? '\r\n' : terminator,
      oversize: this.#partialOversize,
    };
    if (line.line === 1 && line.text.startsWith('\uFEFF')) line.text = line.text.slice(1);
    this.#partial = '';
    this.#partialOversize = false;
    this.#feed([line]);
  }

  #feed(lines: PhysicalLine[]): void {
    const queue = [...lines];
    for (let line = queue.shift(); line; line = queue.shift()) {
      const requeue = this.#feedOne(line);
      if (requeue.length > 0) queue.unshift(...requeue);
    }
  }

  /** Takes one line; returns lines to read again when an open record had to be given up. */
  #feedOne(line: PhysicalLine): PhysicalLine[] {
    if (line.oversize) {
      if (this.#open.length > 0) return [...this.#giveUpOpenRecord(), line];
      const problem = `Line too long: over ${MAX_RECORD_CHARS} characters`;
      this.#out.push({ line: line.line, problem });
      return [];
    }

    if (this.#open.length === 0) {
      if (line.text === '') return [];
      if (countQuotes(line.text) % 2 === 0) {
        this.#emitLine(line);
        return [];
      }
    }

    this.#open.push(line);
    this.#openChars += line.text.length + line.eol.length;
    this.#openQuotes += countQuotes(line.text);
    if (this.#openChars > MAX_RECORD_CHARS) return this.#giveUpOpenRecord();
    if (this.#openQuotes % 2 === 1) return [];
    return this.#closeOpenRecord();
  }

  #emitLine(line: PhysicalLine): void {
    if (this.header !== undefined) {
      this.#out.push({ line: line.line, text: line.text });
      return;
    }

    // The header is parsed at once: later records are measured against it.
    const parsed = parseOne(line.text);
    if ('fields' in parsed) this.header = parsed.fields;
    this.#out.push({ line: line.line, ...parsed });
  }

  #closeOpenRecord(): PhysicalLine[] {
    const last = this.#open.length - 1;
    const text = this.#open.map((line, i) => (i === last ? line.text : line.text + line.eol));
    const parsed = parseOne(text.join(''));
    if ('fields' in parsed && this.#hasExpectedLength(parsed.fields)) {
      this.header ??= parsed.fields;
      this.#out.push({ line: this.#open[0]!.line, fields: parsed.fields });
      this.#resetOpen();
      return [];
    }
    return this.#giveUpOpenRecord();
  }

  #giveUpOpenRecord(): PhysicalLine[] {
    const [first, ...rest] = this.#open;
    this.#resetOpen();
    const alone = parseOne(first!.text);
    const problem = 'problem' in alone ? alone.problem : UNCLOSED_QUOTE;
    this.#out.push({ line: first!.line, problem });
    return rest;
  }

  #rejectFirstOpenLine(): void {
    this.#feed(this.#giveUpOpenRecord());
  }

  #resetOpen(): void {
    this.#open = [];
    this.#openChars = 0;
    this.#openQuotes = 0;
  }

  #hasExpectedLength(fields: string[]): boolean {
    return this.header === undefined || fields.length === this.header.length;
  }

  /**
   * Parses the single-line records collected so far in one call, then checks
   * field counts. A record of blank fields only (",,,," rows that spreadsheets
   * leave at the end) is skipped like an empty line.
   */
  #drain(): CsvRecord[] {
    const pending = this.#out;
    this.#out = [];
    const texts = pending.flatMap((entry) => ('text' in entry ? [entry.text] : []));
    const parsed = parseMany(texts);

    let next = 0;
    const records: CsvRecord[] = [];
    for (const entry of pending) {
      const record = 'text' in entry ? { line: entry.line, ...parsed[next++]! } : entry;
      if ('fields' in record && record.fields !== this.header && isBlank(record.fields)) continue;
      records.push(this.#checkLength(record));
    }
    return records;
  }

  #checkLength(record: CsvRecord): CsvRecord {
    if (!('fields' in record) || record.fields === this.header) return record;
    const [found, expected] = [record.fields.length, this.header?.length];
    if (found === expected) return record;
    const problem = `Wrong number of fields: ${found} where the header has ${expected}`;
    return { line: record.line, problem };
  }
}

const UNCLOSED_QUOTE = 'Malformed quoting: a quoted value is never closed';

function isBlank(fields: string[]): boolean {
  return fields.every((field) => field.trim() === '');
}

function countQuotes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) count += 1;
  return count;
}

type Parsed = { fields: string[] } | { problem: string };

/** One csv-parse call for the whole run of lines; record by record only when one of them is bad. */
function parseMany(texts: string[]): Parsed[] {
  if (texts.length === 0) return [];
  try {
    const rows = parse(texts.join('\n'), PARSE_OPTIONS) as string[][];
    if (rows.length === texts.length) return rows.map((fields) => ({ fields }));
  } catch {
    // A malformed line among them: find it below, line by line.
  }
  return texts.map(parseOne);
}

function parseOne(text: string): Parsed {
  try {
    const rows = parse(text, PARSE_OPTIONS) as string[][];
    if (rows.length === 1) return { fields: rows[0]! };
    return { problem: 'Malformed line: a line break outside quotes' };
  } catch (error) {
    return { problem: describeCsvError(error as CsvError) };
  }
}

// csv-parse's own messages quote the field's content; a reject reason must not carry data.
function describeCsvError(error: CsvError): string {
  const column = typeof error.column === 'number' ? ` in column ${error.column + 1}` : '';
  switch (error.code) {
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `Malformed quoting: characters follow a closing quote${column}`;
    case 'INVALID_OPENING_QUOTE':
      return `Malformed quoting: a quote inside an unquoted value${column}`;
    case 'CSV_QUOTE_NOT_CLOSED':
      return UNCLOSED_QUOTE;
    default:
      return `Not valid CSV (${error.code})`;
  }
}
