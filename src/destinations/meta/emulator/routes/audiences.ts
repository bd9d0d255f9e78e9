import { AUDIENCE_DEFAULT_FIELDS, renderAudience, type AudienceRecord } from '../audience.ts';
import { json, type CallContext, type Reply } from '../context.ts';
import {
  audienceLimitError,
  flaggedEditError,
  invalidParameterError,
  nonexistingFieldError,
  unknownObjectError,
} from '../errors.ts';
import { pageOf } from '../paging.ts';
import {
  readBoolean,
  readFields,
  readInteger,
  readJson,
  readString,
  requireString,
} from '../params.ts';
import { MAX_CUSTOM_AUDIENCES } from '../state.ts';
import { readFilters } from './filtering.ts';
import { listSessions } from './sessions.ts';
import { uploadReplace, uploadUsers } from './uploads.ts';

const CUSTOMER_FILE_SOURCES = [
  'USER_PROVIDED_ONLY',
  'PARTNER_PROVIDED_ONLY',
  'BOTH_USER_AND_PARTNER_PROVIDED',
];
const AUDIENCE_LABELS = [
  'QUALIFIED_LEADS', 'DISQUALIFIED_LEADS', 'APP_USERS', 'TRIAL_USERS', 'ENGAGED_USERS',
  'HIGH_VALUE_CUSTOMERS', 'LOW_VALUE_CUSTOMERS', 'AT_RISK', 'DISENGAGED', 'CUSTOMERS',
];

/** `/{audience_id}` and its edges `users`, `usersreplace`, `sessions`. */
export function audienceRoute(ctx: CallContext, id: string, edge: string | undefined): Reply {
  ctx.requireUser();
  const { method } = ctx.request;

  if (edge === undefined && method === 'GET') return readAudience(ctx, id);
  if (edge === undefined && method === 'POST') return updateAudience(ctx, id);
  if (edge === undefined && method === 'DELETE') return deleteAudience(ctx, id);
  if (edge === 'users' && method === 'POST') return uploadUsers(ctx, id, 'add');
  if (edge === 'users' && method === 'DELETE') return uploadUsers(ctx, id, 'remove');
  if (edge === 'usersreplace' && method === 'POST') return uploadReplace(ctx, id);
  if (edge === 'sessions' && method === 'GET') return listSessions(ctx, id);

  ctx.loadAudience(id);
  if (edge === undefined || ['users', 'usersreplace', 'sessions'].includes(edge)) {
    throw unknownObjectError(method, id);
  }
  throw nonexistingFieldError(edge, 'CustomAudience');
}

export function listAudiences(ctx: CallContext, node: string): Reply {
  ctx.loadAccount(node);
  ctx.requirePermission('ads_management', 'ads_read');

  const fields = readFields(ctx.params) ?? AUDIENCE_DEFAULT_FIELDS;
  const filters = readFilters(ctx.params);
  const audiences = ctx.state
    .listAudiences()
    .filter((audience) => filters.every((test) => test(audience)));
  const page = pageOf(
    ctx,
    audiences,
    (audience) => audience.seq,
    (audience) => renderAudience(audience, fields),
  );
  return json(page);
}

export function createAudience(ctx: CallContext, node: string): Reply {
  ctx.loadAccount(node);
  ctx.requirePermission('ads_management');
  ctx.requireTerms();

  const { params } = ctx;
  const name = requireString(params, 'name');
  const subtype = readString(params, 'subtype') ?? 'CUSTOM';
  if (subtype !== 'CUSTOM') {
    throw invalidParameterError(
      `The emulator creates customer-file audiences only (subtype CUSTOM), not ${subtype}`,
    );
  }
  const existing = readBoolean(params, 'enable_fetch_or_create')
    ? ctx.state.listAudiences().find((audience) => audience.name === name)
    : undefined;
  if (existing) return json({ id: existing.id });

  const fields = {
    name,
    description: readString(params, 'description'),
    customerFileSource: readCustomerFileSource(params),
    retentionDays: readRetentionDays(params),
    isValueBased: readBoolean(params, 'is_value_based') ?? false,
    optOutLink: readString(params, 'opt_out_link'),
    audienceLabels: readAudienceLabels(params),
  };
  if (ctx.state.audiences.size >= MAX_CUSTOM_AUDIENCES) {
    throw audienceLimitError(MAX_CUSTOM_AUDIENCES);
  }
  const audience = ctx.state.createAudience({ ...fields, origin: 'api' });
  return json({ id: audience.id });
}

function readAudience(ctx: CallContext, id: string): Reply {
  const audience = ctx.loadAudience(id);
  ctx.requirePermission('ads_management', 'ads_read');
  return json(renderAudience(audience, readFields(ctx.params) ?? AUDIENCE_DEFAULT_FIELDS));
}

function updateAudience(ctx: CallContext, id: string): Reply {
  const audience = ctx.loadAudience(id);
  ctx.requirePermission('ads_management');
  if (audience.flagged) throw flaggedEditError();

  const { params } = ctx;
  const name = readString(params, 'name');
  if (name === '') throw invalidParameterError('Param name must not be empty');
  const changes: Partial<AudienceRecord> = {
    name,
    description: readString(params, 'description'),
    customerFileSource: readCustomerFileSource(params),
    retentionDays: readRetentionDays(params),
    optOutLink: readString(params, 'opt_out_link'),
    audienceLabels: readAudienceLabels(params),
  };
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) Object.assign(audience, { [key]: value });
  }
  audience.timeUpdated = ctx.state.nowSeconds();
  return json({ success: true });
}

function deleteAudience(ctx: CallContext, id: string): Reply {
  ctx.loadAudience(id);
  ctx.requirePermission('ads_management');
  ctx.state.deleteAudience(id);
  return json({ success: true });
}

function readCustomerFileSource(params: Record<string, unknown>): string | undefined {
  const source = readString(params, 'customer_file_source');
  if (source !== undefined && !CUSTOMER_FILE_SOURCES.includes(source)) {
    throw invalidParameterError(
      `Param customer_file_source must be one of ${CUSTOMER_FILE_SOURCES.join(', ')}`,
    );
  }
  return source;
}

function readRetentionDays(params: Record<string, unknown>): number | undefined {
  const days = readInteger(params, 'retention_days');
  if (days !== undefined && (days < 1 || days > 180)) {
    throw invalidParameterError('Param retention_days must be between 1 and 180');
  }
  return days;
}

function readAudienceLabels(params: Record<string, unknown>): string[] | undefined {
  const labels = readJson(params, 'audience_labels');
  if (labels === undefined) return undefined;
  const known = Array.isArray(labels) && labels.every((label) => AUDIENCE_LABELS.includes(label));
  if (!known) {
    throw invalidParameterError(
      `Param audience_labels must be an array of ${AUDIENCE_LABELS.join(', ')}`,
    );
  }
  return labels as string[];
}
