import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  hueDistance,
  renderedPhotoIds,
  resultCells,
  screenshot,
  searchBox,
  settle,
  useApp,
} from './app-page';
import { hueOfBytes, photoHue } from './fake-library';

const app = useApp();

/** A real PNG of one colour, made by the page's canvas. */
async function pngBytes(page: Page, colour: string): Promise<number[]> {
  return page.evaluate(async (fill) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 8;
    const context = canvas.getContext('2d');
    if (context) context.fillStyle = fill;
    context?.fillRect(0, 0, 8, 8);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    return [...new Uint8Array(await (blob ?? new Blob()).arrayBuffer())];
  }, colour);
}

const imageSearches = (page: Page): Promise<number[][]> =>
  page.evaluate(() =>
    window.fake.argsOf('search.imageBytes').map(([bytes]) => [...(bytes as Uint8Array)]),
  );
const shellCalls = (page: Page, command: string): Promise<unknown[][]> =>
  page.evaluate((name) => window.fake.argsOf(name as 'shell.copyPath') as unknown[][], command);
const focusedRole = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('role') ?? null);
const homeGrid = (page: Page) => page.getByRole('listbox', { name: 'All photos' });

async function searchFor(page: Page, query: string) {
  await searchBox(page).fill(query);
  await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
}

/**
 * A paste as Chromium dispatches one for Ctrl/Cmd+V, with what `fill` puts on the clipboard, at
 * the focused element; returns whether the app took it (default prevented).
 */
async function paste(page: Page, fill: { png?: number[]; text?: string }): Promise<boolean> {
  return page.evaluate(({ png, text }) => {
    const data = new DataTransfer();
    if (text !== undefined) data.setData('text/plain', text);
    if (png) data.items.add(new File([Uint8Array.from(png)], 'image.png', { type: 'image/png' }));
    const event = new ClipboardEvent('paste', {
      clipboardData: data,
      bubbles: true,
      cancelable: true,
    });
    (document.activeElement ?? document.body).dispatchEvent(event);
    return event.defaultPrevented;
  }, fill);
}

describe('Choose image…', () => {
  it('searches with the bytes main read from the chosen file, like a drop', async () => {
    const page = await app.open();
    const bytes = await pngBytes(page, '#2a4');
    await page.evaluate(
      (png) => window.fake.setChosenImage({ bytes: png, name: 'meadow.png' }),
      bytes,
    );
    await page.getByRole('button', { name: 'Choose image…' }).click();

    await expect
      .poll(() => page.locator('.image-query').textContent())
      .toBe('Similar to meadow.png');
    expect(await imageSearches(page)).toEqual([bytes]);
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    const [top = 0] = await renderedPhotoIds(page);
    expect(hueDistance(photoHue(top), hueOfBytes(Uint8Array.from(bytes)))).toBeLessThan(20);
    await screenshot(page, 'choose-image-results');
  });

  it('does nothing when the dialog is cancelled, and says why when main cannot read the file', async () => {
    const page = await app.open();
    const choose = page.getByRole('button', { name: 'Choose image…' });
    await choose.click();
    await expect.poll(() => shellCalls(page, 'shell.chooseImage')).toEqual([[]]);
    await settle(page);
    expect(await imageSearches(page)).toEqual([]);
    expect(await page.locator('.image-query').count()).toBe(0);

    await page.evaluate(() =>
      window.fake.failNext('shell.chooseImage', {
        code: 'BAD_ARGUMENT',
        message: 'huge.jpg is larger than 64 MB, the most that can be searched.',
      }),
    );
    await choose.click();
    await page
      .getByRole('alert')
      .getByText(
        'Could not read the image: huge.jpg is larger than 64 MB, the most that can be searched.',
      )
      .waitFor();
    expect(await imageSearches(page)).toEqual([]);
  });

  it('works with an image-only model, whose search box is off', async () => {
    const page = await app.open('image-only');
    expect(await searchBox(page).isDisabled()).toBe(true);
    const bytes = await pngBytes(page, '#c22');
    await page.evaluate(
      (png) => window.fake.setChosenImage({ bytes: png, name: 'red.png' }),
      bytes,
    );
    await page.getByRole('button', { name: 'Choose image…' }).click();
    await expect.poll(() => imageSearches(page)).toEqual([bytes]);
  });
});

