import { createRoute, z } from '@hono/zod-openapi';
import { createApiToken, listApiTokens, revokeApiToken } from '../auth/api-tokens.ts';
import {
  COMMON_ERRORS,
  jsonAnswer,
  jsonBody,
  NOT_FOUND,
  SECURITY,
  type ApiApp,
  type RouteDeps,
} from '../openapi.ts';
import { ApiToken, IdParam, NewApiToken } from '../schemas.ts';

const TokenInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  })
  .openapi('TokenInput');

const list = createRoute({
  method: 'get',
  path: '/api/tokens',
  tags: ['Auth'],
  summary: "Your API tokens (never the tokens themselves)",
  security: SECURITY,
  responses: { 200: jsonAnswer(z.array(ApiToken), 'Tokens'), ...COMMON_ERRORS },
});

const create = createRoute({
  method: 'post',
  path: '/api/tokens',
  tags: ['Auth'],
  summary: 'Mint an API token for scripts; the token is shown in this answer only',
  security: SECURITY,
  request: { body: jsonBody(TokenInput) },
  responses: { 201: jsonAnswer(NewApiToken, 'The new token'), ...COMMON_ERRORS },
});

const revoke = createRoute({
  method: 'delete',
  path: '/api/tokens/{id}',
  tags: ['Auth'],
  summary: 'Revoke a token',
  security: SECURITY,
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...COMMON_ERRORS, ...NOT_FOUND },
});

export function registerTokenRoutes(app: ApiApp, { ctx }: RouteDeps): void {
  app.openapi(list, async (c) => {
    const tokens = await listApiTokens(ctx.db, c.get('principal').user.id);
    return c.json(tokens, 200);
  });

  app.openapi(create, async (c) => {
    const userId = c.get('principal').user.id;
    const token = await createApiToken(ctx.db, userId, c.req.valid('json').name);
    ctx.log.info({ requestId: c.get('requestId'), tokenId: token.id }, 'API token created');
    return c.json(token, 201);
  });

  app.openapi(revoke, async (c) => {
    await revokeApiToken(ctx.db, c.get('principal').user.id, c.req.valid('param').id);
    return c.body(null, 204);
  });
}
