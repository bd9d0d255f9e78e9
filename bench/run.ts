import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_POSTGRES_URL,
  describeLocation,
  makeLocation,
  postgresProblem,
  postgresUrl,
  removeLocation,
  type BenchLocation,
  type Driver,
} from './bench-database.ts';
import { benchNormalize, type NormalizeFigures } from './normalize-bench.ts';
import { DEFAULT_SEED, Population } from './population.ts';
import { checkAims, formatReport, type BenchFigures, type SyncCase } from './report.ts';
import { readSampleShapes, SAMPLE_FILE } from './sample-shapes.ts';
import type { LoadFigures, SyncFigures } from './sync-bench.ts';

const HELP = `npm run bench -- [options]

  --sizes 100000,1000000     members per sync benchmark
  --drivers pglite,postgres  databases (PostgreSQL: DATABASE_URL, else TEST_DATABASE_URL,
                             else ${DEFAULT_POSTGRES_URL})
  --normalize-rows 200000    customers for the normalize-and-hash figure (0 skips it)
  --seed N                   population seed (default ${DEFAULT_SEED})
  --profile                  write a CPU profile of each sync step to test-artifacts/profiles
  --timeout-minutes 60       stop a step that runs longer, report it and go on
  --child-flags="..."        extra Node/V8 flags for the sync processes,
                             e.g. --child-flags="--max-old-space-size=128"
  --out PATH                 figures as JSON (default test-artifacts/bench.json)
  --report PATH              print the report of a saved figures file and stop`;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    drivers: { type: 'string', default: 'pglite,postgres' },
    'normalize-rows': { type: 'string', default: '200000' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    profile: { type: 'boolean', default: false },
    'timeout-minutes': { type: 'string', default: '60' },
    'child-flags': { type: 'string', default: '' },
    out: { type: 'string', default: 'test-artifacts/bench.json' },
    report: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (values.report) {
  console.log(formatReport(JSON.parse(readFileSync(values.report, 'utf8')) as BenchFigures));
  process.exit(0);
}

const sizes = values.sizes.split(',').map((size) => Number(size.replaceAll('_', '')));
const drivers = values.drivers.split(',') as Driver[];
const seed = Number(values.seed);
const normalizeRows = Number(values['normalize-rows']);
const timeoutMs = Number(values['timeout-minutes']) * 60_000;
if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
  throw new Error(`--sizes takes positive integers such as 100000,1000000; got ${values.sizes}`);
}
if (drivers.some((driver) => driver !== 'pglite' && driver !== 'postgres')) {
  throw new Error(`--drivers takes pglite and/or postgres; got ${values.drivers}`);
}

const started = new Date();
const memory = `${(totalmem() / 2 ** 30).toFixed(0)} GB`;
const processor = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`;
const machine = `Node ${process.version}, ${processor}, ${memory}`;
console.log(`Sourcesible Activation benchmark, ${started.toISOString()}, ${machine}`);

const notes: string[] = [];
let normalize: NormalizeFigures | null = null;
if (normalizeRows > 0) {
  console.log(`normalize and hash: ${normalizeRows.toLocaleString('en')} synthetic customers`);
  normalize = benchNormalize(new Population(readSampleShapes(), seed), normalizeRows);
}

const cases: SyncCase[] = [];
const work = mkdtempSync(join(tmpdir(), 'sourcesible-bench-out-'));
try {
  for (const driver of drivers) {
    if (driver === 'postgres') {
      const problem = await postgresProblem(postgresUrl());
      if (problem) {
        const hint = 'Set DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL that answers.';
        notes.push(`PostgreSQL skipped: it did not answer (${problem}). ${hint}`);
        console.log(notes[notes.length - 1]);
        continue;
      }
    }
    for (const size of sizes) {
      try {
        cases.push(await benchCase(driver, size));
      } catch (error) {
        const which = `${driver}, ${size.toLocaleString('en')} members`;
        notes.push(`${which}: no figures. ${(error as Error).message}`);
        console.log(notes[notes.length - 1]);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const figures: BenchFigures = {
  startedAt: started.toISOString(),
  machine,
  seed,
  sample: SAMPLE_FILE,
  childFlags: values['child-flags'],
  normalize,
  cases,
  aims: checkAims(cases),
  notes,
};
console.log(`\n${formatReport(figures)}`);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify(figures, null, 2));
console.log(`\nFigures written to ${values.out}`);

/** Load and sync in two fresh processes on a database made and removed here. */
async function benchCase(driver: Driver, size: number): Promise<SyncCase> {
  const location = await makeLocation(driver);
  console.log(`${driver}, ${size.toLocaleString('en')} members: ${describeLocation(location)}`);
  try {
    const load = await runChild<LoadFigures>('load', location, size);
    const sync = await runChild<SyncFigures>('sync', location, size);
    return { driver, size, load, sync };
  } finally {
    await removeLocation(location);
  }
}

function runChild<T>(step: 'load' | 'sync', location: BenchLocation, size: number): Promise<T> {
  const out = join(work, `${location.driver}-${size}-${step}.json`);
  const name = `${location.driver}-${size}.cpuprofile`;
  const profile = values.profile && step === 'sync'
    ? ['--cpu-prof', '--cpu-prof-dir', 'test-artifacts/profiles', '--cpu-prof-name', name]
    : [];
  const childFlags = step === 'sync' ? values['child-flags'].split(' ').filter(Boolean) : [];
  const args = [
    '--expose-gc',
    ...childFlags,
    ...profile,
    fileURLToPath(new URL('./child.ts', import.meta.url)),
    '--step', step,
    '--location', JSON.stringify(location),
    '--size', String(size),
    '--seed', String(seed),
    '--out', out,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    // Passed through as it comes, and its tail kept so that a failure's note says why.
    let stderrTail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(readFileSync(out, 'utf8')) as T);
      else if (timedOut) {
        const limit = values['timeout-minutes'];
        reject(new Error(`The ${step} step ran over ${limit} minutes and was stopped.`));
      } else {
        const exit = code ?? signal;
        reject(new Error(`The ${step} step failed (exit ${exit}): ${failureReason(stderrTail)}`));
      }
    });
  });
}

/** The error line of a crashed step's output (Node prints the source line above it). */
function failureReason(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const error = lines.find((line) => /^[\w.]*(Error|Exception)\b.*:/.test(line));
  return error ?? lines[lines.length - 1] ?? 'no message';
}
