import { describe, expect, it } from 'vitest';
import { screenshot, useApp } from './app-page';

const app = useApp();

describe('the Duplicates view', () => {
  it('is a tab beside Photos (Home); arrow keys move between the tabs', async () => {
    const page = await app.open('duplicates');
    const tabs = page.getByRole('tablist', { name: 'Explore' });
    const photos = tabs.getByRole('tab', { name: 'Photos' });
    expect(await photos.getAttribute('aria-selected')).toBe('true');
    await photos.focus();
    await page.keyboard.press('End');
    const duplicates = tabs.getByRole('tab', { name: 'Duplicates' });
    expect(await duplicates.getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Duplicates');
    await page.getByRole('region', { name: 'Duplicates' }).waitFor();
    await page.keyboard.press('Home');
    expect(await photos.getAttribute('aria-selected')).toBe('true');
  });

  it('shows each phase of the search: thumbnails read once, calibration, comparison', async () => {
    const page = await app.open('duplicates');
    await page.evaluate(() => window.fake.holdDuplicates());
    await page.getByRole('tab', { name: 'Duplicates' }).click();
    await page.getByText('Looking for duplicates…').waitFor();
    await page.evaluate(() =>
      window.fake.emit('explore.duplicatesProgress', {
        phase: 'fingerprinting',
        done: 40,
        total: 211,
      }),
    );
    const reading = page.getByRole('progressbar', { name: 'Reading thumbnails' });
    await expect.poll(() => reading.getAttribute('aria-valuenow')).toBe('40');
    expect(await reading.getAttribute('aria-valuemax')).toBe('211');
    await page.getByText('Reading thumbnails…').waitFor();
    await screenshot(page, 'duplicates-fingerprinting');
    await page.evaluate(() =>
      window.fake.emit('explore.duplicatesProgress', { phase: 'calibrating', done: 3, total: 24 }),
    );
    await page.getByText(/Learning what .the same shot. means/).waitFor();
    await page.evaluate(() =>
      window.fake.emit('explore.duplicatesProgress', { phase: 'comparing', done: 10, total: 48 }),
    );
    await page.getByText('Comparing photos…').waitFor();
    await page.evaluate(() => window.fake.releaseDuplicates());
    await page.getByRole('region', { name: 'Duplicates' }).waitFor();
  });

  it('shows each group as a row with the copy to keep and why; Show in folder per copy', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await app.open('duplicates', { colorScheme });
      await page.getByRole('tab', { name: 'Duplicates' }).click();
      const groups = page.getByRole('region', { name: 'Duplicates' }).getByRole('listitem', {
        name: /Identical files|Same shot/,
      });
      await groups.first().waitFor();
      expect(await groups.count()).toBe(3);
      const burst = page.getByRole('listitem', { name: 'Same shot (3)' });
      expect(await burst.locator('.duplicate-suggested').textContent()).toContain(
        'Keep: largest resolution (6000×4000)',
      );
      expect(await burst.locator('.duplicate-suggested').textContent()).toContain('IMG_1012.jpg');
      expect(await burst.getByRole('img').count()).toBe(3);
      const exact = page.getByRole('listitem', { name: 'Identical files (2)' });
      expect(await exact.textContent()).toContain('identical files at 2 paths: keep any one');
      expect(await exact.locator('.duplicate-suggested').count()).toBe(0);
      await screenshot(page, `duplicates-${colorScheme}`);

      await burst
        .getByRole('listitem')
        .filter({ hasText: 'IMG_1012-small.jpg' })
        .getByRole('button', { name: 'Show in folder' })
        .click();
      await expect
        .poll(() => page.evaluate(() => window.fake.argsOf('shell.showInFolder')))
        .toEqual([['/home/ana/Pictures/Iceland 2023/IMG_1012-small.jpg']]);
      expect(await page.evaluate(() => window.fake.argsOf('explore.duplicates'))).toEqual([[]]);
    }
  });

  it('moves a copy to the trash after asking; a group left with one copy leaves the list', async () => {
    const page = await app.open('duplicates');
    await page.getByRole('tab', { name: 'Duplicates' }).click();
    const exact = page.getByRole('listitem', { name: 'Identical files (2)' });
    const copies = exact.getByRole('listitem');
    await copies.first().waitFor();
    const [firstPath] = await copies.evaluateAll((items) =>
      items.map((item) => item.querySelector('.duplicate-name')?.getAttribute('title') ?? ''),
    );
    const name = firstPath!.split('/').at(-1)!;
    await copies
      .first()
      .getByRole('button', { name: `Move to Trash: ${name}` })
      .click();
    // Asked first, focus on the safe choice; Keep changes nothing.
    await exact.getByText(`Move ${name} to the trash?`).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => window.fake.argsOf('shell.trash'))).toEqual([]);
    await copies
      .first()
      .getByRole('button', { name: `Move to Trash: ${name}` })
      .click();
    await screenshot(page, 'duplicates-trash-confirm');
    await copies.first().getByRole('button', { name: 'Move to Trash', exact: true }).click();
    await page.getByText(`Moved ${name} to the trash.`).waitFor();
    expect(await page.evaluate(() => window.fake.argsOf('shell.trash'))).toEqual([[firstPath]]);
    // One identical file is left: no longer a group of copies.
    await expect.poll(() => exact.count()).toBe(0);
    const groups = page.getByRole('region', { name: 'Duplicates' }).getByRole('listitem', {
      name: /Identical files|Same shot/,
    });
    expect(await groups.count()).toBe(2);

    // A refusal from main is one line, and the copy stays.
    const burst = page.getByRole('listitem', { name: 'Same shot (3)' });
    await page.evaluate(() =>
      window.fake.failNext('shell.trash', {
        code: 'BAD_ARGUMENT',
        message: 'The file changed since it was indexed.',
      }),
    );
    const small = burst.getByRole('listitem').filter({ hasText: 'IMG_1012-small.jpg' });
    await small.getByRole('button', { name: 'Move to Trash: IMG_1012-small.jpg' }).click();
    await small.getByRole('button', { name: 'Move to Trash', exact: true }).click();
    await page.getByText('Could not move IMG_1012-small.jpg to the trash').waitFor();
    expect(await burst.getByRole('img').count()).toBe(3);
  });

  it('says so when there are none', async () => {
    const page = await app.open('library');
    await page.getByRole('tab', { name: 'Duplicates' }).click();
    await page.getByRole('region', { name: 'No duplicates' }).waitFor();
  });
});
