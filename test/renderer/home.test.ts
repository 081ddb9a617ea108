import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { resultCells, screenshot, searchBox, useApp } from './app-page';

const app = useApp();

function homeGrid(page: Page) {
  return page.getByRole('listbox', { name: 'All photos' });
}

function homeCells(page: Page) {
  return homeGrid(page).getByRole('option');
}

/** Photo ids of Home's rendered cells, in timeline order. */
function homePhotoIds(page: Page): Promise<number[]> {
  return homeCells(page).evaluateAll((cells) =>
    cells
      .map((cell) => ({ index: Number(cell.dataset.index), id: Number(cell.id.slice(6)) }))
      .sort((a, b) => a.index - b.index)
      .map((cell) => cell.id),
  );
}

interface TimelineCall {
  offset: number;
  limit: number;
}

function timelineCalls(page: Page): Promise<TimelineCall[]> {
  return page.evaluate(() =>
    window.fake.argsOf('photos.timeline').map((args) => args[0] as TimelineCall),
  );
}

/** The text of the month header pinned at the top of the grid, and its offset from the grid's top. */
function pinnedHeader(page: Page): Promise<{ text: string; offset: number }> {
  return homeGrid(page).evaluate((grid) => {
    const header = grid.querySelector<HTMLElement>('.timeline-header-pinned');
    return {
      text: header?.querySelector('h2')?.textContent ?? '',
      offset: (header?.getBoundingClientRect().top ?? -1) - grid.getBoundingClientRect().top,
    };
  });
}

