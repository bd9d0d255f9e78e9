import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { withApp } from '../../app.ts';
import { DateFormat } from '../../customers/dates.ts';
import {
  CUSTOMER_KEY_FIELDS,
  isCustomerKeyField,
  type CustomerKeyField,
} from '../../customers/fields.ts';
import { importCustomers, type ImportProgress, type ImportReport } from '../../customers/import.ts';
import {
  getImport,
  listImports,
  type ImportDetails,
  type ImportReject,
} from '../../customers/imports-repository.ts';
import type { ColumnMapping } from '../../customers/mapping.ts';
import { countCustomers, deleteCustomers, getCustomer, searchCustomers } from '../../customers/repository.ts';
import type { Db } from '../../db/database.ts';
import type { Customer } from '../../db/schema.ts';
import { globalOptions, printResult, UserError, type GlobalOptions } from '../output.ts';
import { formatCount, formatDate, formatTable } from '../table.ts';

interface ImportCommandOptions {
  key: string;
  map: string[];
  ignore: string[];
  dateFormat: string;
  source?: string;
}

const KEY_CHOICES = CUSTOMER_KEY_FIELDS.join(', ');
const DATE_CHOICES = DateFormat.options.join(', ');

interface ListCommandOptions {
  limit: string;
  after?: string;
  search?: string;
}

export function registerCustomersCommand(program: Command): void {
  const customers = program
    .command('customers')
    .description('import customer profiles and look them up');

  customers
    .command('import <file>')
    .description('import a CSV file: new keys added, changed profiles updated, bad lines rejected')
    .option('--key <field>', `what identifies a profile: ${KEY_CHOICES}`, 'external_id')
    .option('--map <Header=field>', 'send a column to a field or attributes.<name>', collect, [])
    .option('--ignore <Header>', 'leave a column out (repeatable, like --map)', collect, [])
    .option('--date-format <format>', `how registered_at reads: ${DATE_CHOICES}`, 'auto')
    .option('--source <name>', 'the label the import is recorded under (default: the file name)')
    .action(async (file: string, options: ImportCommandOptions, command: Command) => {
      const global = globalOptions(command);
      const report = await runImport(global, file, options);
      printResult(global, report, () => describeReport(report));
    });

  customers
    .command('list')
    .description('list customers in id order, optionally only those matching --search')
    .option('--limit <n>', 'how many to show (1 to 1000)', '20')
    .option('--after <id>', 'start after this customer id (a previous page prints it)')
    .option('--search <text>', 'only customers whose key, email, phone or name contains this')
    .action(async (options: ListCommandOptions, command: Command) => {
      const global = globalOptions(command);
      const query = {
        query: options.search ?? '',
        limit: parseCount(options.limit, '--limit'),
        after: options.after === undefined ? undefined : parseCount(options.after, '--after'),
      };
      const page = await withApp(global, ({ db }) => searchCustomers(db, query));
      printResult(global, page, () => describePage(page.customers, page.nextAfter));
    });

  customers
    .command('show <idOrKey>')
    .description('show one customer by id, or by key (its external id, email… as imported)')
    .option('--by-key', 'read the argument as a key even when it is all digits')
    .action(async (idOrKey: string, options: { byKey?: boolean }, command: Command) => {
      const global = globalOptions(command);
      const byKey = options.byKey ?? false;
      const customer = await withApp(global, ({ db }) => findCustomer(db, idOrKey, byKey));
      if (!customer) {
        const hint = 'List them with: sourcesible customers list --search <text>';
        throw new UserError(`No customer has the id or key "${idOrKey}". ${hint}`);
      }
      printResult(global, customer, () => describeCustomer(customer));
    });

  customers
    .command('count')
    .description('count customers')
    .action(async (_options, command: Command) => {
      const global = globalOptions(command);
      const count = await withApp(global, ({ db }) => countCustomers(db));
      printResult(global, { count }, () => `${formatCount(count)} customers`);
    });

  customers
    .command('delete <idOrKey...>')
    .description('delete customers for good; the next run of each sync removes them from Meta')
    .option('--by-key', 'read the arguments as keys even when they are all digits')
    .action(async (refs: string[], options: { byKey?: boolean }, command: Command) => {
      const global = globalOptions(command);
      const deleted = await withApp(global, async ({ db }) => {
        const ids: number[] = [];
        for (const ref of refs) {
          const customer = await findCustomer(db, ref, options.byKey ?? false);
          if (!customer) throw new UserError(`No customer has the id or key "${ref}"; nothing was deleted.`);
          ids.push(customer.id);
        }
        return deleteCustomers(db, ids);
      });
      printResult(global, { deleted }, () => `Deleted ${formatCount(deleted)} customer${deleted === 1 ? '' : 's'}. Run the syncs to remove them from Meta.`);
    });

  const imports = customers.command('imports').description('look back at CSV imports');

  imports
    .command('list')
    .description('the latest imports with their counts')
    .option('--limit <n>', 'how many imports', '20')
    .action(async (options: { limit: string }, command: Command) => {
      const global = globalOptions(command);
      const rows = await withApp(global, ({ db }) => listImports(db, parseCount(options.limit, '--limit')));
      printResult(global, rows, () =>
        rows.length === 0
          ? 'No imports yet. Import a file with: sourcesible customers import <file>'
          : formatTable(
              ['ID', 'Source', 'Status', 'Started', 'Read', 'Inserted', 'Updated', 'Unchanged', 'Rejected'],
              rows.map((r) => [r.id, r.source, r.status, formatDate(r.startedAt), ...[r.rowsRead, r.inserted, r.updated, r.unchanged, r.rejected].map(formatCount)]),
            ),
      );
    });

  imports
    .command('show <id>')
    .description('show an import: its counts, its mapping and its rejected lines')
    .option('--limit <n>', 'how many rejects to list', '50')
    .action(async (id: string, options: { limit: string }, command: Command) => {
      const global = globalOptions(command);
      const importId = parseCount(id, 'The import id');
      const rejectLimit = parseCount(options.limit, '--limit');
      const details = await withApp(global, ({ db }) => getImport(db, importId, { rejectLimit }));
      if (!details) throw new UserError(`There is no import ${importId}.`);
      printResult(global, details, () => describeImport(details));
    });
}

