import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, settle, useApp } from './app-page';
import { scenarios } from './scenarios';

const app = useApp();
const map = scenarios.map.map;

/** Where a map point is on the page before any zoom or pan (the map fits the canvas, [-1, 1] with a margin). */
async function pagePoint(page: Page, x: number, y: number): Promise<[number, number]> {
  const box = (await page.getByRole('application', { name: /Similarity map/ }).boundingBox())!;
  const scale = Math.min(box.width, box.height) / 2.2;
  return [box.x + box.width / 2 + x * scale, box.y + box.height / 2 + y * scale];
}

async function openMap(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Map' }).click();
  await page.getByRole('application', { name: 'Similarity map of 263 photos' }).waitFor();
  await settle(page);
}

describe('the Map view', () => {
  it('shows every photo by cluster, opens one on click and shows one on hover', async () => {
    const page = await app.open('map');
    await openMap(page);
    expect(await page.locator('.map-cluster-name').allTextContents()).toEqual([
      'travel',
      'dog',
      'birthday cake',
      'snow',
    ]);
    await screenshot(page, 'map-light');

    // The 20th travel photo: hover names its cluster, a click opens it.
    const row = 19;
    const [x, y] = await pagePoint(page, map.x[row]!, map.y[row]!);
    await page.mouse.move(x, y);
    await expect.poll(() => page.locator('.map-tooltip').textContent()).toBe('travel');
    expect(await page.locator('.map-tooltip img').getAttribute('src')).toMatch(/thumb\/20\.svg$/);
    await screenshot(page, 'map-hover-light');
    await page.mouse.click(x, y);
    const dialog = page.getByRole('dialog', { name: /^IMG_\d+\.jpg$/ });
    await dialog.waitFor();
    expect(await page.evaluate(() => window.fake.argsOf('photos.get'))).toContainEqual([20]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('selects photos with the lasso and searches for more like them', async () => {
    const page = await app.open('map');
    await openMap(page);
    await page.getByRole('button', { name: 'Lasso' }).click();
    expect(await page.getByRole('button', { name: 'Lasso' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    // Around the "dog" blob (centre 0.5, −0.45), clear of the others.
    const corners: [number, number][] = [
      [0.22, -0.73],
      [0.78, -0.73],
      [0.78, -0.17],
      [0.22, -0.17],
    ];
    const [startX, startY] = await pagePoint(page, ...corners[0]!);
    await page.mouse.move(startX, startY);
    await page.mouse.down();
    for (const corner of [...corners.slice(1), corners[0]!]) {
      const [cx, cy] = await pagePoint(page, ...corner);
      await page.mouse.move(cx, cy, { steps: 5 });
    }
    await page.mouse.up();
    await expect
      .poll(() => page.locator('.results-summary').textContent())
      .toBe('70 photos selected of 263');
    await screenshot(page, 'map-lasso-light');

    await page.getByRole('button', { name: 'More like these' }).click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.similar').length))
      .toBe(1);
    const [examples] = (await page.evaluate(() => window.fake.argsOf('search.similar')))[0]!;
    const dogs = map.photoIds.filter((_, i) => map.cluster[i] === 1);
    expect(examples).toEqual(dogs);
    await expect.poll(() => page.locator('.image-query').textContent()).toContain('70 photos');
  });

  it('offers the clusters as buttons: one selects its photos, keys zoom, Escape clears', async () => {
    const page = await app.open('map', { colorScheme: 'dark' });
    await openMap(page);
    await page.getByRole('button', { name: /birthday cake/ }).click();
    await expect
      .poll(() => page.locator('.results-summary').textContent())
      .toBe('50 photos selected of 263');
    const canvas = page.getByRole('application', { name: /Similarity map/ });
    await canvas.focus();
    await page.keyboard.press('-');
    await page.waitForLoadState('networkidle');
    await settle(page);
    await screenshot(page, 'map-dark');
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.locator('.results-summary').textContent())
      .toContain('263 photos ·');
    await page.keyboard.press('0');
    await screenshot(page, 'map-overview-dark');
  });

  it('zooms with a two-finger pinch about the fingers, and the pinch opens nothing', async () => {
    const page = await app.open('map', { hasTouch: true });
    await openMap(page);
    const box = (await page.getByRole('application', { name: /Similarity map/ }).boundingBox())!;
    // The fingers' midpoint, and a photo away from it: after a 2× pinch it is twice as far.
    const [mx, my] = [box.x + box.width / 2 - 40, box.y + box.height / 2 + 30];
    const row = 19;
    const [x, y] = await pagePoint(page, map.x[row]!, map.y[row]!);
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', spread: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints:
          type === 'touchEnd'
            ? []
            : [
                { x: mx - spread, y: my, id: 0 },
                { x: mx + spread, y: my, id: 1 },
              ],
      });
    await touch('touchStart', 40);
    for (let step = 1; step <= 8; step++) await touch('touchMove', 40 + 5 * step);
    await touch('touchEnd', 80);
    await settle(page);
    expect(await page.evaluate(() => window.fake.argsOf('photos.get'))).toEqual([]);
    await screenshot(page, 'map-pinched-light');

    const [zx, zy] = [mx + 2 * (x - mx), my + 2 * (y - my)];
    await page.mouse.move(zx, zy);
    await expect.poll(() => page.locator('.map-tooltip').textContent()).toBe('travel');
    await page.mouse.click(zx, zy);
    await page.getByRole('dialog', { name: /^IMG_\d+\.jpg$/ }).waitFor();
    const opened = await page.evaluate(() => window.fake.argsOf('photos.get'));
    expect(new Set(opened.map(([photoId]) => photoId))).toEqual(new Set([20]));
  });

  it('shows live progress while the core lays out the map', async () => {
    const page = await app.open('map');
    await page.evaluate(() => window.fake.holdMap());
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.getByText('Making the map…').waitFor();
    await page.evaluate(() =>
      window.fake.emit('explore.mapProgress', { phase: 'fitting', done: 120, total: 500 }),
    );
    const bar = page.getByRole('progressbar', { name: 'Making the map' });
    await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('120');
    expect(await bar.getAttribute('aria-valuemax')).toBe('500');
    await page.getByText('Laying out the map…').waitFor();
    await page.evaluate(() => window.fake.releaseMap());
    await page.getByRole('application', { name: /Similarity map/ }).waitFor();
    expect(await bar.count()).toBe(0);
  });
});
