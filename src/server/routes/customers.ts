import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'kysely';
import { CUSTOMER_FIELDS, CUSTOMER_KEY_FIELDS } from '../../customers/fields.ts';
import { getImport } from '../../customers/imports-repository.ts';
import { upsertCustomerRecords } from '../../customers/records.ts';
import { countCustomers, searchCustomers } from '../../customers/repository.ts';
import type { Customer } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { maskEmail, maskKey, maskPhone } from '../masking.ts';
import {
  COMMON_ERRORS,
  jsonAnswer,
  jsonBody,
  NOT_FOUND,
  SECURITY,
  type ApiApp,
  type RouteDeps,
} from '../openapi.ts';
import { CustomerSummary, IdParam, ImportDetails } from '../schemas.ts';
import { registerImportRoutes } from './customer-imports.ts';

export const MAX_BATCH_RECORDS = 10_000;

const ListQuery = z.object({
  query: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'Key, email, phone or name contains' }),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: "The previous page's nextCursor" }),
});

const BatchInput = z
  .object({
    key: z.enum(CUSTOMER_KEY_FIELDS),
    records: z
      .array(z.record(z.string(), z.unknown()))
      .min(1, 'must hold at least one record')
      .max(MAX_BATCH_RECORDS, `must hold at most ${MAX_BATCH_RECORDS} records; send several batches`)
      .openapi({
        description:
          'Profiles: customer fields at the top level, other values under `attributes`; a field ' +
          'left out is left alone, null clears it. registered_at is an ISO 8601 date.',
        example: [{ external_id: 'c-1', email: 'ann@example.com', attributes: { plan: 'gold' } }],
      }),
  })
  .openapi('CustomerBatch');

const BatchResult = z
  .object({
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.array(z.object({ index: z.number().int(), reason: z.string() })),
  })
  .openapi('CustomerBatchResult');

const list = createRoute({
  method: 'get',
  path: '/api/customers',
  tags: ['Customers'],
  summary: 'List or search customers, emails and phones masked',
  security: SECURITY,
  request: { query: ListQuery },
  responses: {
    200: jsonAnswer(
      z.object({ data: z.array(CustomerSummary), nextCursor: z.number().int().nullable() }),
      'One page, in id order',
    ),
    ...COMMON_ERRORS,
  },
});

const count = createRoute({
  method: 'get',
  path: '/api/customers/count',
  tags: ['Customers'],
  summary: 'How many customers there are',
  security: SECURITY,
  responses: {
    200: jsonAnswer(z.object({ count: z.number().int() }), 'The count'),
    ...COMMON_ERRORS,
  },
});

const fields = createRoute({
  method: 'get',
  path: '/api/customers/fields',
  tags: ['Customers'],
  summary: 'Profile columns and the attribute names imports have created',
  security: SECURITY,
  responses: {
    200: jsonAnswer(
      z.object({ fields: z.array(z.string()), attributes: z.array(z.string()) }),
      'Fields usable in rules and mappings (attributes as attributes.<name>)',
    ),
    ...COMMON_ERRORS,
  },
});

const getOneImport = createRoute({
  method: 'get',
  path: '/api/customers/imports/{id}',
  tags: ['Customers'],
  summary: 'An import with its counts and every rejected line',
  security: SECURITY,
  request: { params: IdParam },
  responses: { 200: jsonAnswer(ImportDetails, 'The import'), ...COMMON_ERRORS, ...NOT_FOUND },
});

const batch = createRoute({
  method: 'post',
  path: '/api/customers/batch',
  tags: ['Customers'],
  summary: 'Insert or update up to 10,000 profiles given as JSON',
  security: SECURITY,
  middleware: [bodyLimit({ maxSize: 32 * 1024 * 1024 })],
  request: { body: jsonBody(BatchInput) },
  responses: {
    200: jsonAnswer(BatchResult, 'Per-batch counts and per-record rejects'),
    ...COMMON_ERRORS,
  },
});

// Attribute names a scan finds; more would not fit a dropdown anyway.
const MAX_ATTRIBUTE_NAMES = 500;
const MAX_REJECTS_LISTED = 1_000_000;

export function registerCustomerRoutes(app: ApiApp, deps: RouteDeps): void {
  const { db } = deps.ctx;

  app.openapi(list, async (c) => {
    const { query, limit, after } = c.req.valid('query');
    const page = await searchCustomers(db, { query: query ?? '', limit, after });
    return c.json({ data: page.customers.map(toSummary), nextCursor: page.nextAfter }, 200);
  });

  app.openapi(count, async (c) => c.json({ count: await countCustomers(db) }, 200));

  app.openapi(fields, async (c) => {
    const rows = await sql<{ name: string }>`
      select distinct jsonb_object_keys(attributes) as name from customers
      order by name limit ${MAX_ATTRIBUTE_NAMES}`.execute(db);
    const attributes = rows.rows.map((row) => row.name);
    return c.json({ fields: [...CUSTOMER_FIELDS], attributes }, 200);
  });

  registerImportRoutes(app, deps);

  app.openapi(getOneImport, async (c) => {
    const id = c.req.valid('param').id;
    const details = await getImport(db, id, { rejectLimit: MAX_REJECTS_LISTED });
    if (!details) throw new AppError('not_found', `Import ${id} does not exist.`);
    return c.json(details, 200);
  });

  app.openapi(batch, async (c) => {
    const { key, records } = c.req.valid('json');
    const result = await upsertCustomerRecords(db, records, { key });
    return c.json(result, 200);
  });
}

function toSummary(customer: Customer) {
  return {
    id: customer.id,
    key: maskKey(customer.customer_key),
    externalId: customer.external_id,
    firstName: customer.first_name,
    lastName: customer.last_name,
    maskedEmail: maskEmail(customer.email),
    maskedPhone: maskPhone(customer.phone),
    city: customer.city,
    country: customer.country,
    registeredAt: customer.registered_at,
    updatedAt: customer.updated_at,
  };
}
