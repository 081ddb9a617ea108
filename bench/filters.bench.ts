/**
 * Catalogue filters and facets (`store/photo-facts.ts`, [Note: Catalogue filters]) on a large
 * library.
 *
 *   npx tsx bench/filters.bench.ts [--size 100000] [--reps 7]
 *
 * Writes `size` photos (five cameras and "no camera", jpeg/heic/png, landscape/portrait/square,
 * 40% with GPS) through LibraryStore into an on-disk database opened like the app's, then times
 * `library.facets` and the id lists of a few filters (the median of `reps` runs each). The
 * vector query's cost for such a list is measured by bench/knn.bench.ts's filtered rows.
 * Deleted afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src-main/core/store/database';
import { LibraryStore } from '../src-main/core/store/library-store';
import { PhotoFacts, type FactFilters } from '../src-main/core/store/photo-facts';
import type { ImageFormat } from '../src-main/shared/types';
import { positiveInt } from './lib/args';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';

const CAMERAS = ['Apple iPhone 12', 'NIKON D750', 'FUJIFILM X-T4', 'Canon EOS R6', 'Pixel 7', null];
const FORMATS: ImageFormat[] = ['jpeg', 'jpeg', 'jpeg', 'heic', 'png'];
const SIZES = [
  [4032, 3024],
  [3024, 4032],
  [2048, 2048],
] as const;

function timed(run: () => unknown, reps: number): number {
  const times: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '100000' },
      reps: { type: 'string', default: '7' },
    },
  });
  const size = positiveInt(values.size, '--size');
  const reps = positiveInt(values.reps, '--reps');
  console.log(`Filters bench: ${machineLine(describeMachine())}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'photoseek-filters-bench-'));
  try {
    const db = openDatabase(path.join(work, 'library.db'));
    const store = new LibraryStore(db);
    const root = path.join(work, 'photos');
    const folder = store.addFolder(root);
    const dirId = store.dirId(root, folder.id);
    db.transaction(() => {
      for (let i = 0; i < size; i++) {
        const [width, height] = SIZES[(i * 7) % SIZES.length]!;
        const photoId = store.insertPhoto(`hash-${i}`, {
          width,
          height,
          format: FORMATS[(i * 13) % FORMATS.length]!,
          takenAt: Date.UTC(2010, 0, 1) + i * 60_000,
          camera: CAMERAS[(i * 31) % CAMERAS.length]!,
          gps: (i * 17) % 10 < 4 ? { latitude: 51.5, longitude: -0.12 } : null,
        });
        store.upsertFile({
          path: path.join(root, `IMG_${i}.jpg`),
          dirId,
          photoId,
          size: 2_000_000,
          mtimeMs: 0,
        });
      }
    })();
    db.exec('ANALYZE');
    const facts = new PhotoFacts(db);
    const filters: [string, FactFilters][] = [
      ['one camera (1/6)', { cameras: ['NIKON D750'] }],
      ['jpeg (3/5)', { formats: ['jpeg'] }],
      ['portrait with a location', { orientation: 'portrait', hasLocation: true }],
      [
        'every filter at once',
        { cameras: ['Pixel 7'], formats: ['heic'], orientation: 'square', hasLocation: false },
      ],
    ];
    console.log(`${size.toLocaleString('en')} photos, median of ${reps} runs:`);
    console.log(`  library.facets: ${timed(() => facts.facets(), reps).toFixed(2)} ms`);
    for (const [what, filter] of filters) {
      const matches = facts.photoIdsMatching(filter).length;
      const ms = timed(() => facts.photoIdsMatching(filter), reps);
      console.log(
        `  ids for ${what}: ${ms.toFixed(2)} ms (${matches.toLocaleString('en')} photos)`,
      );
    }
    db.close();
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
