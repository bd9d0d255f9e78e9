import { createRoute, z } from '@hono/zod-openapi';
import {
  countAudienceMembers,
  countUnion,
  createAudience,
  deleteAudience,
  getAudience,
  listAudiences,
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
  previewAudienceMembers,
  updateAudience,
  type AudienceRecord,
} from '../../audiences/repository.ts';
import { MAX_PREVIEW_LIMIT } from '../../audiences/members.ts';
import { assertAudienceRule } from '../../audiences/parse-rule.ts';
import type { MemberPreview as Member } from '../../audiences/members.ts';
import { AppError } from '../../errors.ts';
import { maskKey } from '../masking.ts';
import {
  COMMON_ERRORS,
  CONFLICT,
  jsonAnswer,
  jsonBody,
  NOT_FOUND,
  SECURITY,
  type ApiApp,
  type RouteDeps,
} from '../openapi.ts';
import { AudienceView, IdParam, MemberPreview } from '../schemas.ts';

/**
 * The rule travels as JSON and is checked by the audience module's own rule
 * schema (recursive, so it is described here in words rather than expanded):
 * an invalid rule answers 400 with the field at fault, e.g. `rule.all.1.value`.
 */
const Rule = z.unknown().openapi({
  description:
    'A condition {field, op, value} or a group {all: [...]} / {any: [...]}. ops: equals, ' +
    'not_equals, contains, not_contains, starts_with, in, not_in, greater_than, less_than, ' +
    'before, after, is_set, is_not_set. field: a customer column or attributes.<name>.',
  example: { all: [{ field: 'country', op: 'in', value: ['Norway', 'Chile'] }] },
});

const Name = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);
const Description = z
  .string()
  .max(MAX_DESCRIPTION_LENGTH, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);

const CreateInput = z
  .object({ name: Name, description: Description.optional(), rule: Rule })
  .openapi('AudienceInput');
const UpdateInput = z
  .object({ name: Name.optional(), description: Description.optional(), rule: Rule.optional() })
  .openapi('AudienceUpdate');
const CountInput = z
  .object({
    rule: Rule.optional(),
    audienceIds: z.array(z.number().int().positive()).min(1).max(100).optional().openapi({
      description: 'Count the union: customers in any of these audiences, each once',
    }),
  })
  .openapi('AudienceCountInput');
const PreviewInput = z
  .object({
    rule: Rule,
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_PREVIEW_LIMIT, `must be at most ${MAX_PREVIEW_LIMIT}`)
      .optional(),
  })
  .openapi('AudiencePreviewInput');
const Count = z.object({ count: z.number().int() }).openapi('Count');

const tags = ['Audiences'];
const list = createRoute({
  method: 'get',
  path: '/api/audiences',
  tags,
  summary: 'Audiences with their member counts',
  security: SECURITY,
  responses: { 200: jsonAnswer(z.array(AudienceView), 'Audiences by name'), ...COMMON_ERRORS },
});
const create = createRoute({
  method: 'post',
  path: '/api/audiences',
  tags,
  summary: 'Define an audience',
  security: SECURITY,
  request: { body: jsonBody(CreateInput) },
  responses: { 201: jsonAnswer(AudienceView, 'The audience'), ...COMMON_ERRORS, ...CONFLICT },
});
const getOne = createRoute({
  method: 'get',
  path: '/api/audiences/{id}',
  tags,
  summary: 'An audience with its member count',
  security: SECURITY,
  request: { params: IdParam },
  responses: { 200: jsonAnswer(AudienceView, 'The audience'), ...COMMON_ERRORS, ...NOT_FOUND },
});
const update = createRoute({
  method: 'patch',
  path: '/api/audiences/{id}',
  tags,
  summary: "Change an audience's name, description or rule",
  security: SECURITY,
  request: { params: IdParam, body: jsonBody(UpdateInput) },
  responses: {
    200: jsonAnswer(AudienceView, 'The audience'),
    ...COMMON_ERRORS,
    ...NOT_FOUND,
    ...CONFLICT,
  },
});
const remove = createRoute({
  method: 'delete',
  path: '/api/audiences/{id}',
  tags,
  summary: 'Delete an audience; syncs using it become Invalid',
  security: SECURITY,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...COMMON_ERRORS, ...NOT_FOUND },
});
const count = createRoute({
  method: 'post',
  path: '/api/audiences/count',
  tags,
  summary: 'Count a rule, or the union of saved audiences (the Export Audience counter)',
  security: SECURITY,
  request: { body: jsonBody(CountInput) },
  responses: { 200: jsonAnswer(Count, 'The count'), ...COMMON_ERRORS, ...NOT_FOUND },
});
const preview = createRoute({
  method: 'post',
  path: '/api/audiences/preview',
  tags,
  summary: 'Count a rule and show its first members, masked',
  security: SECURITY,
  request: { body: jsonBody(PreviewInput) },
  responses: {
    200: jsonAnswer(
      z.object({ count: z.number().int(), members: z.array(MemberPreview) }),
      'Preview',
    ),
    ...COMMON_ERRORS,
  },
});

