import { makeRowBuilder } from '../src/normalize/row.ts';
import { sha256Hex } from '../src/normalize/text.ts';
import { BENCH_DEFAULT_COUNTRY, BENCH_MAPPING, mappedValues } from './bench-mapping.ts';
import type { Population, SyntheticCustomer } from './population.ts';

export interface NormalizeFigures {
  rows: number;
  /** makeRowBuilder().build over every row: normalize all seven fields, hash the hashed ones. */
  buildSeconds: number;
  buildRowsPerSecond: number;
  /** node:crypto SHA-256 (hex) of each non-empty raw value of the same seven fields. */
  plainShaSeconds: number;
  plainShaRowsPerSecond: number;
  /** build time / plain SHA-256 time: what normalizing costs on top of hashing. */
  ratio: number;
  skippedRows: number;
  /** `KEY:reason` counts, largest first: what the synthetic data exercises. */
  issues: Record<string, number>;
}

/**
 * Times the row builder against plain hashing, batch by batch so that only the
 * batch in hand is in memory. Each batch is timed both ways, alternating which
 * goes first, so a noisy moment on the machine hits both sides alike.
 */
export function benchNormalize(
  population: Population,
  rows: number,
  batchSize = 10_000,
): NormalizeFigures {
  const builder = makeRowBuilder({
    mapping: BENCH_MAPPING,
    hashPii: true,
    defaultCountry: BENCH_DEFAULT_COUNTRY,
  });
  const issues = new Map<string, number>();
  let skippedRows = 0;
  let buildMs = 0;
  let shaMs = 0;
  let sink = 0;

  // Warm-up: JIT, the country name index and libphonenumber's metadata load outside the clock.
  for (const warm of population.batches(Math.min(rows, 5_000), 5_000)) {
    for (const customer of warm) {
      sink += builder.build(customer as unknown as Record<string, unknown>).cells.length;
    }
    sink += hashRaw(warm);
  }

  let flip = false;
  for (const batch of population.batches(rows, batchSize)) {
    const records = batch as unknown as Record<string, unknown>[];
    const timeBuild = () => {
      const started = performance.now();
      for (const record of records) {
        const built = builder.build(record);
        if (built.skipReason) skippedRows += 1;
        for (const issue of built.issues) issues.set(issue, (issues.get(issue) ?? 0) + 1);
        sink += built.cells.length;
      }
      buildMs += performance.now() - started;
    };
    const timeSha = () => {
      const started = performance.now();
      sink += hashRaw(batch);
      shaMs += performance.now() - started;
    };
    if (flip) {
      timeSha();
      timeBuild();
    } else {
      timeBuild();
      timeSha();
    }
    flip = !flip;
  }
  if (sink === 0) throw new Error('The benchmark produced nothing');

  return {
    rows,
    buildSeconds: buildMs / 1000,
    buildRowsPerSecond: rows / (buildMs / 1000),
    plainShaSeconds: shaMs / 1000,
    plainShaRowsPerSecond: rows / (shaMs / 1000),
    ratio: buildMs / shaMs,
    skippedRows,
    issues: Object.fromEntries([...issues].sort((a, b) => b[1] - a[1])),
  };
}

function hashRaw(batch: SyntheticCustomer[]): number {
  let length = 0;
  for (const customer of batch) {
    for (const value of mappedValues(customer)) if (value !== '') length += sha256Hex(value).length;
  }
  return length;
}
