import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
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
import { nav, openWizard, waitForText } from './support/wizard.ts';

interface SyncSummary {
  id: number;
  name: string;
  status: string;
  destination: { id: number };
}

describe('Tips and Troubleshooting, as the guide tells them', { skip: skipReason }, () => {
  let server: AppServer;
  let browser: Browser;
  let syncId: number;
  let destinationId: number;

  before(async () => {
    server = await startAppServer();
    await seedCustomers(server, 8);
    const norway = await server.api<{ id: number }>('POST', '/api/audiences', {
      name: 'Norway',
      rule: { all: [{ field: 'country', op: 'equals', value: 'Norway' }] },
    });
    await server.api('POST', '/api/audiences', { name: 'Everyone', rule: { all: [] } });
    destinationId = (await connectEmulatorDestination(server, 'Meta ads')).id;
    const sync = await server.api<SyncSummary>('POST', '/api/syncs', {
      name: 'Norway to Meta',
      audienceIds: [norway.id],
      destinationId,
      metaAudience: { mode: 'create', name: 'Norway (Sourcesible)' },
      mapping: [{ source: 'email', destination: 'EMAIL' }],
      schedule: { type: 'manual' },
    });
    syncId = sync.id;
    await waitForStatus(server, syncId, 'Synced');
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

  test('an expired token turns the sync Disconnected, with the cause and the fix', async () => {
    const { page } = browser;
    server.meta.control.expireToken();
    await nav(page, 'Sync');
    const row = page.getByRole('row', { name: /Norway to Meta/ });
    await row.getByRole('button', { name: 'Sync now' }).click();

    await waitForText(row, 'Disconnected');
    await screenshot(page, '20-sync-list-disconnected');
    await row.click();
    const alert = page.getByRole('alert').filter({ hasText: 'Disconnected' });
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(
      text,
      /The OAuth token authorizing Sourcesible's access to your Facebook Ads account has expired or been revoked/,
    );
    assert.match(
      text,
      /Click Reconnect and re-authorize using a Facebook account that holds Advertiser \(or higher\) access/,
    );
    await screenshot(page, '21-sync-detail-disconnected', true);
  });

  test('the wizard cannot pick a Disconnected destination and says how to reconnect', async () => {
    const { page } = browser;
    await openWizard(page);
    await page.getByLabel('Audience', { exact: true }).selectOption(
      { label: 'Everyone — 8 customers' },
    );
    await page.getByRole('button', { name: 'Next' }).click();

    const radio = page.getByRole('radio', { name: 'Use Meta ads' });
    assert.ok(await radio.isDisabled(), 'only Connected destinations are selectable');
    await waitForText(page.getByRole('main'), 'Locate the Facebook Custom Audiences destination.');
    await page.getByRole('button', { name: 'Next' }).click();
    await waitForText(
      page.locator('#destinationId-error'),
      'Select a Connected Facebook Custom Audiences destination',
    );
    await screenshot(page, 'wizard-2-disconnected', true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Discard' }).click();
  });

  test('Reconnect with a new token keeps the sync, which then syncs again', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/syncs/${syncId}`);
    await page.getByRole('link', { name: /Reconnect “Meta ads”/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await screenshot(page, '22-reconnect-dialog');
    await dialog.getByLabel('Or paste a new access token').fill(server.meta.control.issueToken());
    await dialog.getByRole('button', { name: 'Reconnect with token' }).click();

    await waitForText(page.getByTestId(`destination-status-${destinationId}`), 'Connected');
    await nav(page, 'Sync');
    const row = page.getByRole('row', { name: /Norway to Meta/ });
    await row.getByRole('button', { name: 'Sync now' }).click();
    await waitForText(row, 'Synced');

    const syncs = await server.api<SyncSummary[]>('GET', '/api/syncs');
    assert.deepEqual(
      syncs.map((sync) => [sync.id, sync.destination.id]),
      [[syncId, destinationId]],
      'the same sync on the same destination',
    );
  });

  test('deleting its audience makes the sync Invalid, explained on its page, and fixable there', async () => {
    const { page } = browser;
    await nav(page, 'Audiences');
    await page.getByRole('row', { name: /Norway/ }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await waitForText(dialog, 'Norway to Meta');
    await screenshot(page, '23-delete-audience-dialog');
    await dialog.getByRole('button', { name: 'Delete audience' }).click();

    await nav(page, 'Sync');
    const row = page.getByRole('row', { name: /Norway to Meta/ });
    await waitForText(row, 'Invalid');
    await row.click();
    const alert = page.getByRole('alert').filter({ hasText: 'Invalid' });
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(
      text,
      /The sync configuration references a source or destination that is no longer valid/,
    );
    assert.match(text, /Audience "Norway" was deleted/);
    assert.match(
      text,
      /If the original Audience was deleted, create a new sync pointing to a valid Audience/,
    );
    await screenshot(page, '24-sync-detail-invalid', true);

    await alert.getByRole('button', { name: 'Review the settings' }).click();
    await page.getByLabel('Audience', { exact: true }).selectOption(
      { label: 'Everyone — 8 customers' },
    );
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForText(page.getByTestId('sync-status'), /Pending|Synced|Running|Failed/);
    assert.notEqual(
      (await server.api<SyncSummary>('GET', `/api/syncs/${syncId}`)).status,
      'Invalid',
    );
  });
});

async function waitForStatus(server: AppServer, id: number, status: string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    const sync = await server.api<SyncSummary>('GET', `/api/syncs/${id}`);
    if (sync.status === status) return;
    await delay(200);
  }
  throw new Error(`sync ${id} never became ${status}`);
}
