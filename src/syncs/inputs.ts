import countries from 'i18n-iso-countries';
import { z } from 'zod';
import { isSourceField } from '../customers/fields.ts';
import { IDENTIFYING_KEYS, MAPPING_DESTINATIONS, type SchemaKey } from '../destinations/meta/keys.ts';

export const SYNC_NAME_MAX = 50;
export const SYNC_DESCRIPTION_MAX = 50;
export const MIN_INTERVAL_MINUTES = 5;

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

const ScheduleInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('manual') }),
  z.object({
    type: z.literal('interval'),
    everyMinutes: z.number().int().min(MIN_INTERVAL_MINUTES, `must be at least ${MIN_INTERVAL_MINUTES} minutes`).max(60 * 24 * 30),
  }),
]);

const CountryCode = z
  .string()
  .trim()
  .transform((value) => value.toLowerCase())
  .refine((value) => countries.isValid(value.toUpperCase()) && value.length === 2, 'must be an ISO 3166 two-letter country code such as US');

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
