import { z } from 'zod';
import { isSourceField } from '../customers/fields.ts';
import { normalizeCountry } from '../normalize/country.ts';
import { IDENTIFYING_KEYS, MAPPING_DESTINATIONS, type SchemaKey } from '../destinations/meta/keys.ts';
import { INTERVAL_UNITS, intervalMinutes, type SyncSchedule } from '../jobs/schedule.ts';
import { isValidTimeZone, parseLocalDateTime } from '../jobs/zoned-time.ts';

export const SYNC_NAME_MAX = 50;
export const SYNC_DESCRIPTION_MAX = 50;
export const MIN_INTERVAL_MINUTES = 5;
export const MAX_INTERVAL_MINUTES = 60 * 24 * 30;

const MappingRowInput = z.object({
  source: z
    .string()
    .trim()
    .refine(isSourceField, 'is not a customer field; use a column such as email or attributes.<name>')
    .nullable()
    .optional(),
  destination: z.enum(MAPPING_DESTINATIONS),
});

/** The mapping table as the wizard shows it; rows left without a source are not sent. */
export const MappingInput = z
  .array(MappingRowInput)
  .max(MAPPING_DESTINATIONS.length)
  .transform((rows) => rows.filter((row) => row.source).map((row) => ({ source: row.source!, destination: row.destination })))
  .refine((rows) => new Set(rows.map((row) => row.destination)).size === rows.length, 'maps the same Facebook field twice; keep one row per field')
  .refine(
    (rows) => rows.some((row) => IDENTIFYING_KEYS.has(row.destination as SchemaKey)),
    'must map Email, Phone Number, MADID, App UID or EXTERN_ID: Meta cannot match a customer on the other fields alone',
  );

const MetaAudienceInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('create'), name: z.string().trim().min(1, 'is required').max(200) }),
  z.object({
    mode: z.literal('existing'),
    audienceId: z.string().trim().regex(/^\d+$/, 'must be the numeric id of a Custom Audience'),
    writeMode: z.enum(['append', 'replace']).default('append'),
  }),
]);

/**
 * Manual, or Interval: `{every, unit}` with an optional local `startAt` and IANA
 * `timeZone` (default UTC). The first form, `{everyMinutes}`, is still taken.
 * @example { type: 'interval', every: 1, unit: 'days', startAt: '2025-01-10T02:00', timeZone: 'Europe/Paris' }
 */
const ScheduleInput = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('manual') }),
    z.object({
      type: z.literal('interval'),
      everyMinutes: z.number().int().positive().optional(),
      every: z.number().int().positive().optional(),
      unit: z.enum(INTERVAL_UNITS).optional(),
      startAt: z
        .string()
        .trim()
        .refine(
          (text) => parseLocalDateTime(text) !== null,
          'must be a local date and time such as 2025-01-10T02:00',
        )
        .nullable()
        .optional(),
      timeZone: z
        .string()
        .trim()
        .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris or UTC')
        .optional(),
    }),
  ])
  .transform((input, ctx): SyncSchedule => {
    if (input.type === 'manual') return input;
    if (input.every === undefined && input.everyMinutes === undefined) {
      const message = 'is required for an Interval schedule, e.g. every 1 with unit hours';
      ctx.addIssue({ code: 'custom', path: ['every'], message });
      return z.NEVER;
    }
    const every = input.every ?? input.everyMinutes!;
    const unit = input.every !== undefined ? (input.unit ?? 'minutes') : 'minutes';
    const minutes = intervalMinutes({ every, unit });
    if (minutes < MIN_INTERVAL_MINUTES || minutes > MAX_INTERVAL_MINUTES) {
      const message = `must be between ${MIN_INTERVAL_MINUTES} minutes and 30 days`;
      const field = input.every !== undefined ? 'every' : 'everyMinutes';
      ctx.addIssue({ code: 'custom', path: [field], message });
      return z.NEVER;
    }
    const startAt = input.startAt ?? null;
    return { type: 'interval', every, unit, startAt, timeZone: input.timeZone ?? 'UTC' };
  });

/** A country as a code (US) or a name (Norway, U.S.), stored as the lowercase ISO code. */
const CountryCode = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const country = normalizeCountry(value);
    if (country.ok) return country.value;
    ctx.addIssue({ code: 'custom', message: 'must be a country: an ISO 3166 two-letter code such as US, or an unambiguous name such as Norway' });
    return z.NEVER;
  });

const fields = {
  name: z.string().trim().min(1, 'is required').max(SYNC_NAME_MAX, `must be at most ${SYNC_NAME_MAX} characters`),
  description: z.string().trim().max(SYNC_DESCRIPTION_MAX, `must be at most ${SYNC_DESCRIPTION_MAX} characters`),
  audienceIds: z.array(z.number().int().positive()).min(1, 'must name at least one audience').max(20)
    .refine((ids) => new Set(ids).size === ids.length, 'lists the same audience twice'),
  destinationId: z.number().int().positive(),
  metaAudience: MetaAudienceInput,
  mapping: MappingInput,
  hashPii: z.boolean(),
  defaultCountry: CountryCode.nullable(),
  schedule: ScheduleInput,
};

export const CreateSyncInput = z.object({
  ...fields,
  description: fields.description.default(''),
  hashPii: fields.hashPii.default(true),
  defaultCountry: fields.defaultCountry.optional().default(null),
  schedule: fields.schedule.default({ type: 'manual' }),
});
export type CreateSyncInput = z.input<typeof CreateSyncInput>;
export type CreateSyncFields = z.output<typeof CreateSyncInput>;

export const UpdateSyncInput = z.object(fields).partial();
export type UpdateSyncInput = z.input<typeof UpdateSyncInput>;
export type UpdateSyncFields = z.output<typeof UpdateSyncInput>;
