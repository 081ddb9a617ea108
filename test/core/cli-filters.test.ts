import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryFacets } from '../../src-main/shared/types';
import { COPIES, FACT_LIBRARY, writeFactLibrary, type FactPhoto } from '../fixtures/filter-library';
import { runCli, STACK_FRAME } from '../fixtures/photoseek-cli';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

interface JsonHit {
  photoId: number;
  path: string;
}

/** The filter flags and `search --like` as a user runs them, on the filter library. */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))('photoseek CLI: filters', () => {
  let work: string;
  let library: string;
  let dataDir: string;
  const cli = (...args: string[]) => runCli(dataDir, args);
  const searchJson = async (...args: string[]) => {
    const result = await cli('--json', ...args);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as JsonHit[];
  };
  /** Shown paths, relative to the library; a copy is shown by the file the library saw first. */
  const relative = (hits: JsonHit[]) =>
    hits.map((hit) => path.relative(library, hit.path).split(path.sep).join('/')).sort();
  const expected = (matches: (photo: FactPhoto) => boolean) =>
    FACT_LIBRARY.filter(matches)
      .map((photo) => photo.relativePath)
      .sort();

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-cli-filters-'));
    library = path.join(work, 'library');
    dataDir = path.join(work, 'data');
    await writeFactLibrary(library);
    await buildSyntheticModel(path.join(work, 'model'));
    const added = await cli('models', 'add', path.join(work, 'model'));
    expect(added.code, added.stderr).toBe(0);
    const indexed = await cli('--json', 'index', library);
    expect(indexed.code, indexed.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('filters search and similar by camera, format, orientation and location', async () => {
    expect(
      relative(await searchJson('search', 'red', '-n', '1000', '--camera', 'Apple iPhone 12')),
    ).toEqual(expected((p) => p.camera === 'Apple iPhone 12'));
    // A flag never swallows the query's words; --format takes a comma list.
    expect(
      relative(await searchJson('search', '--format', 'png,webp', 'red', '-n', '1000')),
    ).toEqual(expected((p) => p.format !== 'jpeg'));
    expect(
      relative(
        await searchJson(
          'search',
          'blue',
          '-people',
          '--orientation',
          'portrait',
          '--has-location',
          '-n',
          '1000',
        ),
      ),
    ).toEqual(expected((p) => p.orientation === 'portrait' && p.gps !== undefined));
    const green = path.join(library, 'fuji/green-field.jpg');
    expect(
      relative(await searchJson('similar', green, '--without-location', '-n', '1000')),
    ).toEqual(expected((p) => p.gps === undefined && p.relativePath !== 'fuji/green-field.jpg'));
  });

  it('lists the facets the flags take', async () => {
    const facets = JSON.parse((await cli('--json', 'facets')).stdout) as LibraryFacets;
    expect(facets.cameras.map((row) => row.camera).sort()).toEqual(
      [...new Set(FACT_LIBRARY.flatMap((p) => p.camera ?? []))].sort(),
    );
    const text = await cli('facets');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`${FACT_LIBRARY.length} photos`);
    const nikon = FACT_LIBRARY.filter((p) => p.camera === 'NIKON D750').length;
    expect(text.stdout).toMatch(new RegExp(`^\\s+${nikon}\\s+NIKON D750$`, 'm'));
  });

  it('combines an image with words: search "blue" --like a file, a #id or an outside image', async () => {
    const red = path.join(library, 'trip/red.jpg');
    const byFile = await searchJson('search', 'blue', '--like', red, '-n', '3');
    expect(path.basename(byFile[0]!.path)).toBe('purple.jpg');

    const all = await searchJson('search', 'red', '-n', '1000');
    // trip/red.jpg has a copy; the photo is shown by whichever file the library saw first.
    const redFiles = [red, ...COPIES.map((copy) => path.join(library, copy.to))];
    const redId = all.find((hit) => redFiles.includes(hit.path))!.photoId;
    const byId = await searchJson('search', 'blue', '--like', `#${redId}`, '-n', '3');
    expect(byId).toEqual(byFile);

    // An image outside the library works too (read by the CLI, sent as bytes).
    const outside = path.join(work, 'outside.jpg');
    await copyFile(red, outside);
    const byBytes = await searchJson('search', 'blue', '--like', outside, '-n', '1');
    expect(path.basename(byBytes[0]!.path)).toBe('purple.jpg');
  });

  it('refuses an unknown format or orientation in one line, exit code 2', async () => {
    for (const args of [
      ['search', 'red', '--format', 'jpg'],
      ['search', 'red', '--orientation', 'upright'],
      ['search', 'red', '--has-location', '--without-location'],
    ]) {
      const result = await cli(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      expect(result.stderr.trim().split('\n')[0]).toMatch(
        /not a photo format; use one of jpeg|Allowed choices are landscape, portrait, square|cannot be used with/,
      );
    }
  });
});
