import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { resultCells, screenshot, searchBox, useApp } from './app-page';

const app = useApp();

/** Relative luminance (0 black … 1 white) of the page background. */
async function backgroundLuminance(page: Page): Promise<number> {
  const colour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r = 0, g = 0, b = 0] = (colour.match(/[\d.]+/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

describe('themes', () => {
  it('follows a dark system theme', async () => {
    const page = await app.open('library', { colorScheme: 'dark' });
    expect(await backgroundLuminance(page)).toBeLessThan(0.2);
    await searchBox(page).fill('purple');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    await screenshot(page, 'dark-theme');
  });

  it('switches with the toggle and remembers the choice', async () => {
    const page = await app.open('library', { colorScheme: 'light' });
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);

    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect.poll(() => backgroundLuminance(page)).toBeLessThan(0.2);
    await page.reload();
    await page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    expect(await backgroundLuminance(page)).toBeLessThan(0.2);
  });
});
