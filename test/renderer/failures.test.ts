import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, useApp } from './app-page';

const app = useApp();
const phone = '/home/ana/Pictures/Phone backup';

async function openFailures(page: Page) {
  await page
    .getByRole('region', { name: 'Failures' })
    .getByRole('button', { name: 'Review' })
    .click();
  const panel = page.getByRole('dialog', { name: 'Files that could not be indexed' });
  await panel.getByRole('listitem').first().waitFor();
  return panel;
}

function row(page: Page, name: string) {
  return page.getByRole('dialog').getByRole('listitem').filter({ hasText: name });
}

describe('failures panel', () => {
  it('lists each file that could not be indexed with the stage and the reason', async () => {
    const page = await app.open();
    const panel = await openFailures(page);

    expect(await panel.getByRole('listitem').count()).toBe(3);
    const heic = (await row(page, 'IMG_2041.HEIC').textContent()) ?? '';
    expect(heic).toContain('Could not decode');
    expect(heic).toContain('This HEIC file uses a compression the decoder does not support.');
    expect(heic).toContain(phone);
    expect(await row(page, 'grandma-1962.tif').textContent()).toContain('Could not read');
    expect(await row(page, 'corrupt-scan.jpg').textContent()).toContain('tried 2 times');
    await screenshot(page, 'failures');
  });

  it('retries a file with failures.retry and drops it from the list once it is indexed', async () => {
    const page = await app.open();
    await openFailures(page);
    await row(page, 'grandma-1962.tif').getByRole('button', { name: 'Retry' }).click();

    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'indexed now' }).textContent())
      .toBe('grandma-1962.tif is indexed now.');
    expect(await page.evaluate(() => window.fake.argsOf('failures.retry'))).toEqual([
      ['/home/ana/Pictures/Family/grandma-1962.tif'],
    ]);
    expect(await row(page, 'grandma-1962.tif').count()).toBe(0);
    await expect
      .poll(() => page.getByRole('region', { name: 'Failures' }).textContent())
      .toContain('2 files could not be indexed');
  });

  it('says when a retried file still fails', async () => {
    const page = await app.open();
    await openFailures(page);
    await row(page, 'corrupt-scan.jpg').getByRole('button', { name: 'Retry' }).click();

    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('corrupt-scan.jpg still fails: VipsJpeg: premature end of JPEG image');
    expect(await row(page, 'corrupt-scan.jpg').textContent()).toContain('tried 3 times');
  });

  it('shows a failed file in its folder', async () => {
    const page = await app.open();
    await openFailures(page);
    await row(page, 'IMG_2041.HEIC').getByRole('button', { name: 'Show in folder' }).click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('shell.showInFolder')))
      .toEqual([[`${phone}/IMG_2041.HEIC`]]);
  });

  it('closes with Escape', async () => {
    const page = await app.open();
    await openFailures(page);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });
});
