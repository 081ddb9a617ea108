import { chmod, mkdtemp, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorData } from '../../../src-main/shared/errors';
import {
  decodeImage,
  decodeImageBytes,
  isPermanentMediaError,
  MediaError,
} from '../../../src-main/core/media';
import type { DecodedImage } from '../../../src-main/core/media';
import {
  decodedFraction,
  lastStoredEdge,
  modelResizeSize,
  workingSize,
} from '../../../src-main/core/media/decode';
import { bandsJpeg, bandsRaw } from './synthetic-files';
import type { Rgb } from './synthetic-files';

const RED: Rgb = [220, 30, 30];
const GREEN: Rgb = [30, 200, 40];
const BLUE: Rgb = [20, 40, 220];
const CROP = { input: { size: 32, resize: 'shortest-edge-crop' as const }, thumbnailSize: 64 };
const SQUASH = { input: { size: 32, resize: 'squash' as const }, thumbnailSize: 64 };

/** Mean colour of the model input's pixels with x in [x0, x1) (all rows). */
function meanColour(
  decoded: DecodedImage,
  size: number,
  x0: number,
  x1: number,
  y0 = 0,
  y1 = size,
): Rgb {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      for (let c = 0; c < 3; c++) sum[c]! += decoded.rgb[(y * size + x) * 3 + c]!;
      n++;
    }
  }
  return sum.map((s) => Math.round(s / n)) as Rgb;
}

function expectNear(actual: Rgb, expected: Rgb, tolerance = 12): void {
  for (let c = 0; c < 3; c++)
    expect(
      Math.abs(actual[c]! - expected[c]!),
      `channel ${c}: ${actual} vs ${expected}`,
    ).toBeLessThanOrEqual(tolerance);
}

describe('workingSize ([Note: Decode once])', () => {
  it('keeps the shorter edge at least the model size and the longer edge at least the thumbnail size', () => {
    expect(workingSize(4000, 3000, 224, 384)).toEqual({ width: 384, height: 288 });
    expect(workingSize(4000, 1000, 224, 384)).toEqual({ width: 896, height: 224 });
    expect(workingSize(4000, 3000, 224, 256)).toEqual({ width: 298, height: 224 });
    expect(workingSize(3000, 4000, 224, 256)).toEqual({ width: 224, height: 298 });
    // When the model input binds, the working image is exactly CLIP's resize target.
    expect(workingSize(400, 533, 224, 0)).toEqual(modelResizeSize(400, 533, 224));
  });

  it('never enlarges and caps extreme panoramas', () => {
    expect(workingSize(100, 80, 224, 384)).toEqual({ width: 100, height: 80 });
    expect(workingSize(20000, 16, 224, 384)).toEqual({ width: 4096, height: 3 });
    expect(workingSize(1, 1, 224, 384)).toEqual({ width: 1, height: 1 });
  });
});

describe('modelResizeSize (CLIP shortest-edge resize)', () => {
  it('floors the longer edge like transformers get_resize_output_image_size', () => {
    expect(modelResizeSize(400, 533, 224)).toEqual({ width: 224, height: 298 });
    expect(modelResizeSize(533, 400, 224)).toEqual({ width: 298, height: 224 });
    expect(modelResizeSize(300, 300, 224)).toEqual({ width: 224, height: 224 });
    expect(modelResizeSize(10, 20, 224)).toEqual({ width: 224, height: 448 });
  });
});

describe('decodedFraction ([Note: Partial images])', () => {
  const image = (width: number, height: number, rowsFilled: number): Uint8Array => {
    const data = new Uint8Array(width * height * 3).fill(128);
    for (let i = 0; i < rowsFilled * width * 3; i++) data[i] = (i * 37) % 251;
    return data;
  };

  it('measures the flat band left by a decoder that stopped early', () => {
    expect(decodedFraction(image(10, 100, 100), 10, 100, 3)).toBe(1);
    expect(decodedFraction(image(10, 100, 40), 10, 100, 3)).toBeCloseTo(0.4, 5);
    expect(decodedFraction(image(10, 100, 0), 10, 100, 3)).toBe(0);
  });

  it('looks at the edge where the stored image ends after orientation', () => {
    expect(lastStoredEdge(1)).toBe('bottom');
    expect(lastStoredEdge(3)).toBe('top');
    expect(lastStoredEdge(6)).toBe('left');
    expect(lastStoredEdge(8)).toBe('right');
    // A 100×10 image whose left 60 columns are flat: stored bottom rotated to the left (orientation 6).
    const width = 100;
    const height = 10;
    const data = new Uint8Array(width * height * 3).fill(128);
    for (let y = 0; y < height; y++)
      for (let x = 60; x < width; x++)
        data.fill((x * 7 + y) % 200, (y * width + x) * 3, (y * width + x) * 3 + 3);
    expect(decodedFraction(data, width, height, 3, 'left')).toBeCloseTo(0.4, 5);
    expect(decodedFraction(data, width, height, 3, 'bottom')).toBe(1);
  });
});

