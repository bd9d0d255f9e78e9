import { Command } from 'commander';

/**
 * Runs `sourcesible <args>` in process with one command group registered, and
 * returns the text it printed. Only string writes are captured: the test
 * runner's own binary writes pass through.
 */
export async function runCommand(register: (program: Command) => void, args: string[]): Promise<string> {
  const program = new Command('sourcesible').exitOverride();
  program.option('--json').option('--data-dir <dir>');
  register(program);

  const printed: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (typeof chunk !== 'string') return original(chunk, ...rest);
    printed.push(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    process.stdout.write = original;
  }
  return printed.join('');
}
