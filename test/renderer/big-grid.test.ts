import { describe, expect, it } from 'vitest';
import { resultCells, searchBox, useApp } from './app-page';

const app = useApp();

describe('grid with 100,000 results', () => {
  it('keeps only a window of cells in the page while scrolling from top to bottom', async () => {
    const page = await app.open('huge');
    await searchBox(page).fill('blue');
    await page.getByRole('switch', { name: 'Show weaker matches' }).check();
    await expect
      .poll(() => page.locator('.results-summary').textContent())
      .toMatch(/^100,000 matches · [\d,]+ good$/);

    const grid = page.getByRole('listbox', { name: 'Results' });
    const windowed = await resultCells(page).count();
    expect(windowed).toBeGreaterThan(0);
    expect(windowed).toBeLessThan(200);
    const scrollHeight = await grid.evaluate((element) => element.scrollHeight);
    expect(scrollHeight).toBeGreaterThan(1_000_000);

    await grid.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
    await expect.poll(() => page.locator('[role=option][data-index="0"]').count()).toBe(0);
    expect(await resultCells(page).count()).toBeLessThan(200);

    await grid.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await page.locator('[role=option][data-index="99999"]').waitFor();
    expect(await resultCells(page).count()).toBeLessThan(200);
  });

  it('gives every cell the same fixed size and a lazily loaded, async-decoded thumbnail', async () => {
    const page = await app.open('huge');
    await searchBox(page).fill('blue');
    await resultCells(page).first().waitFor();
    const sizes = await resultCells(page).evaluateAll((cells) =>
      cells.map((cell) => {
        const box = cell.getBoundingClientRect();
        return `${box.width}x${box.height}`;
      }),
    );
    expect(new Set(sizes)).toEqual(new Set(['168x168']));
    const images = await resultCells(page)
      .locator('img')
      .evaluateAll((images) =>
        images.map((image) => [image.getAttribute('loading'), image.getAttribute('decoding')]),
      );
    expect(new Set(images.map(String))).toEqual(new Set(['lazy,async']));
  });

  it('jumps to the last photo with End', async () => {
    const page = await app.open('huge');
    await searchBox(page).fill('blue');
    await page.getByRole('switch', { name: 'Show weaker matches' }).check();
    await resultCells(page).first().click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('End');
    await expect
      .poll(() => page.locator('[role=option][aria-selected=true]').getAttribute('data-index'))
      .toBe('99999');
  });
});
