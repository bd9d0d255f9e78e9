#!/usr/bin/env node
import { Command } from 'commander';
import { reportCliError } from './output.ts';
import { registerCustomersCommand } from './commands/customers.ts';
import { registerAudiencesCommand } from './commands/audiences.ts';
import { registerMetaEmulatorCommand } from './commands/meta-emulator.ts';
import { registerNormalizeCommand } from './commands/normalize.ts';
import { registerDestinationsCommand } from './commands/destinations.ts';
import { registerSyncsCommand } from './commands/syncs.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerTokensCommand } from './commands/tokens.ts';
import { registerWorkerCommand } from './commands/worker.ts';
// Command modules register themselves below, one line each.

// A command prints its own result and its errors in words; LOG_LEVEL=info shows the structured log.
process.env.LOG_LEVEL ??= 'silent';

const program = new Command('sourcesible')
  .description('Sourcesible Activation: keep customer audiences synced to Meta Custom Audiences')
  .version('0.1.0')
  .option('--json', 'print machine-readable JSON instead of text')
  .option('--data-dir <dir>', 'the embedded database folder (env SOURCESIBLE_DATA_DIR)')
  .option('--database-url <url>', 'use this PostgreSQL instead of the embedded one (env DATABASE_URL)');

// register commands: begin
registerCustomersCommand(program);
registerAudiencesCommand(program);
registerMetaEmulatorCommand(program);
registerNormalizeCommand(program);
registerDestinationsCommand(program);
registerSyncsCommand(program);
registerDemoCommand(program);
registerServeCommand(program);
registerTokensCommand(program);
registerWorkerCommand(program);
// register commands: end

program.parseAsync(process.argv).catch(reportCliError);
