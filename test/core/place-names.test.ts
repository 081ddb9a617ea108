import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core';
import { PlaceNames } from '../../src-main/core/places/place-names';
import { writePhoto, COLOUR_LIBRARY } from '../fixtures/colour-library';
import { hasShared, sharedPath } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

const EXIFR = ['data', 'formats', 'exifr', 'test', 'fixtures'] as const;

describe('place names offline ([Note: Place names offline])', () => {
  const places = new PlaceNames();

  it('names the nearest town with its region and country', () => {
    expect(places.nameOf({ latitude: 64.1466, longitude: -21.9426 })).toBe(
      'Reykjavík, Capital Region, Iceland',
    );
    expect(places.nameOf({ latitude: -33.8688, longitude: 151.2093 })).toMatch(
      /, New South Wales, Australia$/,
    );
  });

  it('names no place far out at sea', () => {
    expect(places.nameOf({ latitude: 0, longitude: -30 })).toBeNull();
  });
});

/** Real camera files with GPS in their EXIF, indexed, then `Core.photo` as photos.get serves it. */
describe.skipIf(!hasShared(...EXIFR) || !hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'photos.get names the place a photo was taken',
  () => {
    let work: string;
    let core: Core;
    let library: string;

    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-places-'));
      library = path.join(work, 'library');
      await mkdir(library);
      await copyFile(
        sharedPath(...EXIFR, 'heic-iphone7.heic'),
        path.join(library, 'heic-iphone7.heic'),
      );
      await copyFile(
        sharedPath(...EXIFR, 'png', 'png_with_exif_and_gps.png'),
        path.join(library, 'with-gps.png'),
      );
      await writePhoto(library, COLOUR_LIBRARY[0]!);
      await buildSyntheticModel(path.join(work, 'model'));
      core = createCore({ dataDir: path.join(work, 'data') });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(library);
      expect((await core.index()).failed).toBe(0);
    }, 120_000);

    afterAll(async () => {
      await core?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    const details = (name: string) => core.photo(core.photoIdForFile(path.join(library, name))!);

    it('gives the town of a phone photo and of a PNG with EXIF, and none without GPS', () => {
      expect(details('heic-iphone7.heic').place).toBe('Balestrate, Sicily, Italy');
      expect(details('with-gps.png').place).toMatch(/, Czechia$/);
      const plain = details(COLOUR_LIBRARY[0]!.relativePath);
      expect(plain).toMatchObject({ gps: null, place: null });
    });
  },
);
