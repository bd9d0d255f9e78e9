import type { Context } from '../app.ts';
import { compileAudienceUnion } from '../audiences/compile.ts';
import { maskEmail, maskPhone } from '../audiences/masking.ts';
import { loadAudienceRules } from '../audiences/members.ts';
import { ATTRIBUTE_PREFIX } from '../customers/fields.ts';
import type { Customer } from '../db/schema.ts';
import {
  HASHED_KEYS,
  schemaKeysOf,
  type MappingDestination,
  type SchemaKey,
} from '../destinations/meta/keys.ts';
import { UNVERIFIED } from '../normalize/result.ts';
import { makeRowBuilder, type MappingRow } from '../normalize/row.ts';
import { isSha256Hex, toText } from '../normalize/text.ts';

export interface QualityPreviewInput {
  audienceIds: number[];
  mapping: MappingRow[];
  hashPii: boolean;
  defaultCountry: string | null;
}

export interface QualityExample {
  /** The customer's value, masked: `j***@example.com`, `***4623`, `H***`. */
  masked: string;
  /** What Meta receives for a hashed field (DOB: DOBY, DOBM and DOBD digests, space-separated). */
  sha256: string | null;
  /** For MADID, APPUID and EXTERN_ID, sent unhashed: the value as sent, partly masked. */
  raw: string | null;
}

export interface FieldQuality {
  destination: MappingDestination;
  source: string;
  /** Share 0..1 of the scanned members with a value in the source field. */
  present: number;
  /** Share 0..1 of the scanned members whose value survives normalization and is sent. */
  valid: number;
  /** Phones sent although in no assigned number range (counted within `valid`). */
  unverified: number;
  /** Members whose value is not sent, by reason: `empty` (no value) or a DROP_REASONS code. */
  reasons: Record<string, number>;
  examples: QualityExample[];
}

export interface QualityPreview {
  /** Customers in the union of the audiences, each once. */
  members: number;
  /** Members the figures below are computed from: all of them, or the first scanLimit by id. */
  scanned: number;
  capped: boolean;
  note: string | null;
  /** Scanned members with at least one identifier left: the rows a run would send. */
  wouldSend: number;
  /** wouldSend scaled to every member when the scan was capped; equal to it otherwise. */
  estimatedWouldSend: number;
  skippedByReason: Record<string, number>;
  fields: FieldQuality[];
}

export interface QualityPreviewOptions {
  /** Members read at most; default 50,000. */
  scanLimit?: number;
  /** Members per query; default 1,000. */
  pageSize?: number;
}

export const DEFAULT_SCAN_LIMIT = 50_000;
const EXAMPLES_PER_FIELD = 3;

/**
 * What a sync with this mapping would make of its audiences' members, before it
 * exists: per mapped field the share present and valid after normalization, the
 * reasons for the rest and a few masked examples with what Meta would receive,
 * and how many members would be sent. Members are read page by page (keyset on
 * id) through the same row builder the sync engine uses, and at most scanLimit of
 * them, so memory stays flat whatever the audience size.
 */
export async function previewSyncQuality(
  ctx: Context,
  input: QualityPreviewInput,
  options: QualityPreviewOptions = {},
): Promise<QualityPreview> {
  const scanLimit = options.scanLimit ?? DEFAULT_SCAN_LIMIT;
  const pageSize = Math.min(options.pageSize ?? 1000, scanLimit);
  const builder = makeRowBuilder(input);
  const members = compileAudienceUnion(await loadAudienceRules(ctx.db, input.audienceIds));
  const total = await ctx.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(members)
    .executeTakeFirstOrThrow();

  const tallies = input.mapping.map((row) => new FieldTally(row, builder.schema));
  const skippedByReason: Record<string, number> = {};
  let scanned = 0;
  for (let after = 0; scanned < scanLimit; ) {
    const page = await ctx.db
      .selectFrom('customers')
      .selectAll()
      .where(members)
      .where('id', '>', after)
      .orderBy('id')
      .limit(Math.min(pageSize, scanLimit - scanned))
      .execute();
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;

    for (const customer of page) {
      const built = builder.build(customer);
      for (const tally of tallies) tally.add(customer, built.cells, built.issues);
      if (built.skipReason) increment(skippedByReason, built.skipReason);
    }
    scanned += page.length;
  }

  const memberCount = Number(total.n);
  const skipped = Object.values(skippedByReason).reduce((sum, n) => sum + n, 0);
  const wouldSend = scanned - skipped;
  const capped = memberCount > scanned;
  return {
    members: memberCount,
    scanned,
    capped,
    note: capped
      ? `The figures cover the first ${scanned.toLocaleString('en-US')} of ` +
        `${memberCount.toLocaleString('en-US')} members (by customer id).`
      : null,
    wouldSend,
    estimatedWouldSend: scanned === 0 ? 0 : Math.round((wouldSend / scanned) * memberCount),
    skippedByReason,
    fields: tallies.map((tally) => tally.result(scanned)),
  };
}