describe('paste', () => {
  it('an image pasted anywhere searches by it; text pasted into the search box stays text', async () => {
    const page = await app.open();
    const bytes = await pngBytes(page, '#36c');
    await homeGrid(page).focus();
    expect(await paste(page, { png: bytes })).toBe(true);
    await expect
      .poll(() => page.locator('.image-query').textContent())
      .toBe('Similar to image.png');
    expect(await imageSearches(page)).toEqual([bytes]);

    // In the search box, a clipboard with words (and the picture a browser adds) pastes the words.
    await page.getByRole('button', { name: 'Clear image' }).click();
    await searchBox(page).focus();
    expect(await paste(page, { text: 'red', png: bytes })).toBe(false);
    expect(await paste(page, { text: 'red' })).toBe(false);
    expect(await imageSearches(page)).toHaveLength(1);
    // Only an image, even in the box: it is searched (the box cannot hold a picture).
    expect(await paste(page, { png: bytes })).toBe(true);
    await expect.poll(() => imageSearches(page)).toHaveLength(2);
  });

  it('Ctrl+V with text from the system clipboard types it into the search box', async () => {
    const page = await app.open();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.evaluate(() => navigator.clipboard.writeText('red car'));
    await searchBox(page).focus();
    await page.keyboard.press('Control+V');
    await expect.poll(() => searchBox(page).inputValue()).toBe('red car');
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.text').at(-1)?.[0]))
      .toBe('red car');
    expect(await imageSearches(page)).toEqual([]);
  });

  it('a paste with neither image nor text in the grid is left alone', async () => {
    const page = await app.open();
    await homeGrid(page).focus();
    expect(await paste(page, {})).toBe(false);
    await settle(page);
    expect(await imageSearches(page)).toEqual([]);
  });
});

describe('skip link', () => {
  it('is the first Tab stop, shows itself, and moves focus to the Home grid', async () => {
    const page = await app.open();
    await page.keyboard.press('Tab');
    const link = page.getByRole('link', { name: 'Skip to results' });
    expect(await link.evaluate((element) => element === document.activeElement)).toBe(true);
    const box = await link.boundingBox();
    expect(box && box.y >= 0).toBe(true);
    await screenshot(page, 'skip-link-focused');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => homeGrid(page).evaluate((grid) => grid === document.activeElement))
      .toBe(true);
    expect(await page.getByRole('heading', { level: 1, name: 'Photoseek' }).count()).toBe(1);
  });

  it('is out of sight until focused', async () => {
    const page = await app.open();
    const box = await page.getByRole('link', { name: 'Skip to results' }).boundingBox();
    expect(box && box.y + box.height <= 0).toBe(true);
  });

  it('moves focus to the results, selecting the first, while a search is shown', async () => {
    const page = await app.open();
    await searchFor(page, 'blue');
    await page.getByRole('link', { name: 'Skip to results' }).focus();
    await page.keyboard.press('Enter');
    const results = page.getByRole('listbox', { name: 'Results' });
    await expect.poll(() => results.evaluate((grid) => grid === document.activeElement)).toBe(true);
    await expect.poll(() => resultCells(page).first().getAttribute('aria-selected')).toBe('true');
  });

  it('moves focus into the Clusters view when it is the open tab', async () => {
    const page = await app.open('clusters');
    await page.getByRole('tab', { name: 'Clusters' }).click();
    await page.getByRole('button', { name: /travel/ }).waitFor();
    await page.getByRole('link', { name: 'Skip to results' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => !!document.activeElement?.closest('.explore-panel')))
      .toBe(true);
  });
});

