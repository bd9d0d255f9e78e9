import { throttledError } from './errors.ts';

const HOUR_MS = 60 * 60 * 1000;

/**
 * The custom_audience business-use-case quota of one ad account (meta-graph-api.md §6):
 * every ad-account or audience call spends one unit of an hourly budget, every answer
 * reports the percentage used, and at 100 % calls fail with 80003 until the hour is over.
 */
export class UsageMeter {
  readonly #budget: number;
  readonly #clock: () => number;
  #used = 0;
  #windowStart: number | null = null;

  constructor(budgetPerHour: number, clock: () => number) {
    this.#budget = budgetPerHour;
    this.#clock = clock;
  }

  /** Spends one call, or throws 80003 when the hour's budget is gone (a refused call is free). */
  spend(): void {
    this.#roll();
    if (this.percent() >= 100) throw throttledError(this.minutesToRegain());
    this.#used += 1;
  }

  /** Jumps the meter, e.g. to 100 to test throttling; the hour starts now if none is running. */
  set(percent: number): void {
    this.#roll();
    this.#windowStart ??= this.#clock();
    this.#used = Math.ceil((this.#budget * Math.max(0, percent)) / 100);
  }

  percent(): number {
    return Math.min(100, Math.floor((this.#used * 100) / this.#budget));
  }

  minutesToRegain(): number {
    if (this.percent() < 100 || this.#windowStart === null) return 0;
    return Math.max(1, Math.ceil((this.#windowStart + HOUR_MS - this.#clock()) / 60_000));
  }

  /** X-Business-Use-Case-Usage and X-Ad-Account-Usage as Meta sends them. */
  headers(accountId: string): Record<string, string> {
    const percent = this.percent();
    const resetSeconds =
      this.#windowStart === null
        ? 0
        : Math.max(0, Math.ceil((this.#windowStart + HOUR_MS - this.#clock()) / 1000));
    const businessUseCase = {
      [accountId]: [
        {
          type: 'custom_audience',
          call_count: percent,
          total_cputime: percent,
          total_time: percent,
          estimated_time_to_regain_access: this.minutesToRegain(),
          ads_api_access_tier: 'standard_access',
        },
      ],
    };
    const adAccount = {
      acc_id_util_pct: percent,
      reset_time_duration: resetSeconds,
      ads_api_access_tier: 'standard_access',
    };
    return {
      'x-business-use-case-usage': JSON.stringify(businessUseCase),
      'x-ad-account-usage': JSON.stringify(adAccount),
    };
  }

  #roll(): void {
    const now = this.#clock();
    if (this.#windowStart === null) {
      this.#windowStart = now;
    } else if (now >= this.#windowStart + HOUR_MS) {
      this.#windowStart = now;
      this.#used = 0;
    }
  }
}
