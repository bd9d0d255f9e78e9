import type { Command } from 'commander';
import { startMetaEmulator, type MetaEmulator } from '../../destinations/meta/emulator/index.ts';
import { makeLogger } from '../../log.ts';
import { globalOptions, printResult, UserError } from '../output.ts';

interface MetaEmulatorCommandOptions {
  port: string;
  host: string;
  token?: string;
  storage: string;
}

/**
 * `sourcesible meta-emulator --port 4100`: runs the Graph API emulator in the foreground until
 * Ctrl+C. It keeps everything in memory and never opens the database.
 */
export function registerMetaEmulatorCommand(program: Command): void {
  program
    .command('meta-emulator')
    .description(
      'run the Meta Graph API emulator for development, demos and benchmarks ' +
        '(LOG_LEVEL=debug lists each call)',
    )
    .option('--port <port>', 'port to listen on; 0 picks a free one', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--token <token>', 'the seeded user access token (default: the emulator\'s fixed one)')
    .option('--storage <storage>', 'rows (inspectable) or digests (for benchmarks)', 'rows')
    .action(async (options: MetaEmulatorCommandOptions, command: Command) => {
      const emulator = await start(options);
      const graphUrl = `${emulator.url}/v25.0`;
      const summary = {
        url: emulator.url,
        graphUrl,
        adAccountId: emulator.adAccountId,
        accessToken: emulator.accessToken,
        appId: emulator.appId,
        appSecret: emulator.appSecret,
        loginDialogUrl: `${graphUrl}/dialog/oauth`,
      };
      printResult(globalOptions(command), summary, () =>
        [
          `Meta Graph API emulator listening on ${emulator.url}`,
          `  Graph base URL  ${graphUrl}`,
          `  Ad account      ${emulator.adAccountId}`,
          `  Access token    ${emulator.accessToken}`,
          `  App id          ${emulator.appId}`,
          `  App secret      ${emulator.appSecret}`,
          `  Login dialog    ${summary.loginDialogUrl}`,
          'Everything is kept in memory and lost on stop. Press Ctrl+C to stop.',
        ].join('\n'),
      );

      await untilStopSignal();
      await emulator.close();
    });
}

async function start(options: MetaEmulatorCommandOptions): Promise<MetaEmulator> {
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65_535) {
    throw new UserError(`--port must be a number from 0 to 65535; got ${options.port}`);
  }
  if (options.storage !== 'rows' && options.storage !== 'digests') {
    throw new UserError(`--storage must be rows or digests; got ${options.storage}`);
  }

  try {
    return await startMetaEmulator({
      port,
      host: options.host,
      accessToken: options.token,
      storage: options.storage,
      log: makeLogger(),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      const where = `${options.host}:${port}`;
      throw new UserError(`Port ${where} is already in use; choose another with --port`);
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') {
      const where = `${options.host}:${port}`;
      throw new UserError(`Cannot listen on ${where} (${code}); check --host and --port`);
    }
    throw error;
  }
}

function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