async function runImport(
  global: GlobalOptions,
  file: string,
  options: ImportCommandOptions,
): Promise<ImportReport> {
  const key = parseKey(options.key);
  const dateFormat = parseDateFormat(options.dateFormat);
  const mapping = parseMapOptions(options.map, options.ignore);
  const size = await fileSize(file);

  const bar = !global.json && process.stderr.isTTY ? startProgressBar(size) : undefined;
  try {
    return await withApp(global, ({ db, log }) =>
      importCustomers(db, {
        input: createReadStream(file),
        source: options.source ?? basename(file),
        key,
        mapping,
        dateFormat,
        // The summary says what the info line would; warnings, errors and debug still show.
        log: log.isLevelEnabled('debug') ? log : log.child({}, { level: 'warn' }),
        onProgress: bar ? (progress) => updateProgressBar(bar, progress) : undefined,
      }),
    );
  } finally {
    bar?.stop();
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseKey(value: string): CustomerKeyField {
  if (isCustomerKeyField(value)) return value;
  throw new UserError(`--key must be one of ${KEY_CHOICES}, not "${value}".`);
}

function parseDateFormat(value: string): DateFormat {
  const parsed = DateFormat.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new UserError(`--date-format must be one of ${DATE_CHOICES}, not "${value}".`);
}

/** --map "Header=field" (split at the last "=", so a header may hold one) and --ignore "Header". */
function parseMapOptions(maps: string[], ignores: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const entry of maps) {
    const at = entry.lastIndexOf('=');
    if (at <= 0 || at === entry.length - 1) {
      const example = '--map "Phone 2=phone"';
      throw new UserError(`--map takes "Header=field", for example ${example}; got "${entry}".`);
    }
    mapping[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }

  for (const header of ignores.map((name) => name.trim())) {
    if (mapping[header] !== undefined) {
      throw new UserError(`Column "${header}" is both mapped (--map) and ignored (--ignore).`);
    }
    mapping[header] = null;
  }
  return mapping;
}

async function fileSize(file: string): Promise<number> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`Cannot read ${file}: ${error.code ?? error.message}. Check the path.`);
  });
  if (!info.isFile()) throw new UserError(`${file} is not a file. Give the path of a CSV file.`);
  return info.size;
}

/** A bar over the file's bytes: row counts cannot be known before the end. */
function startProgressBar(totalBytes: number): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'Importing [{bar}] {percentage}% | {rows} rows | {rejected} rejected',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(totalBytes, 1), 0, { rows: 0, rejected: 0 });
  return bar;
}

