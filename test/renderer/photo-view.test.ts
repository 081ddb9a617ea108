import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  hueDistance,
  renderedPhotoIds,
  resultCells,
  screenshot,
  searchBox,
  useApp,
} from './app-page';
import { photoHue } from './fake-library';

const app = useApp();

async function searchFor(page: Page, query: string) {
  await searchBox(page).fill(query);
  await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
}

describe('photo view', () => {
  it('opens a photo with its metadata from photos.get', async () => {
    const page = await app.open();
    await searchFor(page, 'green');
    const cell = resultCells(page).nth(2);
    const path = (await cell.getAttribute('title')) ?? '';
    const [, , photoId] = await renderedPhotoIds(page);
    await cell.click();

    const dialog = page.getByRole('dialog', { name: path.split('/').at(-1) ?? '' });
    await dialog.waitFor();
    await expect.poll(() => dialog.locator('.photo-facts').textContent()).toContain('Size');
    const facts = (await dialog.locator('.photo-facts').textContent()) ?? '';
    expect(facts).toContain(path);
    expect(facts).toMatch(/(4032 × 3024|3024 × 4032)/);
    expect(await dialog.getByRole('img').getAttribute('src')).toBe(
      `/fake-media/photo/${photoId}.svg`,
    );
    expect(await page.evaluate(() => window.fake.argsOf('photos.get'))).toEqual([[photoId]]);
    await screenshot(page, 'photo-view');
  });

  it('shows the file in its folder and opens it with the system', async () => {
    const page = await app.open();
    await searchFor(page, 'green');
    const path = await resultCells(page).first().getAttribute('title');
    await resultCells(page).first().click();

    await page.getByRole('button', { name: 'Show in folder' }).click();
    await page.getByRole('button', { name: 'Open' }).click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('shell.openPath')))
      .toEqual([[path]]);
    expect(await page.evaluate(() => window.fake.argsOf('shell.showInFolder'))).toEqual([[path]]);
  });

  it('finds photos similar to the open one', async () => {
    const page = await app.open();
    await searchFor(page, 'green');
    const [, photoId = 0] = await renderedPhotoIds(page);
    const name = (await resultCells(page).nth(1).getAttribute('title'))?.split('/').at(-1) ?? '';
    await resultCells(page).nth(1).click();
    await page.getByRole('button', { name: 'Find similar' }).click();

    await expect.poll(() => page.locator('.image-query').textContent()).toBe(`Similar to ${name}`);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.evaluate(() => window.fake.argsOf('search.similar'))).toEqual([
      [photoId, { limit: 1000 }],
    ]);
    await expect.poll(async () => (await renderedPhotoIds(page)).includes(photoId)).toBe(false);
    const [top = 0] = await renderedPhotoIds(page);
    expect(hueDistance(photoHue(top), photoHue(photoId))).toBeLessThan(20);
    expect(await searchBox(page).inputValue()).toBe('');
    await screenshot(page, 'find-similar');

    await page.getByRole('button', { name: 'Clear image search' }).click();
    await page.getByRole('button', { name: 'sunset over the sea' }).waitFor();
  });
});

/** The photo's CSS transform as scale and translation (identity when fitted). */
async function imageTransform(page: Page): Promise<{ scale: number; x: number; y: number }> {
  return page
    .getByRole('dialog')
    .locator('.photo-view-stage img')
    .evaluate((image) => {
      const matrix = new DOMMatrix(getComputedStyle(image).transform);
      return { scale: matrix.a, x: matrix.e, y: matrix.f };
    });
}

