import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { withApp, type Context } from '../../app.ts';
import { resolveAudience } from '../../audiences/repository.ts';
import { findDestination } from '../../destinations/service.ts';
import { runSync, type RunProgress } from '../../engine/run-sync.ts';
import { AppError } from '../../errors.ts';
import { listRuns } from '../../syncs/runs.ts';
import { createSync, deleteSync, findSyncId, getSync, listSyncs, pauseSync, resumeSync, updateSync, type SyncView } from '../../syncs/service.ts';
import type { RunView } from '../../syncs/view.ts';
import { globalOptions, printResult, type GlobalOptions } from '../output.ts';
import { formatCount, formatDate, formatTable } from '../table.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerSyncsCommand(program: Command): void {
  const syncs = program.command('syncs').description('Activation → Sync: audiences synced to Meta');

  withSyncOptions(syncs.command('create').description('create a sync (the wizard’s four steps as options)'))
    .requiredOption('--name <name>', 'Sync Name, unique, at most 50 characters')
    .requiredOption('--audience <audience>', 'an audience id or name; repeat to sync several', collect)
    .requiredOption('--destination <destination>', 'a Connected destination, by id or name')
    .action(async (options, command: Command) => {
      const global = globalOptions(command);
      const view = await withApp(global, async (app) => createSync(app, await syncFields(app, options)));
      printResult(global, view, () => `Created sync ${view.id} "${view.name}". Run it with: sourcesible syncs run ${view.id}`);
    });

  withSyncOptions(syncs.command('update <sync>').description('change any setting of a sync'))
    .option('--name <name>', 'a new Sync Name')
    .option('--audience <audience>', 'replace the audiences (repeat for several)', collect)
    .option('--destination <destination>', 'another destination')
    .action(async (idOrName: string, options, command: Command) => {
      const global = globalOptions(command);
      const view = await withApp(global, async (app) => {
        const id = await findSyncId(app, idOrName);
        const { writeMode, ...fields } = await syncFields(app, options);
        if (writeMode) fields.metaAudience = await withWriteMode(app, id, writeMode);
        return updateSync(app, id, fields);
      });
      printResult(global, view, () => `Updated sync ${view.id} "${view.name}".`);
    });

  syncs
    .command('list')
    .description('the Sync list page: status, schedule and last run of every sync')
    .action(async (_options, command: Command) => {
      const global = globalOptions(command);
      const views = await withApp(global, (app) => listSyncs(app));
      printResult(global, views, () => (views.length === 0 ? 'No syncs yet. Create one with: sourcesible syncs create' : syncTable(views)));
    });

  syncs
    .command('show <sync>')
    .description('one sync with its settings, status and last run')
    .action(async (idOrName: string, _options, command: Command) => {
      const global = globalOptions(command);
      const view = await withApp(global, async (app) => getSync(app, await findSyncId(app, idOrName)));
      printResult(global, view, () => describeSync(view));
    });

  syncs
    .command('run <sync>')
    .description('run a sync now and print what was sent')
    .action(async (idOrName: string, _options, command: Command) => {
      const global = globalOptions(command);
      const run = await withApp(global, async (app) => runWithProgress(app, global, await findSyncId(app, idOrName), 'cli'));
      printResult(global, run, () => describeRun(run));
      if (run.status !== 'succeeded') process.exitCode = 1;
    });

  syncs
    .command('runs <sync>')
    .description('the run history of a sync')
    .option('--limit <n>', 'how many runs', '20')
    .action(async (idOrName: string, options, command: Command) => {
      const global = globalOptions(command);
      const runs = await withApp(global, async (app) => listRuns(app, await findSyncId(app, idOrName), Number(options.limit)));
      printResult(global, runs, () =>
        formatTable(
          ['Run', 'Trigger', 'Status', 'Started', 'Size', 'Added', 'Removed', 'Changed', 'Unchanged', 'Skipped'],
          runs.map((r) => [r.id, r.trigger, r.status, formatDate(r.startedAt), ...[r.audienceSize ?? 0, r.added, r.removed, r.changed, r.unchanged, r.skipped].map(formatCount)]),
        ),
      );
    });

  syncs
    .command('delete <sync>')
    .description('delete a sync (its Meta audience is left in Ads Manager)')
    .action(async (idOrName: string, _options, command: Command) => {
      const global = globalOptions(command);
      const id = await withApp(global, async (app) => {
        const syncId = await findSyncId(app, idOrName);
        await deleteSync(app, syncId);
        return syncId;
      });
      printResult(global, { deleted: id }, () => `Deleted sync ${id}.`);
    });

  syncs
    .command('pause <sync>')
    .description('stop scheduled runs at once (runs asked for by hand still happen)')
    .action(async (idOrName: string, _options, command: Command) => {
      const global = globalOptions(command);
      const view = await withApp(global, async (app) => pauseSync(app, await findSyncId(app, idOrName)));
      printResult(global, view, () => `Paused sync ${view.id} "${view.name}": no scheduled run until resumed.`);
    });

  syncs
    .command('resume <sync>')
    .description('start scheduled runs again from the next slot (missed slots are not replayed)')
    .action(async (idOrName: string, _options, command: Command) => {
      const global = globalOptions(command);
      const view = await withApp(global, async (app) => resumeSync(app, await findSyncId(app, idOrName)));
      printResult(global, view, () => `Resumed sync ${view.id} "${view.name}". Next run: ${view.nextRunAt ? formatDate(view.nextRunAt) : 'when asked (Manual)'}.`);
    });
}

