import { createHash } from 'node:crypto';

/**
 * The members of one audience. A member row is a record of its non-empty cells keyed by
 * canonical schema key, so `[EMAIL, PHONE]` and `[PHONE, EMAIL]` rows with the same values
 * are the same member, and sending a row twice stores it once.
 */
export type MemberRow = Readonly<Record<string, string>>;

export interface Membership {
  readonly size: number;
  /** Returns false when the row was already a member. */
  add(row: MemberRow): boolean;
  /** Removes the members the removal row matches; returns how many went. */
  remove(row: MemberRow): number;
  /** Every row, sorted; null when only digests are kept. */
  rows(): MemberRow[] | null;
}

export function makeMembership(storage: 'rows' | 'digests'): Membership {
  return storage === 'digests' ? new DigestMembership() : new RowMembership();
}

/** Length-prefixed cells in key order: unambiguous whatever characters the values hold. */
export function canonicalRowKey(row: MemberRow): string {
  let key = '';
  for (const name of Object.keys(row).sort()) {
    const value = row[name] as string;
    key += `${name}:${value.length}:${value};`;
  }
  return key;
}

/**
 * Full rows, plus an index from each cell to the rows holding it, so that removing by a
 * single EXTERN_ID does not scan the whole audience.
 */
class RowMembership implements Membership {
  #rows = new Map<string, MemberRow>();
  #byCell = new Map<string, Set<string>>();

  get size(): number {
    return this.#rows.size;
  }

  add(row: MemberRow): boolean {
    const key = canonicalRowKey(row);
    if (this.#rows.has(key)) return false;
    this.#rows.set(key, row);
    for (const cell of cellsOf(row)) {
      let keys = this.#byCell.get(cell);
      if (!keys) this.#byCell.set(cell, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  /** Every member whose cells include all of the removal row's non-empty cells. */
  remove(row: MemberRow): number {
    const candidates = this.#smallestPosting(row);
    if (!candidates) return 0;

    const matches = [...candidates].filter((key) => {
      const member = this.#rows.get(key) as MemberRow;
      return Object.entries(row).every(([name, value]) => member[name] === value);
    });
    for (const key of matches) this.#delete(key);
    return matches.length;
  }

  rows(): MemberRow[] {
    return [...this.#rows.keys()].sort().map((key) => this.#rows.get(key) as MemberRow);
  }

  #smallestPosting(row: MemberRow): Set<string> | undefined {
    let smallest: Set<string> | undefined;
    for (const cell of cellsOf(row)) {
      const keys = this.#byCell.get(cell);
      if (!keys) return undefined;
      if (!smallest || keys.size < smallest.size) smallest = keys;
    }
    return smallest;
  }

  #delete(key: string): void {
    const member = this.#rows.get(key) as MemberRow;
    this.#rows.delete(key);
    for (const cell of cellsOf(member)) {
      const keys = this.#byCell.get(cell);
      keys?.delete(key);
      if (keys?.size === 0) this.#byCell.delete(cell);
    }
  }
}

function cellsOf(row: MemberRow): string[] {
  return Object.entries(row).map(([name, value]) => `${name}\u0000${value}`);
}

/**
 * 16 bytes of SHA-256 per row, held as a 16-character one-byte string: about 60 bytes a
 * member with the Set's own overhead, so a million members cost tens of megabytes.
 */
class DigestMembership implements Membership {
  #digests = new Set<string>();

  get size(): number {
    return this.#digests.size;
  }

  add(row: MemberRow): boolean {
    const digest = rowDigest(row);
    if (this.#digests.has(digest)) return false;
    this.#digests.add(digest);
    return true;
  }

  remove(row: MemberRow): number {
    return this.#digests.delete(rowDigest(row)) ? 1 : 0;
  }

  rows(): null {
    return null;
  }
}

function rowDigest(row: MemberRow): string {
  const digest = createHash('sha256').update(canonicalRowKey(row)).digest();
  return digest.subarray(0, 16).toString('latin1');
}
