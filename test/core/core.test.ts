import { mkdtemp, rename, rm, writeFile, mkdir, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core';
import { createCore } from '../../src-main/core';
import type { SearchHit } from '../../src-main/shared/types';
import { COLOUR_LIBRARY, encodeColour, writeColourLibrary } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

/**
 * The core end to end through its real parts: real image files, sharp, the synthetic ONNX
 * model in onnxruntime-node, the real CLIP tokenizer, SQLite + sqlite-vec on disk.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'core: index and search a colour library',
  () => {
    let work: string;
    let library: string;
    let core: Core;

    const colourOf = (hit: SearchHit): string =>
      path.basename(path.dirname(hit.path)) === 'nested'
        ? 'blue'
        : path.basename(path.dirname(hit.path));
    const colours = (hits: SearchHit[]): string[] => hits.map(colourOf);

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-core-'));
      library = path.join(work, 'library');
      await writeColourLibrary(library);
      await writeFile(path.join(library, 'notes.txt'), 'not a photo');
      await writeFile(path.join(library, 'broken.jpg'), 'this is text, not a JPEG');
      await mkdir(path.join(library, '.hidden'));
      await writeFile(
        path.join(library, '.hidden', 'secret.jpg'),
        await encodeColour([255, 0, 0], { width: 64, height: 64 }, undefined, 'x'),
      );
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(library);
    });

    afterAll(async () => {
      await core?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    it('indexes every photo, records the broken file, skips non-images and hidden folders', async () => {
      const phases = new Set<string>();
      const report = await core.index({ onProgress: (progress) => phases.add(progress.phase) });
      expect(report.indexed).toBe(COLOUR_LIBRARY.length);
      expect(report.failed).toBe(1);
      expect(phases).toContain('indexing');
      const failures = core.failures();
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({
        path: path.join(library, 'broken.jpg'),
        stage: 'decode',
      });
      expect(failures[0]!.message.length).toBeGreaterThan(10);
      const status = core.status();
      expect(status).toMatchObject({
        photos: COLOUR_LIBRARY.length,
        embedded: COLOUR_LIBRARY.length,
        failures: 1,
      });
    });

    it('finds the red photos for "red", ranked above everything else', async () => {
      const hits = await core.search('a photo of something red', { limit: 10 });
      expect(colours(hits.slice(0, 4))).toEqual(['red', 'red', 'red', 'red']);
      expect(hits[0]!.score).toBeGreaterThan(0.9);
      expect(hits[4]!.score).toBeLessThan(hits[3]!.score);
    });

    it('ranks by colour for find-similar and excludes the photo itself', async () => {
      const greenId = core.photoIdForFile(path.join(library, 'green/g1.jpg'))!;
      const hits = await core.similar(greenId, { limit: 3 });
      expect(hits.map((hit) => hit.photoId)).not.toContain(greenId);
      expect(colours(hits.slice(0, 2))).toEqual(['green', 'green']);
      expect(hits[2]!.score).toBeLessThan(hits[1]!.score);
    });

    it('searches by an image file that is not in the library', async () => {
      const outside = path.join(work, 'query-blue.jpg');
      await writeFile(
        outside,
        await encodeColour([0, 0, 255], { width: 300, height: 500 }, undefined, 'query'),
      );
      const hits = await core.searchByImage(outside, { limit: 3 });
      expect(colours(hits)).toEqual(['blue', 'blue', 'blue']);
    });

    it('applies folder and date filters inside the query, still returning k results', async () => {
      const inBlue = await core.search('red', { limit: 3, folders: [path.join(library, 'blue')] });
      expect(colours(inBlue)).toEqual(['blue', 'blue', 'blue']);
      const in2021 = await core.search('red', {
        limit: 5,
        after: Date.UTC(2021, 0, 1),
        before: Date.UTC(2022, 0, 1),
      });
      expect(colours(in2021)).toEqual(['green', 'green', 'green']);
      const early2019 = await core.search('red', { limit: 10, before: Date.UTC(2019, 6, 1) });
      expect(early2019.map((hit) => path.basename(hit.path)).sort()).toEqual(['r1.jpg', 'r2.jpg']);
    });

    it('excludes "-" terms', async () => {
      const plain = await core.search('magenta', { limit: 10 });
      const withoutBlue = await core.search('magenta -blue', { limit: 10 });
      expect(new Set(colours(plain.slice(0, 7)))).toEqual(new Set(['red', 'blue']));
      expect(colours(withoutBlue.slice(0, 4))).toEqual(['red', 'red', 'red', 'red']);
    });

    it('rescans without re-reading unchanged files', async () => {
      const report = await core.index();
      expect(report).toMatchObject({
        indexed: 0,
        unchanged: COLOUR_LIBRARY.length,
        failed: 1,
        removed: 0,
      });
    });

    it('keeps photos and embeddings when a folder is moved, and drops deleted files', async () => {
      const idBefore = core.photoIdForFile(path.join(library, 'red/r1.jpg'));
      await rename(path.join(library, 'red'), path.join(library, 'crimson'));
      await rm(path.join(library, 'green/g3.jpg'));
      await rm(path.join(library, 'broken.jpg'));
      const report = await core.index();
      expect(report).toMatchObject({ indexed: 0, removed: 5, failed: 0 });
      expect(core.photoIdForFile(path.join(library, 'crimson/r1.jpg'))).toBe(idBefore);
      expect(core.photoIdForFile(path.join(library, 'red/r1.jpg'))).toBeNull();
      expect(core.failures()).toEqual([]);
      expect(core.status()).toMatchObject({
        photos: COLOUR_LIBRARY.length - 1,
        embedded: COLOUR_LIBRARY.length - 1,
      });
      const inCrimson = await core.search('red', {
        limit: 4,
        folders: [path.join(library, 'crimson')],
      });
      expect(inCrimson).toHaveLength(4);
    });

    it('treats a copy as the same photo (exact duplicate) without embedding it again', async () => {
      await cp(path.join(library, 'blue/nested/b1.png'), path.join(library, 'b1-copy.png'));
      const report = await core.index();
      expect(report.indexed).toBe(0);
      expect(core.photoIdForFile(path.join(library, 'b1-copy.png'))).toBe(
        core.photoIdForFile(path.join(library, 'blue/nested/b1.png')),
      );
    });

    it('answers bad arguments with a clear error', async () => {
      await expect(core.search('   ')).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
      await expect(core.search('red', { folders: [path.join(work, 'elsewhere')] })).rejects.toThrow(
        /not in the library/,
      );
      await expect(core.search('red', { limit: 0 })).rejects.toMatchObject({
        code: 'BAD_ARGUMENT',
      });
      await expect(core.similar(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(core.addFolder(path.join(work, 'nope'))).rejects.toMatchObject({
        code: 'FOLDER_MISSING',
      });
    });
  },
);
