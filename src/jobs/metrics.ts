/**
 * A small Prometheus registry: counters, gauges and histograms with labels,
 * rendered in the text exposition format. One per process; /metrics shows it.
 */

type Labels = Record<string, string>;

interface Metric {
  render(): string[];
}

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelKey = (labels: Labels) =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
}

class Series<T> {
  readonly values = new Map<string, { labels: Labels; value: T }>();

  get(labels: Labels, initial: () => T): { labels: Labels; value: T } {
    const key = labelKey(labels);
    let entry = this.values.get(key);
    if (!entry) {
      entry = { labels, value: initial() };
      this.values.set(key, entry);
    }
    return entry;
  }
}

export class Counter implements Metric {
  readonly #name: string;
  readonly #help: string;
  readonly #series = new Series<number>();

  constructor(name: string, help: string) {
    this.#name = name;
    this.#help = help;
  }

  inc(labels: Labels = {}, by = 1): void {
    if (by <= 0) return;
    this.#series.get(labels, () => 0).value += by;
  }

  value(labels: Labels = {}): number {
    return this.#series.values.get(labelKey(labels))?.value ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.#name} ${this.#help}`, `# TYPE ${this.#name} counter`];
    for (const { labels, value } of this.#series.values.values()) {
      lines.push(`${this.#name}${formatLabels(labels)} ${value}`);
    }
    return lines;
  }
}

export class Gauge implements Metric {
  readonly #name: string;
  readonly #help: string;
  #series = new Series<number>();

  constructor(name: string, help: string) {
    this.#name = name;
    this.#help = help;
  }

  set(labels: Labels, value: number): void {
    this.#series.get(labels, () => 0).value = value;
  }

  /** Replaces every series at once (a fresh reading of the queue, say). */
  reset(readings: Array<{ labels: Labels; value: number }>): void {
    this.#series = new Series<number>();
    for (const reading of readings) this.set(reading.labels, reading.value);
  }

  render(): string[] {
    const lines = [`# HELP ${this.#name} ${this.#help}`, `# TYPE ${this.#name} gauge`];
    for (const { labels, value } of this.#series.values.values()) {
      lines.push(`${this.#name}${formatLabels(labels)} ${value}`);
    }
    return lines;
  }
}

export class Histogram implements Metric {
  readonly #name: string;
  readonly #help: string;
  readonly #buckets: number[];
  readonly #series = new Series<{ counts: number[]; sum: number; count: number }>();

  constructor(name: string, help: string, buckets: number[]) {
    this.#name = name;
    this.#help = help;
    this.#buckets = [...buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels, value: number): void {
    const empty = () => ({ counts: this.#buckets.map(() => 0), sum: 0, count: 0 });
    const entry = this.#series.get(labels, empty).value;
    this.#buckets.forEach((bound, i) => {
      if (value <= bound) entry.counts[i]! += 1;
    });
    entry.sum += value;
    entry.count += 1;
  }

  render(): string[] {
    const lines = [`# HELP ${this.#name} ${this.#help}`, `# TYPE ${this.#name} histogram`];
    for (const { labels, value } of this.#series.values.values()) {
      this.#buckets.forEach((bound, i) => {
        const bucket = formatLabels({ ...labels, le: String(bound) });
        lines.push(`${this.#name}_bucket${bucket} ${value.counts[i]}`);
      });
      lines.push(`${this.#name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${value.count}`);
      lines.push(`${this.#name}_sum${formatLabels(labels)} ${value.sum}`);
      lines.push(`${this.#name}_count${formatLabels(labels)} ${value.count}`);
    }
    return lines;
  }
}

const SECONDS_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400];

/** What this process counts. Series appear once something happened. */
export const metrics = {
  runs: new Counter('sourcesible_runs_total', 'Sync runs finished in this process, by outcome.'),
  members: new Counter(
    'sourcesible_run_members_total',
    'Members handled by runs, by change: added, removed, changed, skipped.',
  ),
  graphRequests: new Counter(
    'sourcesible_graph_requests_total',
    'Meta Graph API requests, by method and outcome (ok or error).',
  ),
  graphErrors: new Counter(
    'sourcesible_graph_errors_total',
    'Meta Graph API errors, by Graph error code and reason.',
  ),
  jobs: new Counter('sourcesible_jobs_total', 'Background jobs finished, by job type and outcome.'),
  jobWait: new Histogram(
    'sourcesible_job_wait_seconds',
    'Time a job waited in the queue before a worker took it.',
    SECONDS_BUCKETS,
  ),
  jobDuration: new Histogram(
    'sourcesible_job_duration_seconds',
    'Time a worker spent on a job.',
    SECONDS_BUCKETS,
  ),
  queueJobs: new Gauge(
    'sourcesible_queue_jobs',
    'Jobs in the queue (all processes), by job type and state.',
  ),
  events: new Counter('sourcesible_events_total', 'Notification events recorded, by type.'),
};

export function renderMetrics(): string {
  return `${Object.values(metrics).flatMap((metric) => metric.render()).join('\n')}\n`;
}
