import { LONG_LIVED_SECONDS, SHORT_LIVED_SECONDS, type TokenRecord } from '../auth.ts';
import { html, json, redirect, type CallContext, type Reply } from '../context.ts';
import { GraphError, invalidParameterError, malformedTokenError } from '../errors.ts';
import { loginDialogPage, problemPage, termsPage } from '../pages.ts';
import { readString, requireString } from '../params.ts';
import type { EmulatorState } from '../state.ts';
import { USER_NAME } from './account.ts';

export const APP_NAME = 'Sourcesible Emulator App';
const DEFAULT_SCOPES = ['ads_management', 'ads_read', 'business_management'];
const CODE_LIFETIME_MS = 10 * 60 * 1000;

/**
 * `GET /{version}/dialog/oauth`: the page a person sees at Meta's login dialog. Allow sends
 * the browser to redirect_uri with `code` and `state`; Cancel with `error=access_denied`.
 */
export function loginDialog(ctx: CallContext): Reply {
  const { params } = ctx;
  const clientId = readString(params, 'client_id');
  const redirectUri = readString(params, 'redirect_uri') ?? '';
  const state = readString(params, 'state');
  const responseType = readString(params, 'response_type');
  const problem = dialogProblem(ctx.state, clientId, redirectUri, responseType);
  if (problem) return html(problemPage('This login link is not valid', problem), 400);

  const scopes = requestedScopes(readString(params, 'scope'), readString(params, 'config_id'));
  const decision = readString(params, 'decision');
  if (ctx.request.method === 'GET' || decision === undefined) {
    return html(
      loginDialogPage({
        action: ctx.request.path,
        appName: APP_NAME,
        userName: USER_NAME,
        scopes,
        fields: {
          client_id: clientId,
          redirect_uri: redirectUri,
          state,
          scope: scopes.join(','),
          response_type: 'code',
        },
      }),
    );
  }

  const target = new URL(redirectUri);
  if (decision === 'allow') {
    const code = ctx.state.nextCode();
    ctx.state.codes.set(code, { redirectUri, scopes, createdAt: ctx.state.now(), used: false });
    target.searchParams.set('code', code);
  } else {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('error_code', '200');
    target.searchParams.set('error_description', 'Permissions error');
    target.searchParams.set('error_reason', 'user_denied');
  }
  if (state !== undefined) target.searchParams.set('state', state);
  return redirect(target.toString());
}

function dialogProblem(
  state: EmulatorState,
  clientId: string | undefined,
  redirectUri: string,
  responseType: string | undefined,
): string | null {
  if (clientId !== state.config.appId) {
    const given = clientId ?? '(missing)';
    return `client_id ${given} is not this emulator's app id ${state.config.appId}.`;
  }
  if (!URL.canParse(redirectUri) || !/^https?:$/.test(new URL(redirectUri).protocol)) {
    return 'redirect_uri must be an absolute http or https URL.';
  }
  if (responseType !== undefined && responseType !== 'code') {
    return `response_type ${responseType} is not supported here; use response_type=code.`;
  }
  return null;
}

/** Login for Business sends config_id instead of scope; its configuration grants ads access. */
function requestedScopes(scope: string | undefined, configId: string | undefined): string[] {
  const asked = (scope ?? '').split(/[\s,]+/).filter(Boolean);
  const scopes = asked.length > 0 && configId === undefined ? asked : DEFAULT_SCOPES;
  return [...new Set([...scopes, 'public_profile'])];
}

/**
 * `/oauth/access_token`: a dialog code for a short-lived token, `fb_exchange_token` for a
 * long-lived one, or `client_credentials` for the app token.
 */
