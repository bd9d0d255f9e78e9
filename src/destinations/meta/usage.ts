/**
 * Rate-limit usage that Meta reports on every response (meta-graph-api.md §6):
 * X-Business-Use-Case-Usage, X-Ad-Account-Usage and X-App-Usage. Throttling
 * starts when any percentage reaches 100.
 */

export interface BusinessUseCaseUsage {
  /** The business object the quota belongs to: for ad accounts, the numeric id. */
  businessId: string;
  /** e.g. `custom_audience`, `ads_management`. */
  type: string;
  callCount: number;
  totalCputime: number;
  totalTime: number;
  regainAccessMs: number;
}

export interface AdAccountUsage {
  utilPercent: number;
  resetTimeMs: number;
}

export interface AppUsage {
  callCount: number;
  totalCputime: number;
  totalTime: number;
}

export interface UsageSnapshot {
  /** The highest percentage across every metric of every header, 0 to 100 (or above). */
  maxPercent: number;
  /** How long until Meta lifts a throttle in force; 0 when none is. */
  regainAccessMs: number;
  businessUseCases: BusinessUseCaseUsage[];
  adAccount: AdAccountUsage | null;
  app: AppUsage | null;
}

/**
 * Reads the usage headers of one response; null when none is present. A header
 * that is not the JSON Meta documents is ignored rather than failing the call.
 */
export function parseUsageHeaders(headers: Headers): UsageSnapshot | null {
  const businessUseCases = parseBusinessUseCases(readJson(headers, 'x-business-use-case-usage'));
  const adAccount = parseAdAccount(readJson(headers, 'x-ad-account-usage'));
  const app = parseApp(readJson(headers, 'x-app-usage'));
  if (businessUseCases.length === 0 && !adAccount && !app) return null;

  const percents = [
    ...businessUseCases.flatMap((u) => [u.callCount, u.totalCputime, u.totalTime]),
    ...(adAccount ? [adAccount.utilPercent] : []),
    ...(app ? [app.callCount, app.totalCputime, app.totalTime] : []),
  ];
  const waits = businessUseCases.map((u) => u.regainAccessMs);
  // reset_time_duration is when the score drains, which only matters once it is full.
  if (adAccount && adAccount.utilPercent >= 100) waits.push(adAccount.resetTimeMs);

  return {
    maxPercent: Math.max(0, ...percents),
    regainAccessMs: Math.max(0, ...waits),
    businessUseCases,
    adAccount,
    app,
  };
}

function readJson(headers: Headers, name: string): unknown {
  const raw = headers.get(name);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function parseBusinessUseCases(value: unknown): BusinessUseCaseUsage[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([businessId, entries]) =>
    (Array.isArray(entries) ? entries : []).filter(isRecord).map((entry) => ({
      businessId,
      type: typeof entry.type === 'string' ? entry.type : 'unknown',
      callCount: toNumber(entry.call_count),
      totalCputime: toNumber(entry.total_cputime),
      totalTime: toNumber(entry.total_time),
      // Meta gives this one in minutes.
      regainAccessMs: toNumber(entry.estimated_time_to_regain_access) * 60_000,
    })),
  );
}

function parseAdAccount(value: unknown): AdAccountUsage | null {
  if (!isRecord(value)) return null;
  return {
    utilPercent: toNumber(value.acc_id_util_pct),
    // Meta gives this one in seconds.
    resetTimeMs: toNumber(value.reset_time_duration) * 1000,
  };
}

function parseApp(value: unknown): AppUsage | null {
  if (!isRecord(value)) return null;
  return {
    callCount: toNumber(value.call_count),
    totalCputime: toNumber(value.total_cputime),
    totalTime: toNumber(value.total_time),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toNumber(value: unknown): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : 0;
}
