import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readMultipart, readTextPart } from './multipart.ts';

const BOUNDARY = '----sourcesibleBoundary7MA4YWxk';

function streamOf(text: string, chunkSize: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunkSize));
      at += chunkSize;
    },
  });
}

function body(parts: Array<{ headers: string; content: string }>): string {
  const lines = parts.map((part) => `--${BOUNDARY}\r\n${part.headers}\r\n\r\n${part.content}\r\n`);
  return `preamble to ignore\r\n${lines.join('')}--${BOUNDARY}--\r\n`;
}

async function readAll(text: string, chunkSize: number) {
  const parts: Array<{ name: string; filename: string | null; text: string }> = [];
  const type = `multipart/form-data; boundary=${BOUNDARY}`;
  for await (const part of readMultipart(streamOf(text, chunkSize), type)) {
    parts.push({ name: part.name, filename: part.filename, text: await readTextPart(part) });
  }
  return parts;
}

describe('streaming multipart/form-data reader', () => {
  const file = `Email,Phone\r\na@example.com,"--${BOUNDARY.slice(0, 10)}"\r\n\r\n--not-the-boundary\r\n`;
  const sample = body([
    { headers: 'Content-Disposition: form-data; name="key"', content: 'email' },
    {
      headers: 'Content-Disposition: form-data; name="file"; filename="my \\"list\\".csv"\r\nContent-Type: text/csv',
      content: file,
    },
  ]);

  for (const chunkSize of [1, 3, 7, 64, 100_000]) {
    test(`reads fields and a file exactly, in ${chunkSize}-byte chunks`, async () => {
      const parts = await readAll(sample, chunkSize);

      assert.deepEqual(parts, [
        { name: 'key', filename: null, text: 'email' },
        { name: 'file', filename: 'my "list".csv', text: file },
      ]);
    });
  }

  test('a part the consumer does not read is skipped, and the next part still arrives', async () => {
    const names: string[] = [];
    const type = `multipart/form-data; boundary=${BOUNDARY}`;

    for await (const part of readMultipart(streamOf(sample, 5), type)) names.push(part.name);

    assert.deepEqual(names, ['key', 'file']);
  });

  test('a body cut before its closing boundary is refused as invalid input', async () => {
    const cut = sample.slice(0, sample.length - 30);

    await assert.rejects(readAll(cut, 16), { code: 'invalid_input', field: 'file' });
  });

  test('a request that is not multipart is refused with how to send the file', async () => {
    const parts = readMultipart(streamOf('{}', 2), 'application/json');

    await assert.rejects(parts.next(), /multipart\/form-data/);
  });
});
