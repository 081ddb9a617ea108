import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core';
import { createCore } from '../../../src-main/core';
import { findResourcesDir } from '../../../src-main/core/models/registry';
import { loadVocabulary } from '../../../src-main/core/explore/vocabulary';
import type { ClusterNode } from '../../../src-main/shared/types';
import { writePhoto, type Rgb } from '../../fixtures/colour-library';
import { hasShared } from '../../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../../fixtures/synthetic-model';

/** A folder of photos of one colour, all from one year. */
interface ColourFolder {
  folder: string;
  rgb: Rgb;
  photos: number;
  year: number;
}

/**
 * More colours than the synthetic model has words for ([Note: Synthetic model]: nine colour
 * words with a direction), so some clusters cannot be named by a term: teal and dark red sit
 * between words that fit other clusters better. The reds are a large cluster that is split.
 */
const FOLDERS: readonly ColourFolder[] = [
  { folder: 'Reds', rgb: [230, 20, 20], photos: 40, year: 2019 },
  { folder: 'Greens', rgb: [20, 220, 30], photos: 20, year: 2020 },
  { folder: 'Blues', rgb: [20, 30, 230], photos: 20, year: 2021 },
  { folder: 'Yellows', rgb: [230, 220, 20], photos: 20, year: 2018 },
  { folder: 'Snow', rgb: [245, 245, 245], photos: 20, year: 2017 },
  { folder: 'Night', rgb: [15, 15, 15], photos: 20, year: 2016 },
  { folder: 'Lagoon', rgb: [10, 128, 128], photos: 20, year: 2015 },
  { folder: 'Wine', rgb: [120, 5, 30], photos: 20, year: 2014 },
  { folder: 'Lilac', rgb: [200, 40, 210], photos: 20, year: 2013 },
  { folder: 'Sunset', rgb: [240, 130, 10], photos: 20, year: 2012 },
];

/**
 * Cluster names through the product path: real image files indexed with the synthetic CLIP-like
 * colour model, clustered and named by its text tower from resources/vocabulary.json; the
 * clusters no colour word singles out are named by their members ([Note: Cluster names from the
 * text tower], [Note: Cluster names without a text tower]).
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'cluster names of a library with more colours than colour words (synthetic model)',
  () => {
    let work: string;
    let core: Core;
    let clusters: ClusterNode[];
    const terms = new Set(loadVocabulary(findResourcesDir()).terms);

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-cluster-naming-'));
      const library = path.join(work, 'library');
      for (const { folder, rgb, photos, year } of FOLDERS) {
        for (let i = 0; i < photos; i++) {
          // Half of the reds lean orange, half pink (k-means puts the orange half with the
          // sunsets, and that cluster is split again).
          const tint = folder === 'Reds' ? (i % 2 === 0 ? [0, 50, 0] : [0, 0, 60]) : [0, 0, 0];
          await writePhoto(
            library,
            {
              relativePath: `${folder}/${folder.toLowerCase()}-${i}.jpg`,
              colour: 'red', // the fixture's label; only the pixels count here
              rgb: [rgb[0] + tint[0]!, rgb[1] + tint[1]!, rgb[2] + tint[2]!],
              takenAt: `${year}:0${1 + (i % 9)}:1${i % 10} 12:00:00`,
            },
            { width: 64, height: 48 },
          );
        }
      }
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(library);
      await core.index();
      clusters = await core.clusters();
    }, 300_000);

    afterAll(async () => {
      await core?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    /** What the members of a cluster tell: the folder most of them are in, and its year. */
    function membersName(cluster: ClusterNode): string {
      const counts = new Map<string, number>();
      for (const photo of cluster.photos) {
        const folder = path.basename(photo.folder);
        counts.set(folder, (counts.get(folder) ?? 0) + 1);
      }
      const [folder] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
      return `${folder} · ${FOLDERS.find((entry) => entry.folder === folder)!.year}`;
    }

    const clusterOf = (folder: string) =>
      clusters.find((cluster) =>
        cluster.photos.every((photo) => path.basename(photo.folder) === folder),
      );

    it('names each cluster by a colour word that fits it, or else by its folder and year', () => {
      const names = clusters.map((cluster) => cluster.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names.join('\n')).not.toMatch(/Group \d/);
      expect(clusterOf('Greens')?.name).toBe('green');
      expect(clusterOf('Blues')?.name).toBe('blue');
      expect(clusterOf('Yellows')?.name).toBe('yellow');
      expect(clusterOf('Snow')?.name).toBe('white');
      expect(clusterOf('Night')?.name).toBe('black');
      // Teal is between green and blue, which fit the greens and the blues better.
      expect(clusterOf('Lagoon')?.name).toBe('Lagoon · 2015');
      for (const cluster of clusters) {
        if (!terms.has(cluster.name)) expect(cluster.name).toBe(membersName(cluster));
      }
    });

    it('names sub-clusters apart from each other and from their parent', () => {
      const split = clusters.filter((cluster) => cluster.children.length > 0);
      expect(split.length).toBeGreaterThan(0);
      for (const parent of split) {
        const names = parent.children.map((child) => child.name);
        expect(new Set(names).size).toBe(names.length);
        expect(names).not.toContain(parent.name);
        expect(names.join('\n')).not.toMatch(/Group \d/);
        for (const child of parent.children) {
          if (!terms.has(child.name)) expect(child.name).toBe(membersName(child));
        }
      }
    });
  },
);
