import { readFileSync } from 'node:fs';

/** The parts of a .cpuprofile this summary reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the system a sampled function belongs to, by its file. */
const CATEGORIES: Array<[RegExp, string]> = [
  [/\/src\/normalize\/|libphonenumber-js|i18n-iso-countries/, 'build rows (normalize, hash)'],
  [/\/src\/destinations\/meta\/emulator\//, 'emulator'],
  [/\/src\/destinations\/meta\/|\/zod\//, 'Graph client (encode, validate)'],
  [/\/src\/engine\//, 'engine'],
  [/@electric-sql\/pglite|wasm:\/\//, 'PGlite'],
  [/\/(pg|pg-protocol|pg-types|postgres-array|postgres-date)\//, 'node-postgres (encode, parse)'],
  [/\/kysely\//, 'kysely'],
  [/node:internal\/(deps\/undici|http|net|streams?)|node:(_http|net|stream)/, 'HTTP, sockets'],
  [/\/bench\//, 'benchmark instruments'],
];

/**
 * Self time of a CPU profile by part of the system and by function, so a
 * bottleneck can be named with numbers: `npx node bench/profile-summary.ts FILE`.
 * Native code and Node's internals count for the nearest caller that belongs to
 * a part: a SHA-256 called by the emulator is the emulator's.
 */
export function summarizeProfile(path: string, topParts = 6, topFunctions = 8): string {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const owners = new Map<number, string>();
  const ownerOf = (id: number): string => {
    let owner = owners.get(id);
    if (owner === undefined) {
      const frame = nodes.get(id)!.callFrame;
      const own = categorize(frame.functionName, frame.url);
      const parent = parents.get(id);
      // Native code, Node's internals and unknown JavaScript belong to whoever called them.
      owner = own !== null || parent === undefined ? (own ?? 'other JavaScript') : ownerOf(parent);
      owners.set(id, owner);
    }
    return owner;
  };
  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, Map<string, number>>();
  let total = 0;

  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    const frame = nodes.get(id)!.callFrame;
    const category = ownerOf(id);
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}`.trim();
    const functions = byFunction.get(category) ?? new Map<string, number>();
    functions.set(name, (functions.get(name) ?? 0) + us);
    byFunction.set(category, functions);
    total += us;
  });

  const lines = [`CPU profile ${path}: ${(total / 1e6).toFixed(1)} s sampled`];
  for (const [category, us] of [...byCategory].sort((a, b) => b[1] - a[1])) {
    const seconds = (us / 1e6).toFixed(2).padStart(7);
    const share = ((us / total) * 100).toFixed(1).padStart(5);
    lines.push(`  ${category.padEnd(40)} ${seconds} s  ${share}%`);
  }
  for (const [category, us] of [...byCategory].sort((a, b) => b[1] - a[1]).slice(0, topParts)) {
    lines.push(`  ${category}: its functions by self time`);
    const functions = [...byFunction.get(category)!]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topFunctions);
    for (const [name, self] of functions) {
      lines.push(`    ${((self / total) * 100).toFixed(1).padStart(5)}%  ${name.slice(0, 90)}`);
    }
    if (us === 0) break;
  }
  return lines.join('\n');
}

function categorize(functionName: string, url: string): string | null {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle (waiting on PostgreSQL or I/O)';
  if (functionName === '(program)') return 'V8 / native (program)';
  return CATEGORIES.find(([pattern]) => pattern.test(url))?.[1] ?? null;
}

function shortUrl(url: string): string {
  const at = url.lastIndexOf('/node_modules/');
  if (at >= 0) return url.slice(at + '/node_modules/'.length);
  const src = url.search(/\/(src|bench)\//);
  return src >= 0 ? url.slice(src + 1) : url;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  for (const path of process.argv.slice(2)) console.log(summarizeProfile(path));
}
