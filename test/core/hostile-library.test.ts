import { execFileSync } from 'node:child_process';
import {
  copyFile,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePhoto } from '../fixtures/colour-library';
import { inspectLibrary, snapshotLibrary } from '../fixtures/library-inspection';
import { runCli, STACK_FRAME } from '../fixtures/photoseek-cli';
import { hasShared, sharedPath } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

const peakRssProbe = fileURLToPath(new URL('../fixtures/report-peak-rss.mjs', import.meta.url));
const GiB = 1024 ** 3;

/**
 * A library as hostile as real ones get, generated here: the broken files of ../shared, a pipe
 * and a link to /dev/zero named like photos, a sparse 2 GB "JPEG", random bytes, copies, and
 * good photos among them. One `photoseek index` must end with exit 0, no stack trace, every file
 * indexed or listed as a failure, integrity_check ok and a peak RSS far below 1 GiB; a second run
 * changes nothing.
 */
describe.skipIf(!hasShared('data', 'broken') || !hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'a hostile library',
  () => {
    let work: string;
    let library: string;
    let dataDir: string;
    /** Every name in the library that is a photo or claims to be one (all but the notes). */
    const expected: string[] = [];

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-hostile-'));
      library = path.join(work, 'library');
      dataDir = path.join(work, 'data');
      await mkdir(path.join(library, 'broken'), { recursive: true });
      for (const name of await readdir(sharedPath('data', 'broken'))) {
        if (name === 'manifest.csv' || name === 'symlink_to_zero.jpg') continue;
        await copyFile(sharedPath('data', 'broken', name), path.join(library, 'broken', name));
        expected.push(path.join(library, 'broken', name));
      }
      const link = path.join(library, 'broken', 'symlink_to_zero.jpg');
      await symlink('zero_bytes.jpg', link);
      expected.push(link);

      const odd = path.join(library, 'odd');
      await mkdir(odd, { recursive: true });
      execFileSync('mkfifo', [path.join(odd, 'pipe.jpg')]);
      await symlink('/dev/zero', path.join(odd, 'endless.jpg'));
      const giant = await open(path.join(odd, 'giant.jpg'), 'w');
      await giant.truncate(2 * GiB); // sparse: 2 GB of zeros that take no disk
      await giant.close();
      expected.push(
        ...['pipe.jpg', 'endless.jpg', 'giant.jpg'].map((name) => path.join(odd, name)),
      );
      await writeFile(path.join(odd, 'notes.txt'), 'not a photo, not listed');

      for (let i = 0; i < 6; i++) {
        const photo = await writePhoto(library, {
          relativePath: `good/p${i}.jpg`,
          colour: 'red',
          rgb: [(i * 40) % 256, 120, 255 - ((i * 40) % 256)],
        });
        expected.push(photo);
      }
      await copyFile(path.join(library, 'good/p0.jpg'), path.join(library, 'good/p0 (1).jpg'));
      expected.push(path.join(library, 'good/p0 (1).jpg'));

      await buildSyntheticModel(path.join(work, 'model'));
      expect((await runCli(dataDir, ['models', 'add', path.join(work, 'model')])).code).toBe(0);
    }, 60_000);

    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it('indexes or lists every file, with bounded memory, and a rerun changes nothing', async () => {
      const rssFile = path.join(work, 'peak-rss');
      const result = await runCli(dataDir, ['--json', 'index', library], {
        nodeArgs: ['--import', peakRssProbe],
        env: { PHOTOSEEK_TEST_PEAK_RSS_FILE: rssFile },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      const peakRss = Number(await readFile(rssFile, 'utf8'));
      expect(peakRss, `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`).toBeLessThan(GiB);

      const databasePath = path.join(dataDir, 'library.db');
      const db = new Database(databasePath, { readonly: true });
      const indexed = (db.prepare('SELECT path FROM files').all() as { path: string }[]).map(
        (row) => row.path,
      );
      const failed = db.prepare('SELECT path, stage, message FROM failures').all() as {
        path: string;
        stage: string;
        message: string;
      }[];
      db.close();
      expect([...indexed, ...failed.map((failure) => failure.path)].sort()).toEqual(
        [...expected].sort(),
      );
      for (const failure of failed)
        expect(failure.message, failure.path).not.toMatch(/^\s*$|undefined|\[object/);
      expect(failed.find((failure) => failure.path.endsWith('pipe.jpg'))?.message).toMatch(
        /not a regular file/i,
      );
      expect(failed.find((failure) => failure.path.endsWith('endless.jpg'))?.message).toMatch(
        /not a regular file/i,
      );
      expect(inspectLibrary(databasePath)).toMatchObject({
        integrity: 'ok',
        orphanFiles: 0,
        jobs: 0,
      });

      const before = snapshotLibrary(databasePath);
      const again = await runCli(dataDir, ['--json', 'index']);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ indexed: 0 });
      expect(snapshotLibrary(databasePath)).toEqual(before);
    }, 240_000);
  },
);
