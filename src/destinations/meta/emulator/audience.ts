import { nonexistingFieldError } from './errors.ts';
import type { Membership } from './membership.ts';
import type { UploadKind } from './rows.ts';

/** One customer-file custom audience and its members. */
export interface AudienceRecord {
  id: string;
  /** Numeric ad account id, without `act_`. */
  accountId: string;
  /** Creation order, for newest-first listing and cursors. */
  seq: number;
  name: string;
  description: string | undefined;
  subtype: 'CUSTOM';
  customerFileSource: string | undefined;
  retentionDays: number | undefined;
  isValueBased: boolean;
  optOutLink: string | undefined;
  audienceLabels: string[] | undefined;
  /** Unix seconds: creation, metadata change, membership change. */
  timeCreated: number;
  timeUpdated: number;
  timeContentUpdated: number;
  /** `ads_manager` for audiences made "by hand" through control.createAudienceDirectly. */
  origin: 'api' | 'ads_manager';
  flagged: boolean;
  /** Fixed by the first upload: multi-key files and single-key lists do not mix. */
  dataSource: UploadKind | null;
  /** Canonical keys of the last add or replace upload. */
  schemaKeys: string[];
  members: Membership;
  uploaded: boolean;
  replaceSessionId: string | null;
}

/** Below this many members Meta reports an audience as too small to deliver [emulator choice]. */
export const MIN_DELIVERABLE_SIZE = 100;

type FieldReader = (audience: AudienceRecord) => unknown;

const AUDIENCE_FIELDS: Readonly<Record<string, FieldReader>> = {
  id: (a) => a.id,
  account_id: (a) => a.accountId,
  name: (a) => a.name,
  description: (a) => a.description,
  subtype: (a) => a.subtype,
  customer_file_source: (a) => a.customerFileSource,
  // The emulator matches every valid row, so both bounds are the stored row count.
  approximate_count_lower_bound: (a) => a.members.size,
  approximate_count_upper_bound: (a) => a.members.size,
  data_source: (a) => ({
    type: a.dataSource ? 'FILE_IMPORTED' : 'UNKNOWN',
    sub_type: a.dataSource ?? 'ANYTHING',
    creation_params: '[]',
  }),
  delivery_status: deliveryStatus,
  operation_status: operationStatus,
  retention_days: (a) => a.retentionDays,
  is_value_based: (a) => a.isValueBased,
  time_created: (a) => a.timeCreated,
  time_updated: (a) => a.timeUpdated,
  time_content_updated: (a) => a.timeContentUpdated,
  opt_out_link: (a) => a.optOutLink,
  lookalike_audience_ids: () => [],
  permission_for_actions: () => ({
    can_edit: true,
    can_see_insight: true,
    can_share: true,
    subtype_supports_lookalike: true,
    supports_recipient_lookalike: false,
  }),
  sharing_status: () => ({ sharing_relationship_id: 0, status: 'NOT_SHARED' }),
};

function operationStatus(audience: AudienceRecord): { code: number; description: string } {
  if (audience.flagged) {
    const description = 'Restricted for an integrity policy; appeal in Audience Manager.';
    return { code: 471, description };
  }
  if (audience.replaceSessionId !== null) {
    return { code: 414, description: 'A replace of this audience is in progress.' };
  }
  if (!audience.uploaded) {
    return { code: 410, description: 'No customer list has been uploaded yet.' };
  }
  return { code: 200, description: 'Normal' };
}

function deliveryStatus(audience: AudienceRecord): { code: number; description: string } {
  if (audience.flagged) {
    return { code: 400, description: 'This audience cannot be used: it is restricted.' };
  }
  if (audience.members.size < MIN_DELIVERABLE_SIZE) {
    return { code: 300, description: 'This audience is too small to be used for ads.' };
  }
  return { code: 200, description: 'This audience is ready for use.' };
}

/** The requested fields of an audience; `id` always, absent values left out as Graph does. */
export function renderAudience(
  audience: AudienceRecord,
  fields: readonly string[],
): Record<string, unknown> {
  const rendered: Record<string, unknown> = { id: audience.id };
  for (const field of fields) {
    const read = AUDIENCE_FIELDS[field];
    if (!read) throw nonexistingFieldError(field, 'CustomAudience');
    const value = read(audience);
    if (value !== undefined) rendered[field] = value;
  }
  return rendered;
}

export const AUDIENCE_DEFAULT_FIELDS = ['id'];
export const AUDIENCE_READ_DEFAULT_FIELDS = ['id', 'name', 'subtype'];