describe('home timeline', () => {
  it('is the first tab and shows every photo newest first under month headers', async () => {
    const page = await app.open();
    const tab = page.getByRole('tab', { name: 'Photos' });
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    await homeCells(page).first().waitFor();
    expect(await page.locator('.results-summary').textContent()).toBe(
      '400 photos · Ctrl-click to select',
    );

    // The fake library's ids grow with time, so newest first is descending ids from the last.
    const ids = await homePhotoIds(page);
    expect(ids.slice(0, 5)).toEqual([400, 399, 398, 397, 396]);
    // Photo n was taken n × 3.7 h after 1 Jan 2023: 400 on 2 March, 383 to 400 in March.
    const headers = await homeGrid(page).locator('.timeline-header h2').allTextContents();
    expect(headers.slice(0, 2)).toEqual(['March 2023', 'February 2023']);
    expect(await homeGrid(page).locator('.timeline-header span').first().textContent()).toBe(
      '18 photos',
    );
    // Only pages are asked for, never the whole library at once.
    const calls = await timelineCalls(page);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.limit <= 240)).toBe(true);
    await screenshot(page, 'home-light');
  });

  it('keeps the month at the top pinned while scrolling', async () => {
    const page = await app.open();
    await homeCells(page).first().waitFor();
    expect(await pinnedHeader(page)).toMatchObject({ text: 'March 2023' });
    await homeGrid(page).evaluate((grid) => grid.scrollTo({ top: 3000 }));
    await expect.poll(async () => (await pinnedHeader(page)).text).not.toBe('March 2023');
    const pinned = await pinnedHeader(page);
    expect(pinned.offset).toBeGreaterThanOrEqual(0);
    expect(pinned.offset).toBeLessThan(20);
    // The pinned month is the month of the first photos in view.
    const firstInView = await homeGrid(page).evaluate((grid) => {
      const top = grid.getBoundingClientRect().top + 60;
      const cells = [...grid.querySelectorAll<HTMLElement>('[role=option]')];
      const cell = cells.find((candidate) => candidate.getBoundingClientRect().bottom > top);
      return Number(cell?.id.slice(6));
    });
    const month = new Date(Date.UTC(2023, 0, 1) + firstInView * 3.7 * 3_600_000).toLocaleDateString(
      'en-US',
      { month: 'long', year: 'numeric', timeZone: 'UTC' },
    );
    expect(pinned.text).toBe(month);
  });

  it('looks right in the dark theme', async () => {
    const page = await app.open('library', { colorScheme: 'dark' });
    await homeCells(page).first().waitFor();
    await homeGrid(page).evaluate((grid) => grid.scrollTo({ top: 1500 }));
    await expect.poll(async () => (await pinnedHeader(page)).text).not.toBe('March 2023');
    await screenshot(page, 'home-dark');
  });

  it('scrolls 100,000 photos asking only for the pages in view', async () => {
    const started = Date.now();
    const page = await app.open('huge');
    await homeCells(page).first().waitFor();
    const firstCells = Date.now() - started;
    const grid = homeGrid(page);
    expect(await grid.evaluate((element) => element.scrollHeight)).toBeGreaterThan(1_000_000);

    await grid.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
    await expect.poll(() => homeCells(page).count()).toBeGreaterThan(0);
    expect(await homeCells(page).count()).toBeLessThan(200);

    const scrolled = Date.now();
    await grid.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await page.locator('#photo-1').waitFor();
    const toBottom = Date.now() - scrolled;
    expect(await homeCells(page).count()).toBeLessThan(200);
    expect(await page.locator('#photo-1').getAttribute('data-index')).toBe('99999');

    const calls = await timelineCalls(page);
    const fetched = calls.reduce((sum, call) => sum + call.limit, 0);
    expect(fetched).toBeLessThan(5_000);
    console.log(
      `home, 100,000 photos: first cells ${firstCells} ms after opening, bottom ${toBottom} ms after the jump; ${calls.length} pages (${fetched} photos) fetched`,
    );
  });

  it('opens a photo, and Find similar there goes to the search results', async () => {
    const page = await app.open();
    await homeCells(page).first().waitFor();
    const cell = homeCells(page).nth(3);
    const name = (await cell.getAttribute('title'))?.split('/').at(-1) ?? '';
    await cell.click();
    const dialog = page.getByRole('dialog', { name });
    await dialog.waitFor();
    expect(await dialog.locator('.photo-view-score').count()).toBe(0);
    expect(await dialog.getByRole('img').getAttribute('src')).toBe('/fake-media/photo/397.svg');

    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.getByRole('dialog').getByRole('img').getAttribute('src'))
      .toBe('/fake-media/photo/396.svg');
    await page.getByRole('button', { name: 'Find similar' }).click();
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.fake.argsOf('search.similar'))).toEqual([
      [396, { limit: 1000 }],
    ]);
  });

  it('marks photos with Ctrl- and Shift-click and finds more like them', async () => {
    const page = await app.open();
    await homeCells(page).first().waitFor();
    await homeCells(page)
      .nth(1)
      .click({ modifiers: ['Control'] });
    await homeCells(page)
      .nth(3)
      .click({ modifiers: ['Control'] });
    await homeCells(page)
      .nth(5)
      .click({ modifiers: ['Shift'] });
    await homeCells(page)
      .nth(1)
      .click({ modifiers: ['Control'] });
    expect(await page.locator('.results-summary').textContent()).toBe('3 photos selected of 400');
    expect(await homeGrid(page).locator('[aria-selected=true]').count()).toBe(3);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await screenshot(page, 'home-marked');

    await page.getByRole('button', { name: 'More like these' }).click();
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.fake.argsOf('search.similar'))).toEqual([
      [[397, 396, 395], { limit: 1000 }],
    ]);
    expect(await page.locator('.image-query').textContent()).toContain('3 photos');

    // Clearing the query brings Home back, the marks kept.
    await page.keyboard.press('Escape');
    await homeCells(page).first().waitFor();
    expect(await homeGrid(page).locator('[aria-selected=true]').count()).toBe(3);
  });

  it('moves through the months, marks and opens photos with the keyboard', async () => {
    const page = await app.open();
    await homeCells(page).first().waitFor();
    await homeGrid(page).focus();
    // March 2023 holds 18 photos, 5 to a row at this width: rows 0-4, 5-9, 10-14, 15-17.
    expect(
      await homeGrid(page).locator('.photo-grid-row').first().getByRole('option').count(),
    ).toBe(5);
    const current = () => homeGrid(page).getAttribute('aria-activedescendant');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await current()).toBe('photo-399');
    await page.keyboard.press(' ');
    await page.keyboard.press('ArrowDown');
    expect(await current()).toBe('photo-394');
    await page.keyboard.press(' ');
    expect(await homeGrid(page).locator('[aria-selected=true]').count()).toBe(2);
    // Down past the short last row of March lands in the same column of February's first row.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await current()).toBe('photo-384');
    await page.keyboard.press('ArrowDown');
    expect(await current()).toBe('photo-381');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('dialog').getByRole('img').getAttribute('src'))
      .toBe('/fake-media/photo/381.svg');
    await page.keyboard.press('Escape');
    await page.keyboard.press('End');
    await page.locator('#photo-1').waitFor();
    expect(await current()).toBe('photo-1');
    await page.getByRole('button', { name: 'More like these' }).click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.similar')))
      .toEqual([[[399, 394], { limit: 1000 }]]);
  });

  it('search results replace Home while a query is active', async () => {
    const page = await app.open();
    await homeCells(page).first().waitFor();
    await searchBox(page).fill('red');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    expect(await homeGrid(page).count()).toBe(0);
    await searchBox(page).fill('');
    await homeCells(page).first().waitFor();
    expect(await page.getByRole('tab', { name: 'Photos' }).getAttribute('aria-selected')).toBe(
      'true',
    );
  });
});
