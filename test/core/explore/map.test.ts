import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core';
import { createCore } from '../../../src-main/core';
import type { MapProgress, SimilarityMap } from '../../../src-main/shared/types';
import { writeColourLibrary, writePhoto, type ColourPhoto } from '../../fixtures/colour-library';
import { hasShared } from '../../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../../fixtures/synthetic-model';

/**
 * The similarity map through the product path: a real folder of image files indexed with the
 * synthetic colour model ([Note: Synthetic model]), laid out (clusters first, then UMAP), stored
 * in the library, read again by a second core. Not a clean library: an exact copy in another
 * folder, a burst of near-identical greens, shades of each colour, a broken file.
 */
const SHADES: readonly ColourPhoto[] = Array.from({ length: 8 }, (_, i): ColourPhoto[] => [
  { relativePath: `shades/r-${i}.jpg`, colour: 'red', rgb: [170 + i * 10, 10 + i * 4, 20] },
  { relativePath: `shades/g-${i}.png`, colour: 'green', rgb: [15 + i * 3, 170 + i * 10, 30] },
  { relativePath: `shades/b-${i}.jpg`, colour: 'blue', rgb: [20, 25 + i * 4, 170 + i * 10] },
]).flat();
const BURST: readonly ColourPhoto[] = [1, 2, 3].map((i) => ({
  relativePath: `trip/burst/g-burst-${i}.jpg`,
  colour: 'green',
  rgb: [30, 200 + i, 40],
}));
/** 10 of the colour library + 24 shades + 3 burst; the copy of red/r1.jpg is the same photo. */
const PHOTOS = 37;

/** A photo's colour from its file name (r…, g…, b…). */
function colourOf(file: string): string {
  const initial = path.basename(file)[0];
  return initial === 'r' ? 'red' : initial === 'g' ? 'green' : 'blue';
}

/** Of every photo's `k` nearest photos on the map, the share with the same label. */
function mapNeighbourAgreement(map: SimilarityMap, labels: readonly string[], k: number): number {
  let agree = 0;
  for (let i = 0; i < map.photoIds.length; i++) {
    const nearest = map.photoIds
      .map((_, j) => ({ j, d: (map.x[i]! - map.x[j]!) ** 2 + (map.y[i]! - map.y[j]!) ** 2 }))
      .filter(({ j }) => j !== i)
      .sort((a, b) => a.d - b.d)
      .slice(0, k);
    agree += nearest.filter(({ j }) => labels[j] === labels[i]).length;
  }
  return agree / (map.photoIds.length * k);
}

describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'similarity map of a colour library (synthetic CLIP-like model)',
  () => {
    let work: string;
    let library: string;
    let dataDir: string;
    let core: Core;
    const colours = (map: SimilarityMap) =>
      map.photoIds.map((photoId) => colourOf(core.photo(photoId).paths[0]!));

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-map-'));
      library = path.join(work, 'library');
      dataDir = path.join(work, 'data');
      await writeColourLibrary(library);
      for (const photo of [...SHADES, ...BURST]) await writePhoto(library, photo);
      await copyFile(
        path.join(library, 'red', 'r1.jpg'),
        path.join(library, 'trip', 'r1-copy.jpg'),
      );
      await writeFile(path.join(library, 'trip', 'broken.jpg'), 'not a JPEG');
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(library);
      const report = await core.index();
      expect(report.failed).toBe(1);
      expect(core.status().photos).toBe(PHOTOS);
    }, 120_000);

    afterAll(async () => {
      await core?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    it('stops a layout when its signal aborts, storing nothing', async () => {
      const controller = new AbortController();
      const phases = new Set<string>();
      const computing = core.map({
        signal: controller.signal,
        onProgress: ({ phase }) => {
          phases.add(phase);
          if (phase === 'fitting') controller.abort();
        },
      });
      await expect(computing).rejects.toThrow(/abort/i);
      expect([...phases]).toEqual(['clusters', 'reading', 'fitting']);
    });

    it('puts photos of one colour together, the colours apart, coloured by their cluster', async () => {
      const phases = new Set<string>();
      const map = await core.map({ onProgress: (progress) => phases.add(progress.phase) });
      // The clusters were made (and stored) by the cancelled call; the layout was not.
      expect([...phases]).toEqual(['reading', 'fitting', 'placing', 'saving']);
      expect(map.photoIds).toHaveLength(PHOTOS);
      expect(new Set(map.photoIds).size).toBe(PHOTOS); // the copy is one photo, one point
      for (const value of [...map.x, ...map.y]) {
        expect(value).toBeGreaterThanOrEqual(-1);
        expect(value).toBeLessThanOrEqual(1);
      }
      const labels = colours(map);
      expect(mapNeighbourAgreement(map, labels, 5)).toBe(1);

      // Each colour's points lie closer to their own centre than to any other colour's.
      const centre = (colour: string) => {
        const rows = labels.flatMap((label, i) => (label === colour ? [i] : []));
        const mean = (values: number[]) =>
          rows.reduce((sum, i) => sum + values[i]!, 0) / rows.length;
        return { x: mean(map.x), y: mean(map.y) };
      };
      const centres = new Map(['red', 'green', 'blue'].map((colour) => [colour, centre(colour)]));
      labels.forEach((label, i) => {
        const distance = (c: { x: number; y: number }) =>
          Math.hypot(map.x[i]! - c.x, map.y[i]! - c.y);
        const own = distance(centres.get(label)!);
        for (const [colour, other] of centres) {
          if (colour !== label) expect(own).toBeLessThan(distance(other));
        }
      });

      // Each point is coloured by the top cluster Core.clusters puts its photo in.
      const clusters = await core.clusters({ level: 1 });
      expect(map.clusters.map(({ name, size }) => ({ name, size }))).toEqual(
        clusters.map(({ name, size }) => ({ name, size })),
      );
      const clusterOf = new Map(
        clusters.flatMap((cluster, index) => cluster.photos.map((photo) => [photo.photoId, index])),
      );
      map.photoIds.forEach((photoId, i) => expect(map.cluster[i]).toBe(clusterOf.get(photoId)));
      // A cluster's label sits among its own points.
      map.clusters.forEach((cluster, index) => {
        const nearest = map.photoIds
          .map((_, i) => ({ i, d: Math.hypot(map.x[i]! - cluster.x, map.y[i]! - cluster.y) }))
          .sort((a, b) => a.d - b.d)[0]!;
        expect(map.cluster[nearest.i]).toBe(index);
      });
    }, 120_000);

    it('gives the same map after reopening, without computing it again', async () => {
      const before = await core.map();
      await core.dispose();
      core = createCore({ dataDir });
      const progress: MapProgress[] = [];
      const after = await core.map({ onProgress: (event) => progress.push(event) });
      expect(progress).toEqual([]);
      expect(after).toEqual(before);
    });

    it('places photos indexed later among their colour, and lays out again once the library changed a lot', async () => {
      const before = await core.map();
      await writePhoto(library, {
        relativePath: 'later/b-new.png',
        colour: 'blue',
        rgb: [25, 35, 215],
      });
      await writePhoto(library, {
        relativePath: 'later/r-new.jpg',
        colour: 'red',
        rgb: [215, 30, 25],
      });
      await core.index();
      const progress: MapProgress[] = [];
      const joined = await core.map({ onProgress: (event) => progress.push(event) });
      expect(progress).toEqual([]); // 2 of 37 is under a fifth: the stored layout stays
      expect(joined.photoIds).toHaveLength(PHOTOS + 2);
      // Photos already laid out keep their places.
      before.photoIds.forEach((photoId, i) => {
        const j = joined.photoIds.indexOf(photoId);
        expect([joined.x[j], joined.y[j]]).toEqual([before.x[i], before.y[i]]);
      });
      expect(mapNeighbourAgreement(joined, colours(joined), 5)).toBeGreaterThan(0.95);
      const labels = colours(joined);
      for (const name of ['b-new.png', 'r-new.jpg']) {
        const i = joined.photoIds.findIndex((photoId) =>
          core.photo(photoId).paths[0]!.endsWith(name),
        );
        const nearest = joined.photoIds
          .map((_, j) => ({
            j,
            d: Math.hypot(joined.x[i]! - joined.x[j]!, joined.y[i]! - joined.y[j]!),
          }))
          .filter(({ j }) => j !== i)
          .sort((a, b) => a.d - b.d)
          .slice(0, 3);
        for (const { j } of nearest) expect(labels[j]).toBe(labels[i]);
      }

      for (let i = 0; i < 8; i++) {
        await writePhoto(library, {
          relativePath: `later/g-more-${i}.jpg`,
          colour: 'green',
          rgb: [25, 190 + i * 5, 35],
        });
      }
      await core.index();
      const phases = new Set<string>();
      const recomputed = await core.map({ onProgress: (event) => phases.add(event.phase) });
      expect(phases).toContain('fitting');
      expect(recomputed.photoIds).toHaveLength(PHOTOS + 10);
      expect(mapNeighbourAgreement(recomputed, colours(recomputed), 5)).toBe(1);
    }, 120_000);

    it('drops removed photos from the map', async () => {
      const before = await core.map();
      await rm(path.join(library, 'shades'), { recursive: true });
      await core.index();
      const after = await core.map();
      expect(after.photoIds.length).toBe(before.photoIds.length - 24);
      for (const photoId of after.photoIds) expect(() => core.photo(photoId)).not.toThrow();
    }, 120_000);
  },
);
