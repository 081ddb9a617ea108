import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core';
import type { Core } from '../../src-main/core';
import { writePhoto } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

/** Removing a folder that held the first copy of a photo: the copy left elsewhere takes over. */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('removing a library folder', () => {
  let work: string;
  let core: Core;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-remove-folder-'));
    await buildSyntheticModel(path.join(work, 'model'));
    core = createCore({ dataDir: path.join(work, 'data') });
    await core.models.add(path.join(work, 'model'));
  }, 60_000);

  afterAll(async () => {
    await core.dispose();
    await rm(work, { recursive: true, force: true });
  });

  it('keeps a copy in another folder findable with that folder as the filter', async () => {
    const first = path.join(work, 'a');
    const backup = path.join(work, 'b');
    const red = await writePhoto(first, {
      relativePath: 'r.jpg',
      colour: 'red',
      rgb: [220, 20, 30],
    });
    await writePhoto(backup, { relativePath: 'g.jpg', colour: 'green', rgb: [20, 200, 30] });
    await mkdir(backup, { recursive: true });
    await copyFile(red, path.join(backup, 'r copy.jpg'));
    await core.addFolder(first);
    await core.addFolder(backup);
    await core.index();
    expect(core.status().photos).toBe(2); // the copy is the same photo

    await core.removeFolder(first);
    const hits = await core.search('red', { folders: [backup], limit: 1 });
    expect(hits.map((hit) => hit.path)).toEqual([path.join(backup, 'r copy.jpg')]);
    expect(hits[0]!.folder).toBe(backup);
  }, 60_000);
});
