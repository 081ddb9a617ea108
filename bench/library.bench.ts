/**
 * Library-scale costs: cold start (process start → first query result on a large library),
 * rescan of an unchanged library, memory (peak RSS while indexing, RSS at rest) and database
 * bytes per photo.
 *
 *   npx tsx bench/library.bench.ts [--size 100000] [--reps 3] [--photos 64] [--large 24]
 *                                  [--library-dir DIR] [--json out.json]
 *
 * - Cold start: a fresh child process (bench/lib/cold-start-child.ts) opens the synthetic library
 *   ([Note: Synthetic libraries]) and answers one text query with the int8 bench model; timed from
 *   spawning to the answer, with the child's own breakdown. The child runs TypeScript through tsx
 *   (the app runs bundled JavaScript, so its boot is shorter); the OS file cache is warm (dropping
 *   it would disturb other work on the machine).
 * - Rescan: core.index() over the same library, every file unchanged (one stat each), each
 *   followed by a bare directory walk of the same folder (bench/lib/directory-walk.ts).
 * - Memory and bytes per photo of a real index: a child indexes photos-cc0 photos plus generated
 *   12 MP JPEGs from scratch (bench/lib/indexing-memory-child.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { positiveInt, writeJson } from './lib/args';
import { ensureBenchModels, writeBenchModelFolder } from './lib/bench-models';
import { createCore } from '../src-main/core';
import { openBenchCore } from './lib/bench-core';
import { cc0Photos, linkPhotosInto, twelveMegapixelPhotos } from './lib/bench-photos';
import { runTsChild } from './lib/child-process';
import { timeDirectoryWalk } from './lib/directory-walk';
import { databaseBytes } from './lib/disk-usage';
import { describeMachine, machineLine } from './lib/machine';
import { median } from './lib/median';
import type { ColdStartTimes, IndexingMemory, LibraryResult } from './lib/results';
import { syntheticLibrary } from './lib/synthetic-library';
import { libraryTable } from './lib/tables';

const here = import.meta.dirname;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '100000' },
      reps: { type: 'string', default: '3' },
      photos: { type: 'string', default: '64' },
      large: { type: 'string', default: '24' },
      'library-dir': { type: 'string' },
      json: { type: 'string' },
    },
  });
  const size = positiveInt(values.size, '--size');
  const reps = positiveInt(values.reps, '--reps');
  const machine = describeMachine();
  console.log(`Library bench: ${machineLine(machine)}`);
  ensureBenchModels();
  const work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-library-bench-'));
  try {
    const library = await syntheticLibrary(
      path.join(values['library-dir'] ?? work, `library-${size}`),
      size,
      await writeBenchModelFolder(path.join(work, 'model'), 'int8'),
      (line) => console.log(`[${size}] ${line}`),
    );
    // Installs the bench model in the data folder; the core is opened again for each rescan only,
    // so that no other connection holds the library during a cold start (an open connection
    // leaves a -wal file, which makes a starting process check every page: [Note: Damage check
    // at open]; 9 s at a million photos).
    await (
      await openBenchCore(path.join(work, 'core'), 'int8', library.databasePath)
    ).core.dispose();
    const dataDir = path.join(work, 'core', 'data');
    const rescan = async () => {
      const core = createCore({ dataDir, databasePath: library.databasePath });
      try {
        return await core.index();
      } finally {
        await core.dispose();
      }
    };
    const coldStarts: (ColdStartTimes & { wallMs: number })[] = [];
    const rescans: number[] = [];
    const walks: number[] = [];
    let unchanged = 0;
    let walkedFiles = 0;
    const coldStart = () =>
      runTsChild<ColdStartTimes>(path.join(here, 'lib', 'cold-start-child.ts'), [
        dataDir,
        library.databasePath,
      ]);
    // [Note: Snapshot of the in-memory codes] The first start after the library was written has
    // no snapshot: it loads the codes from SQLite and writes one, which every later start reads.
    const first = await coldStart();
    console.log(
      `first start (no snapshot of the codes yet): ${first.wallMs.toFixed(0)} ms (first query ${first.result.firstQueryMs.toFixed(0)} ms)`,
    );
    for (let rep = 1; rep <= reps; rep++) {
      const child = await coldStart();
      coldStarts.push({ ...child.result, wallMs: child.wallMs });
      const report = await rescan();
      rescans.push(report.seconds);
      unchanged = report.unchanged;
      // The walk right after the rescan, so the load of the moment hits both alike.
      const walk = await timeDirectoryWalk(library.root, 1);
      walks.push(walk.seconds);
      walkedFiles = walk.files;
      console.log(
        `rep ${rep}: cold start ${child.wallMs.toFixed(0)} ms (first query ${child.result.firstQueryMs.toFixed(0)} ms), ` +
          `rescan ${report.seconds.toFixed(1)} s (${report.unchanged} unchanged, ${report.indexed} indexed), ` +
          `bare walk ${walk.seconds.toFixed(2)} s`,
      );
      if (report.unchanged !== size || report.indexed !== 0)
        throw new Error('the rescan found changes');
    }
    const firstStartMs = first.wallMs;
    const memory = await indexingMemory(
      work,
      positiveInt(values.photos, '--photos'),
      positiveInt(values.large, '--large'),
    );
    const of = (key: keyof (typeof coldStarts)[number]) =>
      median(coldStarts.map((run) => run[key]));
    const result: LibraryResult = {
      machine,
      reps,
      size,
      coldStart: {
        wallMs: of('wallMs'),
        bootMs: of('bootMs'),
        importMs: of('importMs'),
        openMs: of('openMs'),
        firstQueryMs: of('firstQueryMs'),
        hits: coldStarts[0]!.hits,
        restRssMB: of('restRssMB'),
      },
      firstStartMs,
      rescan: { files: unchanged, seconds: median(rescans) },
      walk: { files: walkedFiles, seconds: median(walks) },
      syntheticBytesPerPhoto: databaseBytes(library.databasePath) / size,
      indexing: memory,
    };
    console.log(`\n${libraryTable(result).join('\n')}`);
    if (values.json) await writeJson(values.json, result);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Peak and resting RSS of a process indexing real photos from scratch, and its bytes per photo. */
async function indexingMemory(
  work: string,
  photos: number,
  large: number,
): Promise<IndexingMemory> {
  const files = [
    ...(await cc0Photos(photos)),
    ...(await twelveMegapixelPhotos(large, console.log)),
  ];
  const folder = await linkPhotosInto(path.join(work, 'memory-photos'), files);
  const { result } = await runTsChild<IndexingMemory>(
    path.join(here, 'lib', 'indexing-memory-child.ts'),
    [path.join(work, 'memory'), 'int8', folder],
  );
  console.log(
    `indexing ${result.photos} photos: peak RSS ${result.peakRssMB.toFixed(0)} MB, at rest ${result.restRssMB.toFixed(0)} MB`,
  );
  return result;
}

await main();
