import { z } from 'zod';

/**
 * Environment variables of the background work, validated once at start-up.
 * Nothing is posted anywhere unless SOURCESIBLE_WEBHOOK_URL is set.
 */
export const JobsConfig = z
  .object({
    /** Where events are posted as signed JSON. */
    SOURCESIBLE_WEBHOOK_URL: z.string().url().optional(),
    /** Signs each webhook body (HMAC-SHA256); required with the URL. */
    SOURCESIBLE_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    /** How often each destination's token, permission, terms and audiences are checked. */
    SOURCESIBLE_CHECK_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    /** How many days ahead a known token expiry is announced. */
    SOURCESIBLE_TOKEN_WARNING_DAYS: z.coerce.number().int().min(1).max(60).default(7),
    /** How often the scheduler looks for due runs, expired leases and due checks. */
    SOURCESIBLE_SCHEDULER_INTERVAL_SECONDS: z.coerce.number().min(1).max(300).default(15),
    /** How often an idle worker asks the queue for a job. */
    SOURCESIBLE_QUEUE_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
    /** Members per page and rows per Graph request in runs; Meta takes at most 10,000. */
    SOURCESIBLE_RUN_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(10_000),
  })
  .refine((config) => !config.SOURCESIBLE_WEBHOOK_URL || config.SOURCESIBLE_WEBHOOK_SECRET, {
    path: ['SOURCESIBLE_WEBHOOK_SECRET'],
    message: 'must be set with SOURCESIBLE_WEBHOOK_URL: every webhook body is signed',
  });
export type JobsConfig = z.infer<typeof JobsConfig>;

export function readJobsConfig(env: NodeJS.ProcessEnv = process.env): JobsConfig {
  const parsed = JobsConfig.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid environment: ${problems.join('; ')}`);
}
