import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  logIn,
  openBrowser,
  screenshot,
  screenshotOnFailure,
  skipReason,
  type Browser,
} from './support/browser.ts';
import {
  ADMIN_PASSWORD,
  connectEmulatorDestination,
  seedCustomers,
  startAppServer,
  type AppServer,
} from './support/server.ts';
import { fillWizardToSchedule, openWizard, waitForText } from './support/wizard.ts';

interface SyncSummary {
  id: number;
  name: string;
  metaAudience: { id: string | null };
}

describe('Finish creates one sync, whatever is clicked or retried', { skip: skipReason }, () => {
  let server: AppServer;
  let browser: Browser;

  before(async () => {
    server = await startAppServer();
    await seedCustomers(server, 10);
    await server.api('POST', '/api/audiences', { name: 'Everyone', rule: { all: [] } });
    await connectEmulatorDestination(server, 'Meta ads');
    browser = await openBrowser();
    await logIn(browser.page, server.url, ADMIN_PASSWORD);
  });

  afterEach(async (t) => {
    if (browser) await screenshotOnFailure(browser.page, t);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const createdMetaAudiences = () =>
    server.meta.control.requests(10_000).filter(
      (
        call,
      ) => call.method === 'POST' && /\/act_\d+\/customaudiences$/.test(
        call.path,
      ) && call.status === 200,
    );

  test('a double click on Finish sends one create and makes one sync and one Meta audience', async () => {
    const { page } = browser;
    const creates: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(
        request.url(),
      ).pathname === '/api/syncs') creates.push(request.headers()['idempotency-key'] ?? '');
    });
    await openWizard(page);
    await fillWizardToSchedule(
      page,
      {
        audience: 'Everyone — 10 customers',
        destination: 'Meta ads',
        syncName: 'Double click',
        metaAudienceName: 'Double click audience',
      },
    );

    await page.getByTestId('finish').dblclick();
    await waitForText(page.getByRole('row', { name: /Double click/ }), 'Synced');

    const syncs = await server.api<SyncSummary[]>('GET', '/api/syncs');
    assert.deepEqual(syncs.map((sync) => sync.name), ['Double click']);
    assert.equal(createdMetaAudiences().length, 1);
    assert.equal(
      new Set(creates).size,
      1,
      'every create of this wizard carried the same Idempotency-Key',
    );
  });

  test('a Finish whose answer was lost is retried with the same key and returns the first sync', async () => {
    const { page } = browser;
    const keys: string[] = [];
    let dropNext = true;
    await page.route('**/api/syncs', async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.continue();
      keys.push(request.headers()['idempotency-key'] ?? '');
      if (!dropNext) return route.continue();
      dropNext = false;
      // The server gets the request and creates the sync; the browser never hears back.
      await route.fetch();
      await route.abort('connectionreset');
    });
    await openWizard(page);
    await fillWizardToSchedule(
      page,
      {
        audience: 'Everyone — 10 customers',
        destination: 'Meta ads',
        syncName: 'Lost answer',
        metaAudienceName: 'Lost answer audience',
      },
    );

    await page.getByTestId('finish').click();
    await waitForText(page.getByRole('alert'), 'The sync may or may not have been saved');
    await screenshot(page, 'wizard-4-finish-retry', true);

    // A reload keeps the wizard and its key in this tab, as a person might try.
    await page.reload();
    await page.getByRole('heading', { name: 'Set Schedule' }).waitFor();
    await page.getByTestId('finish').click();
    await waitForText(page.getByRole('row', { name: /Lost answer/ }), /Synced|Running|Pending/);
    await page.unroute('**/api/syncs');

    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1], 'the retry sent the first key again');
    const syncs = await server.api<SyncSummary[]>('GET', '/api/syncs');
    assert.deepEqual(syncs.map((sync) => sync.name).sort(), ['Double click', 'Lost answer']);
    await waitForText(page.getByRole('row', { name: /Lost answer/ }), 'Synced');
    assert.equal(
      createdMetaAudiences().length,
      2,
      'one Meta audience per sync, none for the retry',
    );
  });

  test('a new wizard after a finished one gets a new key', async () => {
    const { page } = browser;
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(
        request.url(),
      ).pathname === '/api/syncs') keys.push(request.headers()['idempotency-key'] ?? '');
    });
    await openWizard(page);
    await fillWizardToSchedule(
      page,
      {
        audience: 'Everyone — 10 customers',
        destination: 'Meta ads',
        syncName: 'Third',
        metaAudienceName: 'Third audience',
      },
    );
    await page.getByTestId('finish').click();
    await waitForText(page.getByRole('row', { name: /Third/ }), /Synced|Running|Pending/);

    const syncs = await server.api<SyncSummary[]>('GET', '/api/syncs');
    assert.equal(syncs.length, 3, 'the third wizard was not mistaken for a retry of the second');
    assert.equal(keys.length, 1);
  });
});
