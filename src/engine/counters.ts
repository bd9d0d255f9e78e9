import type { UsersResponse } from '../destinations/meta/wire.ts';

const MAX_SAMPLES = 100;

/** What a run has done so far, kept in memory and written with each heartbeat. */
export class RunCounters {
  added = 0;
  removed = 0;
  changed = 0;
  unchanged = 0;
  metaReceived = 0;
  metaInvalidEntries = 0;
  readonly metaInvalidSamples: string[] = [];
  readonly fieldIssues: Record<string, number> = {};

  countIssues(issues: string[]): void {
    for (const issue of issues) this.fieldIssues[issue] = (this.fieldIssues[issue] ?? 0) + 1;
  }

  /** `received` is what this response adds to the session's running num_received. */
  countResponse(response: UsersResponse, received: number): void {
    this.metaReceived += received;
    this.metaInvalidEntries += response.num_invalid_entries;
    const samples = response.invalid_entry_samples;
    const list = Array.isArray(samples) ? samples : Object.values(samples ?? {});
    for (const sample of list) {
      if (this.metaInvalidSamples.length >= MAX_SAMPLES) break;
      this.metaInvalidSamples.push(sample);
    }
  }

  columns() {
    return {
      added: this.added,
      removed: this.removed,
      changed: this.changed,
      unchanged: this.unchanged,
      meta_received: this.metaReceived,
      meta_invalid_entries: this.metaInvalidEntries,
      meta_invalid_samples: JSON.stringify(this.metaInvalidSamples),
      field_issues: JSON.stringify(this.fieldIssues),
    };
  }
}