/** The counts of one mapping row over the scanned members. */
class FieldTally {
  readonly #row: MappingRow;
  readonly #cells: number[];
  readonly #issuePrefix: string;
  readonly #hashed: boolean;
  #present = 0;
  #valid = 0;
  #unverified = 0;
  readonly #reasons: Record<string, number> = {};
  readonly #examples: QualityExample[] = [];

  constructor(row: MappingRow, schema: SchemaKey[]) {
    this.#row = row;
    const keys = schemaKeysOf(row.destination);
    this.#cells = keys.map((key) => schema.indexOf(key));
    this.#issuePrefix = `${row.destination}:`;
    this.#hashed = keys.every((key) => HASHED_KEYS.has(key));
  }

  add(customer: Customer, cells: string[], issues: string[]): void {
    const value = readSource(customer, this.#row.source);
    const text = toText(value);
    if (text !== '') this.#present += 1;

    const sent = this.#cells.map((index) => cells[index] ?? '');
    if (sent.some((cell) => cell !== '')) {
      this.#valid += 1;
      if (issues.includes(`${this.#issuePrefix}${UNVERIFIED}`)) this.#unverified += 1;
      if (this.#examples.length < EXAMPLES_PER_FIELD) {
        this.#examples.push(this.#example(text, sent));
      }
      return;
    }

    const issue = issues.find((entry) => entry.startsWith(this.#issuePrefix));
    increment(this.#reasons, issue ? issue.slice(this.#issuePrefix.length) : 'empty');
  }

  result(scanned: number): FieldQuality {
    const share = (n: number) => (scanned === 0 ? 0 : Math.round((n / scanned) * 10_000) / 10_000);
    return {
      destination: this.#row.destination,
      source: this.#row.source,
      present: share(this.#present),
      valid: share(this.#valid),
      unverified: this.#unverified,
      reasons: this.#reasons,
      examples: this.#examples,
    };
  }

  #example(text: string | null, sent: string[]): QualityExample {
    const masked = maskValue(this.#row.destination, text ?? '');
    if (this.#hashed) return { masked, sha256: sent.join(' '), raw: null };
    return { masked, sha256: null, raw: maskIdentifier(sent[0] ?? '') };
  }
}

function readSource(customer: Customer, source: string): unknown {
  if (!source.startsWith(ATTRIBUTE_PREFIX)) return (customer as Record<string, unknown>)[source];
  return customer.attributes[source.slice(ATTRIBUTE_PREFIX.length)];
}

/** Enough of a value to recognise it, never the whole: the masks the audience previews use. */
function maskValue(destination: MappingDestination, text: string): string {
  if (isSha256Hex(text)) return `${text.slice(0, 8).toLowerCase()}… (pre-hashed)`;
  if (destination === 'EMAIL') return maskEmail(text) ?? '***';
  if (destination === 'PHONE') return maskPhone(text) ?? '***';
  if (destination === 'MADID' || destination === 'APPUID' || destination === 'EXTERN_ID') {
    return maskIdentifier(text);
  }
  return maskText(text);
}

/** `Heather` → `H***`. */
export function maskText(value: string): string {
  const first = Array.from(value.trim())[0];
  return first === undefined ? '***' : `${first}***`;
}

/** An identifier sent as it is (MADID, external id): its first and last 4 characters at most. */
export function maskIdentifier(value: string): string {
  if (value.length <= 8) return maskText(value);
  return `${value.slice(0, 4)}***${value.slice(-4)}`;
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
