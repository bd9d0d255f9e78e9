import type { Locator, Page } from 'playwright-core';

export interface WizardChoices {
  audience: string;
  destination: string;
  syncName: string;
  metaAudienceName: string;
}

/** Opens Activation → Sync and the wizard through the Sync button's menu. */
export async function openWizard(page: Page): Promise<void> {
  await nav(page, 'Sync');
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await page.getByRole('menuitem', { name: /Sync Audience/ }).click();
  await page.getByRole('heading', { name: 'Sync Audience' }).waitFor();
}

/** Steps 1–3 with valid choices, ending on Step 4 (Set Schedule). */
export async function fillWizardToSchedule(page: Page, choices: WizardChoices): Promise<void> {
  await page.getByLabel('Audience', { exact: true }).selectOption({ label: choices.audience });
  await waitForText(page.getByTestId('export-audience-counter'), /\d+\s*Customers?/);
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('radio', { name: `Use ${choices.destination}` }).check();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('Sync Name').fill(choices.syncName);
  await page.getByLabel('Audience Name').fill(choices.metaAudienceName);
  await page.getByText('This name is free in your Facebook Ad Account.').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Set Schedule' }).waitFor();
}

export async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole(
    'link',
    { name, exact: true },
  ).click();
}

/** Waits until the locator (or one of its matches) shows the text. */
export async function waitForText(
  locator: Locator,
  text: string | RegExp,
  timeout = 20_000,
): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout });
}

/** The error text tied to a form control (a label, or a locator) through aria-describedby. */
export async function describedError(page: Page, label: string | Locator): Promise<string> {
  const control = typeof label === 'string' ? page.getByLabel(label, { exact: true }) : label;
  const ids = (await control.getAttribute('aria-describedby')) ?? '';
  const errorId = ids.split(' ').find((id) => id.endsWith('-error'));
  if (!errorId) return '';
  return page.locator(`[id="${errorId}"]`).innerText();
}
