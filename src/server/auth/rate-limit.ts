/**
 * Counts failed logins per client address in a sliding window and refuses
 * further attempts once the limit is reached, until the oldest failure ages out.
 * Kept in memory: one server process answers the logins of its own clients, and
 * a restart forgetting the count is acceptable for a brute-force brake.
 */
export class LoginLimiter {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #failures = new Map<string, number[]>();

  constructor(options: { maxFailures?: number; windowMs?: number } = {}) {
    this.#maxFailures = options.maxFailures ?? 10;
    this.#windowMs = options.windowMs ?? 15 * 60 * 1000;
  }

  /** Milliseconds until this client may try again, or 0 when it may try now. */
  retryAfterMs(client: string, now = Date.now()): number {
    const recent = this.#recent(client, now);
    if (recent.length < this.#maxFailures) return 0;
    return recent[recent.length - this.#maxFailures]! + this.#windowMs - now;
  }

  recordFailure(client: string, now = Date.now()): void {
    const recent = this.#recent(client, now);
    recent.push(now);
    this.#failures.set(client, recent);
    if (this.#failures.size > 10_000) this.#sweep(now);
  }

  /** A successful login clears the client's failures. */
  reset(client: string): void {
    this.#failures.delete(client);
  }

  #recent(client: string, now: number): number[] {
    return (this.#failures.get(client) ?? []).filter((at) => now - at < this.#windowMs);
  }

  // Bounds memory when many addresses fail once and never come back.
  #sweep(now: number): void {
    for (const [client, times] of this.#failures) {
      if (times.every((at) => now - at >= this.#windowMs)) this.#failures.delete(client);
    }
  }
}