describe('dragging photos out', () => {
  it('a cell dragged with the mouse asks main to drag its file, and no drop target appears', async () => {
    const page = await app.open();
    await searchFor(page, 'green');
    const cell = resultCells(page).nth(1);
    const [, photoId] = await renderedPhotoIds(page);
    const box = (await cell.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 40, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => shellCalls(page, 'shell.startDrag')).toEqual([[photoId]]);
    expect(await page.getByText('Drop an image to find similar photos').count()).toBe(0);
  });

  it('the file dragged out over the window is not taken for an image dropped in', async () => {
    const page = await app.open();
    const first = homeGrid(page).getByRole('option').first();
    await first.waitFor();
    const took = await first.evaluate((cell) => {
      const start = new DragEvent('dragstart', {
        bubbles: true,
        cancelable: true,
        dataTransfer: new DataTransfer(),
      });
      cell.dispatchEvent(start);
      return start.defaultPrevented;
    });
    expect(took).toBe(true);
    await expect.poll(() => shellCalls(page, 'shell.startDrag')).toHaveLength(1);
    // The system drag of the photo's file comes back over the window.
    const dragFileOver = () =>
      page.evaluate(() => {
        const data = new DataTransfer();
        data.items.add(new File(['x'], 'IMG_1001.jpg', { type: 'image/jpeg' }));
        const main = document.querySelector('main')!;
        main.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true }));
        const over = new DragEvent('dragover', {
          dataTransfer: data,
          bubbles: true,
          cancelable: true,
        });
        main.dispatchEvent(over);
        return over.defaultPrevented;
      });
    expect(await dragFileOver()).toBe(false);
    await settle(page);
    expect(await page.getByText('Drop an image to find similar photos').count()).toBe(0);
    // Once the pointer moves in the window again, the drag is over: files dragged in are taken.
    await page.mouse.move(300, 300);
    await page.mouse.move(310, 310);
    expect(await dragFileOver()).toBe(true);
    await page.getByText('Drop an image to find similar photos').waitFor();
  });

  it('says so when main refuses the drag, and the window takes drops again', async () => {
    const page = await app.open();
    await page.evaluate(() =>
      window.fake.failNext('shell.startDrag', {
        code: 'NOT_FOUND',
        message: 'Photo 12 has no file in the library that is still the one indexed.',
      }),
    );
    const first = homeGrid(page).getByRole('option').first();
    await first.dispatchEvent('dragstart');
    await page
      .getByRole('alert')
      .getByText(
        'Could not drag the photo: Photo 12 has no file in the library that is still the one indexed.',
      )
      .waitFor();
    const taken = await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'cat.jpg', { type: 'image/jpeg' }));
      const over = new DragEvent('dragover', {
        dataTransfer: data,
        bubbles: true,
        cancelable: true,
      });
      document.querySelector('main')!.dispatchEvent(over);
      return over.defaultPrevented;
    });
    expect(taken).toBe(true);
  });
});

describe('copy path and copy image', () => {
  it('the photo view’s buttons ask main by photo id, and say what was copied', async () => {
    const page = await app.open();
    await searchFor(page, 'green');
    const path = (await resultCells(page).first().getAttribute('title')) ?? '';
    const [photoId] = await renderedPhotoIds(page);
    await resultCells(page).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Copy path' }).click();
    await page
      .getByRole('status')
      .getByText(`Copied the path of ${path.split('/').at(-1)}.`)
      .waitFor();
    await dialog.getByRole('button', { name: 'Copy image' }).click();
    await page
      .getByRole('status')
      .getByText(`Copied ${path.split('/').at(-1)} as an image.`)
      .waitFor();
    expect(await shellCalls(page, 'shell.copyPath')).toEqual([[photoId]]);
    expect(await shellCalls(page, 'shell.copyImage')).toEqual([[photoId]]);
    await screenshot(page, 'photo-view-copy');
  });

  it('says why when main cannot copy the image', async () => {
    const page = await app.open();
    await searchFor(page, 'green');
    await resultCells(page).first().click();
    const message =
      '/home/ana/Pictures/x.heic cannot be copied as an image (HEIC). Use Copy path instead.';
    await page.evaluate(
      (text) => window.fake.failNext('shell.copyImage', { code: 'BAD_ARGUMENT', message: text }),
      message,
    );
    await page.getByRole('dialog').getByRole('button', { name: 'Copy image' }).click();
    await page.getByRole('alert').getByText(`Could not copy the image: ${message}`).waitFor();
  });

  it('a right-click on a cell opens its menu at the pointer; Copy path copies that photo', async () => {
    const page = await app.open();
    await searchFor(page, 'red');
    const cell = resultCells(page).nth(2);
    const [, , photoId] = await renderedPhotoIds(page);
    await cell.click({ button: 'right' });
    const menu = page.getByRole('menu');
    await menu.waitFor();
    expect(await menu.getAttribute('aria-label')).toBe(
      `Actions for ${(await cell.getAttribute('title'))?.split('/').at(-1)}`,
    );
    await screenshot(page, 'cell-context-menu');
    await menu.getByRole('menuitem', { name: 'Copy path' }).click();
    await expect.poll(() => shellCalls(page, 'shell.copyPath')).toEqual([[photoId]]);
    expect(await menu.count()).toBe(0);
  });
});

