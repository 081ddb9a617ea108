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

interface PinnedHeader {
  text: string;
  /** From the grid's top to the header's top. */
  offset: number;
  height: number;
}

/** The month header (`h2`) or the day header (`h3`) pinned at the top of the grid. */
function pinnedHeader(page: Page, level: 'h2' | 'h3' = 'h2'): Promise<PinnedHeader> {
  return homeGrid(page).evaluate((grid, level) => {
    const heading = grid.querySelector<HTMLElement>(`.timeline-header-pinned ${level}`);
    const header = heading?.parentElement?.getBoundingClientRect();
    return {
      text: heading?.textContent ?? '',
      offset: (header?.top ?? -1) - grid.getBoundingClientRect().top,
      height: header?.height ?? 0,
    };
  }, level);
}

/** When the fake library's photo was taken: photo n n × 3.7 h after 1 Jan 2023 (fake-core.ts). */
function takenAt(photoId: number): Date {
  return new Date(Date.UTC(2023, 0, 1) + photoId * 3.7 * 3_600_000);
}

/** A day header's text for a date: the page's locale is en-US, like Chromium's default. */
function dayText(date: Date): string {
  return date.toLocaleDateString('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * For every cell in view, its photo id and the day header it is shown under: the nearest day
 * header above it, or the pinned one for the cells above every other header.
 */
function cellsUnderDays(page: Page): Promise<{ photoId: number; day: string }[]> {
  return homeGrid(page).evaluate((grid) => {
    const top = (element: Element) => element.getBoundingClientRect().top;
    const pinned = grid.querySelector('.timeline-day.timeline-header-pinned h3')?.textContent ?? '';
    const headers = [...grid.querySelectorAll('.timeline-day:not(.timeline-header-pinned)')]
      .map((header) => ({ top: top(header), day: header.querySelector('h3')?.textContent ?? '' }))
      .sort((a, b) => a.top - b.top);
    const gridTop = top(grid);
    // The overscan's cells above the grid's top are under no header in view.
    return [...grid.querySelectorAll('[role=option]')]
      .filter((cell) => cell.getBoundingClientRect().bottom > gridTop)
      .map((cell) => ({
        photoId: Number(cell.id.slice(6)),
        day: headers.filter((header) => header.top < top(cell)).at(-1)?.day ?? pinned,
      }));
  });
}

/** The cells shown under a header of a day they were not taken on. */
async function cellsUnderWrongDays(page: Page): Promise<{ photoId: number; day: string }[]> {
  const cells = await cellsUnderDays(page);
  return cells.filter((cell) => cell.day !== dayText(takenAt(cell.photoId)));
}

describe('home timeline', () => {
  it('is the first tab and shows every photo newest first under month and day headers', async () => {
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
    expect(headers[0]).toBe('March 2023');
    expect(await homeGrid(page).locator('.timeline-month span').first().textContent()).toBe(
      '18 photos',
    );
    // March: 383-389 on the 1st, 390-395 on the 2nd, 396-400 on the 3rd.
    const days = homeGrid(page).locator('.timeline-day');
    expect((await days.locator('h3').allTextContents()).slice(0, 3)).toEqual([
      'Friday, March 3',
      'Thursday, March 2',
      'Wednesday, March 1',
    ]);
    expect((await days.locator('span').allTextContents()).slice(0, 3)).toEqual([
      '5 photos',
      '6 photos',
      '7 photos',
    ]);
    expect(await cellsUnderWrongDays(page)).toEqual([]);
    // Only pages are asked for, never the whole library at once.
    const calls = await timelineCalls(page);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.limit <= 240)).toBe(true);
    await screenshot(page, 'home-light');
  });

  it('keeps the month and, under it, the day at the top pinned while scrolling', async () => {
    const page = await app.open();
    await homeCells(page).first().waitFor();
    expect(await pinnedHeader(page)).toMatchObject({ text: 'March 2023' });
    expect(await pinnedHeader(page, 'h3')).toMatchObject({ text: 'Friday, March 3' });
    await homeGrid(page).evaluate((grid) => grid.scrollTo({ top: 3000 }));
    await expect.poll(async () => (await pinnedHeader(page)).text).not.toBe('March 2023');
    const month = await pinnedHeader(page);
    expect(month.offset).toBeGreaterThanOrEqual(0);
    expect(month.offset).toBeLessThan(20);
    const day = await pinnedHeader(page, 'h3');
    expect(day.offset).toBeCloseTo(month.offset + month.height, 0);
    // The pinned month and day are those of the first photos in view (the top row may be hidden
    // under the pinned headers but for its last pixels).
    const firstInView = await homeGrid(page).evaluate((grid) => {
      const top = grid.getBoundingClientRect().top;
      const cells = [...grid.querySelectorAll<HTMLElement>('[role=option]')];
      const cell = cells.find((candidate) => candidate.getBoundingClientRect().bottom > top);
      return Number(cell?.id.slice(6));
    });
    const taken = takenAt(firstInView);
    expect(month.text).toBe(
      taken.toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
    );
    expect(day.text).toBe(dayText(taken));
    expect(await cellsUnderWrongDays(page)).toEqual([]);
  });

  it('scrolls a photo reached by the keyboard out from under the pinned headers', async () => {
    const page = await app.open();
    await homeCells(page).first().waitFor();
    await homeGrid(page).focus();
    /** From the pinned day header's bottom to the current cell's top, and the cell's id. */
    const currentCell = () =>
      homeGrid(page).evaluate((grid) => {
        const cell = grid.querySelector('.photo-cell[data-current]');
        const day = grid.querySelector('.timeline-day.timeline-header-pinned');
        return {
          id: cell?.id,
          below:
            (cell?.getBoundingClientRect().top ?? 0) - (day?.getBoundingClientRect().bottom ?? 0),
        };
      });
    for (let row = 0; row < 10; row++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => homeGrid(page).evaluate((grid) => grid.scrollTop)).toBeGreaterThan(0);
    // Each step up lands on the row above; the grid scrolls it fully into view, under the headers.
    for (let row = 0; row < 10; row++) {
      await page.keyboard.press('ArrowUp');
      const id = await homeGrid(page).getAttribute('aria-activedescendant');
      await expect.poll(async () => (await currentCell()).id).toBe(id);
      await expect.poll(async () => (await currentCell()).below).toBeGreaterThanOrEqual(0);
    }
    expect(await homeGrid(page).getAttribute('aria-activedescendant')).toBe('photo-400');
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
    expect(await cellsUnderWrongDays(page)).toEqual([]);

    const scrolled = Date.now();
    await grid.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await page.locator('#photo-1').waitFor();
    const toBottom = Date.now() - scrolled;
    expect(await homeCells(page).count()).toBeLessThan(200);
    expect(await page.locator('#photo-1').getAttribute('data-index')).toBe('99999');
    // Laid out from the day counts alone, the rows still hold each day's photos.
    expect(await cellsUnderWrongDays(page)).toEqual([]);

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

  it('moves through the days and months, marks and opens photos with the keyboard', async () => {
    const page = await app.open();
    await homeCells(page).first().waitFor();
    await homeGrid(page).focus();
    // 5 to a row at this width: 3 March is 400-396, 2 March 395-391 and 390, 1 March 389-385
    // and 384-383, 28 February 382-378 and 377.
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
    // A short last row of a day takes its last photo; the next day's first row is below it.
    await page.keyboard.press('ArrowDown');
    expect(await current()).toBe('photo-390');
    await page.keyboard.press('ArrowDown');
    expect(await current()).toBe('photo-389');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    expect(await current()).toBe('photo-383');
    // Across the month header into February, and back up.
    await page.keyboard.press('ArrowDown');
    expect(await current()).toBe('photo-381');
    await page.keyboard.press('ArrowUp');
    expect(await current()).toBe('photo-383');
    await page.keyboard.press('ArrowDown');
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
