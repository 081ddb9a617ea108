/**
 * Home timeline paging (`photos.timeline`, src-main/core/explore/timeline.ts) on a large library.
 *
 *   npx tsx bench/timeline.bench.ts [--size 100000] [--reps 7]
 *
 * Writes `size` photos (5% undated, one file each, 200 directories) through LibraryStore into an
 * on-disk database opened like the app's (store/database.ts), then times a page of 240 photos with
 * the month and day counts at the start, the middle and the end of the timeline: the median of
 * `reps` runs each, and the counts alone. Deleted afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { timelineCounts, timelinePage } from '../src-main/core/explore/timeline';
import { openDatabase } from '../src-main/core/store/database';
import { LibraryStore } from '../src-main/core/store/library-store';
import { positiveInt } from './lib/args';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';

const PAGE = 240;
const DIRECTORIES = 200;
const UNDATED_SHARE = 0.05;
const DATES = [Date.UTC(2008, 0, 1), Date.UTC(2025, 0, 1)] as const;

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
  console.log(`Timeline bench: ${machineLine(describeMachine())}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'photoseek-timeline-bench-'));
  try {
    const db = openDatabase(path.join(work, 'library.db'));
    const store = new LibraryStore(db);
    const root = path.join(work, 'photos');
    const folder = store.addFolder(root);
    const dirIds = Array.from({ length: DIRECTORIES }, (_, i) =>
      store.dirId(path.join(root, `dir-${i}`), folder.id),
    );
    db.transaction(() => {
      for (let i = 0; i < size; i++) {
        const undated = (i * 2654435761) % 1000 < UNDATED_SHARE * 1000;
        const takenAt = undated
          ? null
          : Math.round(DATES[0] + (((i * 40503) % size) / size) * (DATES[1] - DATES[0]));
        const photoId = store.insertPhoto(`hash-${i}`, {
          width: 4032,
          height: 3024,
          format: 'jpeg',
          takenAt,
          camera: null,
          gps: null,
        });
        const dirId = dirIds[i % DIRECTORIES]!;
        store.upsertFile({
          path: path.join(root, `dir-${i % DIRECTORIES}`, `IMG_${i}.jpg`),
          dirId,
          photoId,
          size: 2_000_000,
          mtimeMs: DATES[1],
        });
      }
    })();
    db.exec('ANALYZE');
    const at = (offset: number) => () => timelinePage(store, { offset, limit: PAGE });
    const rows = [
      ['month and day counts only', timed(() => timelineCounts(store.timelineTimes()), reps)],
      [`page of ${PAGE} at offset 0`, timed(at(0), reps)],
      [`page of ${PAGE} at offset ${size / 2}`, timed(at(size / 2), reps)],
      [`page of ${PAGE} at offset ${size - PAGE}`, timed(at(size - PAGE), reps)],
    ] as const;
    console.log(`${size.toLocaleString('en')} photos, median of ${reps} runs:`);
    for (const [what, ms] of rows) console.log(`  ${what}: ${ms.toFixed(2)} ms`);
    db.close();
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
