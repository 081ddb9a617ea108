import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderedPhotoIds, resultCells, screenshot, searchBox, useApp } from './app-page';

const app = useApp();

/** The options of the last call to `command` (its last argument). */
async function lastOptions(page: Page, command: string): Promise<unknown> {
  const calls = await page.evaluate((name) => window.fake.argsOf(name as 'search.text'), command);
  return calls.at(-1)?.at(-1);
}

function chips(page: Page) {
  return page.getByRole('list', { name: 'Active filters' }).getByRole('listitem');
}

describe('filters and combined queries', () => {
  it('sets filters by keyboard, shows them as chips, and sends them with every query', async () => {
    const page = await app.open();
    await searchBox(page).fill('red -people');
    await expect.poll(() => lastOptions(page, 'search.text')).toEqual({ limit: 1000 });
    // The "-" term is a chip too.
    await expect.poll(() => chips(page).allTextContents()).toEqual(['−without people']);

    // Keyboard only: Tab from the search box passes Choose image… (beside the box) and reaches
    // the Filters button below it, Enter shows the controls, Tab goes into them, arrows pick.
    const toggle = page.getByRole('button', { name: 'Filters' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByLabel('Camera', { exact: true }).isVisible()).toBe(false);
    await searchBox(page).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe('Filters');
    // The choices (library.facets) are asked for only once the controls are shown.
    expect(await page.evaluate(() => window.fake.argsOf('library.facets'))).toEqual([]);
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('library.facets').length))
      .toBe(1);
    // Past the "-people" chip's remove button: the first control.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(await page.getByLabel('Folder', { exact: true }).getAttribute('id'));
    await page.getByLabel('Camera', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await page.getByLabel('Orientation', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    // The date pickers span the library's capture dates (the scenario's facets).
    await expect
      .poll(() => page.getByLabel('From', { exact: true }).getAttribute('min'))
      .toBe('2019-04-02');
    expect(await page.getByLabel('To', { exact: true }).getAttribute('max')).toBe('2025-06-12');
    await page.getByLabel('From', { exact: true }).fill('2023-03-01');
    await page.getByLabel('Location', { exact: true }).selectOption('with');
    await page.getByLabel('Format', { exact: true }).selectOption('heic');
    await page.getByLabel('Folder', { exact: true }).selectOption({ label: 'Family' });

    const expected = {
      limit: 1000,
      folders: ['/home/ana/Pictures/Family'],
      after: Date.UTC(2023, 2, 1),
      cameras: ['FUJIFILM X-T4'],
      formats: ['heic'],
      orientation: 'portrait',
      hasLocation: true,
    };
    await expect.poll(() => lastOptions(page, 'search.text')).toEqual(expected);
    expect((await page.evaluate(() => window.fake.argsOf('search.text'))).at(-1)?.[0]).toBe(
      'red -people',
    );
    expect(await chips(page).allTextContents()).toEqual([
      'In Family',
      'From 2023-03-01',
      'FUJIFILM X-T4',
      'HEIC',
      'Portrait',
      'Has location',
      '−without people',
      'Clear filters',
    ]);
    await screenshot(page, 'filters-light');

    // A new query keeps the filters.
    await searchBox(page).fill('blue');
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.text').at(-1)?.[0]))
      .toBe('blue');
    expect(await lastOptions(page, 'search.text')).toEqual(expected);

    // A chip's remove button, by keyboard: that filter goes, the others stay.
    await page.getByRole('button', { name: 'Remove filter: HEIC' }).focus();
    await page.keyboard.press('Enter');
    const { formats: _formats, ...withoutFormat } = expected;
    await expect.poll(() => lastOptions(page, 'search.text')).toEqual(withoutFormat);
    expect(await page.getByLabel('Format', { exact: true }).inputValue()).toBe('');

    // The date range ends with its last day included.
    await page.getByLabel('To', { exact: true }).fill('2023-03-31');
    await expect
      .poll(() => lastOptions(page, 'search.text'))
      .toEqual({ ...withoutFormat, before: Date.UTC(2023, 3, 1) });

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => lastOptions(page, 'search.text')).toEqual({ limit: 1000 });
    expect(await page.getByRole('list', { name: 'Active filters' }).count()).toBe(0);
  });

  it('removes a "-" term from the query with its chip', async () => {
    const page = await app.open();
    await searchBox(page).fill('beach -people -"parking lot"');
    await expect
      .poll(() => chips(page).allTextContents())
      .toEqual(['−without parking lot', '−without people']);
    await page.getByRole('button', { name: 'Remove excluded term: people' }).click();
    expect(await searchBox(page).inputValue()).toBe('beach -"parking lot"');
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.text').at(-1)?.[0]))
      .toBe('beach -"parking lot"');
  });

  it('refines an image query with typed words: a combined query, filters included', async () => {
    const page = await app.open('library', { colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Filters' }).click();
    await page.getByLabel('Camera', { exact: true }).selectOption('NIKON D750');
    await searchBox(page).fill('green');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    const [photoId = 0] = await renderedPhotoIds(page);
    await resultCells(page).first().click();
    await page.getByRole('button', { name: 'Find similar' }).click();
    await expect
      .poll(() => lastOptions(page, 'search.similar'))
      .toEqual({
        limit: 1000,
        cameras: ['NIKON D750'],
      });

    await searchBox(page).fill('at night -people');
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.combined')))
      .toEqual([
        [
          { photoIds: [photoId], text: 'at night -people' },
          { limit: 1000, cameras: ['NIKON D750'] },
        ],
      ]);
    // The image stays the query's example; the words refine it.
    expect(await page.locator('.image-query').count()).toBe(1);
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    await screenshot(page, 'filters-combined-dark');

    // Clearing the image keeps the words: a text search under the same filters.
    const textCalls = (await page.evaluate(() => window.fake.argsOf('search.text'))).length;
    await page.getByRole('button', { name: 'Clear image search' }).click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.text').length))
      .toBe(textCalls + 1);
    expect((await page.evaluate(() => window.fake.argsOf('search.text'))).at(-1)).toEqual([
      'at night -people',
      { limit: 1000, cameras: ['NIKON D750'] },
    ]);
    await screenshot(page, 'filters-dark');
  });
});
