import type { Command } from 'commander';
import { readEnvConfig } from '../../config.ts';
import { DEFAULT_SAMPLE_FILE, defaultDemoDataDir, runMainJob } from '../../demo/main-job.ts';
import { makeLogger } from '../../log.ts';
import { globalOptions } from '../output.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('the main job end to end on the embedded default, against the built-in Meta emulator')
    .option('--file <csv>', 'the customers file to import', DEFAULT_SAMPLE_FILE)
    .action(async (options, command: Command) => {
      const global = globalOptions(command);
      const config = readEnvConfig();
      const dataDir = defaultDemoDataDir(global.dataDir ?? config.SOURCESIBLE_DATA_DIR);
      const log = makeLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
      const say = global.json ? () => undefined : (line: string) => process.stdout.write(`${line}\n`);
      const result = await runMainJob({ file: options.file, dataDir, say, log });
      if (global.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      if (!result.exact || result.firstRun.status !== 'succeeded' || result.secondRun.status !== 'succeeded') process.exitCode = 1;
    });
}
