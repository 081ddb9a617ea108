import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core';
import type { Core } from '../../src-main/core';
import { COLOUR_LIBRARY, encodeColour, writeColourLibrary } from '../fixtures/colour-library';
import type { ColourPhoto } from '../fixtures/colour-library';
import { MOBILENET, writeMobileNetModelFolder } from '../fixtures/mobilenet-model';
import { hasShared, sharedPath } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';
import { resultCells, screenshot, searchBox } from '../renderer/app-page';
import { launchChromium } from '../renderer/chromium';
import { startBridgeServer } from './bridge-server';
import type { BridgeServer } from './bridge-server';
import { BRIDGE_SCRIPT, buildRendererWithBridge } from './renderer-build';

declare global {
  interface Window {
    /** What the page saw while the folder was indexed (see the 'adds a folder' test). */
    e2eLog: { phases: string[]; indexingTexts: string[] };
  }
}

/** A GET with headers fetch would not send as given (Host). */
function statusOf(url: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on('error', reject);
  });
}

const rendererDir = fileURLToPath(new URL('../../test-results/e2e-renderer', import.meta.url));
const PHOTOS_TEST = ['data', 'photos-cc0', 'test'] as const;
const SYNTHETIC_MODEL_NAME = 'Synthetic colour model (tests)';
/** Text saved as .jpg: the core must list it as a failure and carry on. */
const BROKEN_FILE = 'broken.jpg';

