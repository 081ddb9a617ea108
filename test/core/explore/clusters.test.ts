import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core';
import { createCore } from '../../../src-main/core';
import type { ClusterNode, ClusterProgress } from '../../../src-main/shared/types';
import { writeColourLibrary, writePhoto, type ColourPhoto } from '../../fixtures/colour-library';
import { runCli } from '../../fixtures/photoseek-cli';
import { hasShared } from '../../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../../fixtures/synthetic-model';

/**
 * Clusters through the product path: a real folder of image files indexed with the synthetic
 * CLIP-like colour model ([Note: Synthetic model]), clustered, named by its text tower from
 * resources/vocabulary.json, stored in the library, read again by a second core and by the CLI.
 * The library is not clean: an exact copy of a photo in another folder, a burst of near-identical
 * greens, a broken file.
 */
const EXTRA_PHOTOS: readonly ColourPhoto[] = [
  { relativePath: 'trip/burst/g-burst-1.jpg', colour: 'green', rgb: [30, 200, 40] },
  { relativePath: 'trip/burst/g-burst-2.jpg', colour: 'green', rgb: [30, 200, 40] },
  { relativePath: 'trip/burst/g-burst-3.jpg', colour: 'green', rgb: [32, 198, 41] },
  { relativePath: 'trip/b4.png', colour: 'blue', rgb: [30, 40, 230] },
  { relativePath: 'trip/b5.png', colour: 'blue', rgb: [15, 25, 190] },
  {
    relativePath: 'trip/r5.jpg',
    colour: 'red',
    rgb: [220, 40, 20],
    takenAt: '2020:07:01 12:00:00',
  },
  { relativePath: 'trip/r6.jpg', colour: 'red', rgb: [240, 15, 35] },
];
/** 10 photos of the colour library + 7 extra; the copy of red/r1.jpg is the same photo. */
const PHOTOS = 17;

/** A photo's colour as the library's folders tell it (b*, g*, r* file names). */
function colourOfPath(file: string): string {
  const initial = path.basename(file)[0];
  return initial === 'r' ? 'red' : initial === 'g' ? 'green' : 'blue';
}

function coloursOf(cluster: ClusterNode): Set<string> {
  return new Set(cluster.photos.map((photo) => colourOfPath(photo.path)));
}

describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'clusters of a colour library (synthetic CLIP-like model)',
  () => {
    let work: string;
    let library: string;
    let dataDir: string;
    let core: Core;

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-clusters-'));
      library = path.join(work, 'library');
      dataDir = path.join(work, 'data');
      await writeColourLibrary(library);
      for (const photo of EXTRA_PHOTOS) await writePhoto(library, photo);
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

    it('splits the library by colour and names each cluster with its colour word', async () => {
      const phases = new Set<string>();
      const clusters = await core.clusters({
        onProgress: (progress) => phases.add(progress.phase),
      });
      expect([...phases]).toEqual(['reading', 'clustering', 'naming', 'saving']);
      expect(clusters).toHaveLength(3);
      for (const cluster of clusters) {
        expect(coloursOf(cluster)).toEqual(new Set([cluster.name]));
        expect(cluster.photos).toHaveLength(cluster.size);
        expect(cluster.children).toEqual([]); // too small to split
      }
      expect(clusters.map((cluster) => cluster.name).sort()).toEqual(['blue', 'green', 'red']);
      expect(clusters.reduce((sum, cluster) => sum + cluster.size, 0)).toBe(PHOTOS);
      const red = clusters.find((cluster) => cluster.name === 'red')!;
      expect(red.size).toBe(6);
      // The copy is the same photo as the original: in the cluster once, under one of its paths.
      expect(red.photos.filter((photo) => /r1(-copy)?\.jpg$/.test(photo.path))).toHaveLength(1);
    });

    it('gives the same clusters after reopening, without computing them again', async () => {
      const before = await core.clusters();
      await core.dispose();
      core = createCore({ dataDir });
      const progress: ClusterProgress[] = [];
      const after = await core.clusters({ onProgress: (event) => progress.push(event) });
      expect(progress).toEqual([]);
      expect(after).toEqual(before);
    });

    it('lets new photos join the nearest cluster, and recomputes once the library changed a lot', async () => {
      const newReds: ColourPhoto[] = [
        { relativePath: 'later/r7.jpg', colour: 'red', rgb: [235, 25, 30] },
        { relativePath: 'later/r8.jpg', colour: 'red', rgb: [210, 35, 15] },
      ];
      for (const photo of newReds) await writePhoto(library, photo);
      await core.index();
      const progress: ClusterProgress[] = [];
      const joined = await core.clusters({ onProgress: (event) => progress.push(event) });
      expect(progress).toEqual([]); // 2 of 17 is under a fifth: the stored clusters stay
      const red = joined.find((cluster) => cluster.name === 'red')!;
      expect(red.size).toBe(8);
      expect(red.photos.map((photo) => path.basename(photo.path))).toEqual(
        expect.arrayContaining(['r7.jpg', 'r8.jpg']),
      );
      for (const cluster of joined) expect(coloursOf(cluster)).toEqual(new Set([cluster.name]));

      for (let i = 0; i < 4; i++) {
        await writePhoto(library, {
          relativePath: `later/y${i}.jpg`,
          colour: 'red',
          rgb: [230, 220, 20 + i * 5],
        });
      }
      await core.index();
      const phases = new Set<string>();
      const recomputed = await core.clusters({ onProgress: (event) => phases.add(event.phase) });
      expect(phases).toContain('clustering');
      expect(recomputed.reduce((sum, cluster) => sum + cluster.size, 0)).toBe(PHOTOS + 6);
      expect(new Set(recomputed.map((cluster) => cluster.name)).size).toBe(recomputed.length);
    });

    it('caps the photos per cluster when asked, most typical first', async () => {
      const all = await core.clusters();
      const capped = await core.clusters({ photosPerCluster: 2, level: 1 });
      expect(capped.map((cluster) => cluster.size)).toEqual(all.map((cluster) => cluster.size));
      capped.forEach((cluster, i) => {
        expect(cluster.photos).toEqual(all[i]!.photos.slice(0, 2));
      });
    });

    it('prints clusters as JSON and as a tree from the CLI', async () => {
      await core.dispose();
      const json = await runCli(dataDir, ['--json', 'clusters']);
      expect(json.code, json.stderr).toBe(0);
      const clusters = JSON.parse(json.stdout) as Record<string, unknown>[];
      expect(clusters.length).toBeGreaterThanOrEqual(2);
      for (const cluster of clusters) {
        expect(Object.keys(cluster).sort()).toEqual(['children', 'name', 'photos', 'size']);
        expect(typeof cluster['name']).toBe('string');
        const photos = cluster['photos'] as Record<string, unknown>[];
        expect(photos).toHaveLength(cluster['size'] as number);
        for (const photo of photos) {
          expect(Object.keys(photo)).toEqual(expect.arrayContaining(['path', 'photoId']));
          expect(path.isAbsolute(photo['path'] as string)).toBe(true);
          expect(Number.isInteger(photo['photoId'])).toBe(true);
        }
        expect(cluster['children']).toEqual([]);
      }
      const text = await runCli(dataDir, ['clusters', '--level', '1']);
      expect(text.code, text.stderr).toBe(0);
      const lines = text.stdout.trim().split('\n');
      expect(lines).toEqual(
        clusters.map(
          (cluster) => `${cluster['name'] as string} (${cluster['size'] as number} photos)`,
        ),
      );
      const bad = await runCli(dataDir, ['clusters', '--level', '3']);
      expect(bad.code).toBe(2);
      core = createCore({ dataDir });
    }, 120_000);
  },
);
