import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import type { Context } from '../app.ts';
import type { LoginLimiter } from './auth/rate-limit.ts';
import type { User } from './auth/users.ts';
import { ErrorBody } from './schemas.ts';

/** Who is calling: the user, and how they proved it. */
export interface Principal {
  user: User;
  via: 'session' | 'token';
  /** For a session: the digest of its id (logout) and its CSRF token (/me). */
  sessionIdHash?: string;
  csrfToken?: string;
}

export type ApiEnv = { Variables: { requestId: string; startedAt: number; principal: Principal } };
export type ApiApp = OpenAPIHono<ApiEnv>;

/** What route files need besides the app: the service context and the server's settings. */
export interface RouteDeps {
  ctx: Context;
  loginLimiter: LoginLimiter;
  clientAddress: (c: import('hono').Context) => string;
  /** The address people open, e.g. http://localhost:8080, for Facebook Login's redirect_uri. */
  publicUrl: string;
}

export function jsonBody<S extends ZodType>(schema: S, description?: string) {
  return { required: true, description, content: { 'application/json': { schema } } } as const;
}

export function jsonAnswer<S extends ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

const problem = (description: string) => jsonAnswer(ErrorBody, description);

/** The error answers every authenticated route can give. */
export const COMMON_ERRORS = {
  400: problem('invalid_input: the field at fault is named in `field`'),
  401: problem('unauthorized: no session cookie or API token, or an expired one'),
  403: problem('forbidden: a cookie-authenticated write without a matching X-CSRF-Token'),
} as const;

export const NOT_FOUND = { 404: problem('not_found') } as const;
export const CONFLICT = { 409: problem('conflict, not_connected or already_running') } as const;
export const META_ERROR = { 502: problem('meta_rejected: Meta refused the call') } as const;
export const REPLAY_MISMATCH = {
  422: problem('The Idempotency-Key was used before with a different request'),
} as const;

export const SECURITY: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

/** The Idempotency-Key header of the three create routes, validated and documented. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200, 'must be at most 200 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces, such as a UUID')
    .optional()
    .openapi({
      description:
        'Any unique string (a UUID). A retry with the same key returns the first answer and ' +
        'creates nothing twice; keys are kept 24 hours.',
    }),
});