function withSyncOptions(command: Command): Command {
  return command
    .option('--description <text>', 'Sync Description, at most 50 characters')
    .option('--meta-audience-name <name>', 'create a new Facebook audience with this Audience Name')
    .option('--existing-audience <id>', 'use this existing Facebook audience instead')
    .option('--write-mode <mode>', 'for an existing audience: append (default) or replace')
    .option('--map <source=FIELD>', 'a Data Mapping row, e.g. email=EMAIL phone=PHONE (repeat)', collect)
    .option('--hash-pii <yes|no>', 'PII auto-hashing: yes (default) or no when your data is pre-hashed')
    .option('--default-country <code>', 'the country of phone numbers that carry none, e.g. US')
    .option('--schedule <manual|interval>', 'Schedule Type')
    .option('--every <interval>', 'for Interval: how often, e.g. 30m, 2h, 1d')
    .option('--start-at <local time>', 'for Interval: the first run, local time such as 2025-01-10T02:00')
    .option('--time-zone <zone>', 'for Interval: the IANA zone of --start-at and of daily runs (default UTC)');
}

/** Turns command-line options into the sync input; only options given are set (for update). */
async function syncFields(app: Context, options: Record<string, any>) {
  const fields: Record<string, unknown> = {};
  if (options.name !== undefined) fields.name = options.name;
  if (options.description !== undefined) fields.description = options.description;
  if (options.audience) fields.audienceIds = await Promise.all(options.audience.map(async (ref: string) => (await resolveAudience(app.db, ref)).id));
  if (options.destination) fields.destinationId = (await findDestination(app, options.destination)).id;
  if (options.metaAudienceName && options.existingAudience) {
    throw new AppError('invalid_input', 'Give either --meta-audience-name (create a new Facebook audience) or --existing-audience (use one), not both.');
  }
  if (options.metaAudienceName && options.writeMode) {
    throw new AppError('invalid_input', '--write-mode applies to an existing Facebook audience (--existing-audience); a new audience is always filled by this sync alone.');
  }
  if (options.metaAudienceName) fields.metaAudience = { mode: 'create', name: options.metaAudienceName };
  if (options.existingAudience) fields.metaAudience = { mode: 'existing', audienceId: options.existingAudience, writeMode: options.writeMode ?? 'append' };
  if (options.writeMode && !options.existingAudience) fields.writeMode = options.writeMode;
  if (options.map) fields.mapping = options.map.map(parseMappingRow);
  if (options.hashPii !== undefined) fields.hashPii = parseYesNo(options.hashPii);
  if (options.defaultCountry !== undefined) fields.defaultCountry = options.defaultCountry;
  if (options.every !== undefined) {
    fields.schedule = { type: 'interval', ...parseEvery(options.every), startAt: options.startAt ?? null, timeZone: options.timeZone };
  } else if (options.startAt !== undefined || options.timeZone !== undefined) {
    throw new AppError('invalid_input', '--start-at and --time-zone belong to an Interval schedule: give --every too, e.g. --every 1d --start-at 2025-01-10T02:00.');
  } else if (options.schedule === 'manual') fields.schedule = { type: 'manual' };
  else if (options.schedule !== undefined) throw new AppError('invalid_input', 'An Interval schedule needs --every, e.g. --every 1h.');
  return fields as any;
}

