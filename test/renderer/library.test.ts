import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, useApp } from './app-page';

const app = useApp();
const lisbon = '/home/ana/Pictures/Lisbon 2024';

function sidebar(page: Page) {
  return page.getByRole('complementary', { name: 'Library' });
}

function indexingText(page: Page) {
  return sidebar(page).getByRole('region', { name: 'Indexing' }).textContent();
}

describe('library panel', () => {
  it('lists the folders with their counts and status, and the model in use', async () => {
    const page = await app.open();
    const folders = sidebar(page).getByRole('region', { name: 'Folders' });
    await expect.poll(() => folders.textContent()).toContain('400 photos in 4 folders');
    const text = await folders.textContent();
    expect(text).toContain('Iceland 2023140 photos');
    expect(text).toContain('Family120 of 121 indexed');
    expect(text).toContain('ScansNot connected · 40 photos');
    const model = await sidebar(page).getByRole('region', { name: 'Model' }).textContent();
    expect(model).toContain('CLIP ViT-B/32 (int8)');
    expect(model).toContain('Runs on: CPU');
    expect(await indexingText(page)).toContain('Up to date.');
  });

  it('gets another model after the first run, licence first, then offers it in the model list', async () => {
    const page = await app.open();
    const model = sidebar(page).getByRole('region', { name: 'Model' });
    await model.getByText('Get another model…').click();
    const choice = model.getByRole('combobox', { name: 'Model to download' });
    await choice.selectOption('mobileclip-s0');
    await model
      .getByText('Licence: Apple ML Research Model licence — non-commercial research use only')
      .waitFor();
    await model.getByRole('button', { name: 'Download' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'get-another-model');
    await model.getByRole('button', { name: 'Download' }).click();
    expect(await page.evaluate(() => window.fake.argsOf('models.download'))).toEqual([
      ['mobileclip-s0'],
    ]);
    await model.getByRole('progressbar', { name: 'Model download' }).waitFor();
    await page.evaluate(() => {
      while (window.fake.stepDownload());
    });
    const inUse = model.getByRole('combobox', { name: 'Model in use' });
    await expect
      .poll(() => inUse.locator('option').allTextContents())
      .toContain('MobileCLIP-S0 (fp32 image, int8 text)');
  });

  it('adds a folder and shows the indexing run live: progress, rate, time left, current file, failures', async () => {
    const page = await app.open();
    await sidebar(page).getByRole('button', { name: 'Add folder…' }).click();

    await expect.poll(() => indexingText(page)).toContain('Looking for photos');
    expect(await page.evaluate(() => window.fake.argsOf('folders.add'))).toEqual([[lisbon]]);
    // The core indexes an added folder by itself ([Note: The core indexes by itself]).
    expect(await page.evaluate(() => window.fake.argsOf('index.start'))).toEqual([]);

    await page.evaluate(() => window.fake.stepIndexing());
    await expect.poll(() => indexingText(page)).toContain('60 of 240 · 39 img/s · about 5 s left');
    expect(await indexingText(page)).toContain('IMG_1059.jpg');
    const bar = sidebar(page).getByRole('progressbar', { name: 'Indexing progress' });
    expect(await bar.getAttribute('aria-valuenow')).toBe('60');
    expect(await bar.getAttribute('aria-valuemax')).toBe('240');

    await page.evaluate(() => window.fake.stepIndexing());
    await expect.poll(() => indexingText(page)).toContain('120 of 240');
    expect(await indexingText(page)).toContain('1 file failed');
    expect(await sidebar(page).getByRole('region', { name: 'Model' }).textContent()).toContain(
      'Runs on: CPU',
    );
    expect(await sidebar(page).getByText('Lisbon 2024').locator('..').textContent()).toContain(
      'Indexing…',
    );
    await screenshot(page, 'library-progress');
  });

  it('pauses a run with index.pause, showing what waits, and resumes it with index.resume', async () => {
    const page = await app.open();
    await sidebar(page).getByRole('button', { name: 'Add folder…' }).click();
    await page.evaluate(() => {
      window.fake.stepIndexing();
      window.fake.stepIndexing();
    });
    await sidebar(page).getByRole('button', { name: 'Pause' }).click();

    await expect
      .poll(() => indexingText(page))
      .toContain('Paused at 120 of 240. 120 files waiting. Finished photos are kept.');
    expect(await page.evaluate(() => window.fake.argsOf('index.pause'))).toEqual([[]]);
    expect(await page.evaluate(() => window.fake.stepIndexing())).toBeNull();
    await screenshot(page, 'library-paused');

    await sidebar(page).getByRole('button', { name: 'Resume' }).click();
    await sidebar(page).getByRole('button', { name: 'Pause' }).waitFor();
    expect(await indexingText(page)).toContain('120 of 240');
    expect(await page.evaluate(() => window.fake.argsOf('index.resume'))).toEqual([[]]);
    await page.evaluate(() => window.fake.finishIndexing());

    await expect.poll(() => indexingText(page)).toContain('Done: 239 photos indexed, 1 failed.');
    await expect
      .poll(() => sidebar(page).getByRole('region', { name: 'Folders' }).textContent())
      .toContain('639 photos in 5 folders');
    expect(await sidebar(page).getByText('Lisbon 2024').locator('..').textContent()).toContain(
      '239 of 240 indexed',
    );
    expect(
      await page.evaluate(() => [
        window.fake.argsOf('index.start'),
        window.fake.argsOf('index.cancel'),
      ]),
    ).toEqual([[], []]);
  });

  it('stops a run with index.cancel, keeping what it indexed, and checks again on request', async () => {
    const page = await app.open();
    await sidebar(page).getByRole('button', { name: 'Add folder…' }).click();
    await page.evaluate(() => window.fake.stepIndexing());
    await expect.poll(() => indexingText(page)).toContain('60 of 240');
    await sidebar(page).getByRole('button', { name: 'Stop' }).click();

    await expect.poll(() => indexingText(page)).toContain('Stopped at 60 of 240.');
    expect(await page.evaluate(() => window.fake.argsOf('index.cancel'))).toEqual([[]]);
    await expect
      .poll(() => sidebar(page).getByText('Lisbon 2024').locator('..').textContent())
      .toContain('60 of 240 indexed');

    await sidebar(page).getByRole('button', { name: 'Check for new photos' }).click();
    await expect.poll(() => indexingText(page)).toContain('Looking for photos');
    expect(await page.evaluate(() => window.fake.argsOf('index.start'))).toEqual([[]]);
  });

  it('shows what the core reports about the library, such as a folder going offline', async () => {
    const page = await app.open();
    const message =
      '/media/ana/Backup drive/Scans went offline; its photos are kept until it comes back.';
    await page.evaluate((text) => window.fake.emit('library.notice', { message: text }), message);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'went offline' }).textContent())
      .toBe(message);
    await screenshot(page, 'library-notice');
  });

  it('shows runs that the app started by itself', async () => {
    const page = await app.open();
    await page.evaluate(() =>
      window.fake.emit('index.progress', {
        phase: 'indexing',
        done: 1500,
        total: 20_000,
        indexed: 1500,
        failed: 0,
        rate: 2.5,
        etaSeconds: 7400,
        currentFile: '/home/ana/Pictures/Family/IMG_1200.jpg',
        provider: 'webgpu',
      }),
    );
    await expect
      .poll(() => indexingText(page))
      .toContain('1,500 of 20,000 · 2.5 img/s · about 2 h 3 min left');
    expect(await sidebar(page).getByRole('region', { name: 'Model' }).textContent()).toContain(
      'Runs on: GPU (WebGPU)',
    );
  });

  it('does nothing when the folder dialog is cancelled', async () => {
    const page = await app.open();
    await page.evaluate(() => window.fake.setPickedFolder(null));
    await sidebar(page).getByRole('button', { name: 'Add folder…' }).click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('shell.pickFolder').length))
      .toBe(1);
    expect(await page.evaluate(() => window.fake.argsOf('folders.add'))).toEqual([]);
  });

  it('shows why a folder could not be added', async () => {
    const page = await app.open();
    await page.evaluate(() => window.fake.setPickedFolder('/home/ana/Pictures/Family'));
    await sidebar(page).getByRole('button', { name: 'Add folder…' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Could not add the folder: /home/ana/Pictures/Family is already in the library.');
  });

  it('removes a folder after a confirmation', async () => {
    const page = await app.open();
    await sidebar(page).getByRole('button', { name: 'Remove Family' }).click();
    await sidebar(page).getByRole('button', { name: 'Remove', exact: true }).click();

    await expect
      .poll(() => sidebar(page).getByRole('region', { name: 'Folders' }).textContent())
      .toContain('280 photos in 3 folders');
    expect(await page.evaluate(() => window.fake.argsOf('folders.remove'))).toEqual([
      ['/home/ana/Pictures/Family'],
    ]);
  });
});
