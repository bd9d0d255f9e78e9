#!/usr/bin/env node
import { Command } from 'commander';
import { reportCliError } from './output.ts';
// Command modules register themselves below, one line each.

const program = new Command('sourcesible')
  .description('Sourcesible Activation: keep customer audiences synced to Meta Custom Audiences')
  .version('0.1.0')
  .option('--json', 'print machine-readable JSON instead of text')
  .option('--data-dir <dir>', 'the embedded database folder (env SOURCESIBLE_DATA_DIR)')
  .option('--database-url <url>', 'use this PostgreSQL instead of the embedded one (env DATABASE_URL)');

// register commands: begin
// register commands: end

program.parseAsync(process.argv).catch(reportCliError);
