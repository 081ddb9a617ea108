import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { launchChromium } from './chromium';
import { photoHue } from './fake-library';
import type { ScenarioName } from './scenarios';

const screenshotDir = new URL('../../test-results/screenshots/', import.meta.url);

export interface OpenOptions {
  colorScheme?: 'light' | 'dark';
  /** A touch screen (Playwright's hasTouch), for gestures dispatched as touch events. */
  hasTouch?: boolean;
  /** Console errors this test causes on purpose (a failed download); any other fails the test. */
  expectedConsoleErrors?: RegExp;
}

interface OpenApp {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/**
 * One Chromium per test file and a fresh context (storage included) per test. After each test:
 * the fake core must have received only valid arguments, and the page must have logged no
 * errors (CSP violations included).
 */
export function useApp(): {
  open: (scenario?: ScenarioName, options?: OpenOptions) => Promise<Page>;
} {
  let browser: Browser | undefined;
  let opened: OpenApp[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    const apps = opened;
    opened = [];
    for (const app of apps) {
      const invalidCalls = await app.page.evaluate(() => window.fake.invalidCalls);
      await app.context.close();
      expect(invalidCalls).toEqual([]);
      expect(app.errors).toEqual([]);
    }
  });

  async function open(
    scenario: ScenarioName = 'library',
    options: OpenOptions = {},
  ): Promise<Page> {
    if (!browser) throw new Error('open() before the browser started');
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
      timezoneId: 'UTC',
      colorScheme: options.colorScheme ?? 'light',
      hasTouch: options.hasTouch ?? false,
    });
    // Locator reads wait for their element; a short limit keeps a failing poll from stalling.
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    const app: OpenApp = { context, page, errors: [] };
    page.on('pageerror', (error) => app.errors.push(error.message));
    page.on('console', (message) => {
      const text = `${message.text()} (${message.location().url})`;
      if (message.type() === 'error' && !options.expectedConsoleErrors?.test(text))
        app.errors.push(text);
    });
    opened.push(app);
    await page.goto(`${inject('harnessUrl')}?scenario=${scenario}`);
    await page.locator('.app').waitFor();
    return page;
  }

  return { open };
}

export async function screenshot(page: Page, state: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  // Let lazy thumbnails arrive so the picture shows the state, not loading placeholders.
  // Only those in view: a lazy image below the fold never loads, and is not in the picture.
  await page.waitForFunction(() =>
    [...document.images]
      .filter((image) => {
        const box = image.getBoundingClientRect();
        return box.bottom > 0 && box.top < window.innerHeight && box.width > 0;
      })
      .every((image) => image.complete),
  );
  await page.screenshot({ path: new URL(`${state}.png`, screenshotDir).pathname });
}

export function searchBox(page: Page) {
  return page.getByRole('searchbox', { name: 'Search photos' });
}

/** The cells of the search results' grid (Home's grid, when shown, has its own). */
export function resultCells(page: Page) {
  return page.getByRole('listbox', { name: 'Results' }).getByRole('option');
}

/** Photo ids of the rendered result cells, in grid order. */
export async function renderedPhotoIds(page: Page): Promise<number[]> {
  return resultCells(page).evaluateAll((cells) =>
    cells.map((cell) => Number(cell.id.replace('photo-', ''))),
  );
}

export async function topResultHue(page: Page): Promise<number | null> {
  const [first] = await renderedPhotoIds(page);
  return first === undefined ? null : photoHue(first);
}

/** Shortest distance between two hues in degrees. */
export function hueDistance(a: number, b: number): number {
  const difference = Math.abs(a - b) % 360;
  return Math.min(difference, 360 - difference);
}

/** Lets the page finish its pending promise callbacks and render them. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))),
      ),
  );
}