export function registerAudienceRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  const { db } = ctx;

  app.openapi(list, async (c) => {
    const audiences = await listAudiences(db);
    return c.json(audiences.map((audience) => toView(audience, audience.member_count)), 200);
  });

  app.openapi(create, async (c) => {
    const audience = await createAudience(db, c.req.valid('json'));
    ctx.log.info({ requestId: c.get('requestId'), audienceId: audience.id }, 'audience created');
    return c.json(toView(audience, await countAudienceMembers(db, audience.id)), 201);
  });

  app.openapi(getOne, async (c) => {
    const id = c.req.valid('param').id;
    const audience = await getAudience(db, id);
    if (!audience) {
      const message = `No audience with id ${id}: it does not exist or was deleted.`;
      throw new AppError('not_found', message);
    }
    return c.json(toView(audience, await countAudienceMembers(db, id)), 200);
  });

  app.openapi(update, async (c) => {
    const id = c.req.valid('param').id;
    const audience = await updateAudience(db, id, c.req.valid('json'));
    return c.json(toView(audience, await countAudienceMembers(db, id)), 200);
  });

  app.openapi(remove, async (c) => {
    const { syncIds } = await deleteAudience(db, c.req.valid('param').id);
    ctx.log.info({ requestId: c.get('requestId'), syncIds }, 'audience deleted');
    return c.body(null, 204);
  });

  app.openapi(count, async (c) => {
    const input = c.req.valid('json');
    if ((input.rule === undefined) === (input.audienceIds === undefined)) {
      const message = 'Send either a rule or audienceIds (a list of saved audience ids), not both.';
      throw new AppError('invalid_input', message, { field: 'rule' });
    }
    const total = input.audienceIds
      ? await countUnion(db, input.audienceIds)
      : await countAudienceMembers(db, assertAudienceRule(input.rule));
    return c.json({ count: total }, 200);
  });

  app.openapi(preview, async (c) => {
    const input = c.req.valid('json');
    const rule = assertAudienceRule(input.rule);
    const total = await countAudienceMembers(db, rule);
    const members = await previewAudienceMembers(db, rule, { limit: input.limit });
    return c.json({ count: total, members: members.map(toMember) }, 200);
  });
}

function toView(audience: AudienceRecord, memberCount: number) {
  return {
    id: audience.id,
    name: audience.name,
    description: audience.description,
    rule: audience.rule,
    memberCount,
    createdAt: audience.created_at,
    updatedAt: audience.updated_at,
  };
}

function toMember(member: Member) {
  return {
    id: member.id,
    key: maskKey(member.customer_key),
    firstName: member.first_name,
    lastName: member.last_name,
    maskedEmail: member.masked_email,
    maskedPhone: member.masked_phone,
  };
}
