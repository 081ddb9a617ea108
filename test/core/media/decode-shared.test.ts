import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage, MediaError } from '../../../src-main/core/media';
import type { DecodedImage, DecodeFileOptions, MediaErrorCode } from '../../../src-main/core/media';
import { hasShared, sharedPath } from '../../fixtures/shared-data';

const OPTIONS = { input: { size: 224, resize: 'shortest-edge-crop' as const }, thumbnailSize: 384 };
const SQUASH = { input: { size: 64, resize: 'squash' as const }, thumbnailSize: 64 };

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

async function outcome(
  file: string,
  options: DecodeFileOptions = OPTIONS,
): Promise<DecodedImage | MediaError> {
  try {
    return await decodeImage(file, options);
  } catch (error) {
    if (error instanceof MediaError) return error;
    throw error;
  }
}

describe.skipIf(!hasShared('data', 'broken', 'manifest.csv'))(
  'the shared broken files (data/broken/manifest.csv)',
  () => {
    /** What each "fail" row must fail with. */
    const failCodes: Record<string, MediaErrorCode[]> = {
      'zero_bytes.jpg': ['EMPTY_FILE'],
      'zero_bytes.png': ['EMPTY_FILE'],
      'header_only_1k.jpg': ['CORRUPT'],
      'random_bytes.jpg': ['UNSUPPORTED_FORMAT'],
      'text_as.jpg': ['UNSUPPORTED_FORMAT'],
      'html_as.png': ['UNSUPPORTED_FORMAT'],
      'bomb_header_100000x100000.png': ['TOO_MANY_PIXELS'],
      // A real symlink to the empty file, or (where the copy dereferenced it) a text file naming it.
      'symlink_to_zero.jpg': ['EMPTY_FILE', 'UNSUPPORTED_FORMAT'],
    };

    it('decodes every "ok" and "partial" file and fails every "fail" file with the right code', async () => {
      const manifest = await readFile(sharedPath('data', 'broken', 'manifest.csv'), 'utf8');
      const rows = manifest.trim().split('\n').slice(1);
      expect(rows.length).toBeGreaterThanOrEqual(18);
      for (const row of rows) {
        const [name, , expected] = row.split(',') as [string, string, string];
        const result = await outcome(sharedPath('data', 'broken', name));
        if (expected === 'fail') {
          expect(result, name).toBeInstanceOf(MediaError);
          expect(failCodes[name], `${name}: add its expected code`).toBeDefined();
          expect(failCodes[name], `${name}: ${(result as MediaError).message}`).toContain(
            (result as MediaError).code,
          );
        } else {
          expect(result, `${name}: ${(result as Error).message}`).not.toBeInstanceOf(MediaError);
          const decoded = result as DecodedImage;
          expect(decoded.rgb.length, name).toBe(224 * 224 * 3);
          expect(decoded.thumbnail.length, name).toBeGreaterThan(100);
          if (expected === 'ok') expect(decoded.partial, name).toBe(false);
        }
      }
    });

    it('flags cut-off JPEGs as partial and says how much of a headers-only file was readable', async () => {
      for (const name of ['truncated_50pct.jpg', 'truncated_90pct.jpg']) {
        expect((await decodeImage(sharedPath('data', 'broken', name), OPTIONS)).partial, name).toBe(
          true,
        );
      }
      const error = await outcome(sharedPath('data', 'broken', 'header_only_1k.jpg'));
      expect((error as MediaError).message).toMatch(/only about \d+ % of it could be read/);
    });

    it('sniffs renamed files by content', async () => {
      expect(
        (await decodeImage(sharedPath('data', 'broken', 'png_named.jpg'), OPTIONS)).format,
      ).toBe('png');
      expect(
        (await decodeImage(sharedPath('data', 'broken', 'jpeg_named.png'), OPTIONS)).format,
      ).toBe('jpeg');
      expect(
        (await decodeImage(sharedPath('data', 'broken', 'no_extension'), OPTIONS)).format,
      ).toBe('jpeg');
    });

    it('decodes a 108 MP PNG in bounded memory and an extreme panorama', async () => {
      const before = process.memoryUsage().rss;
      let peak = before;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
      const large = await decodeImage(
        sharedPath('data', 'broken', 'large_12000x9000.png'),
        OPTIONS,
      );
      clearInterval(timer);
      expect(large.metadata).toMatchObject({ width: 12000, height: 9000, format: 'png' });
      // Fully expanded it would be 324 MB of RGB; streaming through the resize keeps it far below.
      expect((peak - before) / 1e6).toBeLessThan(200);

      const wide = await decodeImage(
        sharedPath('data', 'broken', 'extreme_aspect_20000x16.jpg'),
        OPTIONS,
      );
      expect(wide.metadata).toMatchObject({ width: 20000, height: 16 });
      expect(wide.thumbnailWidth).toBe(384);
      expect(wide.thumbnailHeight).toBeGreaterThanOrEqual(1);
    });
  },
);