describe('photo view zoom, position and place', () => {
  it('says which result of how many is open, and follows ←/→', async () => {
    const page = await app.open();
    await searchFor(page, 'green');
    const summary = (await page.locator('.results-summary').textContent()) ?? '';
    const good = /^(\d+) good matches/.exec(summary)?.[1];
    await resultCells(page).nth(2).click();
    const position = page.getByRole('dialog').locator('.photo-view-position');
    await expect.poll(() => position.textContent()).toBe(`3 of ${good}`);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => position.textContent()).toBe(`4 of ${good}`);
  });

  it('zooms with +, −, 0 and the buttons, and pans with the arrows only while zoomed', async () => {
    const page = await app.open();
    await searchFor(page, 'green');
    await resultCells(page).first().click();
    const dialog = page.getByRole('dialog');
    const level = dialog.locator('.zoom-level');
    await expect.poll(() => level.textContent()).toBe('1×');

    await page.keyboard.press('+');
    await expect.poll(() => level.textContent()).toBe('1.5×');
    expect((await imageTransform(page)).scale).toBeCloseTo(1.5);
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await imageTransform(page)).x).toBeLessThan(0);
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await imageTransform(page)).y).toBeLessThan(0);
    // Still the same photo: the arrows panned, they did not step.
    expect(await dialog.locator('.photo-view-position').textContent()).toMatch(/^1 of /);

    await dialog.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(() => level.textContent()).toBe('2.3×');
    await page.keyboard.press('-');
    await expect.poll(() => level.textContent()).toBe('1.5×');
    await screenshot(page, 'photo-view-zoomed-light');
    await page.keyboard.press('0');
    await expect.poll(() => level.textContent()).toBe('1×');
    expect(await imageTransform(page)).toEqual({ scale: 1, x: 0, y: 0 });
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => dialog.locator('.photo-view-position').textContent()).toMatch(/^2 of /);
  });

  it('zooms at the pointer with a double-click and the wheel, and pans by dragging', async () => {
    const page = await app.open('library', { colorScheme: 'dark' });
    await searchFor(page, 'green');
    await resultCells(page).first().click();
    const dialog = page.getByRole('dialog');
    const stage = dialog.locator('.photo-view-stage');
    const box = (await stage.boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };

    await page.mouse.dblclick(centre.x + 100, centre.y);
    await expect.poll(() => dialog.locator('.zoom-level').textContent()).toBe('2.5×');
    // The point under the pointer stays put: the photo moved left of centre by 1.5 × 100 px.
    expect((await imageTransform(page)).x).toBeCloseTo(-150, 0);

    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down();
    await page.mouse.move(centre.x + 60, centre.y + 40, { steps: 4 });
    await page.mouse.up();
    const dragged = await imageTransform(page);
    expect(dragged.x).toBeCloseTo(-90, 0);
    expect(dragged.y).toBeCloseTo(40, 0);
    await screenshot(page, 'photo-view-zoomed-dark');

    await page.mouse.move(centre.x, centre.y);
    await page.mouse.wheel(0, 100);
    await expect.poll(async () => (await imageTransform(page)).scale).toBeLessThan(2.5);
    await page.mouse.dblclick(centre.x, centre.y);
    await expect.poll(() => dialog.locator('.zoom-level').textContent()).toBe('1×');
  });

  it('names the place a photo was taken, with its coordinates', async () => {
    const page = await app.open();
    await searchFor(page, 'green');
    const ids = await renderedPhotoIds(page);
    // The fake library's photos with a GPS position are every third one.
    const index = ids.findIndex((id) => id % 3 === 0);
    expect(index).toBeGreaterThanOrEqual(0);
    await resultCells(page).nth(index).click();
    const facts = page.getByRole('dialog').locator('.photo-facts');
    await expect.poll(() => facts.textContent()).toContain('Reykjavík, Capital Region, Iceland');
    expect(await facts.textContent()).toMatch(/Place.*Iceland64\.\d{5}, -21\.94260/);
    await screenshot(page, 'photo-view-place');
  });
});

describe('keyboard', () => {
  it('"/" focuses the search box', async () => {
    const page = await app.open();
    // An empty spot of the top bar (the middle of the window is Home's photos now).
    await page.locator('.topbar').click({ position: { x: 1100, y: 70 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Search photos',
    );
  });

  it('moves through the grid with the arrows, opens with Enter and backs out with Escape', async () => {
    const page = await app.open();
    await searchBox(page).focus();
    await page.keyboard.type('blue');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    const columns = await page.locator('.photo-grid-row').first().getByRole('option').count();
    const selected = () =>
      page.locator('[role=option][aria-selected=true]').getAttribute('data-index');

    await page.keyboard.press('ArrowDown');
    await expect.poll(selected).toBe('0');
    await page.keyboard.press('ArrowRight');
    await expect.poll(selected).toBe('1');
    await page.keyboard.press('ArrowDown');
    await expect.poll(selected).toBe(String(1 + columns));
    await page.keyboard.press('ArrowLeft');
    await expect.poll(selected).toBe(String(columns));

    const titleOf = async (index: number) =>
      (await page.locator(`[role=option][data-index="${index}"]`).getAttribute('title'))
        ?.split('/')
        .at(-1) ?? '';
    const selectedName = await titleOf(columns);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: selectedName }).waitFor();
    const nextName = await titleOf(columns + 1);
    await page.keyboard.press('ArrowRight');
    await page.getByRole('dialog', { name: nextName }).waitFor();

    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(selected).toBe(String(columns + 1));
    await page.keyboard.press('Escape');
    await expect.poll(() => searchBox(page).inputValue()).toBe('');
    await page.getByRole('button', { name: 'sunset over the sea' }).waitFor();
  });

  it('starts a new query with nothing selected, though the same photos are among its results', async () => {
    const page = await app.open();
    await searchBox(page).fill('blue');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    await searchBox(page).press('ArrowDown');
    const selected = page.locator('[role=option][aria-selected=true]');
    await expect.poll(() => selected.count()).toBe(1);
    const photoId = await selected.getAttribute('id');

    // Nearly the same ranking: the selected photo is still on screen.
    await searchBox(page).fill('blue -red');
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.text').map(([text]) => text)))
      .toContain('blue -red');
    await expect
      .poll(() => page.locator('.results-summary').getAttribute('aria-busy'))
      .toBe('false');
    expect(await page.locator(`#${photoId}`).count()).toBe(1);
    expect(await selected.count()).toBe(0);
  });
});
