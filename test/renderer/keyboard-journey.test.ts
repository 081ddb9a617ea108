import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { resultCells, searchBox, useApp } from './app-page';

const app = useApp();

/** The accessible name (or text) of the focused element. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    return (element?.getAttribute('aria-label') ?? element?.textContent ?? '').trim();
  });
}

/** Presses Tab until the focused element is called `name`; fails after `limit` presses. */
async function tabTo(page: Page, name: string | RegExp, limit = 60): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  for (let press = 0; press < limit; press++) {
    if (matches(await focusedName(page))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached "${String(name)}" (last: "${await focusedName(page)}")`);
}

/**
 * The main journeys of the issue "The app as people use it", in one session, by keyboard only: no
 * click, no hover. Add a folder, search, browse the results, open one, find similar, close, the
 * failures, retry.
 */
describe('keyboard only, one session', () => {
  it('adds a folder, searches, opens, finds similar, closes, reviews failures and retries', async () => {
    const page = await app.open('library');

    await tabTo(page, 'Add folder…');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('folders.add')))
      .toEqual([['/home/ana/Pictures/Lisbon 2024']]);

    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    await page.keyboard.type('red');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(3);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    const selected = page.locator('[role=option][aria-selected=true]');
    await expect.poll(() => selected.getAttribute('data-index')).toBe('1');
    const name = ((await selected.getAttribute('title')) ?? '').split('/').at(-1)!;

    await page.keyboard.press('Enter');
    const photo = page.getByRole('dialog', { name });
    await photo.waitFor();
    await tabTo(page, 'Find similar');
    await page.keyboard.press('Enter');
    await expect.poll(() => photo.count()).toBe(0);
    await expect.poll(() => page.locator('.image-query').textContent()).toContain(name);
    expect(await page.evaluate(() => window.fake.argsOf('search.similar').length)).toBe(1);
    // Focus is not lost to <body> after Find similar.
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);

    // Open a similar photo and close it again: focus returns to the grid.
    await page.keyboard.press('Escape');
    await searchBox(page).focus();
    await page.keyboard.type('red');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(3);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('listbox');

    await tabTo(page, 'Review');
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Files that could not be indexed' });
    await drawer.getByRole('listitem').first().waitFor();
    await tabTo(page, /^Retry/);
    const retried = await focusedName(page);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('failures.retry').length))
      .toBe(1);
    expect(retried).toMatch(/^Retry/);
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
    expect(await focusedName(page)).toBe('Review');
  });
});
