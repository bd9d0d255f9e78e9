import { json, type CallContext, type Reply } from '../context.ts';
import { nonexistingFieldError, unknownObjectError } from '../errors.ts';
import { pageOf } from '../paging.ts';
import { readFields } from '../params.ts';
import type { EmulatorState } from '../state.ts';
import { createAudience, listAudiences } from './audiences.ts';

export const USER_NAME = 'Emulator User';
export const AD_ACCOUNT_NAME = 'Sourcesible Emulator Ad Account';
export const BUSINESS_NAME = 'Sourcesible Emulator Business';

/** `/me`, `/me/adaccounts`, `/me/permissions` (the user's own id works in place of `me`). */
export function meRoute(ctx: CallContext, edge: string | undefined): Reply {
  ctx.requireUser();
  if (ctx.request.method !== 'GET') throw unknownObjectError(ctx.request.method, 'me');

  if (edge === undefined) {
    const user: Record<string, string> = { id: ctx.state.config.userId, name: USER_NAME };
    const fields = readFields(ctx.params) ?? ['id', 'name'];
    return json(pick(user, fields, 'User'));
  }
  if (edge === 'permissions') return json({ data: ctx.state.grant.list() });
  if (edge === 'adaccounts') {
    ctx.requirePermission('ads_management', 'ads_read');
    const fields = readFields(ctx.params) ?? ['account_id', 'id'];
    return json(pageOf(ctx, [1], (position) => position, () => renderAccount(ctx.state, fields)));
  }
  throw nonexistingFieldError(edge, 'User');
}

/** `act_<id>` and its `customaudiences` edge. */
export function accountRoute(ctx: CallContext, node: string, edge: string | undefined): Reply {
  ctx.requireUser();
  const { method } = ctx.request;

  if (edge === 'customaudiences' && method === 'GET') return listAudiences(ctx, node);
  if (edge === 'customaudiences' && method === 'POST') return createAudience(ctx, node);
  if (edge === undefined && method === 'GET') {
    ctx.loadAccount(node);
    ctx.requirePermission('ads_management', 'ads_read');
    return json(renderAccount(ctx.state, readFields(ctx.params) ?? ['account_id', 'id']));
  }

  ctx.loadAccount(node);
  if (edge === undefined || edge === 'customaudiences') throw unknownObjectError(method, node);
  throw nonexistingFieldError(edge, 'AdAccount');
}

function renderAccount(state: EmulatorState, fields: readonly string[]): Record<string, unknown> {
  const { accountId, businessId } = state.config;
  const terms = state.termsAccepted ? { custom_audience_tos: 1 } : {};
  const account: Record<string, unknown> = {
    id: `act_${accountId}`,
    account_id: accountId,
    name: AD_ACCOUNT_NAME,
    account_status: 1,
    disable_reason: 0,
    currency: 'USD',
    timezone_name: 'Etc/UTC',
    business: { id: businessId, name: BUSINESS_NAME },
    owner: businessId,
    user_tasks: ['MANAGE', 'ADVERTISE', 'ANALYZE', 'DRAFT'],
    // Meta omits the key until the terms are accepted; an empty map reads the same way.
    tos_accepted: terms,
    user_tos_accepted: terms,
  };
  return pick(account, fields, 'AdAccount');
}

function pick(
  node: Record<string, unknown>,
  fields: readonly string[],
  nodeType: string,
): Record<string, unknown> {
  const picked: Record<string, unknown> = { id: node.id };
  for (const field of fields) {
    if (!(field in node)) throw nonexistingFieldError(field, nodeType);
    picked[field] = node[field];
  }
  return picked;
}
