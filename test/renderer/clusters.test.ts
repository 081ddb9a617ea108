import { describe, expect, it } from 'vitest';
import { resultCells, screenshot, searchBox, useApp } from './app-page';

const app = useApp();

describe('the Clusters view', () => {
  it('shows clusters as cards and opens one: its sub-clusters and its photos', async () => {
    const page = await app.open('clusters');
    const tabs = page.getByRole('tab');
    expect(await tabs.allTextContents()).toEqual(['Photos', 'Clusters', 'Map', 'Duplicates']);
    await page.getByRole('tab', { name: 'Photos' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.getByRole('tab', { name: 'Clusters' }).getAttribute('aria-selected'))
      .toBe('true');

    const cards = page.locator('.cluster-card');
    await expect.poll(() => cards.count()).toBe(4);
    expect(await page.locator('.cluster-name').allTextContents()).toEqual([
      'travel',
      'dog',
      'birthday cake',
      'snow',
    ]);
    await expect.poll(() => cards.first().locator('img').count()).toBe(4);
    expect(await cards.last().locator('img').count()).toBe(3);
    await expect
      .poll(() => cards.first().locator('img').first().getAttribute('src'))
      .toMatch(/thumb\/1\.svg$/);
    await screenshot(page, 'clusters-light');

    await page.getByRole('button', { name: /travel/ }).click();
    await expect
      .poll(() => page.locator('.cluster-name').allTextContents())
      .toEqual(['beach', 'mountains']);
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(10);
    expect(await page.getByRole('heading', { name: /travel/ }).textContent()).toContain(
      '140 photos',
    );
    await page.getByRole('button', { name: /beach/ }).click();
    await expect.poll(() => page.locator('.clusters-trail h2').textContent()).toContain('beach');
    await page.getByRole('button', { name: '← travel' }).click();
    await page.getByRole('button', { name: '← All clusters' }).click();
    await expect.poll(() => cards.count()).toBe(4);

    await page.getByRole('button', { name: /travel/ }).click();
    await resultCells(page).first().click();
    const dialog = page.getByRole('dialog', { name: 'IMG_0001.jpg' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Find similar' }).click();
    // The query's results replace the explore views (their tabs return when it is cleared).
    await expect.poll(() => page.locator('.image-query').textContent()).toContain('IMG_0001.jpg');
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.similar').length))
      .toBe(1);
    expect((await page.evaluate(() => window.fake.argsOf('search.similar')))[0]![0]).toBe(1);

    await page.getByRole('button', { name: 'Clear image search' }).click();
    await page.getByRole('tab', { name: 'Clusters' }).click();
    await expect.poll(() => cards.count()).toBe(4);
    await searchBox(page).fill('purple');
    await expect.poll(() => page.getByRole('tablist').count()).toBe(0);
  });

  it('shows live progress while the core computes clusters', async () => {
    const page = await app.open('clusters');
    await page.evaluate(() => window.fake.holdClusters());
    await page.getByRole('tab', { name: 'Clusters' }).click();
    await page.getByText('Finding clusters…').waitFor();
    await page.evaluate(() =>
      window.fake.emit('explore.clusterProgress', { phase: 'clustering', done: 3, total: 41 }),
    );
    const bar = page.getByRole('progressbar', { name: 'Finding clusters' });
    await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('3');
    expect(await bar.getAttribute('aria-valuemax')).toBe('41');
    await page.getByText('Grouping similar photos…').waitFor();
    await page.evaluate(() => window.fake.releaseClusters());
    await expect.poll(() => page.locator('.cluster-card').count()).toBe(4);
    expect(await bar.count()).toBe(0);
  });

  it('looks right in the dark theme, inside a cluster', async () => {
    const page = await app.open('clusters', { colorScheme: 'dark' });
    await page.getByRole('tab', { name: 'Clusters' }).click();
    await page.getByRole('button', { name: /travel/ }).click();
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(10);
    await screenshot(page, 'clusters-dark');
  });
});
