import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BenchLocation } from './bench-database.ts';
import { loadStep, syncStep } from './sync-bench.ts';

// One step of one (driver, size) per process, so each peak RSS starts from a
// clean process: PGlite's WebAssembly memory only grows, and creating a data
// folder (initdb) leaves more behind than opening one.
const { values } = parseArgs({
  options: {
    step: { type: 'string' },
    location: { type: 'string' },
    size: { type: 'string' },
    seed: { type: 'string' },
    'change-share': { type: 'string', default: '0.01' },
    out: { type: 'string' },
  },
});

const location = JSON.parse(values.location!) as BenchLocation;
const size = Number(values.size);
const label = `[${location.driver} ${size.toLocaleString('en')}]`;
const options = {
  location,
  size,
  seed: Number(values.seed),
  changeShare: Number(values['change-share']),
  progress: (line: string) => process.stderr.write(`${label} ${line}\n`),
};
const figures = values.step === 'load' ? await loadStep(options) : await syncStep(options);
writeFileSync(values.out!, JSON.stringify(figures, null, 2));
