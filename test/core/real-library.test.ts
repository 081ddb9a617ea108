import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  open,
  readdir,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core';
import { contentHash } from '../../src-main/core/library/content-hash';
import { openDatabase } from '../../src-main/core/store/database';
import { WriterLease } from '../../src-main/core/store/writer-lease';
import { writePhoto } from '../fixtures/colour-library';
import {
  fingerprintsByPath,
  inspectLibrary,
  snapshotLibrary,
} from '../fixtures/library-inspection';
import { runCli, STACK_FRAME, startCli } from '../fixtures/photoseek-cli';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

/** `count` distinct photos (colour varies with the index) under `root`/set<i % 3>/. */
async function writeDistinctPhotos(root: string, count: number, prefix = 'p'): Promise<string[]> {
  const written: string[] = [];
  for (let i = 0; i < count; i++) {
    const hue = (i * 53) % 256;
    written.push(
      await writePhoto(
        root,
        {
          relativePath: `set${i % 3}/${prefix}${i}.jpg`,
          colour: 'red',
          rgb: [hue, 255 - hue, (i * 97) % 256],
        },
        { width: 320, height: 240 },
      ),
    );
  }
  return written;
}

/** A pid that certainly does not run any more: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

/** Mounts a tmpfs of `size` at `dir`; false where the platform does not allow it (not root). */
function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Real libraries, as people have them: copies of one photo, edits in place, two processes at
 * once, a full disk. Every case runs through real files, the real indexer and SQLite, and the
 * CLI where the user would meet it, and ends with the same checks: exit 0 (or one clear line),
 * no stack trace, integrity_check ok, every file indexed or listed, the index equal to a clean run.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('real libraries', () => {
  let work: string;
  let modelDir: string;
  let libraryCount = 0;

  /** A fresh data folder with the synthetic model added. */
  async function newDataDir(): Promise<string> {
    const dataDir = path.join(work, `data-${libraryCount++}`);
    const added = await runCli(dataDir, ['models', 'add', modelDir]);
    expect(added.code, added.stderr).toBe(0);
    return dataDir;
  }

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-real-'));
    modelDir = path.join(work, 'model');
    await buildSyntheticModel(modelDir);
  }, 60_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('indexes byte-identical copies in one batch and across folders, and a rerun embeds nothing', async () => {
    const camera = path.join(work, 'copies/camera');
    const backup = path.join(work, 'copies/backup');
    const [original, ...others] = await writeDistinctPhotos(camera, 6);
    for (const name of ['IMG_4120 (1).JPG', 'IMG_4120 copy.JPG'])
      await copyFile(original!, path.join(camera, name));
    await rename(original!, path.join(camera, 'IMG_4120.JPG'));
    await mkdir(backup, { recursive: true });
    await cp(path.join(camera, 'IMG_4120.JPG'), path.join(backup, 'IMG_4120.JPG'), {
      preserveTimestamps: true,
    });
    await copyFile(others[0]!, path.join(backup, 'other copy.jpg'));
    const dataDir = await newDataDir();

    const first = await runCli(dataDir, ['index', camera, backup]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toMatch(STACK_FRAME);
    expect(first.stdout).toMatch(/, 0 failed, 0 removed \(10 files scanned\)/);
    const health = inspectLibrary(path.join(dataDir, 'library.db'));
    expect(health).toMatchObject({
      integrity: 'ok',
      photos: 6,
      vectors: 6,
      fingerprints: 6,
      files: 10,
      failures: 0,
      jobs: 0,
    });
    expect(await readdir(path.join(dataDir, 'library-thumbnails/.staging'))).toEqual([]);

    const again = await runCli(dataDir, ['index']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 indexed, 10 unchanged/);
  });

  it('evaluates a labelled folder that holds a copy', async () => {
    const labelled = path.join(work, 'labelled');
    await writeDistinctPhotos(path.join(labelled, 'red'), 3, 'r');
    await writeDistinctPhotos(path.join(labelled, 'blue'), 3, 'b');
    await copyFile(
      path.join(labelled, 'red/set0/r0.jpg'),
      path.join(labelled, 'red/set0/r0 copy.jpg'),
    );
    const dataDir = await newDataDir();
    const result = await runCli(dataDir, ['eval', labelled]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stdout).toMatch(/mAP@5/);
  });

  it('sweeps the temporaries of a killed writer and keeps those of a live one', async () => {
    const photos = path.join(work, 'sweep');
    await writeDistinctPhotos(photos, 2);
    const dataDir = await newDataDir();
    const staging = path.join(dataDir, 'library-thumbnails/.staging');
    await mkdir(staging, { recursive: true });
    const dead = path.join(staging, `ab.jpg.${deadPid()}-0123456789abcdef.tmp`);
    const live = path.join(staging, `cd.jpg.${process.pid}-0123456789abcdef.tmp`);
    const oldNameless = path.join(staging, 'ef.jpg.tmp');
    for (const file of [dead, live, oldNameless]) await writeFile(file, 'half a thumbnail');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(oldNameless, twoDaysAgo, twoDaysAgo);

    const result = await runCli(dataDir, ['index', photos]);
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(staging)).sort()).toEqual([path.basename(live)]);
  });

  it('re-embeds an edit that keeps the size and the sampled bytes; a move or a copy embeds nothing', async () => {
    const folder = path.join(work, 'edits');
    await mkdir(folder, { recursive: true });
    const tiff = path.join(folder, 'scan.tif');
    const width = 640;
    const height = 480;
    const blue = Buffer.alloc(width * height * 3);
    for (let i = 0; i < blue.length; i += 3) blue.set([20, 30, 220], i);
    await sharp(blue, { raw: { width, height, channels: 3 } })
      .tiff({ compression: 'none' })
      .toFile(tiff);
    const core = createCore({ dataDir: await newDataDir() });
    try {
      await core.addFolder(folder);
      expect((await core.index()).indexed).toBe(1);
      const before = snapshotLibrary(core.databasePath).get(tiff)!;
      const fingerprintBefore = fingerprintsByPath(core.databasePath).get(tiff);
      expect(fingerprintBefore).toBeDefined();
      const { size } = await stat(tiff);
      const sampledBefore = await contentHash(tiff, size);

      // Retouch a band between the sampled blocks (64 KiB at the start, middle and end): red.
      const handle = await open(tiff, 'r+');
      const band = Buffer.alloc(3 * 40_000);
      for (let i = 0; i < band.length; i += 3) band.set([230, 20, 25], i);
      await handle.write(band, 0, band.length, 100_002);
      await handle.close();
      const later = new Date(Date.now() + 10_000);
      await utimes(tiff, later, later);
      expect((await stat(tiff)).size).toBe(size);
      expect(await contentHash(tiff, size), 'the edit must leave the samples alone').toBe(
        sampledBefore,
      );

      const edited = await core.index();
      expect(edited.indexed).toBe(1);
      const after = snapshotLibrary(core.databasePath).get(tiff)!;
      expect(after[1], 'the edited photo must get a new embedding').not.toEqual(before[1]);
      const fingerprintAfter = fingerprintsByPath(core.databasePath).get(tiff);
      expect(fingerprintAfter, 'and a new fingerprint').toBeDefined();
      expect(fingerprintAfter).not.toBe(fingerprintBefore);

      const moved = path.join(folder, 'renamed.tif');
      await rename(tiff, moved);
      await copyFile(moved, path.join(folder, 'copy.tif')); // a new mtime: verified by the whole file
      const relinked = await core.index();
      expect(relinked).toMatchObject({ indexed: 0, removed: 1 });
      const snapshot = snapshotLibrary(core.databasePath);
      expect(snapshot.get(moved)).toEqual(after);
      expect(snapshot.get(path.join(folder, 'copy.tif'))).toEqual(after);
    } finally {
      await core.dispose();
    }
  });

  it('records a preview that cannot be written as a failure of that file and indexes the rest', async () => {
    const folder = path.join(work, 'thumbnail-failure');
    const [victim] = await writeDistinctPhotos(folder, 4);
    const dataDir = await newDataDir();
    const key = await contentHash(victim!, (await stat(victim!)).size);
    // A directory where the preview file must go: the rename onto it fails for this file only.
    await mkdir(path.join(dataDir, 'library-thumbnails', key.slice(0, 2), `${key}.jpg`), {
      recursive: true,
    });

    const result = await runCli(dataDir, ['--json', 'index', folder]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(JSON.parse(result.stdout)).toMatchObject({ indexed: 3, failed: 1 });
    const failures = JSON.parse((await runCli(dataDir, ['--json', 'failures'])).stdout) as {
      path: string;
      stage: string;
    }[];
    expect(failures).toEqual([expect.objectContaining({ path: victim, stage: 'thumbnail' })]);
  });

  it('stops with one clear line when the disk is full, and goes on where it stopped once there is room', async (context) => {
    const mountPoint = path.join(work, 'small-disk');
    await mkdir(mountPoint, { recursive: true });
    // An empty library is about 650 KB (16 KB pages, one or more per table and index); 1.6 MB
    // fills up after a few batches of thumbnails and vectors (16 of the 60 photos, measured).
    if (!mountTmpfs(mountPoint, '1600k')) {
      console.warn(
        '\n!!! SKIPPED the full-disk test: cannot mount a tmpfs here (needs root) !!!\n',
      );
      context.skip();
    }
    try {
      const folder = path.join(work, 'full-disk-photos');
      await writeDistinctPhotos(folder, 60);
      const dataDir = path.join(mountPoint, 'data');
      expect((await runCli(dataDir, ['models', 'add', modelDir])).code).toBe(0);

      const full = await runCli(dataDir, ['index', folder]);
      expect(full.code).toBe(1);
      expect(full.stderr).not.toMatch(STACK_FRAME);
      const lastLines = full.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('photoseek:'));
      expect(lastLines).toEqual([
        expect.stringMatching(/^photoseek: The disk holding the library .* is full/),
      ]);
      const stopped = inspectLibrary(path.join(dataDir, 'library.db'));
      expect(stopped.integrity).toBe('ok');
      expect(stopped.failures, 'a full disk is not a failure of the files').toBe(0);
      expect(stopped.jobs, 'the disk must fill up in the middle of the run').toBeGreaterThan(0);
      expect(stopped.photos + stopped.jobs).toBeGreaterThanOrEqual(60);

      execFileSync('mount', ['-o', 'remount,size=64m', mountPoint]);
      const resumed = await runCli(dataDir, ['index']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(new RegExp(`${60 - stopped.photos} indexed`));
      expect(inspectLibrary(path.join(dataDir, 'library.db'))).toMatchObject({
        integrity: 'ok',
        photos: 60,
        vectors: 60,
        failures: 0,
        jobs: 0,
      });
    } finally {
      execFileSync('umount', ['-l', mountPoint]);
    }
  });

  it('lets two index runs share one library: both finish, nothing is embedded twice, readers answer', async () => {
    const folder = path.join(work, 'two-processes');
    await writeDistinctPhotos(folder, 90);
    const reference = await newDataDir();
    expect((await runCli(reference, ['index', folder])).code).toBe(0);
    const dataDir = await newDataDir();

    const runs = [
      startCli(dataDir, ['--json', 'index', folder]),
      startCli(dataDir, ['--json', 'index', folder]),
    ];
    const readers: Promise<void>[] = [];
    let running = true;
    void Promise.all(runs.map((run) => run.result)).then(() => (running = false));
    readers.push(
      (async () => {
        while (running) {
          for (const args of [
            ['--json', 'status'],
            ['--json', 'search', 'red'],
          ]) {
            const answer = await runCli(dataDir, args);
            expect(answer.code, `${args.join(' ')}: ${answer.stderr}`).toBe(0);
            expect(answer.stderr).not.toMatch(/locked|busy/i);
          }
        }
      })(),
    );
    const results = await Promise.all(runs.map((run) => run.result));
    await Promise.all(readers);
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    }
    const indexed = results.map(
      (result) => (JSON.parse(result.stdout) as { indexed: number }).indexed,
    );
    expect(indexed[0]! + indexed[1]!, 'every photo embedded exactly once').toBe(90);
    const databasePath = path.join(dataDir, 'library.db');
    expect(inspectLibrary(databasePath)).toMatchObject({
      integrity: 'ok',
      photos: 90,
      vectors: 90,
      jobs: 0,
    });
    const clean = [...snapshotLibrary(path.join(reference, 'library.db')).values()].map(
      ([, vector]) => vector,
    );
    const shared = [...snapshotLibrary(databasePath).values()].map(([, vector]) => vector);
    expect(new Set(shared.map(String))).toEqual(new Set(clean.map(String)));
  }, 240_000);

  it('runs `index` beside a `watch` of the same library: both go on, and new photos in either land once', async () => {
    const watched = path.join(work, 'watched');
    const other = path.join(work, 'indexed-beside');
    await writeDistinctPhotos(watched, 4, 'w');
    await writeDistinctPhotos(other, 40, 'o');
    const dataDir = await newDataDir();
    expect((await runCli(dataDir, ['index', watched])).code).toBe(0);
    const watch = startCli(dataDir, ['watch']);
    try {
      await watch.stderrMatching(/Watching for changes/);
      const beside = startCli(dataDir, ['--json', 'index', other]);
      await writeDistinctPhotos(watched, 8, 'late'); // the watcher's work, while `index` drains
      const result = await beside.result;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      const databasePath = path.join(dataDir, 'library.db');
      await expect
        .poll(() => inspectLibrary(databasePath).vectors, { timeout: 120_000, interval: 500 })
        .toBe(52);
      expect(
        watch.process.exitCode,
        watch.process.exitCode === null ? '' : 'watch died',
      ).toBeNull();
      expect(inspectLibrary(databasePath)).toMatchObject({
        integrity: 'ok',
        photos: 52,
        failures: 0,
      });
    } finally {
      watch.process.kill('SIGINT');
      const stopped = await watch.result;
      expect(stopped.stderr).not.toMatch(STACK_FRAME);
      expect(stopped.code).toBe(0);
    }
  }, 240_000);

  it('waits for the process that holds the queue, says so, and finishes once it lets go', async () => {
    const folder = path.join(work, 'waiting');
    await writeDistinctPhotos(folder, 3);
    const dataDir = await newDataDir();
    const db = openDatabase(path.join(dataDir, 'library.db'));
    const holder = new WriterLease(db, 'the test that holds the queue');
    try {
      expect(holder.tryAcquire().acquired).toBe(true);
      const waiting = startCli(dataDir, ['index', folder]);
      await waiting.stderrMatching(
        /Another Photoseek process \(the test that holds the queue, pid \d+\) is indexing/,
      );
      holder.release();
      const result = await waiting.result;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/3 indexed/);
    } finally {
      holder.release();
      db.close();
    }
  });

  it('takes over the queue from a holder that was killed, without waiting for its lease to expire', async () => {
    const folder = path.join(work, 'killed-holder');
    await writeDistinctPhotos(folder, 2);
    const dataDir = await newDataDir();
    const db = openDatabase(path.join(dataDir, 'library.db'));
    db.prepare(
      `INSERT INTO leases (name, token, pid, host, label, acquired_at, heartbeat_at) VALUES ('queue', 'gone', ?, ?, 'photoseek index', ?, ?)`,
    ).run(deadPid(), os.hostname(), Date.now(), Date.now());
    db.close();
    const result = await runCli(dataDir, ['index', folder]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/Another Photoseek process/);
    expect(result.stdout).toMatch(/2 indexed/);
  });
});
