import type { CallContext, Reply } from './context.ts';
import { unknownObjectError } from './errors.ts';
import { accountRoute, meRoute } from './routes/account.ts';
import { audienceRoute } from './routes/audiences.ts';
import { customAudienceTerms, debugToken, exchangeToken, loginDialog } from './routes/oauth.ts';

/**
 * Sends a Graph call to its handler by path. Pages and the token exchange need no token;
 * every node route checks the token before looking at the node.
 */
export function route(ctx: CallContext): Reply {
  const { segments, method } = ctx.request;
  const [node = '', edge, ...rest] = segments;

  if (node === 'dialog' && edge === 'oauth' && rest.length === 0) return loginDialog(ctx);
  if (node === 'oauth' && edge === 'access_token' && rest.length === 0) return exchangeToken(ctx);
  if (segments.join('/') === 'ads/manage/customaudiences/tos') return customAudienceTerms(ctx);
  if (node === 'debug_token' && edge === undefined) return debugToken(ctx);

  ctx.authenticate();
  if (rest.length > 0 || node === '') throw unknownObjectError(method, segments.join('/'));
  if (node === 'me' || node === ctx.state.config.userId) return meRoute(ctx, edge);
  if (node.startsWith('act_')) return accountRoute(ctx, node, edge);
  return audienceRoute(ctx, node, edge);
}
