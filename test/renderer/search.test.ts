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
import { wordHues } from './fake-library';

const app = useApp();
const red = wordHues.red ?? 0;
const blue = wordHues.blue ?? 0;

describe('search', () => {
  it('shows the good matches of a typed query in the order the core sent, each with its strength', async () => {
    // [Note: A fake of data, not of ranking]: what "red" ranks is the real core's to test.
    const page = await app.open();
    await searchBox(page).fill('red');

    await expect.poll(() => topResultHue(page)).not.toBeNull();
    const ids = await renderedPhotoIds(page);
    const answer = await page.evaluate(() => window.fake.lastAnswerIds());
    expect(ids.length).toBeGreaterThan(5);
    expect(ids).toEqual(answer.slice(0, ids.length));
    const labels = await resultCells(page).evaluateAll((cells) =>
      cells.map((cell) => cell.getAttribute('aria-label') ?? ''),
    );
    const scores = labels.map((label) => Number(/score (\d\.\d\d)$/.exec(label)?.[1]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const label of labels) expect(label).toMatch(/, (strong|good) match, score 0\.\d\d$/);
    const summary = (await page.locator('.results-summary').textContent()) ?? '';
    const [, good, hidden] = /^(\d+) good matches · (\d+) weaker hidden$/.exec(summary) ?? [];
    expect(Number(good) + Number(hidden)).toBe(400);
    expect(Number(good)).toBeGreaterThan(0);
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

  it('explains minus terms and sends them as typed', async () => {
    // The ranking they make is the core's (test/core/core.test.ts: "magenta -blue").
    const page = await app.open();
    await expect(page.locator('#search-hint').textContent()).resolves.toContain('beach -people');

    await searchBox(page).fill('sea -blue');
    await expect
      .poll(async () => (await page.evaluate(() => window.fake.argsOf('search.text'))).at(-1))
      .toEqual(['sea -blue', { limit: 1000 }]);
    await expect
      .poll(() => page.getByRole('button', { name: 'Remove excluded term: blue' }).count())
      .toBe(1);
  });

  it('shows weaker matches on request, by keyboard, and hides them again', async () => {
    const page = await app.open();
    await searchBox(page).fill('red');
    const summary = page.locator('.results-summary');
    await expect.poll(() => summary.textContent()).toMatch(/good matches · \d+ weaker hidden/);
    const good = Number(/^(\d+)/.exec((await summary.textContent()) ?? '')?.[1]);

    const toggle = page.getByRole('switch', { name: 'Show weaker matches' });
    await toggle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => summary.textContent()).toBe(`400 matches · ${good} good`);
    // The last of the 400 is the weakest: End moves there in the grid.
    await page.getByRole('listbox', { name: 'Results' }).focus();
    await page.keyboard.press('End');
    await expect
      .poll(() => page.locator('[role=option][aria-selected=true]').getAttribute('aria-label'))
      .toMatch(/, weak match, score/);
    await toggle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => summary.textContent()).toMatch(/weaker hidden/);
  });

  it('shows the exact score of a strength indicator in its tooltip', async () => {
    const page = await app.open();
    await searchBox(page).fill('blue');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    const first = resultCells(page).first();
    const indicator = first.locator('.match-strength');
    const title = (await indicator.getAttribute('title')) ?? '';
    expect(title).toMatch(/^(Strong|Good) match, score 0\.\d\d$/);
    expect(await first.getAttribute('aria-label')).toMatch(
      new RegExp(`, ${title.toLowerCase().replace('.', '\\.')}$`),
    );
    const bars = await indicator.locator('.match-strength-bar[data-on]').count();
    expect(bars).toBe(title.startsWith('Strong') ? 3 : 2);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`says when nothing matches well and offers the nearest few (${colorScheme})`, async () => {
      const page = await app.open('library', { colorScheme });
      await searchBox(page).fill('zebra');

      await page.getByRole('heading', { name: 'No good match for “zebra”' }).waitFor();
      expect(await page.locator('.results-summary').textContent()).toBe('No good match');
      await expect.poll(() => resultCells(page).count()).toBe(8);
      const labels = await resultCells(page).evaluateAll((cells) =>
        cells.map((cell) => cell.getAttribute('aria-label') ?? ''),
      );
      for (const label of labels) expect(label).toMatch(/, weak match, score 0\.\d\d$/);
      await screenshot(page, `no-good-match-${colorScheme}`);

      await page.getByRole('button', { name: 'Show all 400 matches' }).click();
      await expect
        .poll(() => page.locator('.results-summary').textContent())
        .toBe('400 matches · 0 good');
      expect(await page.getByRole('heading', { name: /No good match/ }).count()).toBe(0);
    });
  }

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
