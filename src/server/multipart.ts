import { HttpProblem } from './errors.ts';

/** One part of a multipart/form-data body. Read `body` to its end (or not) before the next part. */
export interface MultipartPart {
  name: string;
  /** Set for a file field. */
  filename: string | null;
  contentType: string | null;
  body: AsyncIterable<Buffer>;
}

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_PREAMBLE_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Reads a multipart/form-data request body part by part, a file's bytes as they
 * arrive, so that an upload of any size passes through in constant memory
 * (`FormData` would hold the whole file). Fields must therefore come before the
 * file they configure, which is the order browsers send `FormData` entries in.
 */
export async function* readMultipart(
  stream: ReadableStream<Uint8Array> | null,
  contentType: string | undefined,
): AsyncGenerator<MultipartPart> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!stream || !/^multipart\/form-data/i.test(contentType ?? '') || !boundary) {
    throw malformed('Send the file as multipart/form-data (an HTML form or FormData).');
  }
  const opening = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const separator = Buffer.concat([CRLF, opening]);
  const reader = new ByteReader(stream);

  try {
    await reader.consumeThrough(opening, MAX_PREAMBLE_BYTES);
    for (;;) {
      await reader.require(2);
      if (reader.startsWith('--')) return;
      if (!reader.startsWith('\r\n')) {
        throw malformed('A part boundary is not followed by a line break.');
      }
      reader.skip(2);

      const headers = parseHeaders(await reader.consumeThrough(HEADER_END, MAX_HEADER_BYTES));
      const state = { finished: false };
      yield { ...headers, body: partBody(reader, separator, opening.length, state) };
      if (!state.finished) await drain(reader, separator, opening.length, state);
    }
  } finally {
    reader.release();
  }
}

/** Reads a small text field whole; longer than `limit` bytes is refused. */
export async function readTextPart(part: MultipartPart, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.body) {
    size += chunk.length;
    if (size > limit) {
      throw malformed(`The form field "${part.name}" is longer than ${limit} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function* partBody(
  reader: ByteReader,
  separator: Buffer,
  openingLength: number,
  state: { finished: boolean },
): AsyncGenerator<Buffer> {
  for (;;) {
    const at = reader.indexOf(separator);
    if (at >= 0) {
      if (at > 0) yield reader.take(at);
      reader.skip(CRLF.length + openingLength);
      state.finished = true;
      return;
    }
    // Keep a tail that could be the start of a separator cut by the chunk boundary.
    const free = reader.length - (separator.length - 1);
    if (free > 0) yield reader.take(free);
    if (!(await reader.fill())) throw malformed('The body ended in the middle of a part.');
  }
}

async function drain(
  reader: ByteReader,
  separator: Buffer,
  openingLength: number,
  state: { finished: boolean },
): Promise<void> {
  for await (const chunk of partBody(reader, separator, openingLength, state)) void chunk;
}

function parseHeaders(block: Buffer): Omit<MultipartPart, 'body'> {
  let name: string | null = null;
  let filename: string | null = null;
  let contentType: string | null = null;
  for (const line of block.toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-type') contentType = value;
    if (header !== 'content-disposition') continue;
    name = readParameter(value, 'name');
    filename = readParameter(value, 'filename');
  }
  if (name === null) throw malformed('A part has no Content-Disposition name.');
  return { name, filename, contentType };
}

function readParameter(header: string, parameter: string): string | null {
  const pattern = new RegExp(`(?:^|;)\\s*${parameter}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
  const match = pattern.exec(header);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? '').trim();
}

function malformed(message: string): HttpProblem {
  return new HttpProblem(400, 'invalid_input', message, { field: 'file' });
}

/** A buffer over a byte stream, filled on demand. */
class ByteReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffer: Buffer = Buffer.alloc(0);
  #ended = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  get length(): number {
    return this.#buffer.length;
  }

  async fill(): Promise<boolean> {
    if (this.#ended) return false;
    const { value, done } = await this.#reader.read();
    if (done) {
      this.#ended = true;
      return false;
    }
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    return true;
  }

  async require(bytes: number): Promise<void> {
    while (this.#buffer.length < bytes) {
      if (!(await this.fill())) throw malformed('The body ended before its closing boundary.');
    }
  }

  /** Returns the bytes before `needle` and consumes them and the needle. */
  async consumeThrough(needle: Buffer, limit: number): Promise<Buffer> {
    for (;;) {
      const at = this.#buffer.indexOf(needle);
      if (at >= 0) {
        const before = this.take(at);
        this.skip(needle.length);
        return before;
      }
      if (this.#buffer.length > limit) throw malformed('A part header is too long.');
      if (!(await this.fill())) {
        throw malformed('The body is not multipart/form-data as announced.');
      }
    }
  }

  indexOf(needle: Buffer): number {
    return this.#buffer.indexOf(needle);
  }

  startsWith(text: string): boolean {
    return this.#buffer.subarray(0, text.length).toString('latin1') === text;
  }

  take(bytes: number): Buffer {
    const taken = this.#buffer.subarray(0, bytes);
    this.#buffer = this.#buffer.subarray(bytes);
    return taken;
  }

  skip(bytes: number): void {
    this.#buffer = this.#buffer.subarray(bytes);
  }

  /**
   * Lets go of the stream without cancelling it: an answer given before the end
   * of an upload leaves the rest unread, which the HTTP server discards, whereas
   * cancelling a FormData body that undici is still producing makes undici throw.
   */
  release(): void {
    this.#reader.releaseLock();
  }
}
