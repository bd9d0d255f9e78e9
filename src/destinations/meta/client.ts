import { setTimeout as delay } from 'node:timers/promises';
import type { z } from 'zod';
import { silentLogger, type Logger } from '../../log.ts';
import {
  GraphApiError,
  makeUnexpectedResponseError,
  parseGraphError,
  parseNetworkError,
} from './errors.ts';
import { makeAppSecretProof } from './proof.ts';
import { parseUsageHeaders, type UsageSnapshot } from './usage.ts';
import {
  AccessTokenResponse,
  AdAccount,
  CreateAudienceResponse,
  CustomAudience,
  DebugTokenResponse,
  GraphUser,
  MAX_ROWS_PER_REQUEST,
  Permission,
  SuccessResponse,
  UsersResponse,
  makeListResponse,
  type CreateAudienceFields,
  type CreateAudienceRequest,
  type DebugTokenData,
  type UploadSession,
  type UsersPayload,
} from './wire.ts';

export interface GraphClientOptions {
  /** e.g. `https://graph.facebook.com`, or the emulator's address. */
  baseUrl: string;
  /** e.g. `v25.0`. */
  apiVersion: string;
  /** May be empty for a client used only for the OAuth code exchange. */
  accessToken: string;
  /** When set, every call carries appsecret_proof for the token it sends. */
  appSecret?: string | null;
  /** The connected ad account, so a Terms of Service error links to the right page. */
  adAccountId?: string | null;
  fetch?: typeof fetch;
  log?: Logger;
  /** Attempts per call, the first included. Default 5. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Per attempt, connection to last body byte. Default 60 s. */
  timeoutMs?: number;
  /**
   * Longest wait the client sits through for a `retry_later` (throttling). A
   * longer one is thrown at once so the caller can reschedule instead of
   * holding a worker. Default 60 s.
   */
  maxRetryAfterMs?: number;
}

export interface ListCustomAudiencesOptions {
  /** Page size. Default 20: Meta answers large pages with "reduce the amount of data". */
  limit?: number;
  after?: string;
  fields?: string[];
  /** Meta-side filter: names containing this text. */
  nameFilter?: string;
}

