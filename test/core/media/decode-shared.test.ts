import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, MediaError } from '../../../src-main/core/media';
import type { DecodedImage, DecodeOptions, MediaErrorCode } from '../../../src-main/core/media';
import { applyOrientation } from '../../../src-main/core/media/orientation';
import { hasShared, sharedPath } from '../../fixtures/shared-data';

const CLIP_LIKE: DecodeOptions = {
  input: { size: 224, resize: 'shortest-edge-crop' },
  thumbnailSize: 384,
};
const SQUASH: DecodeOptions = { input: { size: 64, resize: 'squash' }, thumbnailSize: 64 };

const broken = (name: string) => sharedPath('data', 'broken', name);
const formats = (...parts: string[]) => sharedPath('data', 'formats', ...parts);
const sharpFixture = (name: string) => formats('sharp', 'test', 'fixtures', name);
const exifrFixture = (...parts: string[]) => formats('exifr', 'test', 'fixtures', ...parts);
const pillowImage = (...parts: string[]) => formats('pillow', 'Tests', 'images', ...parts);

async function outcome(file: string, options = CLIP_LIKE): Promise<DecodedImage | MediaError> {
  try {
    return await decodeImage(file, options);
  } catch (error) {
    if (error instanceof MediaError) return error;
    throw error; // anything but a MediaError fails the test
  }
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

async function thumbnailSize(decoded: DecodedImage): Promise<[number, number, string]> {
  const meta = await sharp(decoded.thumbnail).metadata();
  return [meta.width, meta.height, meta.format];
}

/** Runs `decode` and reports how far the process's resident memory rose meanwhile (MB). */
async function rssGrowth<T>(decode: () => Promise<T>): Promise<number> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 1);
  try {
    await decode();
  } finally {
    clearInterval(sampler);
  }
  return (Math.max(peak, process.memoryUsage().rss) - before) / 1e6;
}

describe.skipIf(!hasShared('data', 'broken', 'manifest.csv'))('data/broken (manifest.csv)', () => {
  /** The code each "fail" row must fail with. */
  const failCodes: Record<string, MediaErrorCode[]> = {
    'zero_bytes.jpg': ['EMPTY_FILE'],
    'zero_bytes.png': ['EMPTY_FILE'],
    'header_only_1k.jpg': ['CORRUPT'],
    'random_bytes.jpg': ['UNSUPPORTED_FORMAT'],
    'text_as.jpg': ['UNSUPPORTED_FORMAT'],
    'html_as.png': ['UNSUPPORTED_FORMAT'],
    'bomb_header_100000x100000.png': ['TOO_MANY_PIXELS'],
    // A symlink to the empty file where the copy kept it, else the 14-byte text naming its target.
    'symlink_to_zero.jpg': ['EMPTY_FILE', 'UNSUPPORTED_FORMAT'],
  };
  /** Content decides the format, not the name. */
  const formatsByContent: Record<string, string> = {
    'png_named.jpg': 'png',
    'jpeg_named.png': 'jpeg',
    no_extension: 'jpeg',
  };

  it('decodes every ok and partial file and fails every fail file with its code', async () => {
    const manifest = await readFile(broken('manifest.csv'), 'utf8');
    const rows = manifest
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',') as [string, string, string]);
    expect(rows.length).toBeGreaterThanOrEqual(18);
    for (const [name, , expected] of rows) {
      const result = await outcome(broken(name));
      if (expected === 'fail') {
        expect(result, name).toBeInstanceOf(MediaError);
        expect(failCodes[name], `${name}: ${(result as MediaError).message}`).toContain(
          (result as MediaError).code,
        );
        continue;
      }
      expect(expected, name).toMatch(/^(ok|partial)$/);
      expect(result, `${name}: ${(result as Error).message}`).not.toBeInstanceOf(MediaError);
      const decoded = result as DecodedImage;
      expect(decoded.rgb.length, name).toBe(224 * 224 * 3);
      expect((await thumbnailSize(decoded))[2], name).toBe('jpeg');
      if (name in formatsByContent)
        expect(decoded.metadata.format, name).toBe(formatsByContent[name]);
    }
  });

  it('rejects the pixel bomb by its header, without allocating its pixels', async () => {
    let error: unknown;
    const growth = await rssGrowth(() =>
      decodeImage(broken('bomb_header_100000x100000.png'), CLIP_LIKE).catch((e: unknown) => {
        error = e;
      }),
    );
    expect(error).toMatchObject({
      code: 'TOO_MANY_PIXELS',
      stage: 'decode',
      message: '100000×100000 pixels is over the 120-megapixel limit.',
    });
    // 10 gigapixels would be tens of gigabytes.
    expect(growth).toBeLessThan(100);
  });

  it('decodes the 108 MP PNG within the default limit, streaming through the resize', async () => {
    let decoded: DecodedImage | undefined;
    const growth = await rssGrowth(async () => {
      decoded = await decodeImage(broken('large_12000x9000.png'), CLIP_LIKE);
    });
    expect(decoded!.metadata).toMatchObject({ width: 12000, height: 9000, format: 'png' });
    expect(await thumbnailSize(decoded!)).toEqual([384, 288, 'jpeg']);
    // Fully expanded it would be 108 MB grey or 324 MB RGB.
    expect(growth).toBeLessThan(100);
  });

  it('decodes the 20000×16 panorama with a thumbnail of the full width', async () => {
    const decoded = await decodeImage(broken('extreme_aspect_20000x16.jpg'), CLIP_LIKE);
    expect(decoded.metadata).toMatchObject({ width: 20000, height: 16 });
    expect(await thumbnailSize(decoded)).toEqual([384, 1, 'jpeg']);
  });
});

