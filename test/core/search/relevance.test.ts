import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core';
import type { RelevanceCalibration } from '../../../src-main/core/search/relevance';
import type { SearchHit } from '../../../src-main/shared/types';
import { encodeColour, type Rgb } from '../../fixtures/colour-library';
import { runCli } from '../../fixtures/photoseek-cli';
import { MOBILENET, writeMobileNetModelFolder } from '../../fixtures/mobilenet-model';
import { hasShared, sharedPath } from '../../fixtures/shared-data';
import {
  buildSyntheticModel,
  SYNTHETIC_MODEL_ID,
  SYNTHETIC_TOKENIZER_PARTS,
} from '../../fixtures/synthetic-model';

const PHOTOS = ['data', 'photos-cc0'] as const;

/** Shades of a colour: `count` photos spread around `rgb`. */
function shades(rgb: Rgb, count: number): Rgb[] {
  return Array.from({ length: count }, (_, i) => {
    const shift = (i - count / 2) * 6;
    return rgb.map((value) => Math.max(0, Math.min(255, value + shift))) as unknown as Rgb;
  });
}

/**
 * A colour library as people keep one: many reds (a burst of three near-identical shots and one
 * photo at two paths among them), greens, blues, a few whites, PNGs beside JPEGs, no yellow.
 */
async function writeMixedColourLibrary(root: string): Promise<{ reds: string[] }> {
  const groups: [string, Rgb[]][] = [
    ['red', [...shades([220, 25, 25], 7), [231, 20, 22], [232, 21, 22], [230, 22, 21]]],
    ['green', shades([30, 200, 40], 8)],
    ['blue', shades([25, 35, 215], 8)],
    ['white', shades([240, 240, 240], 3)],
  ];
  const reds: string[] = [];
  for (const [colour, rgbs] of groups) {
    await mkdir(path.join(root, colour), { recursive: true });
    for (const [i, rgb] of rgbs.entries()) {
      const name = `${colour}-${i}.${i % 4 === 3 ? 'png' : 'jpg'}`;
      const file = path.join(root, colour, name);
      await writeFile(file, await encodeColour(rgb, { width: 320, height: 240 }, undefined, name));
      if (colour === 'red') reds.push(file);
    }
  }
  await mkdir(path.join(root, 'copies'));
  await copyFile(reds[0]!, path.join(root, 'copies', 'red-0 copy.jpg'));
  return { reds };
}

function storedCalibration(core: Core, modelId: string): RelevanceCalibration {
  // The calibration is a setting of the library; read it as another process would.
  const db = new Database(core.databasePath, { readonly: true });
  try {
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(`relevance:${modelId}`);
    return JSON.parse((row as { value: string }).value) as RelevanceCalibration;
  } finally {
    db.close();
  }
}

function good(hits: readonly SearchHit[]): SearchHit[] {
  return hits.filter((hit) => hit.relevance !== 'weak');
}