/** A new write mode for the existing Facebook audience the sync already uses. */
async function withWriteMode(app: Context, syncId: number, writeMode: string) {
  const sync = await getSync(app, syncId);
  if (sync.metaAudience.mode !== 'existing' || !sync.metaAudience.id) {
    throw new AppError('invalid_input', '--write-mode applies to a sync that uses an existing Facebook audience; this one creates its own.');
  }
  return { mode: 'existing', audienceId: sync.metaAudience.id, writeMode };
}

function parseMappingRow(text: string) {
  const [source, destination] = text.split('=');
  if (!source || !destination) throw new AppError('invalid_input', `The mapping "${text}" must read source=FIELD, e.g. email=EMAIL.`);
  return { source: source.trim(), destination: destination.trim().toUpperCase() };
}

function parseYesNo(text: string): boolean {
  if (/^(yes|y|true)$/i.test(text)) return true;
  if (/^(no|n|false)$/i.test(text)) return false;
  throw new AppError('invalid_input', `--hash-pii takes yes or no, not "${text}".`);
}

/** `30m`, `2h`, `1d` or a bare number of minutes, as the schedule's every and unit. */
export function parseEvery(text: string): { every: number; unit: 'minutes' | 'hours' | 'days' } {
  const match = /^(\d+)\s*(m|min|h|d)?$/i.exec(text.trim());
  if (!match) throw new AppError('invalid_input', `--every takes a duration such as 30m, 2h or 1d, not "${text}".`);
  const unit = (match[2] ?? 'm').toLowerCase();
  return { every: Number(match[1]), unit: unit === 'h' ? 'hours' : unit === 'd' ? 'days' : 'minutes' };
}

/** `30m`, `2h`, `1d` or a bare number of minutes. */
export function parseInterval(text: string): number {
  const match = /^(\d+)\s*(m|min|h|d)?$/i.exec(text.trim());
  if (!match) throw new AppError('invalid_input', `--every takes a duration such as 30m, 2h or 1d, not "${text}".`);
  const unit = (match[2] ?? 'm').toLowerCase();
  return Number(match[1]) * (unit === 'h' ? 60 : unit === 'd' ? 1440 : 1);
}

