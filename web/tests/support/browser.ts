import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './build.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-artifacts', 'screenshots');

/** Why the browser tests cannot run here, or undefined when they can. */
export const skipReason: string | undefined = existsSync(CHROMIUM_PATH)
  ? undefined
  : `browser tests skipped: ${CHROMIUM_PATH} is missing (install Debian's chromium package; the tests never download a browser)`;

export interface Browser {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile and a 1366x768 laptop screen. */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'sourcesible-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
    viewport: { width: 1366, height: 768 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A full-page capture keeps the viewport's layout, so what sticks to the viewport is let go.
const FULL_PAGE_STYLE =
  '.action-bar, .topbar, .sidebar { position: static !important; } .sidebar { height: auto !important; } .toasts { display: none; }';

/** Saves test-artifacts/screenshots/<name>.png; fullPage shows what scrolls below the fold too. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({
    path: join(SCREENSHOT_DIR, `${name}.png`),
    fullPage,
    animations: 'disabled',
    ...(fullPage && { style: FULL_PAGE_STYLE }),
  });
}

/** Saves a screenshot named after a test that failed, to see what the page showed. */
export async function screenshotOnFailure(
  page: Page,
  context: { name: string; passed?: boolean },
): Promise<void> {
  if (context.passed === false) await screenshot(
    page,
    `failed-${context.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}`,
    true,
  );
}

export async function logIn(page: Page, url: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('current-user').waitFor();
}
