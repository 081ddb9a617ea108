import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core';
import { createCore } from '../../../src-main/core';
import {
  CombinedQuerySchema,
  SearchOptionsSchema,
} from '../../../src-main/shared/contract-schemas';
import type {
  ImageFormat,
  PhotoOrientation,
  SearchHit,
  SearchOptions,
} from '../../../src-main/shared/types';
import {
  COPIES,
  FACT_LIBRARY,
  writeFactLibrary,
  type FactPhoto,
} from '../../fixtures/filter-library';
import { hasShared } from '../../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../../fixtures/synthetic-model';

/**
 * Filters and combined queries through the real parts: a library of real JPEG, PNG and WebP files
 * with EXIF cameras, GPS, dates and an EXIF-rotated photo (test/fixtures/filter-library.ts), plus a
 * copy of one photo in a second folder, indexed with the synthetic colour model into a real SQLite
 * library. Expected answers are computed from the fixture's facts, never written out.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'core: filters and combined queries',
  () => {
    let work: string;
    let library: string;
    let core: Core;
    const idOf = new Map<string, number>();
    const photoById = new Map<number, FactPhoto>();

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-filters-'));
      library = path.join(work, 'library');
      await writeFactLibrary(library);
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(library);
      const report = await core.index();
      expect(report.failed).toBe(0);
      for (const photo of FACT_LIBRARY) {
        const photoId = core.photoIdForFile(path.join(library, photo.relativePath));
        expect(photoId, photo.relativePath).not.toBeNull();
        idOf.set(photo.relativePath, photoId!);
        photoById.set(photoId!, photo);
      }
    });

    afterAll(async () => {
      await core?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    const ids = (hits: SearchHit[]) => hits.map((hit) => hit.photoId).sort((a, b) => a - b);
    const expectedIds = (matches: (photo: FactPhoto) => boolean) =>
      FACT_LIBRARY.filter(matches)
        .map((photo) => idOf.get(photo.relativePath)!)
        .sort((a, b) => a - b);
    const inFolder = (photo: FactPhoto, folder: string) =>
      photo.relativePath.startsWith(`${folder}/`);

    it('stores the facts the filters read: camera, format, display orientation, location', () => {
      expect(
        COPIES.every(
          (copy) => core.photoIdForFile(path.join(library, copy.to)) === idOf.get(copy.from),
        ),
      ).toBe(true);
      const facets = core.facets();
      expect(facets.photos).toBe(FACT_LIBRARY.length);
      const count = (matches: (photo: FactPhoto) => boolean) => FACT_LIBRARY.filter(matches).length;
      const cameras = [...new Set(FACT_LIBRARY.flatMap((photo) => photo.camera ?? []))];
      expect(facets.cameras).toEqual(
        cameras
          .map((camera) => ({ camera, count: count((photo) => photo.camera === camera) }))
          .sort((a, b) => b.count - a.count || a.camera.localeCompare(b.camera)),
      );
      expect(facets.formats.map((row) => row.format).sort()).toEqual(['jpeg', 'png', 'webp']);
      for (const { format, count: n } of facets.formats) {
        expect(n).toBe(count((photo) => photo.format === format));
      }
      for (const { orientation, count: n } of facets.orientations) {
        expect(n).toBe(count((photo) => photo.orientation === orientation));
      }
      expect(facets.orientations).toHaveLength(3);
      expect(facets.withLocation).toBe(count((photo) => photo.gps !== undefined));
      const dates = FACT_LIBRARY.flatMap((photo) =>
        photo.takenAt ? [floating(photo.takenAt)] : [],
      );
      expect(facets.dateSpan).toEqual({ first: Math.min(...dates), last: Math.max(...dates) });
    });

    const cases: [string, SearchOptions, (photo: FactPhoto) => boolean][] = [
      ['one camera', { cameras: ['NIKON D750'] }, (p) => p.camera === 'NIKON D750'],
      [
        'two cameras',
        { cameras: ['Apple iPhone 12', 'FUJIFILM X-T4'] },
        (p) => p.camera === 'Apple iPhone 12' || p.camera === 'FUJIFILM X-T4',
      ],
      ['a camera name is exact', { cameras: ['NIKON'] }, () => false],
      ['PNG', { formats: ['png'] }, (p) => p.format === 'png'],
      ['JPEG or WebP', { formats: ['jpeg', 'webp'] }, (p) => p.format !== 'png'],
      [
        'portrait (an EXIF-rotated photo too)',
        { orientation: 'portrait' },
        (p) => p.orientation === 'portrait',
      ],
      ['landscape', { orientation: 'landscape' }, (p) => p.orientation === 'landscape'],
      ['square', { orientation: 'square' }, (p) => p.orientation === 'square'],
      ['with a location', { hasLocation: true }, (p) => p.gps !== undefined],
      ['without a location', { hasLocation: false }, (p) => p.gps === undefined],
      [
        'phone photos with a location in the phone folder',
        { cameras: ['Apple iPhone 12'], hasLocation: true, folders: ['phone'] },
        (p) => p.camera === 'Apple iPhone 12' && p.gps !== undefined && inFolder(p, 'phone'),
      ],
      [
        'Nikon after 3 July 2022',
        { cameras: ['NIKON D750'], after: Date.UTC(2022, 6, 3) },
        (p) => p.camera === 'NIKON D750' && floating(p.takenAt!) >= Date.UTC(2022, 6, 3),
      ],
    ];

    for (const [name, options, matches] of cases) {
      it(`returns exactly the matching photos: ${name}`, async () => {
        const resolved = { ...withLibraryFolders(options, library), limit: 1000 };
        const expected = expectedIds(matches);
        expect(ids(await core.search('red', resolved))).toEqual(expected);
        // Find-similar filters the same way; the example itself is never a hit.
        const example = idOf.get('fuji/green-field.jpg')!;
        expect(ids(await core.similar(example, resolved))).toEqual(
          expected.filter((id) => id !== example),
        );
      });
    }

    it('returns k photos when k match, however far they are from the query', async () => {
      const nikon = expectedIds((p) => p.camera === 'NIKON D750');
      // Nothing the Nikon shot is blue: the filter, not the ranking, decides who is eligible.
      for (const k of [1, 4, nikon.length - 1]) {
        const hits = await core.search('blue', { cameras: ['NIKON D750'], limit: k });
        expect(hits).toHaveLength(k);
        expect(hits.every((hit) => nikon.includes(hit.photoId))).toBe(true);
      }
      expect(ids(await core.search('blue', { cameras: ['NIKON D750'], limit: 100 }))).toEqual(
        nikon,
      );
      const png = await core.search('red', { formats: ['png'], limit: 2 });
      expect(png.map((hit) => path.basename(hit.path))).toEqual([
        'red.png',
        expect.stringMatching(/\.png$/),
      ]);
    });

    it('refuses an unknown format or orientation with one line naming the choices', async () => {
      await expect(core.search('red', { formats: ['jpg' as ImageFormat] })).rejects.toMatchObject({
        code: 'BAD_ARGUMENT',
        message: expect.stringContaining('"jpg" is not a photo format; use one of jpeg, png'),
      });
      await expect(
        core.search('red', { orientation: 'upright' as PhotoOrientation }),
      ).rejects.toMatchObject({
        code: 'BAD_ARGUMENT',
        message: expect.stringContaining('landscape, portrait, square'),
      });
      const neither = CombinedQuerySchema.safeParse({ text: 'at night' });
      expect(neither.error!.issues[0]!.message).toBe(
        'Give either example photos or an image, not both or neither.',
      );
      const parsed = SearchOptionsSchema.safeParse({ formats: ['gif', 'jpg'] });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues[0]!.message).toBe(
        '"jpg" is not a photo format; use one of jpeg, png, webp, avif, gif, tiff, heic, bmp, jxl, raw.',
      );
    });

    it('combines an example photo with words: red + "blue" finds the purple between them', async () => {
      const red = idOf.get('trip/red.jpg')!;
      const purple = idOf.get('trip/purple.jpg')!;
      const alone = await core.similar(red, { limit: 3 });
      expect(alone.every((hit) => isRed(photoById.get(hit.photoId)!))).toBe(true);

      const combined = await core.searchCombined(
        { photoIds: [red], text: 'blue' },
        { limit: 1000 },
      );
      expect(combined[0]!.photoId).toBe(purple);
      expect(combined.map((hit) => hit.photoId)).not.toContain(red);
      // Every pure red and every pure blue scores below the colour half-way between them.
      const pure = combined.filter((hit) => {
        const photo = photoById.get(hit.photoId)!;
        return isRed(photo) || isBlue(photo);
      });
      expect(pure.length).toBeGreaterThan(6);
      for (const hit of pure) expect(hit.score).toBeLessThan(combined[0]!.score - 0.1);
    });

    it('combines dropped image bytes with words and "-" terms, inside the filters', async () => {
      const bytes = await readFile(path.join(library, 'trip/red.jpg'));
      const byBytes = await core.searchCombined({ imageBytes: bytes, text: 'blue' }, { limit: 1 });
      expect(byBytes[0]!.photoId).toBe(idOf.get('trip/purple.jpg'));

      // Like the magenta photo, without blue: the blues lose against the example alone, the reds
      // gain, and every blue ends below every red.
      const magenta = idOf.get('trip/magenta.jpg')!;
      const scores = (hits: SearchHit[]) => new Map(hits.map((hit) => [hit.photoId, hit.score]));
      const alone = scores(await core.similar(magenta, { limit: 1000 }));
      const withoutBlue = scores(
        await core.searchCombined({ photoIds: [magenta], text: '-blue' }, { limit: 1000 }),
      );
      const blues = expectedIds(isBlue);
      const reds = expectedIds(isRed);
      for (const id of blues) expect(withoutBlue.get(id)!).toBeLessThan(alone.get(id)! - 0.2);
      for (const id of reds) expect(withoutBlue.get(id)!).toBeGreaterThan(alone.get(id)!);
      const bestBlue = Math.max(...blues.map((id) => withoutBlue.get(id)!));
      expect(Math.min(...reds.map((id) => withoutBlue.get(id)!))).toBeGreaterThan(bestBlue);

      const filtered = await core.searchCombined(
        { photoIds: [magenta], text: 'blue' },
        { formats: ['png', 'webp'], limit: 1000 },
      );
      expect(ids(filtered)).toEqual(expectedIds((p) => p.format !== 'jpeg'));
      expect(isBlue(photoById.get(filtered[0]!.photoId)!)).toBe(true);

      await expect(core.searchCombined({ photoIds: [magenta], text: '   ' })).rejects.toMatchObject(
        {
          code: 'BAD_ARGUMENT',
        },
      );
    });

    describe('with an image-only model', () => {
      let imageOnly: Core;
      beforeAll(async () => {
        await buildSyntheticModel(path.join(work, 'image-only-model'), { imageOnly: true });
        imageOnly = createCore({ dataDir: path.join(work, 'image-only-data') });
        await imageOnly.models.add(path.join(work, 'image-only-model'));
        await imageOnly.addFolder(library);
        await imageOnly.index();
      });
      afterAll(async () => imageOnly?.dispose());

      it('refuses the words of a combined query with NO_TEXT_TOWER, and still filters', async () => {
        const red = imageOnly.photoIdForFile(path.join(library, 'trip/red.jpg'))!;
        await expect(
          imageOnly.searchCombined({ photoIds: [red], text: 'at night' }),
        ).rejects.toMatchObject({
          code: 'NO_TEXT_TOWER',
        });
        const square = await imageOnly.similar(red, { orientation: 'square', limit: 1000 });
        expect(square.map((hit) => path.basename(hit.path)).sort()).toEqual(
          FACT_LIBRARY.filter((p) => p.orientation === 'square')
            .map((p) => path.basename(p.relativePath))
            .sort(),
        );
      });
    });
  },
);

function isRed(photo: FactPhoto): boolean {
  const [r, g, b] = photo.rgb;
  return r > 150 && g < 100 && b < 100;
}

function isBlue(photo: FactPhoto): boolean {
  const [r, g, b] = photo.rgb;
  return b > 150 && r < 100 && g < 100;
}

/** EXIF wall-clock time as the library stores it ([Note: Capture time]: floating, as UTC). */
function floating(exifDate: string): number {
  const [date, time] = exifDate.split(' ') as [string, string];
  return Date.parse(`${date.replaceAll(':', '-')}T${time}Z`);
}

function withLibraryFolders(options: SearchOptions, library: string): SearchOptions {
  return options.folders
    ? { ...options, folders: options.folders.map((folder) => path.join(library, folder)) }
    : options;
}
