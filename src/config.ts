import { resolve } from 'node:path';
import { z } from 'zod';

/** Environment variables the service reads, validated once at start-up. */
export const EnvConfig = z.object({
  DATABASE_URL: z.string().url().optional(),
  SOURCESIBLE_DATA_DIR: z.string().min(1).default('.sourcesible'),
  SOURCESIBLE_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$|^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes as 64 hex characters or base64')
    .optional(),
  META_GRAPH_URL: z.string().url().default('https://graph.facebook.com'),
  META_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v25.0').default('v25.0'),
  META_APP_ID: z.string().optional(),
  META_APP_SECRET: z.string().optional(),
  /** Where Facebook Login's dialog lives; tests point it at the emulator with META_GRAPH_URL. */
  META_LOGIN_URL: z.string().url().default('https://www.facebook.com'),
  /** The address people open, for Facebook Login's redirect_uri; default http://localhost:<port>. */
  SOURCESIBLE_PUBLIC_URL: z.string().url().optional(),
  /** The admin password on first start (and a reset when it changes); else one is generated. */
  SOURCESIBLE_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type EnvConfig = z.infer<typeof EnvConfig>;

export function readEnvConfig(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const parsed = EnvConfig.safeParse(env);
  if (parsed.success) return { ...parsed.data, SOURCESIBLE_DATA_DIR: resolve(parsed.data.SOURCESIBLE_DATA_DIR) };
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid environment: ${problems.join('; ')}`);
}