/**
 * [Note: Relevance cut-off] through the product path: a real folder indexed with the synthetic
 * colour model, then `Core.search` and `Core.searchByImage`.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'relevance with the synthetic colour model',
  () => {
    let work: string;
    let core: Core;
    let reds: string[];

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-relevance-'));
      ({ reds } = await writeMixedColourLibrary(path.join(work, 'library')));
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(path.join(work, 'library'));
      const report = await core.index();
      expect(report.failed).toBe(0);
    }, 120_000);

    afterAll(async () => {
      await core?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    it('a colour in the library gives its photos, and only them, as good matches', async () => {
      const hits = await core.search('a photo of something red', { limit: 100 });
      const matches = good(hits);
      expect(new Set(matches.map((hit) => hit.photoId)).size).toBe(reds.length);
      for (const hit of matches) expect(hit.path).toMatch(/[/\\]red[/\\]|red-0 copy/);
      expect(hits.length).toBeGreaterThan(matches.length);
      const calibration = storedCalibration(core, SYNTHETIC_MODEL_ID);
      expect(calibration).toMatchObject({ photos: 29, sampled: 29 });
      expect(calibration.text!.good).toBeLessThan(calibration.text!.strong);
    });

    it('a colour absent from the library gives no good match, and still the nearest photos', async () => {
      const hits = await core.search('yellow', { limit: 100 });
      expect(hits.length).toBeGreaterThan(0);
      expect(good(hits)).toEqual([]);
    });

    it('an edited copy of a library photo, as a query image, is a strong match', async () => {
      const query = path.join(work, 'query.jpg');
      await sharp(await readFile(reds[2]!))
        .resize({ width: 160 })
        .jpeg({ quality: 50 })
        .toFile(query);
      const hits = await core.searchByImage(query, { limit: 100 });
      expect(hits[0]!.path).toBe(reds[2]);
      expect(hits[0]!.relevance).toBe('strong');
      for (const hit of good(hits)) expect(hit.path).toMatch(/[/\\]red[/\\]|red-0 copy/);
      const blue = hits.find((hit) => hit.path.includes(`${path.sep}blue${path.sep}`));
      expect(blue?.relevance).toBe('weak');
    });

    it('photoseek search lists the good matches, or says there is none and shows the nearest', async () => {
      const dataDir = path.join(work, 'data');
      const red = await runCli(dataDir, ['search', 'red', '-n', '40']);
      expect(red.code, red.stderr).toBe(0);
      const rows = red.stdout.split('\n').filter((line) => /^\s+\d+\s/.test(line));
      expect(rows).toHaveLength(reds.length);
      for (const row of rows) expect(row).toMatch(/\s(strong|good)\s.*(red-\d|red-0 copy)/);
      expect(red.stdout).toMatch(/\d+ weaker matches hidden \(--all shows them\)\./);

      const yellow = await runCli(dataDir, ['search', 'yellow', '-n', '40']);
      expect(yellow.code, yellow.stderr).toBe(0);
      expect(yellow.stdout).toMatch(/^No good match for "yellow"\. The nearest 8 \(weak\):/);
      expect(yellow.stdout.split('\n').filter((line) => /\sweak\s/.test(line))).toHaveLength(8);

      const all = await runCli(dataDir, ['search', 'yellow', '-n', '40', '--all']);
      expect(all.stdout.split('\n').filter((line) => /\sweak\s/.test(line))).toHaveLength(29);
      const json = JSON.parse((await runCli(dataDir, ['--json', 'search', 'yellow'])).stdout);
      expect((json as SearchHit[]).map((hit) => hit.relevance)).toEqual(Array(20).fill('weak'));
    }, 60_000);
  },
);

/** The real ImageNet model on real photos: image queries only (it has no text tower). */
describe.skipIf(!hasShared(...PHOTOS) || !hasShared(...MOBILENET))(
  'relevance with MobileNetV2 on real photos',
  () => {
    let work: string;
    let core: Core;
    let library: string[];

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-relevance-real-'));
      const root = sharedPath(...PHOTOS);
      const rows = (await readFile(path.join(root, 'labels.csv'), 'utf8'))
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(','))
        .map(([file, label, split]) => ({ file: file!, label: label!, split: split! }));
      const test = rows.filter((row) => row.split === 'test');
      library = test.filter((row) => row.label !== 'hat').map((row) => path.join(root, row.file));
      const dir = path.join(work, 'library');
      await mkdir(dir);
      for (const file of library) await copyFile(file, path.join(dir, path.basename(file)));
      await writeMobileNetModelFolder(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(dir);
      const report = await core.index();
      expect(report.failed).toBe(0);
    }, 300_000);

    afterAll(async () => {
      await core?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    it('a half-size copy of a library photo is a strong match for it', async () => {
      const query = path.join(work, 'query.jpg');
      await sharp(library[5]!).resize({ width: 200 }).jpeg({ quality: 60 }).toFile(query);
      const hits = await core.searchByImage(query, { limit: 1000 });
      expect(path.basename(hits[0]!.path)).toBe(path.basename(library[5]!));
      expect(hits[0]!.relevance).toBe('strong');
      expect(hits.at(-1)!.relevance).toBe('weak');
      const calibration = storedCalibration(core, 'mobilenetv2-imagenet');
      expect(calibration).toMatchObject({ photos: library.length, sampled: 256, text: null });
    }, 120_000);
  },
);
