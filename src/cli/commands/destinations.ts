import type { Command } from 'commander';
import { withApp } from '../../app.ts';
import {
  connectDestination,
  deleteDestination,
  findDestination,
  graphClientFor,
  loadDestination,
  listDestinations,
  reconnectDestination,
  refreshDestinationStatus,
  type DestinationView,
} from '../../destinations/service.ts';
import { globalOptions, printResult } from '../output.ts';
import { formatDate, formatTable } from '../table.ts';

export function registerDestinationsCommand(program: Command): void {
  const destinations = program.command('destinations').description('Connections → Destinations: Meta ad accounts');

  destinations
    .command('connect')
    .description('connect a Meta ad account with an access token (system-user or user token)')
    .requiredOption('--name <name>', 'a name for this destination')
    .requiredOption('--ad-account <id>', 'the ad account id, act_123… or 123…')
    .option('--token <token>', 'the access token (or env META_ACCESS_TOKEN, which keeps it out of your shell history)')
    .option('--app-secret <secret>', 'the app secret, to sign calls with appsecret_proof (or env META_APP_SECRET)')
    .option('--graph-url <url>', 'the Graph API base URL (default env META_GRAPH_URL or https://graph.facebook.com)')
    .option('--api-version <version>', 'the Graph API version (default env META_API_VERSION or v25.0)')
    .action(async (options, command: Command) => {
      const global = globalOptions(command);
      const view = await withApp(global, (app) =>
        connectDestination(app, {
          name: options.name,
          adAccountId: options.adAccount,
          accessToken: options.token ?? process.env.META_ACCESS_TOKEN ?? '',
          appSecret: options.appSecret,
          graphBaseUrl: options.graphUrl,
          apiVersion: options.apiVersion,
        }),
      );
      printResult(global, view, () => `Connected destination ${view.id} "${view.name}" (${view.adAccountId}).`);
    });

  destinations
    .command('list')
    .description('list destinations with their status')
    .action(async (_options, command: Command) => {
      const global = globalOptions(command);
      const views = await withApp(global, (app) => listDestinations(app));
      printResult(global, views, () => (views.length === 0 ? 'No destinations yet. Connect one with: sourcesible destinations connect' : destinationTable(views)));
    });

  destinations
    .command('check <destination>')
    .description('ask Meta whether the connection still works and update its status')
    .action(async (idOrName: string, _options, command: Command) => {
      const global = globalOptions(command);
      const view = await withApp(global, async (app) => refreshDestinationStatus(app, (await findDestination(app, idOrName)).id));
      printResult(global, view, () => destinationTable([view]) + (view.statusMessage ? `\n\n${view.statusMessage}` : ''));
    });

  destinations
    .command('reconnect <destination>')
    .description('give a destination a new token; every sync keeps using it')
    .option('--token <token>', 'the new access token (or env META_ACCESS_TOKEN)')
    .option('--app-secret <secret>', 'a new app secret')
    .action(async (idOrName: string, options, command: Command) => {
      const global = globalOptions(command);
      const view = await withApp(global, async (app) =>
        reconnectDestination(app, (await findDestination(app, idOrName)).id, {
          accessToken: options.token ?? process.env.META_ACCESS_TOKEN ?? '',
          appSecret: options.appSecret,
        }),
      );
      printResult(global, view, () => `Reconnected destination ${view.id} "${view.name}": ${view.status}.`);
    });

  destinations
    .command('audiences <destination>')
    .description("list the ad account's customer-list (CUSTOM) audiences, page by page")
    .option('--limit <n>', 'audiences per page', '25')
    .option('--after <cursor>', 'the cursor printed after the previous page')
    .action(async (idOrName: string, options, command: Command) => {
      const global = globalOptions(command);
      const page = await withApp(global, async (app) => {
        const destination = await loadDestination(app, (await findDestination(app, idOrName)).id);
        const client = graphClientFor(app, destination);
        return client.listCustomAudiences(destination.ad_account_id, {
          limit: Number(options.limit),
          after: options.after,
          fields: ['id', 'name', 'subtype', 'approximate_count_lower_bound', 'approximate_count_upper_bound'],
        });
      });
      const custom = page.data.filter((audience) => !audience.subtype || audience.subtype === 'CUSTOM');
      printResult(global, { data: custom, nextCursor: page.nextCursor }, () => {
        const table = formatTable(
          ['ID', 'Name', 'Approximate size'],
          custom.map((a) => [a.id, a.name, a.approximate_count_lower_bound === undefined ? null : `${a.approximate_count_lower_bound}–${a.approximate_count_upper_bound}`]),
        );
        return page.nextCursor ? `${table}\n\nMore: --after ${page.nextCursor}` : table;
      });
    });

  destinations
    .command('delete <destination>')
    .description('delete a destination (its syncs become Invalid)')
    .action(async (idOrName: string, _options, command: Command) => {
      const global = globalOptions(command);
      const view = await withApp(global, async (app) => {
        const found = await findDestination(app, idOrName);
        await deleteDestination(app, found.id);
        return found;
      });
      printResult(global, { deleted: view.id }, () => `Deleted destination ${view.id} "${view.name}".`);
    });
}

function destinationTable(views: DestinationView[]): string {
  return formatTable(
    ['ID', 'Destination Name', 'Destination Type', 'Status', 'Sync count', 'Last Update', 'Ad account'],
    views.map((v) => [v.id, v.name, v.type, v.statusReason ? `${v.status} (${v.statusReason})` : v.status, v.syncCount, formatDate(v.lastUpdate), v.adAccountId]),
  );
}
