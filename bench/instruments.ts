import {
  PostgresQueryCompiler,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Logger } from '../src/log.ts';

/**
 * Wall time spent per phase of a run. The engine awaits one step at a time, so
 * phases do not overlap and the remainder of the run's time is JavaScript in
 * the engine itself (building rows, encoding requests).
 */
export class PhaseClock {
  readonly #calls = new Map<string, number[]>();

  add(phase: string, ms: number): void {
    const calls = this.#calls.get(phase);
    if (calls) calls.push(ms);
    else this.#calls.set(phase, [ms]);
  }

  reset(): void {
    this.#calls.clear();
  }

  snapshot(): Record<string, PhaseTime> {
    return Object.fromEntries([...this.#calls].map(([phase, calls]) => [phase, summarize(calls)]));
  }
}

export interface PhaseTime {
  ms: number;
  count: number;
  /** Mean ms of the first and the last tenth of the calls: does a step slow down as it goes? */
  firstTenthMs?: number;
  lastTenthMs?: number;
}

function summarize(calls: number[]): PhaseTime {
  const ms = calls.reduce((sum, call) => sum + call, 0);
  if (calls.length < 20) return { ms, count: calls.length };
  const tenth = Math.floor(calls.length / 10);
  const mean = (part: number[]) => part.reduce((sum, call) => sum + call, 0) / part.length;
  return {
    ms,
    count: calls.length,
    firstTenthMs: mean(calls.slice(0, tenth)),
    lastTenthMs: mean(calls.slice(-tenth)),
  };
}

/** Which engine step a statement belongs to, read from its SQL. */
const STATEMENT_PHASES: Array<[RegExp, string]> = [
  [/from customers c\s+left join sync_members/, 'db: fetch page (fetchCandidates)'],
  [/insert into sync_members/, 'db: saveMembers'],
  [/from sync_members sm\s+where sm\.sync_id = \$1 and sm\.customer_id >/, 'db: fetch departed'],
  [/sm\.sent_row = any\(/, 'db: rowsStillHeld'],
  [/delete from sync_members/, 'db: forgetMembers'],
  [/insert into "run_batches"/, 'db: record batch'],
  [/update "runs"/, 'db: heartbeat, run record'],
  [/count\(\*\)/, 'db: count members'],
  [/^\s*analyze sync_members/, 'db: analyze sync_members'],
];

/** Times every statement from compilation to result, by engine step. */
export function makeTimingPlugin(clock: PhaseClock): KyselyPlugin {
  const compiler = new PostgresQueryCompiler();
  const started = new WeakMap<object, { at: number; phase: string }>();
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      const text = compiler.compileQuery(args.node, args.queryId).sql;
      const phase = STATEMENT_PHASES.find(([pattern]) => pattern.test(text))?.[1] ?? 'db: other';
      started.set(args.queryId, { at: performance.now(), phase });
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const start = started.get(args.queryId);
      if (start) clock.add(start.phase, performance.now() - start.at);
      return args.result;
    },
  };
}

/** fetch, timed from the call to the last byte of the answer (the emulator's work included). */
export function makeTimedFetch(clock: PhaseClock): typeof fetch {
  return async (input, init) => {
    const at = performance.now();
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    clock.add('http: Graph calls, end to end', performance.now() - at);
    const { status, statusText, headers } = response;
    return new Response(body, { status, statusText, headers });
  };
}

/**
 * A logger for the emulator that keeps only its per-request timing line: the
 * handler's time from the first byte read to the answer written (whole ms).
 */
export function makeEmulatorTimingLog(clock: PhaseClock): Logger {
  const log = {
    level: 'debug',
    debug(line: { ms?: number; path?: string }) {
      if (typeof line?.ms === 'number' && line.path?.endsWith('/users')) {
        clock.add('emulator: /users handler', line.ms);
      }
    },
    info() {},
    warn() {},
    error() {},
    trace() {},
    fatal() {},
    isLevelEnabled: () => true,
    child: () => log,
  };
  return log as unknown as Logger;
}

export interface MemoryPeak {
  rssMb: number;
  heapUsedMb: number;
  /** What V8 had reserved for its heap: used plus garbage not yet collected plus slack. */
  heapTotalMb: number;
  /** Buffers and other memory outside the V8 heap that JavaScript objects hold. */
  externalMb: number;
  samples: number;
}

/**
 * process.memoryUsage() every 50 ms, keeping the largest of each figure seen.
 * A sample is also taken at start and stop, so a short run has at least two.
 */
export class MemorySampler {
  #rss = 0;
  #heapUsed = 0;
  #heapTotal = 0;
  #external = 0;
  #samples = 0;
  #timer: NodeJS.Timeout | undefined;

  start(intervalMs = 50): void {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
  }

  stop(): MemoryPeak {
    clearInterval(this.#timer);
    this.#sample();
    const mb = (bytes: number) => bytes / 2 ** 20;
    return {
      rssMb: mb(this.#rss),
      heapUsedMb: mb(this.#heapUsed),
      heapTotalMb: mb(this.#heapTotal),
      externalMb: mb(this.#external),
      samples: this.#samples,
    };
  }

  #sample(): void {
    const usage = process.memoryUsage();
    this.#rss = Math.max(this.#rss, usage.rss);
    this.#heapUsed = Math.max(this.#heapUsed, usage.heapUsed);
    this.#heapTotal = Math.max(this.#heapTotal, usage.heapTotal);
    this.#external = Math.max(this.#external, usage.external);
    this.#samples += 1;
  }
}
