import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  cameraName,
  exifFromTags,
  gpsPosition,
  parseExifDate,
  parseOffsetMinutes,
  readExif,
} from '../../../src-main/core/media/exif';
import { hasShared, sharedPath } from '../../fixtures/shared-data';

describe('parseExifDate ([Note: Capture time])', () => {
  it('stores a zoneless EXIF time as floating time (the wall clock read as UTC)', () => {
    expect(parseExifDate('2019:10:26 16:07:24')).toBe(Date.UTC(2019, 9, 26, 16, 7, 24));
  });

  it('uses the recorded UTC offset and sub-seconds when present', () => {
    expect(parseExifDate('2019:10:20 18:34:30', '+02:00')).toBe(Date.UTC(2019, 9, 20, 16, 34, 30));
    expect(parseExifDate('2019:10:20 18:34:30', '-0530', '12')).toBe(
      Date.UTC(2019, 9, 21, 0, 4, 30, 120),
    );
    expect(parseExifDate('2019-10-20T18:34:30.5Z')).toBe(Date.UTC(2019, 9, 20, 18, 34, 30, 500));
    expect(parseExifDate('2019:10:20 18:34:30', 'garbage')).toBe(Date.UTC(2019, 9, 20, 18, 34, 30));
  });

  it('rejects placeholders, impossible dates and non-strings', () => {
    for (const value of [
      '0000:00:00 00:00:00',
      '    :  :     :  :  ',
      '2019:02:30 10:00:00',
      '2019:13:01 10:00:00',
      '1700:01:01 00:00:00',
      '2019:01:01 25:00:00',
      'yesterday',
      20191026,
      null,
      undefined,
    ]) {
      expect(parseExifDate(value), String(value)).toBeNull();
    }
  });

  it('parses offsets', () => {
    expect(parseOffsetMinutes('+02:00')).toBe(120);
    expect(parseOffsetMinutes('-05:30')).toBe(-330);
    expect(parseOffsetMinutes('Z')).toBe(0);
    expect(parseOffsetMinutes('+25:00')).toBeNull();
    expect(parseOffsetMinutes(7)).toBeNull();
  });
});

describe('cameraName', () => {
  it('does not repeat the make', () => {
    expect(cameraName('Canon', 'Canon EOS 1300D')).toBe('Canon EOS 1300D');
    expect(cameraName('NIKON CORPORATION', 'NIKON D750')).toBe('NIKON D750');
    expect(cameraName('Apple', 'iPhone 7')).toBe('Apple iPhone 7');
    expect(cameraName('  Google\u0000', 'Pixel')).toBe('Google Pixel');
    expect(cameraName(undefined, 'X100V')).toBe('X100V');
    expect(cameraName('FUJIFILM', '')).toBe('FUJIFILM');
    expect(cameraName(undefined, 42)).toBeNull();
  });
});

describe('gpsPosition', () => {
  it('converts degrees/minutes/seconds with hemisphere references', () => {
    const position = gpsPosition([38, 2, 47.91], 'N', [12, 59, 39.88], 'E');
    expect(position?.latitude).toBeCloseTo(38.046641, 5);
    expect(position?.longitude).toBeCloseTo(12.994411, 5);
    const south = gpsPosition([33, 51, 0], 'S', [151, 12, 0], 'W');
    expect(south?.latitude).toBeLessThan(0);
    expect(south?.longitude).toBeLessThan(0);
  });

  it('rejects (0, 0), out-of-range and malformed values', () => {
    expect(gpsPosition([0, 0, 0], 'N', [0, 0, 0], 'E')).toBeNull();
    expect(gpsPosition(4294967295, 'N', [1, 0, 0], 'E')).toBeNull();
    expect(gpsPosition([91, 0, 0], 'N', [1, 0, 0], 'E')).toBeNull();
    expect(gpsPosition([10, 75, 0], 'N', [1, 0, 0], 'E')).toBeNull();
    expect(gpsPosition(['a'], 'N', [1, 0, 0], 'E')).toBeNull();
    expect(gpsPosition(undefined, 'N', [1, 0, 0], 'E')).toBeNull();
  });

  it('keeps good fields when others are bad', () => {
    const info = exifFromTags({
      Make: 'Canon',
      Model: 'Canon EOS 5D',
      DateTimeOriginal: '0000:00:00 00:00:00',
      CreateDate: '2001:02:03 04:05:06',
      GPSLatitude: 'x',
      Orientation: 9,
    });
    expect(info).toEqual({
      takenAt: Date.UTC(2001, 1, 3, 4, 5, 6),
      camera: 'Canon EOS 5D',
      gps: null,
      orientation: null,
    });
  });
});

