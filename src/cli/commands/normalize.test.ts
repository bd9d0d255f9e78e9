import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalizeLines } from './normalize.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// process.execPath is the Node 24 running this test; the machine's `node` is too old.
function runCli(args: string[], stdin: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['src/cli/main.ts', 'normalize', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

function lines(stdout: string): unknown[] {
  return stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
}

describe('sourcesible normalize', () => {
  test('writes a JSON line per value, three for DOB, and goes on past a bad line', async () => {
    const input = [
      '{"field":"EMAIL","value":" Mary@Example.com "}',
      'not json',
      '{"field":"PHONE","value":"846-790-4623x4715"}',
      '{"field":"PHONE","value":"020 7946 0958","country":"United Kingdom"}',
      '{"field":"DOB","value":"17 May 1990"}',
      '{"field":"MADID","value":"AB-CD"}',
      '{"field":"COUNTRY","value":"Korea"}',
      '["EMAIL"]',
    ].join('\n');

    const run = await runCli(['--default-country', 'US'], input);

    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(lines(run.stdout), [
      {
        field: 'EMAIL',
        input: ' Mary@Example.com ',
        normalized: 'mary@example.com',
        sha256: 'f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79',
        reason: null,
      },
      { field: null, input: null, normalized: null, sha256: null, reason: 'invalid_input_line' },
      {
        field: 'PHONE',
        input: '846-790-4623x4715',
        normalized: '18467904623',
        sha256: '9a0f5bd96b9a60f79bfa2ac726c7493dafb86a8d8c798a6e966087b849a2468c',
        reason: 'unverified',
      },
      {
        field: 'PHONE',
        input: '020 7946 0958',
        normalized: '442079460958',
        sha256: '35e206e5dec4c89b9e8b71b8c32724a5bb518483ac5a20c6617d738375b3b823',
        reason: null,
      },
      {
        field: 'DOBY',
        input: '17 May 1990',
        normalized: '1990',
        sha256: 'a7be8e1fe282a37cd666e0632b17d933fa13f21addf4798fc0455bc166e2488c',
        reason: null,
      },
      {
        field: 'DOBM',
        input: '17 May 1990',
        normalized: '05',
        sha256: 'c97550ce8213ef5cf6ed4ba48790c137df3ef6a5da20b48961001a634b6cead2',
        reason: null,
      },
      {
        field: 'DOBD',
        input: '17 May 1990',
        normalized: '17',
        sha256: '4523540f1504cd17100c4835e85b7eefd49911580f8efff0599a8f283be6b9e3',
        reason: null,
      },
      { field: 'MADID', input: 'AB-CD', normalized: 'ab-cd', sha256: null, reason: null },
      {
        field: 'COUNTRY',
        input: 'Korea',
        normalized: null,
        sha256: null,
        reason: 'ambiguous_country',
      },
      { field: null, input: null, normalized: null, sha256: null, reason: 'invalid_input_line' },
    ]);
  });

  test('without a default country, digits with no + are read as international', async () => {
    const run = await runCli([], '{"field":"PHONE","value":"15559876543"}\n');

    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(lines(run.stdout), [
      {
        field: 'PHONE',
        input: '15559876543',
        normalized: '15559876543',
        sha256: '1ef970831d7963307784fa8688e8fce101a15685d62aa765fed23f3a2c576a4e',
        reason: 'unverified',
      },
    ]);
  });

  test('an unknown --default-country is refused with how to fix it', async () => {
    const run = await runCli(['--default-country', 'XX'], '');

    assert.equal(run.code, 1);
    assert.match(run.stderr, /--default-country "XX" is not a country .* such as US/);
  });

  test('streams: each answer is written before the next line arrives', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const done = normalizeLines(input, output, null);
    const first = new Promise<string>((answered) => {
      output.once('data', (chunk: Buffer) => answered(chunk.toString()));
    });

    input.write('{"field":"GEN","value":"Female"}\n');
    const answer = await first;
    input.end();
    await done;

    assert.equal(JSON.parse(answer).normalized, 'f');
  });
});