/** Runs a sync with a progress bar on an interactive terminal. */
export async function runWithProgress(app: Context, global: GlobalOptions, syncId: number, trigger: string): Promise<RunView> {
  const interactive = process.stderr.isTTY && !global.json;
  const bar = interactive ? new SingleBar({ format: ' {phase} [{bar}] {value}/{total} members', stream: process.stderr, hideCursor: true }) : null;
  let started = false;
  const onProgress = (progress: RunProgress) => {
    if (!bar) return;
    if (!started) bar.start(progress.total, 0, { phase: progress.phase });
    started = true;
    bar.setTotal(progress.total);
    bar.update(progress.done, { phase: progress.phase });
  };
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runSync(app, syncId, { trigger, onProgress, signal: stop.signal });
  } finally {
    bar?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function describeRun(run: RunView): string {
  const seconds = run.finishedAt ? ((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1) : '?';
  const lines = [
    `Run ${run.id}: ${run.status} in ${seconds} s`,
    `  audience size   ${formatCount(run.audienceSize ?? 0)}`,
    `  added           ${formatCount(run.added)}`,
    `  removed         ${formatCount(run.removed)}`,
    `  changed         ${formatCount(run.changed)}`,
    `  unchanged       ${formatCount(run.unchanged)}`,
    `  skipped         ${formatCount(run.skipped)}${reasons(run.skippedByReason)}`,
    `  Meta received   ${formatCount(run.metaReceived)} rows, ${formatCount(run.metaInvalidEntries)} invalid`,
  ];
  const issues = Object.entries(run.fieldIssues).sort((a, b) => b[1] - a[1]);
  if (issues.length > 0) {
    lines.push(`  field issues    ${issues.map(([k, n]) => `${k} ${formatCount(n)}`).join(', ')}`);
    lines.push('                  (FIELD:reason: that field was left out of the row, except PHONE:unverified,');
    lines.push('                  a number of the right length in no known range, which is sent; see `normalize`)');
  }
  if (run.errorMessage) lines.push(`  ${run.status === 'succeeded' ? 'note' : 'reason'}: ${run.errorMessage}`);
  return lines.join('\n');
}

function reasons(byReason: Record<string, number>): string {
  const entries = Object.entries(byReason);
  return entries.length === 0 ? '' : ` (${entries.map(([k, n]) => `${k} ${formatCount(n)}`).join(', ')})`;
}

function syncTable(views: SyncView[]): string {
  return formatTable(
    ['ID', 'Name', 'Audiences', 'Destination', 'Status', 'Schedule', 'Next run', 'Last run'],
    views.map((v) => [
      v.id,
      v.name,
      v.audiences.map((a) => a.name).join(', '),
      v.destination.name,
      v.status,
      describeSchedule(v),
      v.nextRunAt ? formatDate(v.nextRunAt) : null,
      v.lastRun ? formatDate(v.lastRun.startedAt) : null,
    ]),
  );
}

function describeSync(view: SyncView): string {
  const lines = [
    `Sync ${view.id} "${view.name}"${view.description ? ` — ${view.description}` : ''}`,
    `  status        ${view.status}${view.statusReason ? `: ${view.statusReason}` : ''}`,
    `  audiences     ${view.audiences.map((a) => `${a.name}${a.deleted ? ' (deleted)' : ''}`).join(', ')}`,
    `  destination   ${view.destination.name} (${view.destination.adAccountId}, ${view.destination.status})`,
    `  Meta audience ${view.metaAudience.mode === 'create' ? `new "${view.metaAudience.name}"` : `existing, ${view.metaAudience.writeMode}`}${view.metaAudience.id ? ` id ${view.metaAudience.id}` : ' (created on first run)'}`,
    `  mapping       ${view.mapping.map((m) => `${m.source} → ${m.destination}`).join(', ')}`,
    `  PII hashing   ${view.hashPii ? 'Yes' : 'No'}${view.defaultCountry ? `; default country ${view.defaultCountry.toUpperCase()}` : ''}`,
    `  schedule      ${describeSchedule(view)}`,
    `  next run      ${view.nextRunAt ? formatDate(view.nextRunAt) : view.paused ? 'none while paused' : 'when asked (Manual)'}`,
  ];
  if (view.lastRun) lines.push('', describeRun(view.lastRun));
  return lines.join('\n');
}

/** `Manual`, `Every 2 hours`, `Every 1 day from 2025-01-10T02:00 (Europe/Paris), paused`. */
function describeSchedule(view: SyncView): string {
  const schedule = view.schedule;
  if (schedule.type === 'manual') return 'Manual';
  const unit = schedule.every === 1 ? schedule.unit.slice(0, -1) : schedule.unit;
  const start = schedule.startAt ? ` from ${schedule.startAt}` : '';
  const zone = schedule.startAt || schedule.unit === 'days' ? ` (${schedule.timeZone})` : '';
  return `Every ${schedule.every} ${unit}${start}${zone}${view.paused ? ', paused' : ''}`;
}