describe.skipIf(!hasShared('data', 'formats'))('data/formats', () => {
  const orientationSets: Record<string, (orientation: number) => string> = {
    'sharp Landscape': (n) => sharpFixture(`Landscape_${n}.jpg`),
    'sharp Portrait': (n) => sharpFixture(`Portrait_${n}.jpg`),
    'exifr f*t': (n) => exifrFixture('orientation', `f${n}t.jpg`),
    'pillow jpg': (n) => pillowImage(n === 1 ? 'hopper.jpg' : `hopper_orientation_${n}.jpg`),
    'pillow webp': (n) => pillowImage(n === 1 ? 'hopper.webp' : `hopper_orientation_${n}.webp`),
  };

  it('turns all eight EXIF orientations upright (JPEG and WebP)', async () => {
    for (const [set, file] of Object.entries(orientationSets)) {
      const upright = await decodeImage(file(1), SQUASH);
      for (let orientation = 2; orientation <= 8; orientation++) {
        const label = `${set} ${orientation}`;
        expect((await sharp(file(orientation)).metadata()).orientation, label).toBe(orientation);
        const decoded = await decodeImage(file(orientation), SQUASH);
        expect([decoded.metadata.width, decoded.metadata.height], label).toEqual([
          upright.metadata.width,
          upright.metadata.height,
        ]);
        expect(await thumbnailSize(decoded), label).toEqual(await thumbnailSize(upright));
        // The stored pixels, not turned, are far from the upright picture (measured 32–175).
        const stored = await sharp(file(orientation))
          .resize(64, 64, { fit: 'fill', kernel: 'cubic' })
          .removeAlpha()
          .raw()
          .toBuffer();
        const turned = meanAbsDiff(decoded.rgb, upright.rgb);
        expect(turned, label).toBeLessThan(8);
        expect(meanAbsDiff(stored, upright.rgb), label).toBeGreaterThan(4 * Math.max(turned, 5));
      }
    }
  });

  it('orients a raw preview exactly as sharp auto-orients EXIF (applyOrientation)', async () => {
    for (let orientation = 1; orientation <= 8; orientation++) {
      const file = sharpFixture(`Landscape_${orientation}.jpg`);
      const auto = await sharp(file).autoOrient().raw().toBuffer();
      const explicit = await applyOrientation(sharp(file), orientation).raw().toBuffer();
      expect(explicit.equals(auto), `orientation ${orientation}`).toBe(true);
    }
  });

  it('decodes iPhone HEIC through WebAssembly, with its metadata', async () => {
    const decoded = await decodeImage(exifrFixture('heic-iphone7.heic'), CLIP_LIKE);
    expect(decoded.metadata).toMatchObject({
      format: 'heic',
      width: 4032,
      height: 3024,
      camera: 'Apple iPhone 7',
    });
    // DateTimeOriginal 18:34:30 with OffsetTimeOriginal +02:00.
    expect(new Date(decoded.metadata.takenAt!).toISOString()).toBe('2019-10-20T16:34:30.130Z');
    expect(decoded.metadata.gps?.latitude).toBeCloseTo(38.0466, 3);
    expect(decoded.metadata.gps?.longitude).toBeCloseTo(12.9944, 3);
    expect(await thumbnailSize(decoded)).toEqual([384, 288, 'jpeg']);
    // Real pixels, not a flat frame.
    expect(
      decoded.rgb.reduce((max, v) => Math.max(max, v)) -
        decoded.rgb.reduce((min, v) => Math.min(min, v)),
    ).toBeGreaterThan(100);
    for (const name of ['heic-collection.heic', 'heic-single.heic']) {
      const other = await decodeImage(exifrFixture(name), SQUASH);
      expect(other.metadata, name).toMatchObject({ format: 'heic', width: 1440, height: 960 });
    }
  });

  it('decodes AVIF and applies its rotation and mirror boxes', async () => {
    const dir = (name: string) => pillowImage('avif', name);
    const reference = await decodeImage(dir('rot0mir0.avif'), SQUASH);
    expect(reference.metadata.format).toBe('avif');
    for (const name of ['rot1mir0.avif', 'rot2mir1.avif', 'rot3mir0.avif', 'rot1mir1.avif']) {
      const decoded = await decodeImage(dir(name), SQUASH);
      expect(meanAbsDiff(decoded.rgb, reference.rgb), name).toBeLessThan(10);
    }
    const irvine = await decodeImage(exifrFixture('avif', 'Irvine_CA.avif'), CLIP_LIKE);
    expect(irvine.metadata).toMatchObject({ format: 'avif', width: 480, height: 640 });
    expect(irvine.metadata.camera).toBe('Apple iPhone 3GS');
  });

  it('decodes the first frame or page of WebP, GIF and TIFF files', async () => {
    const expected: [string, string, number, number][] = [
      [sharpFixture('animated-loop-3.gif'), 'gif', 370, 285],
      [sharpFixture('animated-loop-3.webp'), 'webp', 370, 285],
      [sharpFixture('Crash_test.gif'), 'gif', 800, 533],
      [sharpFixture('G31D_MULTI.TIF'), 'tiff', 2464, 3248],
      [exifrFixture('001.tif'), 'tiff', 640, 512],
      [pillowImage('flower.webp'), 'webp', 480, 360],
    ];
    for (const [file, format, width, height] of expected) {
      const decoded = await decodeImage(file, SQUASH);
      expect(decoded.metadata, file).toMatchObject({ format, width, height });
    }
  });

  it('converts CMYK, 16-bit, greyscale, Lab and palette images to RGB', async () => {
    const files = [
      sharpFixture('Channel_digital_image_CMYK_color.jpg'),
      sharpFixture('16-bit-grey-alpha.png'),
      sharpFixture('cielab-dagams.tiff'),
      sharpFixture('fogra-0-100-100-0.tif'),
      sharpFixture('grey-plus-alpha.gif'),
      pillowImage('hopper_gray.jpg'),
      pillowImage('pil_sample_cmyk.jpg'),
    ];
    for (const file of files)
      expect((await decodeImage(file, SQUASH)).rgb.length, file).toBe(64 * 64 * 3);
    // The Dutch flag from a 16-bit PNG: red, white, blue from top to bottom.
    const flag = await decodeImage(sharpFixture('Flag_of_the_Netherlands-16bit.png'), SQUASH);
    const pixel = (y: number) => [...flag.rgb.subarray((y * 64 + 32) * 3, (y * 64 + 32) * 3 + 3)];
    expect(pixel(5)[0]).toBeGreaterThan(150);
    expect(pixel(5)[2]).toBeLessThan(90);
    expect(Math.min(...pixel(32))).toBeGreaterThan(230);
    expect(pixel(58)[2]).toBeGreaterThan(100);
    expect(pixel(58)[0]).toBeLessThan(60);
  });

  it('reads capture time, camera and position ([Note: Capture time])', async () => {
    const cases: [string, string | null, string | null, [number, number] | null][] = [
      // Zoneless EXIF time kept as wall clock (read as UTC), with sub-seconds.
      [exifrFixture('canon-dslr.jpg'), '2019-10-26T16:07:24.540Z', 'Canon EOS 1300D', null],
      [
        exifrFixture('IMG_20180725_163423.jpg'),
        '2018-07-25T16:34:23.935Z',
        'Google Pixel',
        [50.2996, 14.8203],
      ],
      // Western hemisphere: negative longitude.
      [
        exifrFixture('sidecar', 'IMG_5910.jpg'),
        '2015-06-11T10:29:26.690Z',
        'Canon EOS 600D',
        [37.8711, -122.2568],
      ],
      // PNG eXIf chunk and a TIFF's own EXIF IFD.
      [
        exifrFixture('png', 'png_with_exif_and_gps.png'),
        '2003-12-14T12:01:44.935Z',
        'Canon PowerShot S40',
        [50.2996, 14.8203],
      ],
      [exifrFixture('002.tiff'), '2019-05-24T15:06:38.720Z', 'DJI XT2', [39.917, -2.825]],
      // GPS with impossible values (4294967295 degrees) is dropped, the rest kept.
      [pillowImage('exif_gps.jpg'), '2099-09-29T10:10:10.000Z', 'Make XXX-XXX', null],
      [exifrFixture('noexif.jpg'), null, null, null],
    ];
    for (const [file, takenAt, camera, gps] of cases) {
      const { metadata } = await decodeImage(file, SQUASH);
      expect(
        metadata.takenAt === null ? null : new Date(metadata.takenAt).toISOString(),
        file,
      ).toBe(takenAt);
      expect(metadata.camera, file).toBe(camera);
      if (gps === null) expect(metadata.gps, file).toBeNull();
      else {
        expect(metadata.gps?.latitude, file).toBeCloseTo(gps[0], 3);
        expect(metadata.gps?.longitude, file).toBeCloseTo(gps[1], 3);
      }
    }
  });

  it('fails unsupported, oversized and damaged samples with clear codes', async () => {
    const cases: [string, MediaErrorCode][] = [
      [sharpFixture('relax.jp2'), 'UNSUPPORTED_FORMAT'],
      [sharpFixture('check.svg'), 'UNSUPPORTED_FORMAT'],
      [sharpFixture('giant-image.jpg'), 'TOO_MANY_PIXELS'],
      [sharpFixture('65536-uint32-limit.png'), 'TOO_MANY_PIXELS'],
      [sharpFixture('corrupt-header.jpg'), 'CORRUPT'],
      [pillowImage('broken.png'), 'CORRUPT'],
    ];
    for (const [file, code] of cases) {
      expect(await outcome(file, SQUASH), file).toMatchObject({ code, stage: 'decode' });
    }
  });

  it('never throws anything but a MediaError on any sample', async () => {
    const root = formats();
    const files: string[] = [];
    for (const entry of await readdir(root, { recursive: true })) {
      const file = path.join(root, entry);
      if (/\.(md|js|xml|xmp|icc|exif)$|readme$/i.test(file)) continue;
      if ((await stat(file)).isFile()) files.push(file);
    }
    expect(files.length).toBeGreaterThan(200);
    let decoded = 0;
    for (const file of files) {
      const result = await outcome(file, SQUASH);
      if (result instanceof MediaError) {
        expect(
          ['UNSUPPORTED_FORMAT', 'CORRUPT', 'TOO_MANY_PIXELS'],
          `${file}: ${result.message}`,
        ).toContain(result.code);
      } else {
        decoded++;
        expect(result.rgb.length, file).toBe(64 * 64 * 3);
      }
    }
    // All but JPEG 2000, SVG, the giants and the deliberately broken samples.
    expect(decoded / files.length).toBeGreaterThan(0.9);
  });
});
