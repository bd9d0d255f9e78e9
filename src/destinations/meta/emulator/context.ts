import type { AudienceRecord } from './audience.ts';
import type { Principal, TokenRecord } from './auth.ts';
import {
  appTokenNotAllowedError,
  missingPermissionError,
  termsNotAcceptedError,
  unknownObjectError,
} from './errors.ts';
import type { GraphRequest } from './request.ts';
import type { EmulatorState } from './state.ts';

/** What a handler answers; the server adds nothing but the trace id of errors. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function json(value: unknown, status = 200): Reply {
  const headers = { 'content-type': 'application/json; charset=UTF-8' };
  return { status, headers, body: JSON.stringify(value) };
}

export function html(markup: string, status = 200): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: markup };
}

export function redirect(location: string): Reply {
  return { status: 302, headers: { location }, body: '' };
}

/**
 * One Graph call being handled. Its checks run in Meta's order, each handler calling them in
 * turn: token, then the object, then permission, then terms; the payload comes last.
 */
export class CallContext {
  readonly state: EmulatorState;
  readonly request: GraphRequest;
  /** Headers every answer to this call carries, errors included (usage, WWW-Authenticate). */
  readonly headers: Record<string, string> = {};
  #principal: Principal | undefined;

  constructor(state: EmulatorState, request: GraphRequest) {
    this.state = state;
    this.request = request;
  }

  get params(): Record<string, unknown> {
    return this.request.params;
  }

  authenticate(): Principal {
    this.#principal ??= this.state.tokens.authenticate(this.request.accessToken, this.params);
    return this.#principal;
  }

  requireUser(): TokenRecord {
    const principal = this.authenticate();
    if (principal.kind !== 'user') throw appTokenNotAllowedError();
    return principal.record;
  }

  /** Passes when the user granted any one of the named permissions. */
  requirePermission(...anyOf: string[]): void {
    if (anyOf.some((name) => this.state.grant.has(name))) return;
    throw missingPermissionError(anyOf[0] as string);
  }

  requireTerms(): void {
    if (this.state.termsAccepted) return;
    throw termsNotAcceptedError(this.state.config.accountId, this.state.termsUrl);
  }

  /** The ad account named `act_<id>` in the path, or 100/33 for any other. */
  loadAccount(node: string): string {
    const { accountId } = this.state.config;
    if (node !== `act_${accountId}`) throw unknownObjectError(this.request.method, node);
    this.#spendUsage(accountId);
    return accountId;
  }

  loadAudience(id: string): AudienceRecord {
    const audience = this.state.findAudience(id);
    if (!audience) throw unknownObjectError(this.request.method, id);
    this.#spendUsage(audience.accountId);
    return audience;
  }

  #spendUsage(accountId: string): void {
    try {
      this.state.usage.spend();
    } finally {
      Object.assign(this.headers, this.state.usage.headers(accountId));
    }
  }
}
