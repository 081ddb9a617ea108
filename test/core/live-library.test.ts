import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core';
import { createCore } from '../../src-main/core';
import type { IndexProgress } from '../../src-main/shared/types';
import { COLOUR_LIBRARY, writeColourLibrary } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

/** Polls `condition` until it holds (watchers and debounces are asynchronous by nature). */
async function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function walkFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(root, entry.name);
    return entry.isDirectory() ? walkFiles(full) : [full];
  });
}

async function tinyPng(filePath: string, seed: number): Promise<void> {
  const pixels = Buffer.alloc(8 * 8 * 3, seed % 256);
  pixels[0] = Math.floor(seed / 256) % 256;
  pixels[1] = Math.floor(seed / 65536) % 256;
  await mkdir(path.dirname(filePath), { recursive: true });
  await writeFile(
    filePath,
    await sharp(pixels, { raw: { width: 8, height: 8, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'live library: watchers, queue, offline folders',
  () => {
    let work: string;
    let library: string;
    let core: Core;
    let stopWatching: () => Promise<void>;
    const progress: IndexProgress[] = [];
    const notices: string[] = [];

    const indexedPaths = (): string[] =>
      walkFiles(library)
        .filter((file) => core.photoIdForFile(file) !== null)
        .sort();

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-live-'));
      library = path.join(work, 'library');
      await writeColourLibrary(library);
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(library);
      core.onProgress((event) => progress.push(event));
      core.onNotice((message) => notices.push(message));
      stopWatching = core.watch();
      await eventually(() => core.status().embedded === COLOUR_LIBRARY.length);
    });

    afterAll(async () => {
      await stopWatching?.();
      await core?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    it('reconciles at start-up and reports live progress with rate and provider', () => {
      const last = progress.filter((event) => event.phase === 'indexing').at(-1)!;
      expect(last.total).toBeGreaterThan(0);
      expect(progress.some((event) => event.provider === 'cpu')).toBe(true);
      expect(progress.at(-1)!.phase).toBe('done');
    });

    it('indexes a new file and follows a rename without re-embedding', async () => {
      const added = path.join(library, 'new', 'fresh.png');
      await tinyPng(added, 123_456);
      await eventually(() => core.photoIdForFile(added) !== null);
      const id = core.photoIdForFile(added);
      const indexedBefore = progress.filter((event) => event.phase === 'done').at(-1)!.indexed;
      const renamed = path.join(library, 'new', 'renamed.png');
      await rename(added, renamed);
      await eventually(
        () => core.photoIdForFile(renamed) === id && core.photoIdForFile(added) === null,
      );
      const lastDone = progress.filter((event) => event.phase === 'done').at(-1)!;
      expect(lastDone.indexed).toBe(0);
      expect(indexedBefore).toBeGreaterThanOrEqual(0);
    });

    it('keeps every embedding when a whole folder moves', async () => {
      const ids = ['r1.jpg', 'r2.jpg', 'r3.jpg', 'r4.jpg'].map((name) =>
        core.photoIdForFile(path.join(library, 'red', name)),
      );
      await rename(path.join(library, 'red'), path.join(library, 'moved-red'));
      await eventually(
        () =>
          core.photoIdForFile(path.join(library, 'moved-red', 'r4.jpg')) !== null &&
          core.photoIdForFile(path.join(library, 'red', 'r4.jpg')) === null,
      );
      const after = ['r1.jpg', 'r2.jpg', 'r3.jpg', 'r4.jpg'].map((name) =>
        core.photoIdForFile(path.join(library, 'moved-red', name)),
      );
      expect(after).toEqual(ids);
    });

    it('ends equal to the disk after a burst of adds, renames and deletes', async () => {
      const burst = path.join(library, 'burst');
      const count = 1500;
      for (let i = 0; i < count; i++)
        await tinyPng(path.join(burst, `a${Math.floor(i / 100)}`, `p${i}.png`), i + 1);
      for (let i = 0; i < count; i += 3)
        await rename(
          path.join(burst, `a${Math.floor(i / 100)}`, `p${i}.png`),
          path.join(burst, `a${Math.floor(i / 100)}`, `q${i}.png`),
        );
      for (let i = 1; i < count; i += 5)
        await rm(path.join(burst, `a${Math.floor(i / 100)}`, `p${i}.png`), { force: true });
      await rename(path.join(burst, 'a3'), path.join(burst, 'a3-moved'));
      await rm(path.join(burst, 'a7'), { recursive: true });
      const onDisk = (): string[] => walkFiles(library).sort();
      await eventually(() => {
        const status = core.status();
        return status.files === onDisk().length - 0 && indexedPaths().length === onDisk().length;
      }, 90_000);
      expect(indexedPaths()).toEqual(onDisk());
      expect(core.status().files).toBe(onDisk().length);
    }, 120_000);

    it('marks a vanished folder offline without dropping its photos, and re-embeds nothing when it returns', async () => {
      const photosBefore = core.status().photos;
      await stopWatching();
      const parked = path.join(work, 'parked');
      await rename(library, parked);
      const offlineReport = await core.index();
      expect(offlineReport.removed).toBe(0);
      expect(core.listFolders()[0]!.online).toBe(false);
      expect(core.status().photos).toBe(photosBefore);
      expect(notices.some((message) => message.includes('offline'))).toBe(true);
      await rename(parked, library);
      const back = await core.index();
      expect(back.indexed).toBe(0);
      expect(core.listFolders()[0]!.online).toBe(true);
      stopWatching = core.watch();
    });

    it('treats a file deleted between scan and read as gone, not failed', async () => {
      const doomed = path.join(library, 'doomed.png');
      await tinyPng(doomed, 999);
      statSync(doomed);
      await stopWatching();
      await rm(doomed);
      const report = await core.index();
      expect(core.failures().filter((failure) => failure.path === doomed)).toEqual([]);
      expect(report.failed).toBe(0);
      stopWatching = core.watch();
    });
  },
);

describe('database location errors', () => {
  it('explains a library file that cannot be created', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'photoseek-nodir-'));
    await writeFile(path.join(dir, 'a-file'), 'not a folder');
    expect(() =>
      createCore({ dataDir: dir, databasePath: path.join(dir, 'a-file', 'library.db') }),
    ).toThrow(/Cannot (open|write) the library database/);
    await rm(dir, { recursive: true, force: true });
  });

  it('explains a file that is not a library', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'photoseek-notadb-'));
    const bogus = path.join(dir, 'library.db');
    await writeFile(bogus, 'this is not sqlite'.repeat(100));
    expect(() => createCore({ dataDir: dir, databasePath: bogus })).toThrow(
      /not a Photoseek library/,
    );
    await rm(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'live from the start: watching asked for before a model is installed',
  () => {
    let work: string;
    let core: Core;

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-live-start-'));
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
    });

    afterAll(async () => {
      await core?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    it('goes live once a model is added, and follows folders added after', async () => {
      // [Note: Live from the start]: as the core host asks, with no model installed yet.
      expect(() => core.watch()).toThrow(/model/i);
      const stop = core.watch({ whenModelInstalled: true });
      const before = path.join(work, 'before');
      await writeColourLibrary(before);
      await core.addFolder(before);
      expect(core.status().embedded).toBe(0);

      await core.models.add(path.join(work, 'model'));
      await eventually(() => core.status().embedded === COLOUR_LIBRARY.length, 120_000);

      // A folder added while live is indexed with no index run asked for.
      const after = path.join(work, 'after');
      await tinyPng(path.join(after, 'one.png'), 77);
      await core.addFolder(after);
      await eventually(() => core.photoIdForFile(path.join(after, 'one.png')) !== null, 120_000);
      await stop();
    });
  },
);