function updateProgressBar(bar: cliProgress.SingleBar, progress: ImportProgress): void {
  const rows = formatCount(progress.rowsRead);
  bar.update(progress.bytesRead, { rows, rejected: formatCount(progress.rejected) });
}

function parseCount(value: string, what: string): number {
  const n = Number(value);
  if (value.trim() !== '' && Number.isSafeInteger(n) && n >= 0) return n;
  throw new UserError(`${what} must be a whole number, not "${value}".`);
}

/** All digits means an id first; a key that happens to be digits is found when no id matches. */
async function findCustomer(db: Db, idOrKey: string, byKey: boolean) {
  if (!byKey && /^\d+$/.test(idOrKey)) {
    const byId = await getCustomer(db, Number(idOrKey));
    if (byId) return byId;
  }
  return getCustomer(db, idOrKey);
}

function describeReport(report: ImportReport): string {
  const dates = report.dateFormat ? `, dates ${report.dateFormat}` : '';
  const used = report.columns.filter((column) => column.target !== null);
  const ignored = report.columns.filter((column) => column.target === null);
  const lines = [
    `Imported ${report.source} as import ${report.importId} (key ${report.keyField}${dates}).`,
    describeCounts(report),
    `Columns: ${used.map((column) => `${column.header} → ${column.target}`).join(', ')}`,
  ];
  if (ignored.length > 0) {
    lines.push(`Ignored: ${ignored.map((column) => column.header).join(', ')}`);
  }

  if (report.rejects.length > 0) {
    lines.push('', 'First rejected lines:', describeRejects(report.rejects));
  }
  if (report.rejected > report.rejects.length) {
    const command = `sourcesible customers imports show ${report.importId}`;
    lines.push(`All ${formatCount(report.rejected)}: ${command} --limit ${report.rejected}`);
  }
  return lines.join('\n');
}

function describeCounts(counts: Omit<ImportProgress, 'bytesRead'>): string {
  const rows: Array<[string, number]> = [
    ['rows read', counts.rowsRead],
    ['inserted', counts.inserted],
    ['updated', counts.updated],
    ['unchanged', counts.unchanged],
    ['rejected', counts.rejected],
  ];
  if (counts.duplicates > 0) rows.push(['repeated key', counts.duplicates]);

  const table = rows.map(([label, n]) => `  ${label.padEnd(12)} ${formatCount(n).padStart(9)}`);
  if (counts.duplicates > 0) table.push('  (where a key repeats, its later line won)');
  return table.join('\n');
}

function describeRejects(rejects: ImportReject[]): string {
  return rejects.map(({ line, reason }) => `  line ${String(line).padEnd(7)} ${reason}`).join('\n');
}

function describePage(customers: Customer[], nextAfter: number | null): string {
  if (customers.length === 0) {
    return 'No customers match. Import some with: sourcesible customers import <file.csv>';
  }
  const rows = customers.map((customer) => [
    customer.id,
    customer.customer_key,
    [customer.first_name, customer.last_name].filter(Boolean).join(' '),
    customer.email,
    customer.country,
    customer.version,
  ]);
  const table = formatTable(['id', 'key', 'name', 'email', 'country', 'version'], rows);
  return nextAfter === null ? table : `${table}\n\nMore: --after ${nextAfter}`;
}

function describeCustomer(customer: Customer): string {
  const { attributes, ...columns } = customer;
  const rows = Object.entries(columns).map(([name, value]) => [
    name,
    value instanceof Date ? formatDate(value) : (value as string | number | null),
  ]);
  const extra = Object.entries(attributes).map(([name, value]) => [`attributes.${name}`, value]);
  return formatTable(['field', 'value'], [...rows, ...extra]);
}

function describeImport(details: ImportDetails): string {
  const mapping = Object.entries(details.mapping).map(([from, target]) => `${from} → ${target}`);
  const lines = [
    `Import ${details.id} of ${details.source}: ${details.status} (key ${details.keyField})`,
    `  started ${formatDate(details.startedAt)}, finished ${formatDate(details.finishedAt)}`,
    describeCounts(details),
    `Columns: ${mapping.join(', ')}`,
  ];
  if (details.error) lines.push(`Error: ${details.error}`);

  if (details.rejects.length > 0) {
    lines.push('', 'Rejected lines:', describeRejects(details.rejects));
  }
  const more = details.rejected - details.rejects.length;
  if (more > 0) lines.push(`  … and ${formatCount(more)} more (raise --limit)`);
  return lines.join('\n');
}