const fixtures = (...parts: string[]) => sharedPath('data', 'formats', ...parts);

describe.skipIf(!hasShared('data', 'formats'))('readExif on real files', () => {
  it('reads a DSLR JPEG', async () => {
    const info = await readExif(
      await readFile(fixtures('exifr', 'test', 'fixtures', 'canon-dslr.jpg')),
    );
    expect(info.camera).toBe('Canon EOS 1300D');
    expect(info.takenAt).toBe(Date.UTC(2019, 9, 26, 16, 7, 24, 540));
    expect(info.orientation).toBe(1);
  });

  it('reads an iPhone HEIC with its UTC offset and position', async () => {
    const info = await readExif(
      await readFile(fixtures('exifr', 'test', 'fixtures', 'heic-iphone7.heic')),
    );
    expect(info.camera).toBe('Apple iPhone 7');
    // 18:34:30 at +02:00 is 16:34:30 UTC.
    expect(new Date(info.takenAt!).toISOString()).toMatch(/^2019-10-20T16:34:30/);
    expect(info.gps?.latitude).toBeCloseTo(38.0466, 3);
    expect(info.gps?.longitude).toBeCloseTo(12.9944, 3);
  });

  it('reads PNG eXIf and TIFF', async () => {
    const png = await readExif(
      await readFile(fixtures('exifr', 'test', 'fixtures', 'png', 'png_with_exif_and_gps.png')),
    );
    expect(png.camera).toBe('Canon PowerShot S40');
    expect(png.gps?.latitude).toBeCloseTo(50.2996, 3);
    const tiff = await readExif(
      await readFile(fixtures('exifr', 'test', 'fixtures', 'issue-exif-js-124.tiff')),
    );
    expect(tiff.camera).not.toBeNull();
  });

  it('reads WebP EXIF through the block sharp extracts (exifr cannot parse WebP)', async () => {
    const bytes = await readFile(fixtures('pillow', 'Tests', 'images', 'flower.webp'));
    expect((await readExif(bytes)).camera).toBeNull();
    const { exif } = await sharp(bytes).metadata();
    const info = await readExif(bytes, exif);
    expect(info.camera).toBe('Canon PowerShot S40');
    expect(info.takenAt).toBe(Date.UTC(2003, 11, 14, 12, 1, 44));
  });

  it('never throws on malformed EXIF (exifr crash repros, bad IFD offsets, type errors)', async () => {
    const names = [
      ['exifr', 'test', 'fixtures', 'RangeError_Invalid_typed_array_length.jpg'],
      ['exifr', 'test', 'fixtures', 'RangeError_Offset_outside_bounds.jpg'],
      ['exifr', 'test', 'fixtures', 'issue-exifr-41-Error_Segment_Unreachable.jpg'],
      ['pillow', 'Tests', 'images', 'invalid-exif.jpg'],
      ['pillow', 'Tests', 'images', 'exif_gps_typeerror.jpg'],
      ['pillow', 'Tests', 'images', 'exif-ifd-offset.jpg'],
      ['pillow', 'Tests', 'images', 'exif_gps.jpg'],
    ];
    for (const name of names) {
      const info = await readExif(await readFile(fixtures(...name)));
      expect(info, name.join('/')).toBeTypeOf('object');
    }
    expect(await readExif(Buffer.from('not an image at all'))).toEqual({
      takenAt: null,
      camera: null,
      gps: null,
      orientation: null,
    });
  });
});
