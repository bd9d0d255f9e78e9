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
import { describedError, fillWizardToSchedule, openWizard, waitForText } from './support/wizard.ts';

const TAKEN_NAME = 'Spring buyers (made in Ads Manager)';

describe('the wizard explains what is wrong next to the field at fault', {
  skip: skipReason,
}, () => {
  let server: AppServer;
  let browser: Browser;

  before(async () => {
    server = await startAppServer();
    await seedCustomers(server, 12);
    await server.api(
      'POST',
      '/api/audiences',
      { name: 'Norway', rule: { all: [{ field: 'country', op: 'equals', value: 'Norway' }] } },
    );
    await connectEmulatorDestination(server, 'Meta ads');
    server.meta.control.createAudienceDirectly(TAKEN_NAME);
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

  test('a 51-character Sync Name shows the limit as you type and keeps you on Set up Sync', async () => {
    const { page } = browser;
    await openWizard(page);
    await page.getByLabel('Audience', { exact: true }).selectOption(
      { label: 'Norway — 6 customers' },
    );
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: 'Use Meta ads' }).check();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Sync Name').fill('x'.repeat(51));
    await page.locator('#sync-description').fill('d'.repeat(51));

    assert.equal(
      await describedError(page, 'Sync Name'),
      'Sync Name must be at most 50 characters (now 51).',
    );
    assert.equal(
      await describedError(page, page.locator('#sync-description')),
      'Sync Description must be at most 50 characters (now 51).',
    );
    assert.equal(await page.locator('#sync-name-counter').innerText(), '51/50');
    await page.getByRole('button', { name: 'Next' }).click();
    assert.ok(
      await page.getByRole(
        'heading',
        { name: 'Set up Sync with Facebook Custom Audiences' },
      ).isVisible(),
      'Next does not leave the step',
    );
    await screenshot(page, 'wizard-3-validation-limits');

    await page.getByLabel('Sync Name').fill('x'.repeat(50));
    await page.locator('#sync-description').fill('');
    assert.equal(await describedError(page, 'Sync Name'), '');
    assert.equal(await page.locator('#sync-name-counter').innerText(), '50/50');
  });

  test('an Audience Name already used in the ad account is refused as you type', async () => {
    const { page } = browser;
    await page.getByLabel('Sync Name').fill('Norway to Meta');
    await page.getByLabel('Audience Name').fill(TAKEN_NAME);

    await waitForText(page.locator('#meta-audience-name-error'), 'already exists');
    assert.match(
      await describedError(page, 'Audience Name'),
      /A Custom Audience named "Spring buyers \(made in Ads Manager\)" already exists/,
    );
    await screenshot(page, 'wizard-3-validation-duplicate-name');
    await page.getByRole('button', { name: 'Next' }).click();
    assert.ok(
      await page.getByRole(
        'heading',
        { name: 'Set up Sync with Facebook Custom Audiences' },
      ).isVisible(),
    );
  });

  test('a mapping without Email, Phone or another identifier is refused', async () => {
    const { page } = browser;
    await page.getByLabel('Audience Name').fill('Norway customers');
    await page.getByText('This name is free in your Facebook Ad Account.').waitFor();
    await page.getByLabel('Sourcesible field for Email').selectOption('');
    await page.getByLabel('Sourcesible field for Phone Number').selectOption('');
    await page.getByRole('button', { name: 'Next' }).click();

    await waitForText(page.locator('#mapping-error'), 'Map at least Email or Phone Number');
    await page.getByLabel('Sourcesible field for Email').selectOption('email');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Set Schedule' }).waitFor();
  });

  test('the API refusing a name taken since the check reopens Set up Sync with its message at Audience Name', async () => {
    const { page } = browser;
    server.meta.control.createAudienceDirectly('Norway customers');
    await page.getByTestId('finish').click();

    await page.getByRole(
      'heading',
      { name: 'Set up Sync with Facebook Custom Audiences' },
    ).waitFor();
    const message = await describedError(page, 'Audience Name');
    assert.match(
      message,
      /A Custom Audience named "Norway customers" already exists in ad account act_\d+/,
    );
    assert.deepEqual(await server.api('GET', '/api/syncs'), [], 'nothing was created');
    await screenshot(page, 'wizard-3-validation-api-field');
  });

  test('the interval must be at least 5 minutes', async () => {
    const { page } = browser;
    await page.getByLabel('Audience Name').fill('Norway customers, take two');
    await page.getByText('This name is free in your Facebook Ad Account.').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: /Interval/ }).check();
    await page.getByLabel('Interval unit').selectOption('minutes');
    await page.getByLabel('Interval length').fill('4');
    await page.getByTestId('finish').click();

    await waitForText(page.locator('#schedule-error'), 'Run at most every 5 minutes.');
    assert.deepEqual(await server.api('GET', '/api/syncs'), []);
  });
});

describe('Use an existing Facebook audience', { skip: skipReason }, () => {
  let server: AppServer;
  let browser: Browser;

  before(async () => {
    server = await startAppServer();
    await seedCustomers(server, 12);
    await server.api(
      'POST',
      '/api/audiences',
      { name: 'Chile', rule: { all: [{ field: 'country', op: 'equals', value: 'Chile' }] } },
    );
    await connectEmulatorDestination(server, 'Meta ads');
    for (let index = 1; index <= 30; index += 1) server.meta.control.createAudienceDirectly(
      `Ads Manager list ${String(index).padStart(2, '0')}`,
    );
    server.meta.control.createAudienceDirectly(
      'Chile retargeting',
      { rows: [{ EMAIL: 'a'.repeat(64) }] },
    );
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

  test('lists the ad account’s audiences page by page and replaces the chosen one’s members', async () => {
    const { page } = browser;
    await openWizard(page);
    await page.getByLabel('Audience', { exact: true }).selectOption(
      { label: 'Chile — 6 customers' },
    );
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: 'Use Meta ads' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Sync Name').fill('Chile into the existing list');
    await page.getByRole('radio', { name: /Use an existing Facebook audience/ }).check();

    const select = page.getByLabel('Existing Facebook audience', { exact: true });
    await page.getByRole('button', { name: 'Load more' }).waitFor();
    const audiences = select.locator('option:not([value=""])');
    assert.equal(await audiences.count(), 25, 'the first page holds 25 of the 31');
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    assert.equal(await audiences.count(), 31, 'the second page brings the rest');
    const value = await select.locator('option', { hasText: 'Chile retargeting' }).getAttribute(
      'value',
    );
    await select.selectOption(value!);
    await page.getByRole('radio', { name: /^Replace/ }).check();
    await screenshot(page, 'wizard-3-existing-audience', true);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('finish').click();

    await waitForText(page.getByRole('row', { name: /Chile into the existing list/ }), 'Synced');
    const rows = server.meta.control.rows(value!);
    assert.equal(rows.length, 6, 'replace leaves exactly the audience’s members');
    assert.ok(
      !rows.some((row) => row.EMAIL === 'a'.repeat(64)),
      'the member that was there before is gone',
    );
  });
});
