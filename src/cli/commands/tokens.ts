import type { Command } from 'commander';
import { withApp } from '../../app.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../server/auth/api-tokens.ts';
import type { Db } from '../../db/database.ts';
import { ADMIN_USERNAME, ensureAdminUser, findUser } from '../../server/auth/users.ts';
import { globalOptions, printResult, UserError } from '../output.ts';
import { formatDate, formatTable } from '../table.ts';

export function registerTokensCommand(program: Command): void {
  const tokens = program
    .command('tokens')
    .description('API tokens for scripts: Authorization: Bearer <token> on every API call');

  tokens
    .command('create')
    .description("mint a token for the admin account; it is printed once, only its hash is kept")
    .requiredOption('--name <name>', 'what the token is for, e.g. "nightly export"')
    .action(async (options: { name: string }, command: Command) => {
      const global = globalOptions(command);
      const name = options.name.trim();
      if (name.length === 0 || name.length > 100) {
        throw new UserError('--name must be 1 to 100 characters.');
      }

      const result = await withApp(global, async (app) => {
        const admin = await ensureAdminUser(app.db, app.config.SOURCESIBLE_ADMIN_PASSWORD);
        const token = await createApiToken(app.db, admin.user.id, name);
        return { ...token, generatedAdminPassword: admin.generatedPassword };
      });
      printResult(global, result, () => {
        const lines = [
          `API token ${result.id} "${result.name}" (shown this once; store it now):`,
          '',
          `  ${result.token}`,
          '',
          'Use it as: curl -H "Authorization: Bearer <token>" http://localhost:8080/api/syncs',
        ];
        if (result.generatedAdminPassword) {
          const password = result.generatedAdminPassword;
          lines.push('', `The admin account was created too; its password (shown once): ${password}`);
        }
        return lines.join('\n');
      });
    });

  tokens
    .command('list')
    .description("the admin's tokens (names and dates, never the tokens)")
    .action(async (_options, command: Command) => {
      const global = globalOptions(command);
      const list = await withApp(global, async ({ db }) => listApiTokens(db, await adminId(db)));
      printResult(global, list, () =>
        list.length === 0
          ? 'No API tokens. Create one with: sourcesible tokens create --name <name>'
          : formatTable(
              ['id', 'name', 'created', 'last used'],
              list.map((t) => [t.id, t.name, formatDate(t.createdAt), formatDate(t.lastUsedAt)]),
            ),
      );
    });

  tokens
    .command('revoke <id>')
    .description('revoke a token: requests carrying it get 401 from now on')
    .action(async (id: string, _options, command: Command) => {
      const global = globalOptions(command);
      if (!/^\d+$/.test(id)) throw new UserError(`The token id must be a number, not "${id}".`);
      await withApp(global, async ({ db }) => revokeApiToken(db, await adminId(db), Number(id)));
      printResult(global, { revoked: Number(id) }, () => `Token ${id} revoked.`);
    });
}

async function adminId(db: Db): Promise<number> {
  const admin = await findUser(db, ADMIN_USERNAME);
  if (admin) return admin.id;
  throw new UserError('There is no admin account yet: start the server once with sourcesible serve.');
}
