import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  expiredTokenError,
  invalidProofError,
  malformedTokenError,
  missingTokenError,
  revokedTokenError,
  type RevocationSubcode,
} from './errors.ts';
import type { Params } from './params.ts';

/** A user access token the emulator issued or was seeded with. */
export interface TokenRecord {
  token: string;
  type: 'USER';
  /** Milliseconds since the epoch. */
  issuedAt: number;
  /** Milliseconds since the epoch; null never expires (the seeded token). */
  expiresAt: number | null;
  /** Set by control.expireToken: expired from that moment whatever expiresAt says. */
  expiredAt: number | null;
  revokedSubcode: RevocationSubcode | null;
}

export type Principal = { kind: 'user'; record: TokenRecord } | { kind: 'app' };

/** Meta's figures: code-exchange tokens last about two hours, exchanged ones about 60 days. */
export const SHORT_LIVED_SECONDS = 2 * 60 * 60;
export const LONG_LIVED_SECONDS = 5_183_944;

export class TokenRegistry {
  #tokens = new Map<string, TokenRecord>();
  #issued = 0;
  readonly #appId: string;
  readonly #appSecret: string;
  readonly #clock: () => number;

  constructor(appId: string, appSecret: string, clock: () => number) {
    this.#appId = appId;
    this.#appSecret = appSecret;
    this.#clock = clock;
  }

  get appToken(): string {
    return `${this.#appId}|${this.#appSecret}`;
  }

  seed(token: string): TokenRecord {
    return this.#store(token, null);
  }

  /** A new user token; ids are sequential so test runs are reproducible. */
  issue(lifetimeSeconds: number): TokenRecord {
    this.#issued += 1;
    const token = `EAAEmulatorIssuedToken${String(this.#issued).padStart(14, '0')}`;
    return this.#store(token, this.#clock() + lifetimeSeconds * 1000);
  }

  find(token: string): TokenRecord | undefined {
    return this.#tokens.get(token);
  }

  /** Checks the token the way Graph does, first thing on every call; throws the 104/190 family. */
  authenticate(token: string | undefined, params: Params): Principal {
    if (token === undefined) throw missingTokenError();
    if (token === this.appToken) {
      assertAppSecretProof(params, token, this.#appSecret);
      return { kind: 'app' };
    }

    const record = this.#tokens.get(token);
    if (!record) throw malformedTokenError();
    this.assertUsable(record);
    assertAppSecretProof(params, token, this.#appSecret);
    return { kind: 'user', record };
  }

  assertUsable(record: TokenRecord): void {
    const now = this.#clock();
    if (record.revokedSubcode !== null) throw revokedTokenError(record.revokedSubcode);
    const expiredAt = record.expiredAt ?? record.expiresAt;
    if (expiredAt !== null && expiredAt <= now) throw expiredTokenError(expiredAt, now);
  }

  expire(token: string): void {
    this.#require(token).expiredAt = this.#clock() - 1000;
  }

  revoke(token: string, subcode: RevocationSubcode): void {
    this.#require(token).revokedSubcode = subcode;
  }

  #require(token: string): TokenRecord {
    const record = this.#tokens.get(token);
    if (!record) throw new Error('The emulator never issued that access token');
    return record;
  }

  #store(token: string, expiresAt: number | null): TokenRecord {
    const record: TokenRecord = {
      token,
      type: 'USER',
      issuedAt: this.#clock(),
      expiresAt,
      expiredAt: null,
      revokedSubcode: null,
    };
    this.#tokens.set(token, record);
    return record;
  }
}

/**
 * appsecret_proof is optional, but a wrong one is refused. Two forms exist: HMAC of the token
 * (Meta's "Securing Requests") and HMAC of `token|appsecret_time` (what RudderStack sends).
 */
export function assertAppSecretProof(params: Params, token: string, appSecret: string): void {
  const proof = params.appsecret_proof;
  if (proof === undefined || proof === '') return;
  if (typeof proof !== 'string') throw invalidProofError();

  const time = params.appsecret_time;
  const message = time === undefined || time === '' ? token : `${token}|${String(time)}`;
  const accepted = [appSecretProof(appSecret, message), appSecretProof(appSecret, token)];
  if (!accepted.some((expected) => sameHex(proof, expected))) throw invalidProofError();
}

export function appSecretProof(appSecret: string, message: string): string {
  return createHmac('sha256', appSecret).update(message).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase());
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The permissions the one emulated user has granted the app: a grant outlives its tokens. */
export class PermissionGrant {
  #statuses = new Map<string, 'granted' | 'declined'>();

  constructor(initial: readonly string[]) {
    for (const name of initial) this.#statuses.set(name, 'granted');
  }

  grant(names: readonly string[]): void {
    for (const name of names) this.#statuses.set(name, 'granted');
  }

  decline(name: string): void {
    this.#statuses.set(name, 'declined');
  }

  has(name: string): boolean {
    return this.#statuses.get(name) === 'granted';
  }

  granted(): string[] {
    return [...this.#statuses].filter(([, status]) => status === 'granted').map(([name]) => name);
  }

  list(): Array<{ permission: string; status: 'granted' | 'declined' }> {
    return [...this.#statuses].map(([permission, status]) => ({ permission, status }));
  }
}

export const DEFAULT_PERMISSIONS = [
  'ads_management',
  'ads_read',
  'business_management',
  'public_profile',
];