describe('decodeImageBytes on synthetic images', () => {
  it('delivers RGB in R, G, B order (HWC) and centre-crops to the shortest edge', async () => {
    // 96×32: three 32 px bands. The centre crop of a 3:1 image holds only the middle band.
    const jpeg = await bandsJpeg(96, 32, [RED, GREEN, BLUE]);
    const crop = await decodeImageBytes(jpeg, CROP);
    expect(crop.rgb.length).toBe(32 * 32 * 3);
    expectNear(meanColour(crop, 32, 4, 28), GREEN);

    const squash = await decodeImageBytes(jpeg, SQUASH);
    expectNear(meanColour(squash, 32, 0, 8), RED);
    expectNear(meanColour(squash, 32, 12, 20), GREEN);
    expectNear(meanColour(squash, 32, 24, 32), BLUE);
  });

  it('reports size, format and no metadata for a plain image', async () => {
    const decoded = await decodeImageBytes(await bandsJpeg(120, 80, [RED]), CROP);
    expect(decoded.format).toBe('jpeg');
    expect(decoded.metadata).toEqual({
      width: 120,
      height: 80,
      format: 'jpeg',
      takenAt: null,
      camera: null,
      gps: null,
    });
    expect(decoded.partial).toBe(false);
    expect(decoded.decoder).toBe('sharp');
    expect(decoded.orientation).toBeNull();
  });

  it('makes a JPEG thumbnail that fits the box, keeps the aspect ratio and is never enlarged', async () => {
    const big = await decodeImageBytes(await bandsJpeg(600, 200, [RED, BLUE]), CROP);
    expect([...big.thumbnail.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect({ width: big.thumbnailWidth, height: big.thumbnailHeight }).toEqual({
      width: 64,
      height: 21,
    });
    const meta = await sharp(big.thumbnail).metadata();
    expect({ width: meta.width, height: meta.height, format: meta.format }).toEqual({
      width: 64,
      height: 21,
      format: 'jpeg',
    });

    const small = await decodeImageBytes(await bandsJpeg(40, 30, [RED]), CROP);
    expect({ width: small.thumbnailWidth, height: small.thumbnailHeight }).toEqual({
      width: 40,
      height: 30,
    });
    // The model input is still full size (upscaled).
    expect(small.rgb.length).toBe(32 * 32 * 3);
  });

  it('flattens transparency onto white and expands greyscale and 16-bit input to 8-bit RGB', async () => {
    const transparent = await sharp({
      create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const flat = await decodeImageBytes(transparent, SQUASH);
    expect(Math.min(...flat.rgb)).toBe(255);

    const grey = await sharp(bandsRaw(40, 40, [[90, 90, 90]]), {
      raw: { width: 40, height: 40, channels: 3 },
    })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const fromGrey = await decodeImageBytes(grey, SQUASH);
    expectNear(meanColour(fromGrey, 32, 0, 32), [90, 90, 90], 2);

    const sixteen = await sharp(bandsRaw(40, 40, [RED]), {
      raw: { width: 40, height: 40, channels: 3 },
    })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(sixteen).metadata()).depth).toBe('ushort');
    const from16 = await decodeImageBytes(sixteen, SQUASH);
    expectNear(meanColour(from16, 32, 0, 32), RED, 2);
  });

  it('decodes WebP, GIF, AVIF and TIFF through sharp', async () => {
    const raw = sharp(bandsRaw(64, 48, [RED, BLUE]), {
      raw: { width: 64, height: 48, channels: 3 },
    });
    const encoded = {
      webp: await raw.clone().webp({ lossless: true }).toBuffer(),
      gif: await raw.clone().gif().toBuffer(),
      avif: await raw.clone().avif({ lossless: true }).toBuffer(),
      tiff: await raw.clone().tiff().toBuffer(),
      png: await raw.clone().png().toBuffer(),
    };
    for (const [format, bytes] of Object.entries(encoded)) {
      const decoded = await decodeImageBytes(bytes, SQUASH);
      expect(decoded.format, format).toBe(format);
      expect(decoded.metadata.width).toBe(64);
      expectNear(meanColour(decoded, 32, 0, 12), RED, 20);
      expectNear(meanColour(decoded, 32, 20, 32), BLUE, 20);
    }
  });

  it('applies EXIF orientation to the pixels and reports the displayed size', async () => {
    // Stored 80×40: red left, blue right. Orientation 6 = rotate 90° clockwise: red on top.
    const stored = await sharp(bandsRaw(80, 40, [RED, BLUE]), {
      raw: { width: 80, height: 40, channels: 3 },
    })
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95, chromaSubsampling: '4:4:4' })
      .toBuffer();
    const decoded = await decodeImageBytes(stored, SQUASH);
    expect(decoded.orientation).toBe(6);
    expect({ width: decoded.metadata.width, height: decoded.metadata.height }).toEqual({
      width: 40,
      height: 80,
    });
    expect({ width: decoded.thumbnailWidth, height: decoded.thumbnailHeight }).toEqual({
      width: 32,
      height: 64,
    });
    expectNear(meanColour(decoded, 32, 0, 32, 0, 12), RED);
    expectNear(meanColour(decoded, 32, 0, 32, 20, 32), BLUE);
  });

  it('rejects non-images with an explanation, and pixel bombs by their header', async () => {
    await expect(
      decodeImageBytes(Buffer.from('<html><body>404</body></html>'.repeat(3)), CROP),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      stage: 'decode',
      message: expect.stringMatching(/web page/),
    });
    await expect(decodeImageBytes(new Uint8Array(0), CROP)).rejects.toMatchObject({
      code: 'EMPTY_FILE',
    });
    const jpeg = await bandsJpeg(300, 200, [RED]);
    await expect(
      decodeImageBytes(jpeg, { ...CROP, limitInputPixels: 50_000 }),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_PIXELS',
      message: expect.stringMatching(/300 × 200/),
    });
  });

  it('accepts a truncated photo as partial but rejects one with almost nothing left', async () => {
    const jpeg = await sharp(bandsRaw(256, 256, [RED, GREEN, BLUE]), {
      raw: { width: 256, height: 256, channels: 3 },
    })
      .jpeg({ quality: 90, progressive: false })
      .toBuffer();
    const mostly = await decodeImageBytes(jpeg.subarray(0, Math.floor(jpeg.length * 0.8)), CROP);
    expect(mostly.partial).toBe(true);
    const scanStart = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const error = await decodeImageBytes(jpeg.subarray(0, scanStart + 40), CROP).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({
      code: 'CORRUPT',
      stage: 'decode',
      message: expect.stringMatching(/only about \d+ %/),
    });
    expect(isPermanentMediaError(error as MediaError)).toBe(true);
    await expect(
      decodeImageBytes(jpeg.subarray(0, Math.floor(jpeg.length * 0.8)), {
        ...CROP,
        minDecodedFraction: 0.95,
      }),
    ).rejects.toMatchObject({
      code: 'CORRUPT',
    });
  });

  it('stops with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await decodeImageBytes(await bandsJpeg(64, 64, [RED]), {
      ...CROP,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(toErrorData(error).code).toBe('CANCELLED');
  });
});