const formats = (...parts: string[]) => sharedPath('data', 'formats', ...parts);

describe.skipIf(!hasShared('data', 'formats'))('the shared format samples (data/formats)', () => {
  it('applies all eight EXIF orientations (sharp Landscape_1..8, Portrait_1..8)', async () => {
    for (const shape of ['Landscape', 'Portrait']) {
      const upright = await decodeImage(
        formats('sharp', 'test', 'fixtures', `${shape}_1.jpg`),
        SQUASH,
      );
      for (let orientation = 2; orientation <= 8; orientation++) {
        const name = `${shape}_${orientation}.jpg`;
        const decoded = await decodeImage(formats('sharp', 'test', 'fixtures', name), SQUASH);
        expect(decoded.orientation, name).toBe(orientation);
        expect({ width: decoded.metadata.width, height: decoded.metadata.height }, name).toEqual({
          width: upright.metadata.width,
          height: upright.metadata.height,
        });
        expect({ w: decoded.thumbnailWidth, h: decoded.thumbnailHeight }, name).toEqual({
          w: upright.thumbnailWidth,
          h: upright.thumbnailHeight,
        });
        expect(meanAbsDiff(decoded.rgb, upright.rgb), name).toBeLessThan(12);
      }
    }
  });

  it('decodes iPhone HEIC through WebAssembly with its metadata', async () => {
    const decoded = await decodeImage(
      formats('exifr', 'test', 'fixtures', 'heic-iphone7.heic'),
      OPTIONS,
    );
    expect(decoded).toMatchObject({
      format: 'heic',
      decoder: 'heic',
      orientation: null,
      partial: false,
    });
    expect(decoded.metadata).toMatchObject({ width: 4032, height: 3024, camera: 'Apple iPhone 7' });
    expect(decoded.metadata.gps?.latitude).toBeCloseTo(38.0466, 3);
    expect(new Date(decoded.metadata.takenAt!).toISOString()).toMatch(/^2019-10-20T16:34:30/);
    // Not a flat grey or black frame.
    let low = 255;
    let high = 0;
    for (const value of decoded.rgb) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
    expect(high - low).toBeGreaterThan(100);
    for (const name of ['heic-collection.heic', 'heic-single.heic']) {
      expect(
        (await decodeImage(formats('exifr', 'test', 'fixtures', name), SQUASH)).decoder,
        name,
      ).toBe('heic');
    }
  });

  it('decodes AVIF with sharp, applying its rotation boxes (Pillow rot*mir*.avif all show the same picture)', async () => {
    const dir = formats('pillow', 'Tests', 'images', 'avif');
    const reference = await decodeImage(path.join(dir, 'rot0mir0.avif'), SQUASH);
    expect(reference).toMatchObject({ format: 'avif', decoder: 'sharp' });
    for (const name of ['rot1mir0.avif', 'rot2mir1.avif', 'rot3mir0.avif']) {
      expect(
        meanAbsDiff((await decodeImage(path.join(dir, name), SQUASH)).rgb, reference.rgb),
        name,
      ).toBeLessThan(10);
    }
    const irvine = await decodeImage(
      formats('exifr', 'test', 'fixtures', 'avif', 'Irvine_CA.avif'),
      OPTIONS,
    );
    expect(irvine.metadata).toMatchObject({ format: 'avif', camera: 'Apple iPhone 3GS' });
  });

  it('converts CMYK, 16-bit, greyscale, Lab and palette images to RGB', async () => {
    const names = [
      ['sharp', 'test', 'fixtures', 'Channel_digital_image_CMYK_color.jpg'],
      ['sharp', 'test', 'fixtures', 'Flag_of_the_Netherlands-16bit.png'],
      ['sharp', 'test', 'fixtures', '16-bit-grey-alpha.png'],
      ['sharp', 'test', 'fixtures', 'cielab-dagams.tiff'],
      ['sharp', 'test', 'fixtures', 'fogra-0-100-100-0.tif'],
      ['pillow', 'Tests', 'images', 'hopper_gray.jpg'],
      ['exifr', 'test', 'fixtures', '001.tif'],
    ];
    for (const name of names) {
      const decoded = await decodeImage(formats(...name), SQUASH);
      expect(decoded.rgb.length, name.join('/')).toBe(64 * 64 * 3);
    }
    // The Dutch flag: red, white, blue from top to bottom, from a 16-bit PNG.
    const flag = await decodeImage(
      formats('sharp', 'test', 'fixtures', 'Flag_of_the_Netherlands-16bit.png'),
      SQUASH,
    );
    const row = (y: number) =>
      Array.from(flag.rgb.subarray((y * 64 + 32) * 3, (y * 64 + 32) * 3 + 3));
    expect(row(5)[0]).toBeGreaterThan(150);
    expect(row(5)[2]).toBeLessThan(90);
    expect(Math.min(...row(32))).toBeGreaterThan(230);
    expect(row(58)[2]).toBeGreaterThan(100);
    expect(row(58)[0]).toBeLessThan(60);
  });

  it('fails unsupported and damaged samples with clear codes', async () => {
    const cases: [string[], MediaErrorCode, RegExp?][] = [
      [['sharp', 'test', 'fixtures', 'relax.jp2'], 'UNSUPPORTED_FORMAT', /JPEG 2000/],
      [['sharp', 'test', 'fixtures', 'check.svg'], 'UNSUPPORTED_FORMAT', /SVG/],
      [['sharp', 'test', 'fixtures', 'giant-image.jpg'], 'TOO_MANY_PIXELS', /MP/],
      [['sharp', 'test', 'fixtures', 'corrupt-header.jpg'], 'CORRUPT'],
      [['pillow', 'Tests', 'images', 'broken.png'], 'CORRUPT'],
    ];
    for (const [name, code, message] of cases) {
      const result = await outcome(formats(...name));
      expect(result, name.join('/')).toBeInstanceOf(MediaError);
      expect(result, name.join('/')).toMatchObject({ code, stage: 'decode' });
      if (message) expect((result as MediaError).message).toMatch(message);
    }
  });

  it('never throws anything but a MediaError on any sample (the queue never stops)', async () => {
    const root = formats();
    const entries = await readdir(root, { recursive: true });
    const files: string[] = [];
    for (const entry of entries) {
      const file = path.join(root, entry);
      if (/\.(md|js|xml|xmp|icc|exif)$|readme$/i.test(file)) continue;
      if ((await stat(file)).isFile()) files.push(file);
    }
    expect(files.length).toBeGreaterThan(200);
    let decoded = 0;
    for (const file of files) {
      const result = await outcome(file, SQUASH);
      if (!(result instanceof MediaError)) {
        decoded++;
        expect(result.rgb.length, file).toBe(64 * 64 * 3);
        expect(result.metadata.width, file).toBeGreaterThan(0);
      } else {
        expect(
          ['UNSUPPORTED_FORMAT', 'CORRUPT', 'TOO_MANY_PIXELS'],
          `${file}: ${result.message}`,
        ).toContain(result.code);
      }
    }
    // Everything but JPEG 2000, SVG, the giant and the deliberately broken samples decodes.
    expect(decoded / files.length).toBeGreaterThan(0.9);
  });
});

describe.skipIf(!hasShared('data', 'photos-cc0', 'labels.csv'))(
  'real photos (data/photos-cc0)',
  () => {
    it('decodes a sample of the clothing photos into model input and thumbnail', async () => {
      const labels = (await readFile(sharedPath('data', 'photos-cc0', 'labels.csv'), 'utf8'))
        .trim()
        .split('\n')
        .slice(1);
      const sample = labels.filter((_, i) => i % 95 === 0).map((line) => line.split(',')[0]!);
      expect(sample.length).toBeGreaterThanOrEqual(30);
      const started = performance.now();
      for (const relative of sample) {
        const decoded = await decodeImage(sharedPath('data', 'photos-cc0', relative), OPTIONS);
        expect(decoded.format).toBe('jpeg');
        expect(decoded.partial).toBe(false);
        expect(Math.max(decoded.thumbnailWidth, decoded.thumbnailHeight)).toBeLessThanOrEqual(384);
      }
      const perImage = (performance.now() - started) / sample.length;
      console.info(
        `photos-cc0: ${perImage.toFixed(1)} ms per photo (decode + 224 crop + 384 thumbnail, one at a time)`,
      );
      expect(perImage).toBeLessThan(500);
    });
  },
);
