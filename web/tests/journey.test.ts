import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  logIn,
  openBrowser,
  screenshot,
  screenshotOnFailure,
  skipReason,
  type Browser,
} from './support/browser.ts';
import { WEB_DIR } from './support/build.ts';
import { ADMIN_PASSWORD, startAppServer, type AppServer } from './support/server.ts';
import { nav, waitForText } from './support/wizard.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('a new user, from an empty database', { skip: skipReason }, () => {
  let server: AppServer;
  let browser: Browser;

  before(async () => {
    server = await startAppServer();
    browser = await openBrowser();
  });

  afterEach(async (t) => {
    if (browser) await screenshotOnFailure(browser.page, t);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('sees an error for a wrong password, then logs in', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();

    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /password/i);
    await screenshot(page, '01-login-error');

    await logIn(page, server.url, ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'No syncs yet' }).waitFor();
    await screenshot(page, '02-sync-list-empty');
  });

  test('imports customers from a CSV file and reads the rejected lines', async () => {
    const { page } = browser;
    await nav(page, 'Customers');
    await page.getByRole('link', { name: 'Import CSV' }).first().click();
    await page.getByLabel('CSV file').setInputFiles(
      join(WEB_DIR, 'tests', 'fixtures', 'customers.csv'),
    );

    await page.getByRole('heading', { name: /Map the columns/ }).waitFor();
    assert.equal(await page.getByLabel('Field for column Email').inputValue(), 'email');
    assert.equal(await page.getByLabel('Field for column Customer Id').inputValue(), 'external_id');
    await screenshot(page, '03-import-mapping', true);

    await page.getByRole('button', { name: /^Import customers\.csv/ }).click();
    await page.getByTestId('import-report').waitFor();
    const report = await page.getByTestId('import-report').innerText();
    assert.match(report, /New customers\s+11/i);
    assert.match(report, /Rejected\s+1/i);
    const rejects = await page.getByRole('region', { name: 'Rejected lines' }).innerText();
    assert.match(rejects, /11/, 'the line without a Customer Id is named by its line number');
    await screenshot(page, '04-import-report', true);
  });

  test('builds an audience with a live count and a masked preview', async () => {
    const { page } = browser;
    await nav(page, 'Audiences');
    await page.getByRole('heading', { name: 'No audiences yet' }).waitFor();
    await page.getByRole('link', { name: 'New audience' }).first().click();

    await page.getByLabel('Name', { exact: true }).fill('US customers');
    const condition = page.getByTestId('rule-condition').first();
    await condition.getByLabel('Field').selectOption('country');
    await condition.getByLabel('Operator').selectOption('equals');
    await condition.getByLabel('Value').fill('united states');

    await waitForText(page.getByTestId('audience-live-count'), '6');
    const preview = await page.getByRole(
      'complementary',
      { name: 'Live count and preview' },
    ).innerText();
    assert.match(preview, /Grace Hopper/);
    assert.match(preview, /g\*+@example\.com|g\*\*\*/);
    assert.doesNotMatch(preview, /grace\.hopper@example\.com/, 'emails are masked in the preview');
    await screenshot(page, '05-audience-editor', true);

    await page.getByRole('button', { name: 'Create audience' }).click();
    await page.getByRole('row', { name: /US customers/ }).waitFor();
    assert.match(await page.getByRole('row', { name: /US customers/ }).innerText(), /6/);
    await screenshot(page, '06-audience-list');
  });

  test('connects Meta through Facebook Login and chooses the ad account', async () => {
    const { page } = browser;
    await nav(page, 'Destinations');
    await page.getByRole('heading', { name: 'No destination connected' }).waitFor();
    await screenshot(page, '07-destinations-empty');
    await page.getByRole('button', { name: 'Connect destination' }).click();
    await page.getByRole('dialog').waitFor();
    await screenshot(page, '08-connect-dialog');

    await page.getByRole('link', { name: 'Continue with Facebook' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Connect Facebook Custom Audiences' }).waitFor();
    await page.getByRole('radio').first().check();
    await page.getByLabel('Destination name').fill('Meta ads');
    await screenshot(page, '09-connect-choose-account');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    await page.getByRole('row', { name: /Meta ads/ }).waitFor();
    assert.match(await page.getByRole('row', { name: /Meta ads/ }).innerText(), /Connected/);
    await screenshot(page, '10-destinations');
  });

  test('walks the four wizard steps to a Synced sync whose members are in Meta', async () => {
    const { page } = browser;
    await nav(page, 'Sync');
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    const menu = await page.getByRole('menu').innerText();
    assert.match(menu, /Sync Audience/);
    assert.doesNotMatch(menu, /Sync Dataset|Sync Data Source/, 'only what works is offered');
    await screenshot(page, '11-sync-menu');
    await page.getByRole('menuitem', { name: /Sync Audience/ }).click();

    // Step 1: the Export Audience counter follows the selection.
    await page.getByLabel('Audience', { exact: true }).selectOption(
      { label: 'US customers — 6 customers' },
    );
    await waitForText(page.getByTestId('export-audience-counter'), '6');
    await screenshot(page, 'wizard-1-select-audiences');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 2: only Connected destinations can be chosen.
    await page.getByRole('radio', { name: 'Use Meta ads' }).check();
    await screenshot(page, 'wizard-2-select-destination');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 3: identity, the new Facebook audience, mapping, hashing.
    await page.getByRole(
      'heading',
      { name: 'Set up Sync with Facebook Custom Audiences' },
    ).waitFor();
    await page.getByLabel('Sync Name').fill('US customers to Meta');
    await page.locator('#sync-description').fill('Everyone in the United States');
    await page.getByLabel('Audience Name').fill('Sourcesible — US customers');
    await page.getByText('This name is free in your Facebook Ad Account.').waitFor();
    assert.equal(await page.getByLabel('Sourcesible field for Email').inputValue(), 'email');
    assert.equal(await page.getByLabel('Sourcesible field for Phone Number').inputValue(), 'phone');
    await page.getByRole('button', { name: 'Add Mapping Field' }).click();
    await page.getByLabel('Facebook field to add').selectOption('FN');
    assert.equal(
      await page.getByLabel('Sourcesible field for First Name (FN)').inputValue(),
      'first_name',
    );
    assert.ok(await page.getByRole('radio', { name: /Yes \(default, recommended\)/ }).isChecked());
    await screenshot(page, 'wizard-3-set-up-sync', true);
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 4: schedule and the data quality preview.
    await page.getByRole('radio', { name: /Interval/ }).check();
    await page.getByLabel('Interval length').fill('6');
    await page.getByLabel('Interval unit').selectOption('hours');
    await waitForText(page.getByTestId('would-send'), '6');
    await screenshot(page, 'wizard-4-set-schedule', true);
    await page.getByTestId('finish').click();

    await page.getByRole('heading', { name: 'Sync', exact: true }).waitFor();
    const row = page.getByRole('row', { name: /US customers to Meta/ });
    await waitForText(row, 'Synced');
    assert.match(await row.innerText(), /Every 6 hours/);
    await screenshot(page, '12-sync-list');

    const [sync] = await server.api<Array<{ id: number; metaAudience: { id: string } }>>(
      'GET',
      '/api/syncs',
    );
    const rows = server.meta.control.rows(sync!.metaAudience.id);
    assert.equal(rows.length, 6);
    const emails = rows.map((member) => member.EMAIL).sort();
    const expected = [
      'grace.hopper',
      'katherine.johnson',
      'margaret.hamilton',
      'barbara.liskov',
      'frances.allen',
    ]
      .map(
      (name) => sha(`${name}@example.com`),
    );
    for (const hash of expected) assert.ok(
      emails.includes(hash),
      'each valid email arrives hashed',
    );

    await row.click();
    await page.getByTestId('meta-audience-id').waitFor();
    assert.equal(await page.getByTestId('meta-audience-id').innerText(), sync!.metaAudience.id);
    await page.getByRole('region', { name: 'Run history' }).getByText('Succeeded').waitFor();
    await screenshot(page, '13-sync-detail', true);
  });

  test('shows a run with its batches, and every wizard setting on the Settings tab', async () => {
    const { page } = browser;
    await page.getByRole('region', { name: 'Run history' }).getByRole('row', { name: /Run \d+, succeeded/ }).click();
    const dialog = page.getByRole('dialog');
    await waitForText(dialog, 'Batches Meta acknowledged');
    assert.match(await dialog.innerText(), /add|users/i);
    await screenshot(page, '14-run-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: 'Settings' }).click();
    assert.equal(await page.getByLabel('Sync Name').inputValue(), 'US customers to Meta');
    assert.equal(await page.getByLabel('Audience Name').inputValue(), 'Sourcesible — US customers');
    assert.equal(await page.getByLabel('Interval length').inputValue(), '6');
    await page.locator('#sync-description').fill('Everyone in the US');
    await page.getByRole('region', { name: 'Unsaved changes' }).waitFor();
    await screenshot(page, '15-sync-settings', true);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('region', { name: 'Unsaved changes' }).waitFor({ state: 'detached' });
    const [saved] = await server.api<Array<{ description: string }>>('GET', '/api/syncs');
    assert.equal(saved!.description, 'Everyone in the US');
  });

  test('lists customers masked, and makes an API token shown once', async () => {
    const { page } = browser;
    await nav(page, 'Customers');
    await page.getByRole('row', { name: /Grace Hopper/ }).waitFor();
    const table = await page.getByRole('table', { name: 'Customers' }).innerText();
    assert.doesNotMatch(table, /grace\.hopper@example\.com/);
    await screenshot(page, '16-customers');

    await nav(page, 'API tokens');
    await page.getByRole('button', { name: 'New token' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('nightly export');
    await page.keyboard.press('Enter');
    const token = await page.getByLabel('New token').inputValue();
    assert.ok(token.length > 20);
    await screenshot(page, '17-api-token-created');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('row', { name: /nightly export/ }).waitFor();
    const answer = await fetch(`${server.url}/api/syncs`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 200, 'the token works for scripts');
  });
});
