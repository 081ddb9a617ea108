import { describe, expect, it } from 'vitest';
import {
  hueDistance,
  renderedPhotoIds,
  resultCells,
  screenshot,
  searchBox,
  settle,
  topResultHue,
  useApp,
} from './app-page';
import { photoHue, wordHues } from './fake-library';

const app = useApp();
const red = wordHues.red ?? 0;
const blue = wordHues.blue ?? 0;

describe('search', () => {
  it('shows results for a typed query, best matches first, with their scores', async () => {
    const page = await app.open();
    await searchBox(page).fill('red');

    await expect.poll(() => topResultHue(page)).not.toBeNull();
    const ids = await renderedPhotoIds(page);
    for (const id of ids.slice(0, 5)) expect(hueDistance(photoHue(id), red)).toBeLessThan(30);
    const scores = await page.locator('.photo-score').allTextContents();
    expect(scores.map(Number)).toEqual([...scores.map(Number)].sort((a, b) => b - a));
    expect(await page.getByRole('status').filter({ hasText: 'photos' }).textContent()).toContain(
      '400 photos',
    );
    expect(await page.evaluate(() => window.fake.argsOf('search.text'))).toEqual([
      ['red', { limit: 1000 }],
    ]);
    await screenshot(page, 'search-results');
  });

  it('updates the results as the query changes', async () => {
    const page = await app.open();
    await searchBox(page).fill('red');
    await expect
      .poll(async () => hueDistance((await topResultHue(page)) ?? 180, red))
      .toBeLessThan(30);
    await searchBox(page).fill('blue');
    await expect
      .poll(async () => hueDistance((await topResultHue(page)) ?? 0, blue))
      .toBeLessThan(30);
  });

  it('never lets a slow answer to an older query overwrite a newer one', async () => {
    const page = await app.open();
    await page.evaluate(() => window.fake.holdSearch('red'));
    await searchBox(page).fill('red');
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.text').map(([text]) => text)))
      .toEqual(['red']);

    await searchBox(page).fill('blue');
    await expect
      .poll(async () => hueDistance((await topResultHue(page)) ?? 0, blue))
      .toBeLessThan(30);
    await page.evaluate(() => window.fake.releaseSearch('red'));
    await settle(page);

    expect(hueDistance((await topResultHue(page)) ?? 0, blue)).toBeLessThan(30);
  });

  it('explains and sends minus terms, which push their colour down the ranking', async () => {
    const page = await app.open();
    await expect(page.locator('#search-hint').textContent()).resolves.toContain('beach -people');

    await searchBox(page).fill('sea');
    await expect.poll(() => topResultHue(page)).not.toBeNull();
    const withBlue = (await topResultHue(page)) ?? 0;
    await searchBox(page).fill('sea -blue');
    await expect.poll(() => topResultHue(page)).not.toBe(withBlue);

    expect(hueDistance((await topResultHue(page)) ?? 0, blue)).toBeGreaterThan(
      hueDistance(withBlue, blue),
    );
    expect((await page.evaluate(() => window.fake.argsOf('search.text'))).at(-1)).toEqual([
      'sea -blue',
      { limit: 1000 },
    ]);
  });

  it('hides results below the score cut-off and says how many are hidden', async () => {
    const page = await app.open();
    await searchBox(page).fill('red');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);

    await page.getByRole('slider', { name: 'Minimum score' }).fill('0.25');
    const summary = page.locator('.results-summary');
    await expect.poll(() => summary.textContent()).toMatch(/hidden/);
    const [, shown, total, hidden] =
      /Showing (\d+) of (\d+) photos · (\d+) below 0\.25 hidden/.exec(
        (await summary.textContent()) ?? '',
      ) ?? [];
    expect(Number(total)).toBe(400);
    expect(Number(shown) + Number(hidden)).toBe(400);
    expect(Number(hidden)).toBeGreaterThan(0);
    const scores = (await page.locator('.photo-score').allTextContents()).map(Number);
    expect(scores.length).toBeGreaterThan(0);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0.25);
    await screenshot(page, 'score-cutoff');

    await page.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(() => summary.textContent()).toBe('400 photos');
  });

  it('says so when the cut-off hides every match, and offers to show them', async () => {
    const page = await app.open();
    await searchBox(page).fill('zebra');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    await page.getByRole('slider', { name: 'Minimum score' }).fill('0.2');

    await page.getByRole('heading', { name: 'No matches scored 0.20 or more' }).waitFor();
    await page.getByRole('button', { name: 'Show all 400 matches' }).click();
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
  });

  it('shows the message of a failed search', async () => {
    const page = await app.open();
    await page.evaluate(() =>
      window.fake.failNext('search.text', {
        code: 'MODEL_INVALID',
        message: 'The model files are damaged: download the model again.',
      }),
    );
    await searchBox(page).fill('red');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('The model files are damaged: download the model again.');
  });

  it('suggests queries while the box is empty', async () => {
    const page = await app.open();
    await page.getByRole('button', { name: 'sunset over the sea' }).click();
    await expect.poll(() => searchBox(page).inputValue()).toBe('sunset over the sea');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
  });
});