export interface CustomAudiencePage {
  data: CustomAudience[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export const CUSTOM_AUDIENCE_FIELDS = [
  'id',
  'account_id',
  'name',
  'description',
  'subtype',
  'customer_file_source',
  'approximate_count_lower_bound',
  'approximate_count_upper_bound',
  'data_source',
  'delivery_status',
  'operation_status',
  'time_created',
  'time_content_updated',
];

type Method = 'GET' | 'POST' | 'DELETE';
type Params = Record<string, unknown>;

interface GraphRequest {
  method: Method;
  /** Below the version, e.g. `/act_1/customaudiences`. */
  path: string;
  params?: Params;
  /** Token to send; defaults to the client's, null sends none (OAuth exchange). */
  token?: string | null;
  /** False for calls that must not be repeated when they may already have reached Meta. */
  retryAmbiguous?: boolean;
  /** Only a throttled call (which never ran) is repeated: any other failure may have acted. */
  retryOnlyThrottled?: boolean;
  adAccountId?: string;
}

const ListCustomAudiencesResponse = makeListResponse(CustomAudience);
const ListPermissionsResponse = makeListResponse(Permission);
const ListAdAccountsResponse = makeListResponse(AdAccount);

const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The Meta Graph API, for customer-file Custom Audiences and the login around
 * them (meta-graph-api.md §3, §7). Every failure is thrown as a GraphApiError.
 *
 * Token placement: the access token and appsecret_proof travel in the JSON
 * body of POST and DELETE, and in the query string only for GET, which has no
 * body. Query strings end up in proxy and access logs; bodies do not. The
 * client itself logs method, path without query, status, duration and code.
 *
 * Retries: `retry` errors are repeated with exponential backoff and jitter,
 * `retry_later` errors after Meta's announced wait when it is at most
 * maxRetryAfterMs, up to maxAttempts in all; then the error is thrown.
 *
 * @example
 * const client = new GraphClient({
 *   baseUrl: 'https://graph.facebook.com',
 *   apiVersion: 'v25.0',
 *   accessToken,
 * });
 * const { id } = await client.createCustomAudience('act_123', { name: 'Students' });
 */
export class GraphClient {
  #baseUrl: string;
  #apiVersion: string;
  #accessToken: string;
  #appSecret: string | null;
  #adAccountId: string | null;
  #fetch: typeof fetch;
  #log: Logger;
  #maxAttempts: number;
  #sleep: (ms: number) => Promise<void>;
  #timeoutMs: number;
  #maxRetryAfterMs: number;
  #usage: UsageSnapshot | null = null;

  constructor(options: GraphClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiVersion = options.apiVersion;
    this.#accessToken = options.accessToken;
    this.#appSecret = options.appSecret ?? null;
    this.#adAccountId = options.adAccountId ?? null;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#log = options.log ?? silentLogger;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  }

  /** Rate-limit usage from the last response that carried usage headers. */
  get usage(): UsageSnapshot | null {
    return this.#usage;
  }

  /**
   * Creates an empty customer-file audience. Not repeated after an ambiguous
   * failure (lost connection, timeout, Meta's unknown error): the request may
   * have created the audience, and a second one would duplicate it. The caller
   * looks the name up with findCustomAudienceByName before creating again.
   * customer_file_source defaults to USER_PROVIDED_ONLY: our customers gave us their data.
   */
  async createCustomAudience(
    adAccountId: string,
    fields: CreateAudienceFields,
  ): Promise<CreateAudienceResponse> {
    const body: CreateAudienceRequest = {
      name: fields.name,
      subtype: 'CUSTOM',
      customer_file_source: fields.customer_file_source ?? 'USER_PROVIDED_ONLY',
      ...(fields.description === undefined ? {} : { description: fields.description }),
    };
    const path = `/${toAdAccountNode(adAccountId)}/customaudiences`;
    const request: GraphRequest = {
      method: 'POST',
      path,
      params: { ...body },
      retryAmbiguous: false,
      // Meta has answered 2654 or 803 to creates it had carried out: the caller looks first.
      retryOnlyThrottled: true,
      adAccountId,
    };
    return this.#call(request, CreateAudienceResponse);
  }

  async listCustomAudiences(
    adAccountId: string,
    options: ListCustomAudiencesOptions = {},
  ): Promise<CustomAudiencePage> {
    const params: Params = {
      fields: (options.fields ?? CUSTOM_AUDIENCE_FIELDS).join(','),
      limit: options.limit ?? 20,
      after: options.after,
      filtering: options.nameFilter
        ? [{ field: 'name', operator: 'CONTAIN', value: options.nameFilter }]
        : undefined,
    };
    const path = `/${toAdAccountNode(adAccountId)}/customaudiences`;
    const request: GraphRequest = { method: 'GET', path, params, adAccountId };
    const page = await this.#call(request, ListCustomAudiencesResponse);

    // Meta sends cursors on the last page too; only `next` says another page exists.
    const nextCursor = page.paging?.next ? (page.paging.cursors?.after ?? null) : null;
    return { data: page.data, nextCursor };
  }

  /** Every audience of the ad account, page after page. */
  async *iterateCustomAudiences(
    adAccountId: string,
    options: Omit<ListCustomAudiencesOptions, 'after'> = {},
  ): AsyncGenerator<CustomAudience> {
    let after: string | undefined;
    do {
      const page = await this.listCustomAudiences(adAccountId, { ...options, after });
      yield* page.data;
      after = page.nextCursor ?? undefined;
    } while (after);
  }

  /**
   * The audience with exactly this name, or null. Names are not unique at Meta;
   * among several the newest wins, which after an ambiguous create is ours.
   */
  async findCustomAudienceByName(
    adAccountId: string,
    name: string,
  ): Promise<CustomAudience | null> {
    let found: CustomAudience | null = null;
    for await (const audience of this.iterateCustomAudiences(adAccountId, { nameFilter: name })) {
      if (audience.name !== name) continue;
      if (!found || (audience.time_created ?? 0) > (found.time_created ?? 0)) found = audience;
    }
    return found;
  }

  async getCustomAudience(
    id: string,
    fields: string[] = CUSTOM_AUDIENCE_FIELDS,
  ): Promise<CustomAudience> {
    const params = { fields: fields.join(',') };
    return this.#call({ method: 'GET', path: `/${encodeNode(id)}`, params }, CustomAudience);
  }

  /** Permanent at Meta. A second delete answers target_gone / audience_not_found. */
  async deleteCustomAudience(id: string): Promise<SuccessResponse> {
    return this.#call({ method: 'DELETE', path: `/${encodeNode(id)}` }, SuccessResponse);
  }

  /** Adds up to 10,000 rows; repeating an add is harmless, so every failure may be retried. */
  async addUsers(
    audienceId: string,
    payload: UsersPayload,
    session: UploadSession,
  ): Promise<UsersResponse> {
    assertUsersPayload(payload);
    const path = `/${encodeNode(audienceId)}/users`;
    return this.#call({ method: 'POST', path, params: { payload, session } }, UsersResponse);
  }

  /** Removes up to 10,000 rows, identified exactly as they were added. */
  async removeUsers(
    audienceId: string,
    payload: UsersPayload,
    session: UploadSession,
  ): Promise<UsersResponse> {
    assertUsersPayload(payload);
    const path = `/${encodeNode(audienceId)}/users`;
    return this.#call({ method: 'DELETE', path, params: { payload, session } }, UsersResponse);
  }

  /**
   * One batch of a full replace (§3.8). Batch 1 opens the replace session and
   * Meta forbids sending it twice, so it is not repeated after an ambiguous
   * failure; later batches may be.
   */
  async replaceUsers(
    audienceId: string,
    payload: UsersPayload,
    session: UploadSession,
  ): Promise<UsersResponse> {
    assertUsersPayload(payload);
    const path = `/${encodeNode(audienceId)}/usersreplace`;
    const retryAmbiguous = session.batch_seq !== 1;
    const params = { payload, session };
    return this.#call({ method: 'POST', path, params, retryAmbiguous }, UsersResponse);
  }

  /** e.g. fields `['id', 'name', 'account_status', 'tos_accepted']`. */
  async getAdAccount(adAccountId: string, fields: string[]): Promise<AdAccount> {
    const path = `/${toAdAccountNode(adAccountId)}`;
    const params = { fields: fields.join(',') };
    return this.#call({ method: 'GET', path, params, adAccountId }, AdAccount);
  }

  /** The ad accounts the token's user can reach (§7), first page of up to 100; Facebook Login's choice. */
  async listAdAccounts(fields = ['id', 'account_id', 'name', 'account_status']): Promise<AdAccount[]> {
    const params = { fields: fields.join(','), limit: 100 };
    const list = await this.#call({ method: 'GET', path: '/me/adaccounts', params }, ListAdAccountsResponse);
    return list.data;
  }

  async getMe(): Promise<GraphUser> {
    return this.#call({ method: 'GET', path: '/me', params: { fields: 'id,name' } }, GraphUser);
  }

  async getPermissions(): Promise<Permission[]> {
    const request: GraphRequest = { method: 'GET', path: '/me/permissions' };
    const list = await this.#call(request, ListPermissionsResponse);
    return list.data;
  }

  /** Inspects `inputToken` with the app's token (`<app_id>|<app_secret>`). */
  async debugToken(inputToken: string, appAccessToken: string): Promise<DebugTokenData> {
    const params = { input_token: inputToken };
    const token = appAccessToken;
    const request: GraphRequest = { method: 'GET', path: '/debug_token', params, token };
    return (await this.#call(request, DebugTokenResponse)).data;
  }

  /** Trades the login dialog's code for a user token. A code works once, so no blind retry. */
  async exchangeCode(input: {
    appId: string;
    appSecret: string;
    redirectUri: string;
    code: string;
  }): Promise<AccessTokenResponse> {
    const params = {
      client_id: input.appId,
      redirect_uri: input.redirectUri,
      client_secret: input.appSecret,
      code: input.code,
    };
    const request: GraphRequest = {
      method: 'GET',
      path: '/oauth/access_token',
      params,
      token: null,
      retryAmbiguous: false,
    };
    return this.#call(request, AccessTokenResponse);
  }

  /** Trades a short-lived user token for one of about 60 days. */
  async exchangeForLongLivedToken(input: {
    appId: string;
    appSecret: string;
    token: string;
  }): Promise<AccessTokenResponse> {
    const params = {
      grant_type: 'fb_exchange_token',
      client_id: input.appId,
      client_secret: input.appSecret,
      fb_exchange_token: input.token,
    };
    const path = '/oauth/access_token';
    const request: GraphRequest = { method: 'GET', path, params, token: null };
    return this.#call(request, AccessTokenResponse);
  }

  async #call<S extends z.ZodType>(request: GraphRequest, schema: S): Promise<z.output<S>> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const result = await this.#attempt(request, schema);
        this.#logRequest(request, started, attempt, { status: result.status });
        return result.value;
      } catch (error) {
        if (!(error instanceof GraphApiError)) throw error;

        const waitMs = this.#waitBeforeRetry(error, attempt, request);
        this.#logRequest(request, started, attempt, {
          status: error.httpStatus,
          code: error.code,
          subcode: error.subcode,
          reason: error.reason,
          retryInMs: waitMs,
        });
        if (waitMs === null) throw error;
        await this.#sleep(waitMs);
      }
    }
  }

  async #attempt<S extends z.ZodType>(
    request: GraphRequest,
    schema: S,
  ): Promise<{ value: z.output<S>; status: number }> {
    const { url, init } = this.#build(request);
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw parseNetworkError(error);
    }

    this.#usage = parseUsageHeaders(response.headers) ?? this.#usage;
    const json = parseJson(text);
    const isGraphError = typeof json === 'object' && json !== null && 'error' in json;
    if (!response.ok || isGraphError) {
      const adAccountId = request.adAccountId ?? this.#adAccountId;
      const context = { path: new URL(url).pathname, adAccountId };
      throw parseGraphError(response.status, json ?? text, response.headers, context);
    }

    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      // Paths only: values could be anything Meta sent back.
      const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
      throw makeUnexpectedResponseError(response.status, `invalid at ${where}`);
    }
    return { value: parsed.data, status: response.status };
  }

  #build(request: GraphRequest): { url: string; init: RequestInit } {
    const token = request.token === undefined ? this.#accessToken : request.token;
    const auth: Params = {};
    if (token) auth.access_token = token;
    if (token && this.#appSecret) auth.appsecret_proof = makeAppSecretProof(this.#appSecret, token);

    const url = new URL(`${this.#baseUrl}/${this.#apiVersion}${request.path}`);
    if (request.method === 'GET') {
      for (const [key, value] of Object.entries({ ...request.params, ...auth })) {
        if (value === undefined) continue;
        const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
        url.searchParams.set(key, text);
      }
      return { url: url.toString(), init: { method: 'GET' } };
    }

    const body = JSON.stringify({ ...request.params, ...auth });
    const headers = { 'content-type': 'application/json' };
    return { url: url.toString(), init: { method: request.method, headers, body } };
  }

  #waitBeforeRetry(error: GraphApiError, attempt: number, request: GraphRequest): number | null {
    if (attempt >= this.#maxAttempts) return null;

    if (error.action === 'retry') {
      if (request.retryOnlyThrottled) return null;
      if (error.ambiguous && request.retryAmbiguous === false) return null;
      const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
      // Equal jitter: at least half the ceiling, so retries from many workers spread out.
      return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    }
    if (error.action === 'retry_later' && error.retryAfterMs !== null) {
      return error.retryAfterMs <= this.#maxRetryAfterMs ? error.retryAfterMs : null;
    }
    return null;
  }

  #logRequest(request: GraphRequest, started: number, attempt: number, fields: Params): void {
    const durationMs = Math.round(performance.now() - started);
    const path = `/${this.#apiVersion}${request.path}`;
    const entry = { method: request.method, path, durationMs, attempt, ...fields };
    if (fields.reason === undefined) this.#log.debug(entry, 'Meta request succeeded');
    else this.#log.warn(entry, 'Meta request failed');
  }
}

/** `act_123` from `123` or `act_123`. */
export function toAdAccountNode(adAccountId: string): string {
  return `act_${encodeNode(adAccountId.replace(/^act_/, ''))}`;
}

function encodeNode(id: string): string {
  if (!id) throw new TypeError('A Graph object id is required; got an empty string.');
  return encodeURIComponent(id);
}

/** Programming errors: the sync engine splits batches and shapes rows before calling. */
function assertUsersPayload(payload: UsersPayload): void {
  if (payload.data.length > MAX_ROWS_PER_REQUEST) {
    throw new RangeError(
      `A users request takes at most ${MAX_ROWS_PER_REQUEST} rows; got ${payload.data.length}. Split the batch before calling.`,
    );
  }
  const width = payload.schema.length;
  if (width === 0) throw new RangeError('A users payload needs at least one schema key.');
  const bad = payload.data.findIndex((row) => row.length !== width);
  if (bad >= 0) {
    throw new RangeError(
      `Row ${bad} of a users payload has ${payload.data[bad]?.length} cells for ${width} schema keys; send "" for an unknown key.`,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
