import { execFileSync } from 'node:child_process';
import {
  appendFile,
  copyFile,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core';
import { createCore } from '../../src-main/core';
import { openVerifiedFile } from '../../src-main/core/files/verified-file';
import { COLOUR_LIBRARY, writeColourLibrary } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

/**
 * [Note: Verified files] on a real library (real files, the synthetic ONNX model, SQLite on
 * disk): after indexing, files are swapped behind the index's back, as someone with write access
 * to a photo folder could, and the core must hand out only files that are still the ones indexed.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS) || process.platform === 'win32')(
  'file boundary: only the files indexed are served and opened',
  () => {
    let work: string;
    let core: Core;
    const file = (relative: string): string => path.join(work, 'library', relative);
    const photoOf = (relative: string): number => core.photoIdForFile(file(relative))!;
    let ids: Record<string, number>;
    /** The two files of one photo, in the order the index lists them. */
    let copies: string[];

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-boundary-'));
      await writeColourLibrary(path.join(work, 'library'));
      // A copy: one photo, two files (the first one indexed represents it).
      await copyFile(file('red/r1.jpg'), file('red/r1 copy.jpg'));
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(path.join(work, 'library'));
      const report = await core.index();
      expect(report.indexed + report.unchanged).toBe(COLOUR_LIBRARY.length + 1);
      ids = Object.fromEntries(
        ['red/r1.jpg', 'red/r2.jpg', 'green/g1.jpg', 'green/g2.jpg', 'green/g3.jpg'].map((name) => [
          name,
          photoOf(name),
        ]),
      );
      copies = core.photo(ids['red/r1.jpg']!).paths;
      expect(copies.sort()).toEqual([file('red/r1 copy.jpg'), file('red/r1.jpg')].sort());
      copies = core.photo(ids['red/r1.jpg']!).paths;

      // Behind the index's back (no rescan follows):
      await swapForSymlink(file('green/g1.jpg'), '/etc/passwd');
      await rm(file('green/g2.jpg'));
      execFileSync('mkfifo', [file('green/g2.jpg')]);
      await appendFile(file('green/g3.jpg'), Buffer.from('edited in place'));
      await swapForSymlink(copies[0]!, '/etc/passwd');
    });

    afterAll(async () => {
      await core?.dispose();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('serves an untouched file with what the index recorded of it', async () => {
      const info = await stat(file('red/r2.jpg'));
      expect(await core.verifiedFile(ids['red/r2.jpg']!)).toEqual({
        path: file('red/r2.jpg'),
        size: info.size,
        mtimeMs: Math.trunc(info.mtimeMs),
        format: 'jpeg',
      });
      expect(await core.fileIsVerified(file('red/r2.jpg'))).toBe(true);
      expect((await core.verifiedFile(photoOf('blue/nested/b1.png')))?.format).toBe('png');
    });

    it('refuses a file swapped for a symlink to /etc/passwd', async () => {
      expect(await core.verifiedFile(ids['green/g1.jpg']!)).toBeNull();
      expect(await core.fileIsVerified(file('green/g1.jpg'))).toBe(false);
    });

    it('refuses a file swapped for a FIFO, without blocking on it', async () => {
      expect(await core.verifiedFile(ids['green/g2.jpg']!)).toBeNull();
      expect(await core.fileIsVerified(file('green/g2.jpg'))).toBe(false);
    });

    it('refuses a file edited in place until it is indexed again', async () => {
      expect(await core.verifiedFile(ids['green/g3.jpg']!)).toBeNull();
      expect(await core.fileIsVerified(file('green/g3.jpg'))).toBe(false);
    });

    it('refuses a file whose mtime alone changed (same size, same bytes)', async () => {
      const b2 = file('blue/nested/b2.png');
      const before = await stat(b2);
      const seconds = (ms: number): number => ms / 1000; // a Date would round to the ms
      await utimes(b2, seconds(before.atimeMs), seconds(before.mtimeMs + 5_000));
      expect(await core.fileIsVerified(b2)).toBe(false);
      await utimes(b2, seconds(before.atimeMs), seconds(before.mtimeMs));
      expect(await core.fileIsVerified(b2)).toBe(true);
    });

    it('serves the photo’s copy when its first file was swapped', async () => {
      expect((await core.verifiedFile(ids['red/r1.jpg']!))?.path).toBe(copies[1]);
      expect(await core.fileIsVerified(copies[0]!)).toBe(false);
      expect(await core.fileIsVerified(copies[1]!)).toBe(true);
    });

    it('refuses a symlink even to the photo’s own bytes with its size and mtime', async () => {
      const original = file('red/r3.jpg');
      const kept = path.join(work, 'outside-r3.jpg');
      await copyFile(original, kept);
      const info = await stat(original);
      await utimes(kept, info.atimeMs / 1000, info.mtimeMs / 1000);
      await swapForSymlink(original, kept);
      const through = await stat(original); // follows the link: the size and mtime indexed
      expect([through.size, Math.trunc(through.mtimeMs)]).toEqual([
        info.size,
        Math.trunc(info.mtimeMs),
      ]);
      expect(await core.fileIsVerified(original)).toBe(false);
      expect(await core.verifiedFile(photoOf('red/r3.jpg'))).toBeNull();
    });

    it('knows nothing of paths that are not indexed files', async () => {
      expect(await core.fileIsVerified('/etc/passwd')).toBe(false);
      expect(await core.fileIsVerified(path.join(work, 'outside-r3.jpg'))).toBe(false);
      expect(await core.verifiedFile(999_999)).toBeNull();
    });

    it('checks again at open: a swap after the check gets nothing', async () => {
      const checked = await core.verifiedFile(photoOf('blue/nested/b3.png'));
      expect(checked?.path).toBe(file('blue/nested/b3.png'));
      await swapForSymlink(checked!.path, '/etc/passwd');
      expect(await openVerifiedFile(checked!)).toBeNull();
    });

    it('serves from the checked descriptor: a swap after the open changes nothing served', async () => {
      const checked = (await core.verifiedFile(ids['red/r2.jpg']!))!;
      const bytes = await readFile(checked.path);
      const handle = (await openVerifiedFile(checked))!;
      try {
        await swapForSymlink(checked.path, '/etc/passwd');
        expect((await handle.readFile()).equals(bytes)).toBe(true);
      } finally {
        await handle.close();
      }
    });
  },
);

/** Replaces `file` with a symlink to `target` in one rename, as a swap behind the index's back. */
async function swapForSymlink(file: string, target: string): Promise<void> {
  const staged = `${file}.swap`;
  await symlink(target, staged);
  await rename(staged, file);
}
