import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hueDistance, renderedPhotoIds, resultCells, screenshot, useApp } from './app-page';
import { hueOfBytes, photoHue } from './fake-library';

const app = useApp();

/** Drops what `fill` puts into a DataTransfer onto the results area, as a user's drag would. */
async function drop(page: Page, fill: 'png-file' | 'text-file' | 'folder' | { url: string }) {
  await page.evaluate(async (what) => {
    const data = new DataTransfer();
    if (what === 'png-file') {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 8;
      const context = canvas.getContext('2d');
      if (context) context.fillStyle = '#d22';
      context?.fillRect(0, 0, 8, 8);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      data.items.add(new File([blob ?? new Blob()], 'holiday.png', { type: 'image/png' }));
    } else if (what === 'text-file') {
      data.items.add(new File(['shopping list'], 'notes.txt', { type: 'text/plain' }));
    } else if (what === 'folder') {
      // A script cannot make a directory entry: stand in for the one Chromium gives a dropped folder.
      data.items.add(new File([], 'Holidays'));
      DataTransferItem.prototype.webkitGetAsEntry = function () {
        return { isDirectory: true, name: this.getAsFile()?.name } as FileSystemEntry;
      };
    } else {
      data.setData('text/uri-list', what.url);
    }
    const target = document.querySelector('main') ?? document.body;
    target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true }));
    target.dispatchEvent(
      new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }),
    );
    target.dispatchEvent(
      new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
    );
  }, fill);
}

/** A local port that nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

async function droppedBytes(page: Page): Promise<number[][]> {
  return page.evaluate(() =>
    window.fake.argsOf('search.imageBytes').map(([bytes]) => [...(bytes as Uint8Array)]),
  );
}

describe('drag and drop', () => {
  it('shows a drop target while an image is dragged over the window', async () => {
    const page = await app.open();
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'cat.jpg', { type: 'image/jpeg' }));
      document.body.dispatchEvent(
        new DragEvent('dragenter', { dataTransfer: data, bubbles: true }),
      );
    });
    await page.getByText('Drop an image to find similar photos').waitFor();
    await screenshot(page, 'drop-target');
    await page.evaluate(() =>
      document.body.dispatchEvent(new DragEvent('dragleave', { bubbles: true })),
    );
    await page.getByText('Drop an image to find similar photos').waitFor({ state: 'detached' });
  });

  it('searches with the bytes of a dropped image file', async () => {
    const page = await app.open();
    await drop(page, 'png-file');

    await expect
      .poll(() => page.locator('.image-query').textContent())
      .toBe('Similar to holiday.png');
    const [bytes = []] = await droppedBytes(page);
    expect(bytes.slice(1, 4)).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    expect((await page.evaluate(() => window.fake.argsOf('search.imageBytes')))[0]?.[1]).toEqual({
      limit: 1000,
    });
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    const [top = 0] = await renderedPhotoIds(page);
    expect(hueDistance(photoHue(top), hueOfBytes(Uint8Array.from(bytes)))).toBeLessThan(20);
    expect(
      await page
        .locator('.image-query img')
        .evaluate((image: HTMLImageElement) => image.src.startsWith('blob:')),
    ).toBe(true);
  });

  it('with an image-only model: the search box says why it is off, and a drop still searches', async () => {
    const page = await app.open('image-only');
    const box = page.getByRole('searchbox', { name: 'Search photos' });
    expect(await box.isDisabled()).toBe(true);
    expect(await box.getAttribute('placeholder')).toBe(
      'Text search needs a model with a text tower',
    );
    await page
      .getByText('MobileNetV2 (ImageNet) is an image-only model: it finds photos like an image')
      .waitFor();
    await page.getByText('Drop an image here to find photos like it.').waitFor();
    expect(await page.getByRole('button', { name: 'sunset over the sea' }).count()).toBe(0);
    await page.getByText('Image only: no text search').waitFor();
    await screenshot(page, 'image-only-model');
    await drop(page, 'png-file');
    await expect
      .poll(() => page.locator('.image-query').textContent())
      .toBe('Similar to holiday.png');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.fake.argsOf('search.text'))).toEqual([]);
    await screenshot(page, 'image-only-model-drop');
  });

  it('shows a model switch in progress and which model search uses meanwhile', async () => {
    const page = await app.open('switching-model');
    await page
      .getByText(
        'Switching model: 1,200 of 4,000 re-embedded. Search uses CLIP ViT-B/32 (int8) until then.',
      )
      .waitFor();
    const bar = page.getByRole('progressbar', { name: 'Switching model' });
    expect(await bar.getAttribute('aria-valuenow')).toBe('1200');
    // The old model answers words meanwhile, so the box stays usable.
    expect(await page.getByRole('searchbox', { name: 'Search photos' }).isDisabled()).toBe(false);
    await screenshot(page, 'switching-model');
  });

  it('downloads an image dragged from a web page and searches with its bytes', async () => {
    const page = await app.open();
    const url = new URL('/fake-media/photo/7.svg', page.url()).href;
    await drop(page, { url });

    await expect.poll(() => page.locator('.image-query').textContent()).toBe('Similar to 7.svg');
    // Main downloads it ([Note: Web images are fetched in main]); the renderer never fetches it.
    expect(await page.evaluate(() => window.fake.argsOf('shell.fetchWebImage'))).toEqual([[url]]);
    const [bytes = []] = await droppedBytes(page);
    expect(new TextDecoder().decode(Uint8Array.from(bytes))).toMatch(/^<svg/);
  });

  it('explains when a web image cannot be downloaded', async () => {
    // The fake's own fetch of another origin is what the CSP blocks (connect-src 'self' data:).
    const page = await app.open('library', {
      expectedConsoleErrors: /Content Security Policy|ERR_CONNECTION_REFUSED/,
    });
    const port = await closedPort();
    await drop(page, { url: `http://127.0.0.1:${port}/cat.jpg` });

    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain(`Could not download the image from 127.0.0.1:${port}`);
    expect(await page.getByRole('alert').textContent()).toContain(
      'Save the image to your computer and drop the file instead.',
    );
    expect(await droppedBytes(page)).toEqual([]);
  });

  it('refuses a file that is not an image', async () => {
    const page = await app.open();
    await drop(page, 'text-file');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('notes.txt is not an image.');
    expect(await droppedBytes(page)).toEqual([]);
  });

  it('offers to add a dropped folder whose path the desktop app knows, without the picker', async () => {
    const page = await app.open();
    await page.evaluate(() => window.fake.setPathOfFile('Holidays', '/home/ana/Holidays'));
    await drop(page, 'folder');

    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'folder' }).textContent())
      .toContain('“Holidays” is a folder. Add it to your library?');
    await page.getByRole('button', { name: 'Add folder', exact: true }).click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('folders.add')))
      .toEqual([['/home/ana/Holidays']]);
    expect(await page.evaluate(() => window.fake.argsOf('shell.pickFolder'))).toEqual([]);
  });

  it('offers the folder picker for a dropped folder whose path is unknown', async () => {
    const page = await app.open();
    await page.evaluate(() => window.fake.setPickedFolder('/home/ana/Holidays'));
    await drop(page, 'folder');

    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'folder' }).textContent())
      .toContain('“Holidays” is a folder. Add it to your library?');
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('folders.add')))
      .toEqual([['/home/ana/Holidays']]);
  });
});
