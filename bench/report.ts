import type { NormalizeFigures } from './normalize-bench.ts';
import type { LoadFigures, RunFigures, SyncFigures } from './sync-bench.ts';
import type { Driver } from './bench-database.ts';

/** Everything one benchmark run measured, as written to test-artifacts/bench.json. */
export interface BenchFigures {
  startedAt: string;
  machine: string;
  seed: number;
  sample: string;
  childFlags: string;
  normalize: NormalizeFigures | null;
  cases: SyncCase[];
  aims: AimCheck[];
  notes: string[];
}

export interface SyncCase {
  driver: Driver;
  size: number;
  load: LoadFigures;
  sync: SyncFigures;
}

export const AIMS = {
  membersPerSecond: 20_000,
  /** The 1% run takes under this share of the first run's time. */
  secondToFirst: 0.1,
  peakRssMb: 400,
  /** "Nearly the same": the larger size's peak RSS within this factor of the smaller's. */
  rssGrowth: 1.15,
} as const;

export interface AimCheck {
  aim: string;
  subject: string;
  value: string;
  met: boolean;
}

export function checkAims(cases: SyncCase[]): AimCheck[] {
  const checks: AimCheck[] = [];
  for (const c of cases) {
    const subject = `${c.driver} ${formatCount(c.size)}`;
    const { first, second } = c.sync;
    checks.push({
      aim: `>= ${formatCount(AIMS.membersPerSecond)} members/s (first run)`,
      subject,
      value: formatCount(first.membersPerSecond),
      met: first.membersPerSecond >= AIMS.membersPerSecond,
    });
    checks.push({
      aim: `1% run < ${AIMS.secondToFirst} of the first`,
      subject,
      value: c.sync.secondToFirst.toFixed(3),
      met: c.sync.secondToFirst < AIMS.secondToFirst,
    });
    const peak = Math.max(first.peak.rssMb, second.peak.rssMb);
    checks.push({
      aim: `peak RSS < ${AIMS.peakRssMb} MB`,
      subject,
      value: megabytes(peak),
      met: peak < AIMS.peakRssMb,
    });
  }

  for (const driver of new Set(cases.map((c) => c.driver))) {
    const sizes = cases.filter((c) => c.driver === driver).sort((a, b) => a.size - b.size);
    if (sizes.length < 2) continue;
    const small = sizes[0]!;
    const large = sizes[sizes.length - 1]!;
    const [from, to] = [small.sync.first.peak.rssMb, large.sync.first.peak.rssMb];
    checks.push({
      aim:
        `peak RSS nearly the same (x${AIMS.rssGrowth} at most) ` +
        `at ${formatCount(small.size)} and ${formatCount(large.size)}`,
      subject: driver,
      value: `${from.toFixed(0)} → ${megabytes(to)} (x${(to / from).toFixed(2)})`,
      met: to / from <= AIMS.rssGrowth,
    });
  }
  return checks;
}

/** The whole readable report: normalize figures, the sync table, the aims, where the time went. */
export function formatReport(figures: BenchFigures): string {
  const flags = figures.childFlags ? `; sync processes run with ${figures.childFlags}` : '';
  const parts = [
    `Sourcesible Activation benchmark, ${figures.startedAt}`,
    `  ${figures.machine}; population seed ${figures.seed}, grown from ${figures.sample}${flags}`,
  ];
  if (figures.normalize) parts.push('', formatNormalize(figures.normalize));
  if (figures.cases.length > 0) {
    parts.push('', 'First sync of N members to the in-process emulator (storage: digests),');
    parts.push('then a second run after the email of 1% of the members changed');
    parts.push(formatSyncTable(figures.cases), '', 'Aims', formatAims(figures.aims));
    for (const c of figures.cases) {
      const which = `${c.driver}, ${formatCount(c.size)} members`;
      const title = `Where the time went: ${which}`;
      parts.push('', formatPhases(`${title}, first run`, c.sync.first, c.size));
      parts.push(formatPhases(`${title}, 1% run`, c.sync.second, c.size));
    }
    parts.push('', '  Phases are wall time. The emulator runs in this process: its handler');
    parts.push('  time is part of "http", its share is in brackets, and "w/o emulator"');
    parts.push('  is members/s without it.');
  }
  for (const note of figures.notes) parts.push('', `Note: ${note}`);
  return parts.join('\n');
}

