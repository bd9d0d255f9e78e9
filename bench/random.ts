/**
 * A small seeded PRNG (sfc32): the same seed gives the same population on every
 * machine and Node version, which Math.random cannot promise.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    // The first outputs of sfc32 still echo the seed; a dozen rounds wash it out.
    for (let i = 0; i < 12; i += 1) this.next();
  }

  /** A uniform integer in [0, 2^32). */
  next(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.next() / 2 ** 32) * n);
  }

  chance(probability: number): boolean {
    return this.next() / 2 ** 32 < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  digits(count: number): string {
    let text = '';
    for (let i = 0; i < count; i += 1) text += String(this.below(10));
    return text;
  }
}

/** Values drawn with the frequencies they had in the sample: a cumulative table, binary search. */
export class WeightedTable<T> {
  readonly #values: T[];
  readonly #cumulative: number[];

  constructor(counts: ReadonlyMap<T, number>) {
    this.#values = [...counts.keys()];
    this.#cumulative = [];
    let total = 0;
    for (const count of counts.values()) this.#cumulative.push((total += count));
    if (total === 0) throw new Error('A weighted table needs at least one value with a count');
  }

  get size(): number {
    return this.#values.length;
  }

  draw(random: Random): T {
    const total = this.#cumulative[this.#cumulative.length - 1]!;
    const target = random.below(total);
    let low = 0;
    let high = this.#cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return this.#values[low]!;
  }
}
