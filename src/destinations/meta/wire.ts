import { z } from 'zod';

/**
 * Shapes that travel to and from the Meta Graph API, named after the wire
 * (meta-graph-api.md §3, §6, §7). snake_case stays inside this file; the rest of
 * the codebase reads these through the client. Response schemas keep only the
 * fields we use and drop the rest, so a new Graph field never breaks a parse.
 */

/** Meta answers at most 10,000 rows per /users or /usersreplace request (§3.6). */
export const MAX_ROWS_PER_REQUEST = 10_000;

export type CustomerFileSource =
  | 'USER_PROVIDED_ONLY'
  | 'PARTNER_PROVIDED_ONLY'
  | 'BOTH_USER_AND_PARTNER_PROVIDED';

/** Body of POST /act_{id}/customaudiences for a customer-file audience (§3.1). */
export interface CreateAudienceRequest {
  name: string;
  subtype: 'CUSTOM';
  description?: string;
  customer_file_source?: CustomerFileSource;
}

/** What a caller chooses when creating an audience; the client fixes `subtype`. */
export type CreateAudienceFields = Omit<CreateAudienceRequest, 'subtype'>;

export const CreateAudienceResponse = z.object({ id: z.string() });
export type CreateAudienceResponse = z.infer<typeof CreateAudienceResponse>;

const StatusCode = z.object({ code: z.number(), description: z.string().optional() });

export const CustomAudience = z.object({
  id: z.string(),
  account_id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  subtype: z.string().optional(),
  customer_file_source: z.string().optional(),
  approximate_count_lower_bound: z.number().optional(),
  approximate_count_upper_bound: z.number().optional(),
  data_source: z
    .object({ type: z.string().optional(), sub_type: z.string().optional() })
    .optional(),
  delivery_status: StatusCode.optional(),
  operation_status: StatusCode.optional(),
  retention_days: z.number().optional(),
  is_value_based: z.boolean().optional(),
  time_created: z.number().optional(),
  time_updated: z.number().optional(),
  time_content_updated: z.number().optional(),
});
export type CustomAudience = z.infer<typeof CustomAudience>;

/**
 * The `payload` of /users and /usersreplace: one hashed (or raw MADID /
 * EXTERN_ID) cell per schema key in every row, "" for an unknown key (§3.10).
 */
export interface UsersPayload {
  schema: string[];
  data: string[][];
  is_raw?: boolean;
  data_source?: { type?: string; sub_type?: string };
}

/**
 * The `session` of /users and /usersreplace (§3.8). session_id is a positive
 * int64 chosen by us; keep it below 2^53 so it survives JSON in JavaScript.
 */
export interface UploadSession {
  session_id: number;
  batch_seq: number;
  last_batch_flag: boolean;
  estimated_num_total?: number;
}

/** Graph answers ids as numeric strings in some places and numbers in others. */
const NumericId = z.union([z.string(), z.number()]).transform(String);

/** Response of /users (audience_id) and /usersreplace (account_id in the guide). */
export const UsersResponse = z.object({
  audience_id: NumericId.optional(),
  account_id: NumericId.optional(),
  session_id: NumericId.optional(),
  num_received: z.number().default(0),
  num_invalid_entries: z.number().default(0),
  invalid_entry_samples: z
    .union([z.array(z.string()), z.record(z.string(), z.string())])
    .optional(),
});
export type UsersResponse = z.infer<typeof UsersResponse>;

export const SuccessResponse = z.object({ success: z.boolean() });
export type SuccessResponse = z.infer<typeof SuccessResponse>;

/** The `error` object of every failed Graph call (§6). */
export const GraphErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.coerce.number().optional(),
    error_subcode: z.coerce.number().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    fbtrace_id: z.string().optional(),
    is_transient: z.boolean().optional(),
  }),
});
export type GraphErrorBody = z.infer<typeof GraphErrorBody>;

export const Paging = z.object({
  cursors: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
  next: z.string().optional(),
  previous: z.string().optional(),
});
export type Paging = z.infer<typeof Paging>;

export function makeListResponse<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), paging: Paging.optional() });
}

export const AdAccount = z.object({
  id: z.string(),
  account_id: z.string().optional(),
  name: z.string().optional(),
  account_status: z.number().optional(),
  currency: z.string().optional(),
  business: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  user_tasks: z.array(z.string()).optional(),
  tos_accepted: z.record(z.string(), z.number()).optional(),
  user_tos_accepted: z.record(z.string(), z.number()).optional(),
});
export type AdAccount = z.infer<typeof AdAccount>;

export const GraphUser = z.object({ id: z.string(), name: z.string().optional() });
export type GraphUser = z.infer<typeof GraphUser>;

export const Permission = z.object({ permission: z.string(), status: z.string() });
export type Permission = z.infer<typeof Permission>;

/** The `data` of GET /debug_token (§7); an invalid token comes back with `error` inside. */
export const DebugTokenData = z.object({
  app_id: z.string().optional(),
  type: z.string().optional(),
  application: z.string().optional(),
  data_access_expires_at: z.number().optional(),
  expires_at: z.number().optional(),
  is_valid: z.boolean(),
  issued_at: z.number().optional(),
  scopes: z.array(z.string()).optional(),
  granular_scopes: z
    .array(z.object({ scope: z.string(), target_ids: z.array(z.string()).optional() }))
    .optional(),
  user_id: z.string().optional(),
  error: z
    .object({
      code: z.number().optional(),
      message: z.string().optional(),
      subcode: z.number().optional(),
    })
    .optional(),
});
export type DebugTokenData = z.infer<typeof DebugTokenData>;

export const DebugTokenResponse = z.object({ data: DebugTokenData });

/** Response of GET /oauth/access_token, for both the code and the long-lived exchange. */
export const AccessTokenResponse = z.object({
  access_token: z.string(),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
});
export type AccessTokenResponse = z.infer<typeof AccessTokenResponse>;