describe('decodeImage (files)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'photoseek-decode-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes a file by content whatever its name, and through a symlink', async () => {
    const png = await sharp(bandsRaw(40, 30, [GREEN]), {
      raw: { width: 40, height: 30, channels: 3 },
    })
      .png()
      .toBuffer();
    await writeFile(path.join(dir, 'holiday.jpg'), png);
    await symlink(path.join(dir, 'holiday.jpg'), path.join(dir, 'link'));
    for (const name of ['holiday.jpg', 'link']) {
      const decoded = await decodeImage(path.join(dir, name), CROP);
      expect(decoded.format).toBe('png');
      expect(decoded.metadata.width).toBe(40);
    }
  });

  it('turns file-system problems into read-stage MediaErrors with stable codes', async () => {
    await writeFile(path.join(dir, 'empty.jpg'), '');
    await symlink(path.join(dir, 'empty.jpg'), path.join(dir, 'to-empty.jpg'));
    await symlink(path.join(dir, 'nowhere.jpg'), path.join(dir, 'dangling.jpg'));
    await mkdir(path.join(dir, 'folder.jpg'));
    await writeFile(path.join(dir, 'big.jpg'), Buffer.alloc(5000, 1));
    const cases: [string, string, object?][] = [
      ['missing.jpg', 'NOT_FOUND'],
      ['dangling.jpg', 'NOT_FOUND'],
      ['empty.jpg', 'EMPTY_FILE'],
      ['to-empty.jpg', 'EMPTY_FILE'],
      ['folder.jpg', 'NOT_A_FILE'],
      ['big.jpg', 'FILE_TOO_LARGE', { maxFileBytes: 4096 }],
    ];
    for (const [name, code, extra] of cases) {
      const error = await decodeImage(path.join(dir, name), { ...CROP, ...extra }).catch(
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(MediaError);
      expect(error, name).toMatchObject({ code, stage: 'read' });
      expect((error as MediaError).message, name).toContain(name);
    }
  });

  it.skipIf(process.getuid?.() === 0)('reports unreadable files as PERMISSION_DENIED', async () => {
    const file = path.join(dir, 'secret.jpg');
    await writeFile(file, await bandsJpeg(10, 10, [RED]));
    await chmod(file, 0o000);
    await expect(decodeImage(file, CROP)).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      stage: 'read',
    });
  });

  it('rejects a decompression bomb quickly without allocating its pixels', async () => {
    // A valid 100000×100000 PNG header followed by almost nothing.
    const header = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const bomb = Buffer.from(header);
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    const file = path.join(dir, 'bomb.png');
    await writeFile(file, bomb);
    const started = performance.now();
    await expect(decodeImage(file, CROP)).rejects.toMatchObject({
      code: 'TOO_MANY_PIXELS',
      stage: 'decode',
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
