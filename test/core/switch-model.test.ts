import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core';
import type { Core } from '../../src-main/core';
import { writeColourLibrary, writePhoto } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import {
  buildSyntheticModel,
  SYNTHETIC_IMAGE_ONLY_ID,
  SYNTHETIC_MODEL_ID,
  SYNTHETIC_TOKENIZER_PARTS,
} from '../fixtures/synthetic-model';

/**
 * [Note: Switching models] with two real synthetic models of different sizes (16-d CLIP-shaped,
 * 8-d image-only) on a real library: after `models use`, search answers from the old model until
 * the new index holds every photo, then swaps by itself; a new core (another process) agrees.
 */
const PHOTOS = 60;

describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('switching the active model', () => {
  let work: string;
  let library: string;
  let core: Core;
  const open = () => createCore({ dataDir: path.join(work, 'data') });

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-switch-'));
    library = path.join(work, 'library');
    await writeColourLibrary(library);
    // More photos than a few batches, so that a pause leaves the new index incomplete.
    const hues = { red: [220, 30, 30], green: [30, 200, 40], blue: [30, 40, 220] } as const;
    for (let i = 0; i < PHOTOS - 10; i++) {
      const colour = (['red', 'green', 'blue'] as const)[i % 3]!;
      const [r, g, b] = hues[colour];
      await writePhoto(library, {
        relativePath: `${colour}/extra-${i}.jpg`,
        colour,
        rgb: [r + (i % 7), g + (i % 5), b + (i % 3)],
      });
    }
    await buildSyntheticModel(path.join(work, 'clip'));
    await buildSyntheticModel(path.join(work, 'image-only'), { imageOnly: true });
    core = open();
  }, 60_000);

  afterAll(async () => {
    await core.dispose();
    await rm(work, { recursive: true, force: true });
  });

  it('pauses, resumes and cancels with no model installed', async () => {
    expect(core.status().model).toBeNull();
    expect(() => core.pauseIndexing()).not.toThrow();
    expect(core.status().paused).toBe(true);
    await expect(core.resumeIndexing()).resolves.toBeUndefined();
    expect(core.status().paused).toBe(false);
    expect(() => core.cancelIndexing()).not.toThrow();
  });

  it('keeps searching with the old model until the new index is complete, then swaps', async () => {
    await core.models.add(path.join(work, 'clip'));
    await core.addFolder(library);
    await core.index();
    const reds = await core.search('red', { limit: 3 });
    expect(reds.map((hit) => path.basename(path.dirname(hit.path)))).toEqual(['red', 'red', 'red']);

    await core.models.add(path.join(work, 'image-only'));
    core.models.use(SYNTHETIC_IMAGE_ONLY_ID);
    expect(core.status().model?.id).toBe(SYNTHETIC_IMAGE_ONLY_ID);
    expect(core.status().switching).toEqual({
      searchModel: 'Synthetic colour model (tests)',
      textSearch: true,
      embedded: 0,
      total: PHOTOS,
    });
    // Text search still works: the old, complete model answers.
    expect((await core.search('red', { limit: 1 }))[0]?.path).toMatch(/[/\\]red[/\\]/);

    // Part of the way: pause after three photos are embedded with the new model.
    const partial = core.index({
      onProgress: (progress) => {
        if (progress.indexed >= 3) core.pauseIndexing();
      },
    });
    await partial.catch((error: unknown) => {
      if (!(error instanceof Error && error.name === 'AbortError')) throw error;
    });
    const halfway = core.status();
    expect(halfway.switching?.embedded).toBeGreaterThanOrEqual(3);
    expect(halfway.switching?.embedded).toBeLessThan(PHOTOS);
    expect((await core.search('green', { limit: 1 }))[0]?.path).toMatch(/[/\\]green[/\\]/);
    const other = open(); // another process on the library sees the same
    expect(other.status().switching?.searchModel).toBe('Synthetic colour model (tests)');
    expect((await other.search('blue', { limit: 1 }))[0]?.path).toMatch(/[/\\]blue[/\\]/);
    await other.dispose();

    await core.resumeIndexing();
    await core.index();
    expect(core.status()).toMatchObject({ embedded: PHOTOS, switching: null });
    // The run that completed the index moved the library's search model on, for every process.
    const after = open();
    expect(after.status().switching).toBeNull();
    await expect(after.search('red')).rejects.toMatchObject({ code: 'NO_TEXT_TOWER' });
    await after.dispose();
    // Swapped: the image-only model answers now, so words are refused and images are not.
    await expect(core.search('red')).rejects.toMatchObject({ code: 'NO_TEXT_TOWER' });
    const red = reds[0]!;
    const similar = await core.similar(red.photoId, { limit: 3 });
    expect(similar.every((hit) => /[/\\]red[/\\]/.test(hit.path))).toBe(true);

    // Back to the first model: its index is complete, so it answers at once.
    core.models.use(SYNTHETIC_MODEL_ID);
    expect(core.status().switching).toBeNull();
    expect((await core.search('red', { limit: 1 }))[0]?.path).toMatch(/[/\\]red[/\\]/);

    // The image-only model's vectors were kept, and can be removed with the model.
    const kept = core.models.list().find((model) => model.id === SYNTHETIC_IMAGE_ONLY_ID);
    expect(kept?.libraryVectors).toEqual({ photos: PHOTOS, bytes: expect.any(Number) });
    await expect(core.models.remove(SYNTHETIC_MODEL_ID)).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringContaining('is the active model'),
    });
    await expect(core.models.remove('no-such-model')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await core.models.remove(SYNTHETIC_IMAGE_ONLY_ID)).toMatchObject({ photos: PHOTOS });
    expect(core.models.list().map((model) => model.id)).not.toContain(SYNTHETIC_IMAGE_ONLY_ID);
    const reopened = open();
    expect(reopened.models.list().find((model) => model.id === SYNTHETIC_MODEL_ID)).toMatchObject({
      active: true,
      libraryVectors: { photos: PHOTOS },
    });
    expect((await reopened.search('green', { limit: 1 }))[0]?.path).toMatch(/[/\\]green[/\\]/);
    await reopened.dispose();
  }, 120_000);
});
