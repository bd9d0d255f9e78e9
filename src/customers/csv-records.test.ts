import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CsvRecordReader, MAX_RECORD_CHARS, type CsvRecord } from './csv-records.ts';

/** Feeds the text in small pieces, as a stream would, so records straddle chunks. */
function readAll(text: string | Buffer, chunkSize = 7): CsvRecord[] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const reader = new CsvRecordReader();
  const records: CsvRecord[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) {
    records.push(...reader.push(bytes.subarray(at, at + chunkSize)));
  }
  records.push(...reader.end());
  return records;
}

describe('CsvRecordReader', () => {
  test('numbers records by the physical line they start on, CRLF or LF', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['a,b', '1,2', '', '3,"x', 'y"', '4,5'].join(eol) + eol;
      assert.deepEqual(readAll(text), [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', '2'] },
        { line: 4, fields: ['3', `x${eol}y`] },
        { line: 6, fields: ['4', '5'] },
      ]);
    }
  });

  test('keeps quoted commas and doubled quotes, and drops a byte order mark', () => {
    const text = '\uFEFFName,Company\nAnn,"Terry, Proctor and ""Lawrence"""';
    assert.deepEqual(readAll(text), [
      { line: 1, fields: ['Name', 'Company'] },
      { line: 2, fields: ['Ann', 'Terry, Proctor and "Lawrence"'] },
    ]);
  });

  test('decodes a multi-byte character split across chunks', () => {
    const records = readAll(Buffer.from('city\nSan José\n'), 1);
    assert.deepEqual(records[1], { line: 2, fields: ['San José'] });
  });

  test('rejects a line with the wrong number of fields and goes on', () => {
    assert.deepEqual(readAll('a,b,c\n1,2\n1,2,3,4\n5,6,7'), [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, problem: 'Wrong number of fields: 2 where the header has 3' },
      { line: 3, problem: 'Wrong number of fields: 4 where the header has 3' },
      { line: 4, fields: ['5', '6', '7'] },
    ]);
  });

  test('rejects bad quoting on its own line only; the lines after it still read', () => {
    const records = readAll('a,b,c\n1,"x"y,3\n4,x"y,6\n7,"open,9\n10,11,12\n13,14,15\n');
    assert.deepEqual(records, [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, problem: 'Malformed quoting: characters follow a closing quote in column 2' },
      { line: 3, problem: 'Malformed quoting: a quote inside an unquoted value in column 2' },
      { line: 4, problem: 'Malformed quoting: a quoted value is never closed' },
      { line: 5, fields: ['10', '11', '12'] },
      { line: 6, fields: ['13', '14', '15'] },
    ]);
  });

  test('an unclosed quote that would swallow later lines into a bad record gives them back', () => {
    const records = readAll('a,b\n1,"open\n2,"x" \n3,4\n');
    assert.deepEqual(records, [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, problem: 'Malformed quoting: a quoted value is never closed' },
      { line: 3, problem: 'Malformed quoting: characters follow a closing quote in column 2' },
      { line: 4, fields: ['3', '4'] },
    ]);
  });

  test('gives up an open quote after the longest allowed record', () => {
    const long = 'z'.repeat(MAX_RECORD_CHARS / 10);
    const lines = ['a,b', '1,"open', ...Array.from({ length: 11 }, () => `x,${long}`)];
    const records = readAll(lines.join('\n'), 64 * 1024);
    const problem = 'Malformed quoting: a quoted value is never closed';
    assert.deepEqual(records[1], { line: 2, problem });
    assert.equal(records.length, 13);
    assert.deepEqual(records[12], { line: 13, fields: ['x', long] });
  });

  test('rejects a line longer than the limit without holding it', () => {
    const records = readAll(`a\n${'y'.repeat(MAX_RECORD_CHARS + 5)}\nb\n`, 64 * 1024);
    assert.deepEqual(records, [
      { line: 1, fields: ['a'] },
      { line: 2, problem: `Line too long: over ${MAX_RECORD_CHARS} characters` },
      { line: 3, fields: ['b'] },
    ]);
  });

  test('counts the bytes it was given', () => {
    const reader = new CsvRecordReader();
    reader.push(Buffer.from('a,b\n'));
    reader.push(Buffer.from('é,2\n'));
    assert.equal(reader.bytesRead, 9);
  });
});
