import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { openBrowser, screenshot, screenshotOnFailure, skipReason, type Browser } from './support/browser.ts';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, connectEmulatorDestination, seedCustomers, startAppServer, type AppServer } from './support/server.ts';

describe('the keyboard alone gets through', { skip: skipReason }, () => {
  let server: AppServer;
  let browser: Browser;

  before(async () => {
    server = await startAppServer();
    await seedCustomers(server, 4);
    await server.api('POST', '/api/audiences', { name: 'Everyone', rule: { all: [] } });
    await connectEmulatorDestination(server, 'Meta ads');
    browser = await openBrowser();
  });

  afterEach(async (t) => {
    if (browser) await screenshotOnFailure(browser.page, t);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('logs in with Enter, opens Sync Audience from the menu with the arrow keys', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByLabel('Username').focus();
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByTestId('current-user').waitFor();

    await page.getByRole('button', { name: 'Sync', exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'menuitem');
    await screenshot(page, '18-keyboard-menu');
    await page.keyboard.press('Escape');
    assert.equal(await page.getByRole('menu').count(), 0, 'Escape closes the menu');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sync Audience' }).waitFor();
  });

  test('moves through the wizard steps with Enter and shows where focus is', async () => {
    const { page } = browser;
    await page.getByLabel('Audience', { exact: true }).selectOption({ label: 'Everyone — 4 customers' });
    await page.getByLabel('Audience', { exact: true }).focus();
    await tabTo(page, 'Next');
    await page.keyboard.press('Enter');
    await page.getByRole('radio', { name: 'Use Meta ads' }).focus();
    await page.keyboard.press('Space');
    await tabTo(page, 'Next');
    await page.keyboard.press('Enter');

    await page.getByLabel('Sync Name').waitFor();
    await page.getByLabel('Sync Name').focus();
    const ring = await page.getByLabel('Sync Name').evaluate((element) => getComputedStyle(element).boxShadow);
    assert.notEqual(ring, 'none', 'a focused field shows a focus ring');
    await page.keyboard.type('Keyboard sync');
    await page.keyboard.press('Enter');
    assert.ok(await page.getByRole('heading', { name: 'Set up Sync with Facebook Custom Audiences' }).isVisible(), 'Enter with the step incomplete stays');
    await page.getByLabel('Audience Name').fill('Keyboard audience');
    await page.getByText('This name is free in your Facebook Ad Account.').waitFor();
    await page.getByLabel('Audience Name').press('Enter');
    await page.getByRole('heading', { name: 'Set Schedule' }).waitFor();

    await page.getByRole('radio', { name: /Manual/ }).press('Enter');
    assert.deepEqual(await server.api('GET', '/api/syncs'), [], 'Enter never presses Finish');
  });

  test('Escape closes a dialog and gives focus back to what opened it', async () => {
    const { page } = browser;
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await cancel.click();
    await page.getByRole('dialog', { name: 'Discard this sync?' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(await cancel.evaluate((element) => element === document.activeElement), true);
  });
});

/** Presses Tab until the focused element reads `text`, as a person would. */
async function tabTo(page: Page, text: string): Promise<void> {
  for (let press = 0; press < 15; press += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (focused === text) return;
  }
  throw new Error(`Tab never reached "${text}"`);
}
