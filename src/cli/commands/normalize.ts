import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { normalizeCountry } from '../../normalize/country.ts';
import { normalizeJsonLine } from '../../normalize/json-lines.ts';
import { UserError } from '../output.ts';

const EXAMPLE = `
Input, one JSON object a line:  {"field": "PHONE", "value": "(650) 555-1212", "country": "US"}
Output, one a line (three for DOB):
  {"field":"PHONE","input":"(650) 555-1212","normalized":"16505551212",
   "sha256":"e323...","reason":null}
field: a mapping destination or Meta schema key (EMAIL, PHONE, FN, ..., DOB, DOBY, EXTERN_ID).
normalized is null when the value is dropped, with the reason; sha256 is null for MADID,
APPUID and EXTERN_ID, which Meta takes unhashed. A line that is not such an object gives
reason "invalid_input_line" and the rest is still processed.

Example: echo '{"field":"EMAIL","value":" Mary@Example.com"}' | sourcesible normalize`;

/** `sourcesible normalize`: shows how values would be normalized and hashed, streaming. */
export function registerNormalizeCommand(program: Command): void {
  program
    .command('normalize')
    .description('normalize and hash values as a sync does: JSON lines in on stdin, out on stdout')
    .option('--default-country <code>', 'the country for values with none of their own, e.g. US')
    .addHelpText('after', EXAMPLE)
    .action(async (options: { defaultCountry?: string }) => {
      const defaultCountry = defaultCountryOf(options.defaultCountry);
      await normalizeLines(process.stdin, process.stdout, defaultCountry);
    });
}

/** Line by line, waiting for the output to drain: memory stays flat whatever the input size. */
export async function normalizeLines(
  input: Readable,
  output: Writable,
  defaultCountry: string | null,
): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  // A reader that went away (`| head`) ends the run quietly instead of with EPIPE.
  let closed = false;
  output.on('error', () => {
    closed = true;
    lines.close();
  });

  for await (const line of lines) {
    if (line.trim() === '') continue;

    const written = output.write(normalizeJsonLine(line, defaultCountry));
    if (closed) break;
    if (written) continue;
    try {
      await once(output, 'drain');
    } catch {
      break; // the output failed (reader gone): nothing more can be written
    }
  }
}

function defaultCountryOf(value: string | undefined): string | null {
  if (value === undefined) return null;

  const country = normalizeCountry(value.trim());
  if (!country.ok) {
    throw new UserError(
      `--default-country "${value}" is not a country we know: ` +
        'use an ISO 3166-1 alpha-2 code such as US or DE.',
    );
  }
  return country.value;
}