export function exchangeToken(ctx: CallContext): Reply {
  const { params, state } = ctx;
  const clientId = requireString(params, 'client_id');
  if (clientId !== state.config.appId) {
    const message = 'Error validating application. Invalid application ID.';
    throw new GraphError({ code: 101, message, prefixed: false });
  }
  // Meta answers a wrong secret with code 1, which is otherwise its "unknown error".
  if (readString(params, 'client_secret') !== state.config.appSecret) {
    const message = 'Error validating client secret.';
    throw new GraphError({ code: 1, status: 400, message, prefixed: false });
  }

  const grantType = readString(params, 'grant_type');
  if (grantType === 'client_credentials') {
    return json({ access_token: state.tokens.appToken, token_type: 'bearer' });
  }
  if (grantType === 'fb_exchange_token') {
    const current = state.tokens.find(requireString(params, 'fb_exchange_token'));
    if (!current) throw malformedTokenError();
    state.tokens.assertUsable(current);
    return tokenReply(state.tokens.issue(LONG_LIVED_SECONDS), LONG_LIVED_SECONDS);
  }

  const code = state.codes.get(requireString(params, 'code'));
  if (!code) throw invalidParameterError('Invalid verification code format.');
  if (code.used) {
    const message = 'This authorization code has been used.';
    throw new GraphError({ code: 100, subcode: 36009, message });
  }
  if (state.now() - code.createdAt > CODE_LIFETIME_MS) {
    const message = 'This authorization code has expired.';
    throw new GraphError({ code: 100, subcode: 36007, message });
  }
  if ((readString(params, 'redirect_uri') ?? '') !== code.redirectUri) {
    throw new GraphError({
      code: 100,
      subcode: 36008,
      message:
        'Error validating verification code. Make sure redirect_uri is identical to the one ' +
        'sent to the login dialog.',
    });
  }

  code.used = true;
  state.grant.grant(code.scopes);
  return tokenReply(state.tokens.issue(SHORT_LIVED_SECONDS), SHORT_LIVED_SECONDS);
}

function tokenReply(record: TokenRecord, lifetimeSeconds: number): Reply {
  return json({ access_token: record.token, token_type: 'bearer', expires_in: lifetimeSeconds });
}

/** `GET /debug_token?input_token=`: what a token is, whose it is, and whether it still works. */
export function debugToken(ctx: CallContext): Reply {
  ctx.authenticate();
  const { state } = ctx;
  const input = requireString(ctx.params, 'input_token');
  const app = { app_id: state.config.appId, application: APP_NAME };
  if (input === state.tokens.appToken) {
    return json({ data: { ...app, type: 'APP', is_valid: true, scopes: [] } });
  }

  const record = state.tokens.find(input);
  if (!record) {
    const error = { code: 190, message: 'Invalid OAuth access token.' };
    return json({ data: { error, is_valid: false, scopes: [] } });
  }

  let error: { code: number; message: string; subcode?: number } | undefined;
  try {
    state.tokens.assertUsable(record);
  } catch (problem) {
    if (!(problem instanceof GraphError)) throw problem;
    error = { code: problem.code, message: problem.message, subcode: problem.subcode };
  }

  const seconds = (ms: number) => Math.floor(ms / 1000);
  const scopes = state.grant.granted();
  const targets: Record<string, string[]> = {
    ads_management: [state.config.accountId],
    ads_read: [state.config.accountId],
    business_management: [state.config.businessId],
  };
  return json({
    data: {
      ...app,
      type: record.type,
      data_access_expires_at: seconds(record.issuedAt) + 90 * 24 * 60 * 60,
      expires_at: record.expiresAt === null ? 0 : seconds(record.expiresAt),
      is_valid: error === undefined,
      issued_at: seconds(record.issuedAt),
      scopes,
      granular_scopes: scopes
        .filter((scope) => targets[scope])
        .map((scope) => ({ scope, target_ids: targets[scope] })),
      user_id: state.config.userId,
      ...(error ? { error } : {}),
    },
  });
}

/** The page Meta's terms link leads to; accepting there is what setTermsAccepted(true) does. */
export function customAudienceTerms(ctx: CallContext): Reply {
  const account = readString(ctx.params, 'act');
  if (account !== ctx.state.config.accountId) {
    const detail = `act=${account ?? ''} is not this emulator's ad account.`;
    return html(problemPage('Unknown ad account', detail), 400);
  }
  const action = `${ctx.request.path}?act=${account}`;
  if (ctx.request.method === 'POST' && readString(ctx.params, 'decision') === 'accept') {
    ctx.state.termsAccepted = true;
    return html(termsPage(action, account, true));
  }
  return html(termsPage(action, account, ctx.state.termsAccepted));
}