describe('keyboard only', () => {
  it('skip link → Home grid → menu key: copy the image; Escape closes the menu, not the view', async () => {
    const page = await app.open();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight');
    const current = await homeGrid(page).getAttribute('aria-activedescendant');
    const photoId = Number(current?.replace('photo-', ''));
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu');
    await menu.waitFor();
    expect(await focusedRole(page)).toBe('menuitem');
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);
    expect(await focusedRole(page)).toBe('listbox');

    await page.keyboard.press('ContextMenu');
    await menu.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Copy image');
    await page.keyboard.press('Enter');
    await expect.poll(() => shellCalls(page, 'shell.copyImage')).toEqual([[photoId]]);
    expect(await focusedRole(page)).toBe('listbox');
  });

  it('search → results → menu: ↓ to Copy path, Enter; the search stays', async () => {
    const page = await app.open();
    await page.keyboard.press('/');
    await page.keyboard.type('blue');
    // The last query typed has answered (each letter searched as it was typed).
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('search.text').at(-1)?.[0]))
      .toBe('blue');
    await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    await settle(page);
    await page.keyboard.press('ArrowDown');
    expect(await focusedRole(page)).toBe('listbox');
    const current = page.getByRole('listbox', { name: 'Results' });
    await expect.poll(() => current.getAttribute('aria-activedescendant')).toMatch(/^photo-/);
    const [photoId] = await renderedPhotoIds(page);
    expect(await current.getAttribute('aria-activedescendant')).toBe(`photo-${photoId}`);
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menu').waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => shellCalls(page, 'shell.copyPath')).toEqual([[photoId]]);
    expect(await searchBox(page).inputValue()).toBe('blue');
  });

  it('Choose image… is reached by Tab from the search box and runs with Enter', async () => {
    const page = await app.open();
    const bytes = await pngBytes(page, '#a3c');
    await page.evaluate(
      (png) => window.fake.setChosenImage({ bytes: png, name: 'violet.png' }),
      bytes,
    );
    await searchBox(page).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Choose image…',
    );
    await page.keyboard.press('Enter');
    await expect.poll(() => imageSearches(page)).toEqual([bytes]);
  });
});

describe('the new controls in the dark theme', () => {
  it('skip link, Choose image…, the cell menu and the photo view’s copy buttons', async () => {
    const page = await app.open('library', { colorScheme: 'dark' });
    await page.keyboard.press('Tab');
    await screenshot(page, 'skip-link-focused-dark');
    await searchFor(page, 'red');
    await resultCells(page).nth(1).click({ button: 'right' });
    await page.getByRole('menu').waitFor();
    await screenshot(page, 'cell-context-menu-dark');
    await page.keyboard.press('Escape');
    await resultCells(page).nth(1).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Copy path' }).waitFor();
    await screenshot(page, 'photo-view-copy-dark');
  });
});

describe('the opt-in update check', () => {
  const updates = (page: Page) => page.getByRole('region', { name: 'Updates' });
  const explained =
    'Once a day, this sends one request to photoseek.app; nothing about your library.';

  it('is off by default and says in one sentence what turning it on sends', async () => {
    const page = await app.open();
    const box = updates(page).getByRole('checkbox', { name: 'Check for a new version' });
    await box.waitFor();
    expect(await box.isChecked()).toBe(false);
    await updates(page).getByText(explained).waitFor();
    expect(
      await box.evaluate(
        (input) =>
          document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent,
      ),
    ).toBe(explained);
    expect(await shellCalls(page, 'shell.setUpdateCheck')).toEqual([]);
    await updates(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'update-check-off');
  });

  it('turned on with the keyboard, it checks and offers a newer version with a Download link', async () => {
    const page = await app.open();
    await page.evaluate(() =>
      window.fake.setUpdateCheck(
        {},
        { available: { version: '0.2.0', url: 'https://photoseek.app/releases/0.2.0' } },
      ),
    );
    const box = updates(page).getByRole('checkbox', { name: 'Check for a new version' });
    await box.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => shellCalls(page, 'shell.setUpdateCheck')).toEqual([[true]]);
    const notice = page.getByRole('status');
    await notice.getByText('Photoseek 0.2.0 is available (you have 0.1.0).').waitFor();
    await updates(page).getByText('Version 0.2.0 is available.').waitFor();
    await updates(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'update-available');
    await notice.getByRole('button', { name: 'Download' }).click();
    await expect.poll(() => shellCalls(page, 'shell.openUpdatePage')).toEqual([[]]);

    await box.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => shellCalls(page, 'shell.setUpdateCheck')).toEqual([[true], [false]]);
    await expect.poll(() => updates(page).getByText('Version 0.2.0').count()).toBe(0);
  });

  it('says so when this version is the latest, and shows why a check failed', async () => {
    const page = await app.open('library', { colorScheme: 'dark' });
    await updates(page).getByRole('checkbox').check();
    await updates(page).getByText('0.1.0 is the latest version.').waitFor();
    await updates(page).getByRole('checkbox').uncheck();
    const problem = 'Could not check photoseek.app for a new version: it could not be reached.';
    await page.evaluate((text) => window.fake.setUpdateCheck({}, { problem: text }), problem);
    await updates(page).getByRole('checkbox').check();
    await updates(page).getByText(problem).waitFor();
    expect(await updates(page).getByText('is the latest version').count()).toBe(0);
    await updates(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'update-check-on-dark');
  });
});
