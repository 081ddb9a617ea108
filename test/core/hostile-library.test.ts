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
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePhoto } from '../fixtures/colour-library';
import { inspectLibrary, snapshotLibrary } from '../fixtures/library-inspection';
import { pngBomb, writeTiffWithHugeProfile } from '../fixtures/hostile-images';
import { runCli, STACK_FRAME } from '../fixtures/photoseek-cli';
import { hasShared, sharedPath } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

const peakRssProbe = fileURLToPath(new URL('../fixtures/report-peak-rss.mjs', import.meta.url));
const GiB = 1024 ** 3;

/**
 * A library as hostile as real ones get, generated here: the broken files of ../shared, a pipe
 * and a link to /dev/zero named like photos, a sparse 2 GB "JPEG", random bytes, copies, PNG
 * chunk bombs, a TIFF declaring a 300 MB colour profile, a 270 MB TIFF, BMP, CRW, JPEG 2000 and
 * PSD files, names that are not UTF-8, and good photos among them. One `photoseek index` must end with exit 0, no stack trace, every file
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
    /** The hostile files that must end indexed, not listed. */
    const expectedIndexed: string[] = [];

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

      // Decoder bombs and files over the in-memory limit ([Note: Bounded memory]).
      const bombs = path.join(library, 'bombs');
      await mkdir(bombs, { recursive: true });
      const bombFiles: Record<string, Buffer> = {
        'profile-1gib.png': await pngBomb({ chunk: 'iCCP', inflatedBytes: GiB }),
        'xmp-1gib.png': await pngBomb({ chunk: 'iTXt', inflatedBytes: GiB }),
        'exif-20mb.png': await pngBomb({ chunk: 'eXIf', inflatedBytes: 20 * 1024 ** 2 }),
      };
      for (const [name, bytes] of Object.entries(bombFiles)) {
        await writeFile(path.join(bombs, name), bytes);
        expected.push(path.join(bombs, name));
        expectedIndexed.push(path.join(bombs, name));
      }
      await writeTiffWithHugeProfile(path.join(bombs, 'profile-300mb.tif'), 300e6); // sparse
      expected.push(path.join(bombs, 'profile-300mb.tif'));
      // 9,500 × 9,500 RGB, uncompressed: over the in-memory limit, so decoded from disk.
      await sharp({
        create: { width: 9500, height: 9500, channels: 3, background: { r: 40, g: 90, b: 160 } },
      })
        .tiff({ compression: 'none' })
        .toFile(path.join(bombs, 'scan-90mp.tif'));
      expected.push(path.join(bombs, 'scan-90mp.tif'));
      expectedIndexed.push(path.join(bombs, 'scan-90mp.tif'));

      // Formats sharp lacks, and formats nothing here decodes: each indexed or named.
      const formats = path.join(library, 'formats');
      await mkdir(formats, { recursive: true });
      const bmp = Buffer.alloc(54 + 16 * 16 * 3);
      bmp.fill(0x80, 54);
      bmp.write('BM', 0, 'latin1');
      bmp.writeUInt32LE(bmp.length, 2);
      bmp.writeUInt32LE(54, 10);
      bmp.writeUInt32LE(40, 14);
      bmp.writeInt32LE(16, 18);
      bmp.writeInt32LE(16, 22);
      bmp.writeUInt16LE(1, 26);
      bmp.writeUInt16LE(24, 28);
      const crwHeader = Buffer.alloc(26);
      crwHeader.write('II', 0, 'latin1');
      crwHeader.writeUInt32LE(26, 2);
      crwHeader.write('HEAPCCDR', 6, 'latin1');
      const jpeg = await readFile(path.join(library, 'good/p1.jpg'));
      const formatFiles: Record<string, Buffer> = {
        'screenshot.bmp': bmp,
        'IMG_0001.CRW': Buffer.concat([crwHeader, Buffer.alloc(256), jpeg]),
        'scan.jp2': Buffer.from('\0\0\0\x0cjP  \r\n\x87\n\0\0\0\x14ftypjp2 ', 'latin1'),
        'layers.psd': Buffer.concat([Buffer.from('8BPS\0\x01', 'latin1'), Buffer.alloc(64)]),
        'no-extension-jpeg2000': Buffer.from('\xff\x4f\xff\x51\0\x2f\0\0', 'latin1'),
      };
      for (const [name, bytes] of Object.entries(formatFiles)) {
        await writeFile(path.join(formats, name), bytes);
        expected.push(path.join(formats, name));
      }
      expectedIndexed.push(
        path.join(formats, 'screenshot.bmp'),
        path.join(formats, 'IMG_0001.CRW'),
      );

      // Names that are not UTF-8: a photo, and a folder holding one.
      const latin1 = (name: string) => Buffer.from(path.join(library, name), 'latin1');
      await writeFile(latin1('caf\xe9.jpg'), jpeg);
      await mkdir(latin1('\xe9t\xe9'));
      await writeFile(Buffer.concat([latin1('\xe9t\xe9'), Buffer.from('/p.jpg')]), jpeg);
      expected.push(path.join(library, 'caf\uFFFD.jpg'), path.join(library, '\uFFFDt\uFFFD'));

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
      for (const file of expectedIndexed) expect(indexed, file).toContain(file);
      const messageOf = (name: string) =>
        failed.find((failure) => path.basename(failure.path) === name)?.message;
      expect(messageOf('profile-300mb.tif')).toMatch(/declares a \d+ MB colour profile/);
      expect(messageOf('scan.jp2')).toMatch(/JPEG 2000 image, a format Photoseek cannot read/);
      expect(messageOf('no-extension-jpeg2000')).toMatch(/JPEG 2000/);
      expect(messageOf('layers.psd')).toMatch(/Photoshop \(PSD\)/);
      expect(messageOf('caf\uFFFD.jpg')).toMatch(/file’s name is not valid UTF-8/);
      expect(messageOf('\uFFFDt\uFFFD')).toMatch(/folder’s name is not valid UTF-8/);
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