export function formatNormalize(figures: NormalizeFigures): string {
  const rate = (perSecond: number, seconds: number) =>
    `${formatCount(perSecond).padStart(10)} rows/s  (${seconds.toFixed(2)} s)`;
  const issues = Object.entries(figures.issues).map(([issue, n]) => `${issue} ${formatCount(n)}`);
  return [
    `Normalize and hash, one core, ${formatCount(figures.rows)} synthetic customers, 7 fields`,
    `  makeRowBuilder().build   ${rate(figures.buildRowsPerSecond, figures.buildSeconds)}`,
    `  plain SHA-256 of raw     ${rate(figures.plainShaRowsPerSecond, figures.plainShaSeconds)}`,
    `  ratio build / SHA-256    ${figures.ratio.toFixed(2)}x`,
    `  rows skipped ${formatCount(figures.skippedRows)}; field issues: ${issues.join(', ')}`,
  ].join('\n');
}

export function formatSyncTable(cases: SyncCase[]): string {
  const header = [
    'driver', 'members', 'load rows/s', 'run 1 s', 'members/s', 'w/o emulator', 'peak RSS',
    'RSS before', 'heap used/total', 'external', '1% run s', 'ratio', 'run 2 RSS',
  ];
  const rows = cases.map((c) => {
    const { first, second } = c.sync;
    const emulatorSeconds = (first.phases['emulator: /users handler']?.ms ?? 0) / 1000;
    return [
      c.driver,
      formatCount(c.size),
      formatCount(c.load.rowsPerSecond),
      first.seconds.toFixed(1),
      formatCount(first.membersPerSecond),
      formatCount(c.size / (first.seconds - emulatorSeconds)),
      megabytes(first.peak.rssMb),
      megabytes(first.rssBeforeMb),
      `${first.peak.heapUsedMb.toFixed(0)}/${megabytes(first.peak.heapTotalMb)}`,
      megabytes(first.peak.externalMb),
      second.seconds.toFixed(2),
      c.sync.secondToFirst.toFixed(3),
      megabytes(second.peak.rssMb),
    ];
  });
  return table(header, rows);
}

export function formatAims(checks: AimCheck[]): string {
  return table(
    ['aim', 'case', 'value', 'met'],
    checks.map((check) => [check.aim, check.subject, check.value, check.met ? 'yes' : 'NO']),
  );
}

/** Where a run's time went, per phase, largest first. */
export function formatPhases(title: string, run: RunFigures, size: number): string {
  const totalMs = run.seconds * 1000;
  const pages = Math.max(1, Math.ceil(size / 10_000));
  const rows = Object.entries(run.phases)
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([phase, time]) => {
      const share = `${((time.ms / totalMs) * 100).toFixed(0)}%`;
      const trend = time.firstTenthMs === undefined
        ? ''
        : `${time.firstTenthMs.toFixed(0)} → ${time.lastTenthMs!.toFixed(0)}`;
      return [
        phase,
        String(time.count),
        (time.ms / 1000).toFixed(2),
        phase.startsWith('emulator:') ? `(${share})` : share,
        (time.ms / pages).toFixed(0),
        trend,
      ];
    });
  const header = ['phase', 'calls', 's', 'share', 'ms per 10k', 'ms a call, first → last tenth'];
  return `${title}\n${table(header, rows)}`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column]!;
        return column === 0 ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].map((text) => `  ${text}`).join('\n');
}

function megabytes(mb: number): string {
  return `${mb.toFixed(0)} MB`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en');
}