/**
 * [Note: Full-stack test] The built renderer in Chromium against the real core over the loopback
 * bridge ([Note: Loopback bridge]): a real folder of coloured photos plus a text file saved as
 * .jpg, and the synthetic colour model ([Note: Synthetic model]) installed before the page loads.
 * The tests are one user's session, in order: add the folder, watch it index, search, open a
 * photo, find similar, drop an image, review the failure. Each main state is saved as
 * test-results/screenshots/e2e-*.png.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'full stack over the loopback bridge',
  () => {
    let work: string;
    let library: string;
    let core: Core;
    let server: BridgeServer;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    const pathOf = (photo: ColourPhoto) => path.join(library, photo.relativePath);
    const pathsOf = (colour: ColourPhoto['colour']) =>
      COLOUR_LIBRARY.filter((photo) => photo.colour === colour).map(pathOf);

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-e2e-'));
      library = path.join(work, 'Photos');
      await Promise.all([
        writeColourLibrary(library),
        buildSyntheticModel(path.join(work, 'model')),
        buildRendererWithBridge(rendererDir),
      ]);
      await writeFile(path.join(library, BROKEN_FILE), 'Shopping list: milk, eggs, film.\n');
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      server = await startBridgeServer({
        core,
        rendererDir,
        pickedFolders: {
          photos: library,
          model: path.join(work, 'mobilenet'),
          labelled: path.join(work, 'Labelled'),
        },
      });

      browser = await launchChromium();
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'en-US',
        timezoneId: 'UTC',
        colorScheme: 'light',
      });
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        const text = `${message.text()} (${message.location().url})`;
        // Chromium asks for /favicon.ico by itself, without the token, and is refused like any
        // such request (Electron makes none).
        if (message.type() === 'error' && !text.endsWith('/favicon.ico)')) pageErrors.push(text);
      });
      await page.goto(server.pageUrl);
      await page.locator('.app').waitFor();
    });

    afterEach(() => {
      // CSP violations are console errors too: the app's policy holds with the bridge in the page.
      expect(pageErrors).toEqual([]);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await core?.dispose();
      if (work) await rm(work, { recursive: true, force: true });
    });

    function sidebar() {
      return page.getByRole('complementary', { name: 'Library' });
    }

    function indexingText() {
      return sidebar().getByRole('region', { name: 'Indexing' }).textContent();
    }

    /** Paths of the result cells, best first (each cell's title is its path). */
    function resultPaths(): Promise<string[]> {
      return resultCells(page).evaluateAll((cells) =>
        cells.map((cell) => cell.getAttribute('title') ?? ''),
      );
    }

    it('starts with the model installed and asks for a folder', async () => {
      await page.getByRole('heading', { name: 'Add your photo folders' }).waitFor();
      expect(await sidebar().getByRole('region', { name: 'Model' }).textContent()).toContain(
        'Synthetic colour model (tests)',
      );
      await screenshot(page, 'e2e-empty-library');
    });

    it('adds a folder through the UI and shows the core indexing it live, then done', async () => {
      await page.evaluate(() => {
        window.e2eLog = { phases: [], indexingTexts: [] };
        window.photoseek?.on('index.progress', (progress) =>
          window.e2eLog.phases.push(progress.phase),
        );
        const section = document.querySelector('section[aria-label="Indexing"]');
        if (!section) throw new Error('no Indexing section');
        new MutationObserver(() =>
          window.e2eLog.indexingTexts.push(section.textContent ?? ''),
        ).observe(section, { subtree: true, childList: true, characterData: true });
      });
      await page.getByRole('main').getByRole('button', { name: 'Add folder…' }).click();

      const files = COLOUR_LIBRARY.length + 1;
      // A generous limit: on a loaded machine the first batch (sessions, decodes) takes seconds.
      await expect
        .poll(indexingText, { timeout: 30_000 })
        .toContain(`Done: ${COLOUR_LIBRARY.length} photos indexed, 1 failed.`);
      // Besides the folder dialog, only the update check's setting was read (off: it asks nothing).
      expect(server.shellCalls.filter(({ command }) => command !== 'shell.updateCheck')).toEqual([
        { command: 'shell.pickFolder', args: [] },
      ]);
      const log = await page.evaluate(() => window.e2eLog);
      expect(log.phases[0]).toBe('scanning');
      expect(log.phases).toContain('indexing');
      expect(log.phases.at(-1)).toBe('done');
      // The sidebar showed the run while it went, before it said it was done.
      expect(log.indexingTexts.some((text) => /Looking for photos|\d+ of \d+/.test(text))).toBe(
        true,
      );
      await expect
        .poll(() => sidebar().getByRole('region', { name: 'Folders' }).textContent())
        .toContain(`${COLOUR_LIBRARY.length} photos in 1 folder`);
      expect(
        await sidebar().getByText('Photos', { exact: true }).locator('..').textContent(),
      ).toContain(`${COLOUR_LIBRARY.length} of ${files} indexed`);
      expect(await sidebar().getByRole('region', { name: 'Model' }).textContent()).toContain(
        'Runs on: CPU',
      );
      await screenshot(page, 'e2e-indexed');
    });

    it('shows Home from the real core: every photo newest first, by month and day', async () => {
      const home = page.getByRole('listbox', { name: 'All photos' });
      await expect.poll(() => home.getByRole('option').count()).toBeGreaterThan(0);
      // The grid is virtual: scroll through it, collecting cells by position, month and day headers.
      const names = new Map<number, string>();
      const headers = new Set<string>();
      const days = new Set<string>();
      for (let step = 0; step < 20 && names.size < COLOUR_LIBRARY.length; step++) {
        await home.evaluate((grid, top) => grid.scrollTo({ top }), step * 300);
        await home.getByRole('option').first().waitFor();
        const seen = await home.evaluate((grid) => ({
          cells: [...grid.querySelectorAll('[role=option]')].map((cell) => [
            Number(cell.getAttribute('data-index')),
            cell.getAttribute('title')?.split('/').at(-1) ?? '',
          ]),
          headers: [...grid.querySelectorAll('.timeline-header h2')].map((h) => h.textContent),
          days: [...grid.querySelectorAll('.timeline-header h3')].map((h) => h.textContent),
        }));
        for (const [index, name] of seen.cells) names.set(index as number, name as string);
        for (const header of seen.headers) headers.add(header ?? '');
        for (const day of seen.days) days.add(day ?? '');
      }
      const inOrder = [...names.entries()].sort(([a], [b]) => a - b).map(([, name]) => name);
      // The undated blue PNGs are placed by the time they were indexed (now): newest of all.
      expect(inOrder.slice(0, 3).sort()).toEqual(['b1.png', 'b2.png', 'b3.png']);
      expect(inOrder.slice(3)).toEqual([
        'g3.jpg',
        'g2.jpg',
        'g1.jpg',
        'r4.jpg',
        'r3.jpg',
        'r2.jpg',
        'r1.jpg',
      ]);
      const thisMonth = new Date().toLocaleDateString('en-US', {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      });
      expect([...headers].sort()).toEqual(
        [
          thisMonth,
          'September 2021',
          'June 2021',
          'April 2021',
          'December 2019',
          'August 2019',
          'May 2019',
          'March 2019',
        ].sort(),
      );
      // The days of the dated photos, and the day (UTC) the undated ones were indexed on.
      const dated = [
        'Thursday, September 30',
        'Tuesday, June 15',
        'Friday, April 2',
        'Tuesday, December 24',
        'Wednesday, August 21',
        'Saturday, May 11',
        'Friday, March 1',
      ];
      expect([...days].filter((day) => dated.includes(day)).sort()).toEqual([...dated].sort());
      const dayOf = (time: number) =>
        new Date(time).toLocaleDateString('en-US', {
          weekday: 'long',
          month: 'long',
          day: 'numeric',
          timeZone: 'UTC',
        });
      // Indexing may have crossed midnight.
      const indexedOn = [...days].filter((day) => !dated.includes(day));
      expect(indexedOn.length).toBeGreaterThan(0);
      for (const day of indexedOn) {
        expect([dayOf(Date.now()), dayOf(Date.now() - 86_400_000)]).toContain(day);
      }
      await home.evaluate((grid) => grid.scrollTo({ top: 0 }));
      await screenshot(page, 'e2e-home');
    });

    it('finds the red photos, and only them, as good matches for "red", with thumbnails served by photo id', async () => {
      await searchBox(page).fill('red');
      const reds = pathsOf('red');
      await expect.poll(async () => new Set(await resultPaths())).toEqual(new Set(reds));
      expect(await page.locator('.results-summary').textContent()).toBe(
        `${reds.length} good matches · ${COLOUR_LIBRARY.length - reds.length} weaker hidden`,
      );
      const thumbnail = resultCells(page).first().locator('img');
      await expect
        .poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.naturalWidth))
        .toBeGreaterThan(0);
      expect(await thumbnail.getAttribute('src')).toMatch(
        new RegExp(`^/${server.token}/thumb/\\d+$`),
      );
      await screenshot(page, 'e2e-search-red');
    });

    it('opens a photo with its metadata and the original image', async () => {
      const [first = ''] = await resultPaths();
      await resultCells(page).first().click();
      const dialog = page.getByRole('dialog', { name: path.basename(first) });
      await expect.poll(() => dialog.locator('.photo-facts').textContent()).toContain('Size');
      const facts = (await dialog.locator('.photo-facts').textContent()) ?? '';
      expect(facts).toContain(first);
      expect(facts).toContain('480 × 320');
      expect(facts).toContain('JPEG');
      expect(facts).toContain('Acme');
      const original = dialog.getByRole('img', { name: path.basename(first) });
      await expect
        .poll(() => original.evaluate((image: HTMLImageElement) => image.naturalWidth))
        .toBe(480);

      await dialog.getByRole('button', { name: 'Open' }).click();
      await expect
        .poll(() => server.shellCalls.at(-1))
        .toEqual({ command: 'shell.openPath', args: [first] });
      await screenshot(page, 'e2e-photo');
    });

    it('finds photos similar to the open one: the other reds first', async () => {
      const [opened = ''] = await resultPaths();
      await page.getByRole('dialog').getByRole('button', { name: 'Find similar' }).click();
      await expect
        .poll(() => page.locator('.image-query').textContent())
        .toBe(`Similar to ${path.basename(opened)}`);
      const otherReds = pathsOf('red').filter((file) => file !== opened);
      await expect
        .poll(async () => new Set((await resultPaths()).slice(0, otherReds.length)))
        .toEqual(new Set(otherReds));
      expect(await resultPaths()).not.toContain(opened);
      await screenshot(page, 'e2e-similar');
    });

    it('searches with a dropped image file: a blue JPEG finds the blue photos', async () => {
      const blueJpeg = await encodeColour(
        [25, 40, 230],
        { width: 96, height: 64 },
        undefined,
        'drop.jpg',
      );
      await page.evaluate(
        (bytes) => {
          const data = new DataTransfer();
          data.items.add(
            new File([new Uint8Array(bytes)], 'sea-sample.jpg', { type: 'image/jpeg' }),
          );
          const target = document.querySelector('main') ?? document.body;
          for (const type of ['dragenter', 'dragover', 'drop']) {
            target.dispatchEvent(
              new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
            );
          }
        },
        [...blueJpeg],
      );

      await expect
        .poll(() => page.locator('.image-query').textContent())
        .toBe('Similar to sea-sample.jpg');
      const blues = pathsOf('blue');
      await expect
        .poll(async () => new Set((await resultPaths()).slice(0, blues.length)))
        .toEqual(new Set(blues));
      await screenshot(page, 'e2e-drop');
    });

    it('refines the dropped image with words under filters: exactly the matching photos', async () => {
      await searchBox(page).fill('green');
      await page.getByRole('button', { name: 'Filters' }).click();
      const format = page.getByLabel('Format', { exact: true });
      // The choices come from the real core's facets: three PNGs (the blue ones).
      await expect.poll(() => format.locator('option[value=png]').textContent()).toBe('PNG (3)');
      await format.selectOption('png');
      await expect.poll(async () => new Set(await resultPaths())).toEqual(new Set(pathsOf('blue')));
      expect(await page.locator('.image-query').textContent()).toBe('Similar to sea-sample.jpg');

      await page.getByRole('button', { name: 'Remove filter: PNG' }).click();
      await page.getByLabel('Camera', { exact: true }).selectOption('Acme Z1');
      const dated = COLOUR_LIBRARY.filter((photo) => photo.takenAt).map(pathOf);
      await expect.poll(async () => new Set(await resultPaths())).toEqual(new Set(dated));
      await screenshot(page, 'e2e-filters');

      await page.getByRole('button', { name: 'Remove filter: Acme Z1' }).click();
      await page.getByRole('button', { name: 'Filters' }).click();
      await page.getByRole('button', { name: 'Clear image search' }).click();
      await searchBox(page).fill('');
    });

    it('lists the broken file in the failures panel with the stage and the reason', async () => {
      await sidebar()
        .getByRole('region', { name: 'Failures' })
        .getByRole('button', { name: 'Review' })
        .click();
      const panel = page.getByRole('dialog', { name: 'Files that could not be indexed' });
      const row = panel.getByRole('listitem').filter({ hasText: 'broken.jpg' });
      await row.waitFor();
      expect(await panel.getByRole('listitem').count()).toBe(1);
      const text = (await row.textContent()) ?? '';
      expect(text).toContain('Could not decode');
      expect(text).toContain('Not an image');
      expect(text).toContain(`${library} · UNSUPPORTED_FORMAT`);
      await screenshot(page, 'e2e-failures');
    });

    it.skipIf(!hasShared(...MOBILENET) || !hasShared(...PHOTOS_TEST))(
      'adds the real MobileNetV2 folder in the models drawer and compares it on a labelled folder',
      async () => {
        await writeMobileNetModelFolder(path.join(work, 'mobilenet'));
        // Three categories of photos-cc0's test split, four photos each, as a user sorts them.
        const categories = (await readdir(sharedPath(...PHOTOS_TEST))).sort().slice(0, 3);
        for (const category of categories) {
          const from = sharedPath(...PHOTOS_TEST, category);
          await mkdir(path.join(work, 'Labelled', category), { recursive: true });
          for (const name of (await readdir(from)).sort().slice(0, 4)) {
            await copyFile(path.join(from, name), path.join(work, 'Labelled', category, name));
          }
        }

        // The failures drawer of the previous step is still open.
        await page.keyboard.press('Escape');
        await sidebar().getByRole('button', { name: 'Manage and compare models…' }).click();
        const drawer = page.getByRole('dialog', { name: 'Models' });
        await drawer.getByRole('button', { name: 'Add a model folder…' }).click();
        const mobileNet = drawer.getByRole('listitem', { name: 'MobileNetV2 (ImageNet, int8)' });
        await mobileNet.waitFor({ timeout: 120_000 });
        expect(await mobileNet.textContent()).toContain('Image only (no text search)');
        expect(
          core.models.list().find((model) => model.id === 'mobilenetv2-imagenet'),
        ).toMatchObject({
          installed: true,
          active: false,
        });

        await drawer.getByRole('button', { name: 'Choose labelled folder…' }).click();
        await drawer.getByText(path.join(work, 'Labelled')).waitFor();
        await drawer.getByRole('button', { name: 'Compare 2 models' }).click();
        const table = drawer.getByRole('table').first();
        await table.waitFor({ timeout: 300_000 });
        const rows = await table.getByRole('row').allTextContents();
        expect(rows).toHaveLength(3);
        const synthetic = rows.find((row) => row.includes(SYNTHETIC_MODEL_NAME));
        const real = rows.find((row) => row.includes('MobileNetV2 (ImageNet, int8)'));
        expect(synthetic).toContain('12 photos');
        expect(real).toContain('12 photos');
        expect(real).toContain('no text tower');
        // The real model tells clothing categories apart; the colour model barely can. Chance,
        // with three categories of four, is about 0.3.
        const mapOf = (row: string | undefined) => Number(/(\d\.\d{3})/.exec(row ?? '')?.[1]);
        expect(mapOf(real)).toBeGreaterThan(0.5);
        expect(mapOf(real)).toBeGreaterThan(mapOf(synthetic));
        console.info('Compare models, 3 categories × 4 photos of photos-cc0:', rows.slice(1));
        await table.scrollIntoViewIfNeeded();
        await screenshot(page, 'e2e-compare-models');
        await drawer.getByRole('button', { name: 'Close' }).click();
      },
      600_000,
    );

    describe('the bridge server', () => {
      it('answers 403 to requests without its token or for another host', async () => {
        const { origin, token, pageUrl } = server;
        for (const url of [
          `${origin}/`,
          `${origin}/index.html`,
          `${origin}/${token}`,
          `${origin}/x${token}/`,
        ]) {
          expect((await fetch(url)).status, url).toBe(403);
        }
        expect((await fetch(`${origin}/rpc`, { method: 'POST', body: '{}' })).status).toBe(403);
        // fetch cannot set Host; a DNS-rebinding page would reach the server under its own name.
        const otherHost = await statusOf(pageUrl, {
          Host: `attacker.example:${new URL(origin).port}`,
        });
        expect(otherHost).toBe(403);
        expect((await fetch(pageUrl)).status).toBe(200);
      });

      it('serves photos by indexed id only, and no other file', async () => {
        const id = core.photoIdForFile(pathOf(COLOUR_LIBRARY[0]!));
        const base = server.pageUrl;
        expect((await fetch(`${base}thumb/${id}`)).headers.get('content-type')).toBe('image/jpeg');
        expect((await fetch(`${base}photo/${id}`)).status).toBe(200);
        for (const probe of [
          'thumb/999999',
          'photo/0',
          'photo/1.5',
          `thumb/0${id}`,
          'photo/..%2Fpackage.json',
          'assets/..%2F..%2Fpackage.json',
          'package.json',
        ]) {
          expect((await fetch(`${base}${probe}`)).status, probe).toBe(404);
        }
      });

      it('reaches contract commands only: a host-only command is answered as unknown', async () => {
        const events = await fetch(`${server.pageUrl}events`);
        const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
        const call = { id: 424242, command: 'photos.thumbnailPath', args: [1] };
        const posted = await fetch(`${server.pageUrl}rpc`, {
          method: 'POST',
          body: JSON.stringify(call),
        });
        expect(posted.status).toBe(204);
        let received = '';
        while (!received.includes(`"id":${call.id}`)) {
          const { value, done } = await reader.read();
          if (done) break;
          received += value;
        }
        await reader.cancel();
        const reply = received.split('\n').find((line) => line.includes(`"id":${call.id}`)) ?? '';
        expect(JSON.parse(reply.slice('data: '.length))).toEqual({
          id: call.id,
          ok: false,
          error: { code: 'BAD_ARGUMENT', message: 'Unknown command "photos.thumbnailPath".' },
        });
      });

      it('serves the built page with its CSP and the bridge script before the app', async () => {
        const html = await (await fetch(server.pageUrl)).text();
        expect(html).toMatch(
          /http-equiv="Content-Security-Policy"\s+content="default-src 'none'; script-src 'self';/,
        );
        expect(html.indexOf(`src="./${BRIDGE_SCRIPT}"`)).toBeGreaterThan(0);
        expect(html.indexOf(`src="./${BRIDGE_SCRIPT}"`)).toBeLessThan(
          html.indexOf('src="./assets/index-'),
        );
      });
    });
  },
);
