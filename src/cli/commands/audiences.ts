import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { withApp } from '../../app.ts';
import { AudienceError } from '../../audiences/errors.ts';
import { assertAudienceRule } from '../../audiences/parse-rule.ts';
import {
  countAudienceMembers,
  countUnion,
  createAudience,
  deleteAudience,
  listAudiences,
  previewAudienceMembers,
  resolveAudience,
  updateAudience,
} from '../../audiences/repository.ts';
import type { Db } from '../../db/database.ts';
import { globalOptions, printResult, UserError } from '../output.ts';
import {
  formatAudience,
  formatAudienceError,
  formatAudienceList,
  formatDeleted,
  formatMembers,
} from './audiences-text.ts';

interface RuleOptions {
  rule?: string;
  ruleFile?: string;
}

interface AudienceOptions extends RuleOptions {
  name?: string;
  description?: string;
}

type Print = (value: unknown, text: () => string) => void;

const RULE_EXAMPLE = `'{"all": [{"field": "country", "op": "equals", "value": "Korea"}]}'`;
const RULE_HELP = `the rule as JSON, e.g. ${RULE_EXAMPLE}`;
const RULE_FILE_HELP = 'read the rule from a JSON file';

/**
 * `sourcesible audiences create|list|show|count|update|delete`: define audiences and see who
 * is in them. Previews mask emails and phones; --json prints the same results for scripts.
 */
export function registerAudiencesCommand(program: Command): void {
  const audiences = program
    .command('audiences')
    .description('named rules over customer fields, with live member counts');

  audiences
    .command('create')
    .description('save a new audience')
    .requiredOption('--name <name>', 'a unique name, 1 to 100 characters (case is ignored)')
    .option('--description <text>', 'what the audience is for')
    .option('--rule <json>', RULE_HELP)
    .option('--rule-file <path>', RULE_FILE_HELP)
    .action(async (options: AudienceOptions & { name: string }, command: Command) => {
      const rule = await readRule(options, true);
      await run(command, async (db, print) => {
        const { name, description } = options;
        const audience = await createAudience(db, { name, description, rule });
        const count = await countAudienceMembers(db, audience.id);
        const text = `Created audience ${audience.id} "${audience.name}": ${formatMembers(count)}.`;
        print({ audience, member_count: count }, () => text);
      });
    });

  audiences
    .command('list')
    .description('list audiences with their member counts')
    .action((_options: unknown, command: Command) =>
      run(command, async (db, print) => {
        const list = await listAudiences(db);
        print(list, () => formatAudienceList(list));
      }),
    );

  audiences
    .command('show <audience>')
    .description('one audience by id or name: its rule, member count and first members')
    .option('--limit <n>', 'how many members to preview (1 to 100)', '10')
    .action((ref: string, options: { limit: string }, command: Command) =>
      run(command, async (db, print) => {
        const audience = await resolveAudience(db, ref);
        const count = await countAudienceMembers(db, audience.id);
        const limit = Number(options.limit);
        const preview = await previewAudienceMembers(db, audience.id, { limit });
        const text = () => formatAudience(audience, count, preview);
        print({ audience, member_count: count, preview }, text);
      }),
    );

  audiences
    .command('count [audiences...]')
    .description('count the customers of a rule, or of audiences by id or name (each once)')
    .option('--rule <json>', RULE_HELP)
    .option('--rule-file <path>', RULE_FILE_HELP)
    .action(async (refs: string[], options: RuleOptions, command: Command) => {
      const rule = await readRule(options, false);
      if ((rule === undefined) === (refs.length === 0)) {
        throw new UserError('Give either audiences by id or name, or a rule with --rule / --rule-file.');
      }
      await run(command, async (db, print) => {
        if (rule !== undefined) {
          const count = await countAudienceMembers(db, assertAudienceRule(rule));
          return print({ member_count: count }, () => formatMembers(count));
        }
        const resolved = await Promise.all(refs.map((ref) => resolveAudience(db, ref)));
        const ids = [...new Set(resolved.map((audience) => audience.id))];
        const count = await countUnion(db, ids);
        print({ member_count: count, audience_ids: ids }, () => formatMembers(count));
      });
    });

  audiences
    .command('update <audience>')
    .description('change the name, description or rule of an audience')
    .option('--name <name>', 'a new unique name')
    .option('--description <text>', 'a new description')
    .option('--rule <json>', RULE_HELP)
    .option('--rule-file <path>', RULE_FILE_HELP)
    .action(async (ref: string, options: AudienceOptions, command: Command) => {
      const rule = await readRule(options, false);
      if (options.name === undefined && options.description === undefined && rule === undefined) {
        throw new UserError('Nothing to change: give --name, --description, --rule or --rule-file.');
      }
      await run(command, async (db, print) => {
        const { id } = await resolveAudience(db, ref);
        const { name, description } = options;
        const audience = await updateAudience(db, id, { name, description, rule });
        const count = await countAudienceMembers(db, audience.id);
        const text = `Updated audience ${audience.id} "${audience.name}": ${formatMembers(count)}.`;
        print({ audience, member_count: count }, () => text);
      });
    });

  audiences
    .command('delete <audience>')
    .description('delete an audience; syncs that use it show Invalid until they select another')
    .action((ref: string, _options: unknown, command: Command) =>
      run(command, async (db, print) => {
        const { id } = await resolveAudience(db, ref);
        const { audience, syncIds } = await deleteAudience(db, id);
        print({ audience, affected_sync_ids: syncIds }, () => formatDeleted(audience, syncIds));
      }),
    );
}

/** Opens the app for one command; audience errors are the user's to fix, so they print plainly. */
async function run(command: Command, work: (db: Db, print: Print) => Promise<void>) {
  const options = globalOptions(command);
  const print: Print = (value, text) => printResult(options, value, text);
  try {
    await withApp(options, (app) => work(app.db, print));
  } catch (error) {
    if (error instanceof AudienceError) throw new UserError(formatAudienceError(error));
    throw error;
  }
}

async function readRule(options: RuleOptions, required: boolean): Promise<unknown> {
  if (options.rule !== undefined && options.ruleFile !== undefined) {
    throw new UserError('Give the rule once: either --rule or --rule-file.');
  }
  if (options.rule !== undefined) return parseJson(options.rule, '--rule');
  if (options.ruleFile !== undefined) {
    return parseJson(await readRuleFile(options.ruleFile), options.ruleFile);
  }
  if (required) {
    throw new UserError(`An audience needs a rule: give --rule or --rule-file, e.g. --rule ${RULE_EXAMPLE}`);
  }
  return undefined;
}

async function readRuleFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`Cannot read the rule file ${path}: ${(error as Error).message}`);
  }
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `The rule in ${source} is not valid JSON (${(error as Error).message}). ` +
        'In a shell, wrap it in single quotes and use double quotes inside.',
    );
  }
}
