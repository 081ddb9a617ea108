import { chmod, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorData } from '../../../src-main/shared/errors';
import {
  decodeImage,
  decodeImageBuffer,
  isPermanentMediaError,
  MediaError,
} from '../../../src-main/core/media';
import type { DecodeOptions } from '../../../src-main/core/media';
import {
  decodedFraction,
  lastStoredEdge,
  modelResizeSize,
  workingSize,
} from '../../../src-main/core/media/decode';
import { MAX_FILE_BYTES } from '../../../src-main/core/media/read-file';
import { bandsJpeg, bandsRaw } from './synthetic-files';
import type { Rgb } from './synthetic-files';
import { mediaFailure } from './media-failure';

const RED: Rgb = [220, 30, 30];
const GREEN: Rgb = [30, 200, 40];
const BLUE: Rgb = [20, 40, 220];
const CROP: DecodeOptions = {
  input: { size: 32, resize: 'shortest-edge-crop' },
  thumbnailSize: 64,
};
const SQUASH: DecodeOptions = { input: { size: 32, resize: 'squash' }, thumbnailSize: 64 };

/** Mean colour of the 32×32 model input over columns [x0, x1) and rows [y0, y1). */
function meanColour(rgb: Uint8Array, x0: number, x1: number, y0 = 0, y1 = 32): Rgb {
  const sum = [0, 0, 0];
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) sum[c]! += rgb[(y * 32 + x) * 3 + c]!;
  return sum.map((s) => Math.round(s / ((x1 - x0) * (y1 - y0)))) as Rgb;
}

function expectNear(actual: Rgb, expected: Rgb, tolerance = 12): void {
  for (let c = 0; c < 3; c++) {
    expect(Math.abs(actual[c]! - expected[c]!), `${actual} vs ${expected}`).toBeLessThanOrEqual(
      tolerance,
    );
  }
}

function rawImage(width: number, height: number, colours: Rgb[]): Sharp {
  return sharp(bandsRaw(width, height, colours), { raw: { width, height, channels: 3 } });
}

describe('sizes ([Note: Decode once])', () => {
  it('sizes the working image for the larger of the two needs, never enlarging', () => {
    // Model binding: twice CLIP's resize (shorter edge 448), or the original when smaller.
    expect(workingSize(4000, 3000, 224, 256)).toEqual({ width: 597, height: 448 });
    expect(workingSize(400, 533, 224, 256)).toEqual({ width: 400, height: 533 });
    // Thumbnail binding: longer edge 1024 for a 1024 px thumbnail.
    expect(workingSize(4000, 3000, 224, 1024)).toEqual({ width: 1024, height: 768 });
    expect(workingSize(100, 80, 224, 384)).toEqual({ width: 100, height: 80 });
    expect(workingSize(1, 1, 224, 384)).toEqual({ width: 1, height: 1 });
  });

  it('keeps a thin panorama whole but caps the working image of an absurd one by pixel count', () => {
    expect(workingSize(20000, 16, 224, 384)).toEqual({ width: 20000, height: 16 });
    const absurd = workingSize(1_000_000, 120, 224, 384);
    expect(absurd.width * absurd.height).toBeLessThanOrEqual(4_000_000);
    expect(absurd.height).toBeGreaterThanOrEqual(1);
  });

  it('resizes like transformers get_resize_output_image_size (shorter edge, longer floored)', () => {
    expect(modelResizeSize(400, 533, 224)).toEqual({ width: 224, height: 298 });
    expect(modelResizeSize(865, 400, 224)).toEqual({ width: 484, height: 224 });
    expect(modelResizeSize(300, 300, 224)).toEqual({ width: 224, height: 224 });
  });
});

describe('decodedFraction ([Note: Partial images])', () => {
  const image = (width: number, height: number, realRows: number) => {
    const data = Buffer.alloc(width * height * 3, 128);
    for (let i = 0; i < realRows * width * 3; i++) data[i] = (i * 37) % 251;
    return { data, width, height };
  };

  it('measures the flat band a decoder leaves where the data ran out', () => {
    expect(decodedFraction(image(10, 100, 100), 'bottom')).toBe(1);
    expect(decodedFraction(image(10, 100, 40), 'bottom')).toBeCloseTo(0.4, 5);
    expect(decodedFraction(image(10, 100, 0), 'bottom')).toBe(0);
    // The stored top rows are real, so seen from the top nothing is flat.
    expect(decodedFraction(image(10, 100, 40), 'top')).toBe(1);
  });

  it('knows where the stored rows end after each orientation', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(lastStoredEdge)).toEqual([
      'bottom',
      'bottom',
      'top',
      'top',
      'right',
      'left',
      'left',
      'right',
    ]);
  });
});

describe('decodeImageBuffer on synthetic images', () => {
  it('delivers RGB in R, G, B order (HWC) and centre-crops or squashes as asked', async () => {
    // 96×32 in three bands: the centre crop holds only the middle one.
    const jpeg = await bandsJpeg(96, 32, [RED, GREEN, BLUE]);
    const crop = await decodeImageBuffer(jpeg, CROP);
    expect(crop.rgb.length).toBe(32 * 32 * 3);
    expectNear(meanColour(crop.rgb, 4, 28), GREEN);

    const squash = await decodeImageBuffer(jpeg, SQUASH);
    expectNear(meanColour(squash.rgb, 0, 8), RED);
    expectNear(meanColour(squash.rgb, 12, 20), GREEN);
    expectNear(meanColour(squash.rgb, 24, 32), BLUE);
  });

  it('reports the size and format, and null metadata where the file has none', async () => {
    const decoded = await decodeImageBuffer(await bandsJpeg(120, 80, [RED]), CROP);
    expect(decoded.metadata).toEqual({
      width: 120,
      height: 80,
      format: 'jpeg',
      takenAt: null,
      camera: null,
      gps: null,
    });
  });

  it('makes a JPEG thumbnail with the longest edge thumbnailSize, never enlarged', async () => {
    const big = await decodeImageBuffer(await bandsJpeg(600, 200, [RED, BLUE]), CROP);
    const bigMeta = await sharp(big.thumbnail).metadata();
    expect([bigMeta.format, bigMeta.width, bigMeta.height]).toEqual(['jpeg', 64, 21]);
    const tall = await sharp(
      (await decodeImageBuffer(await bandsJpeg(90, 300, [RED]), CROP)).thumbnail,
    ).metadata();
    expect([tall.width, tall.height]).toEqual([19, 64]);

    const small = await decodeImageBuffer(await bandsJpeg(40, 30, [RED]), CROP);
    const smallMeta = await sharp(small.thumbnail).metadata();
    expect([smallMeta.width, smallMeta.height]).toEqual([40, 30]);
    expect(small.rgb.length).toBe(32 * 32 * 3); // the model input is still full size
  });

  it('flattens transparency onto white and turns greyscale and 16-bit input into 8-bit RGB', async () => {
    const transparent = await sharp({
      create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    expect(Math.min(...(await decodeImageBuffer(transparent, SQUASH)).rgb)).toBe(255);

    const grey = await rawImage(40, 40, [[90, 90, 90]])
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    expectNear(meanColour((await decodeImageBuffer(grey, SQUASH)).rgb, 0, 32), [90, 90, 90], 2);

    const sixteen = await rawImage(40, 40, [RED]).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(sixteen).metadata()).depth).toBe('ushort');
    expectNear(meanColour((await decodeImageBuffer(sixteen, SQUASH)).rgb, 0, 32), RED, 2);
  });

  it('decodes PNG, WebP, GIF, AVIF and TIFF', async () => {
    const image = rawImage(64, 48, [RED, BLUE]);
    const encoded = {
      png: await image.clone().png().toBuffer(),
      webp: await image.clone().webp({ lossless: true }).toBuffer(),
      gif: await image.clone().gif().toBuffer(),
      avif: await image.clone().avif({ lossless: true }).toBuffer(),
      tiff: await image.clone().tiff().toBuffer(),
    };
    for (const [format, bytes] of Object.entries(encoded)) {
      const decoded = await decodeImageBuffer(bytes, SQUASH);
      expect(decoded.metadata, format).toMatchObject({ format, width: 64, height: 48 });
      expectNear(meanColour(decoded.rgb, 0, 12), RED, 20);
      expectNear(meanColour(decoded.rgb, 20, 32), BLUE, 20);
    }
  });

  it('applies EXIF orientation to pixels, thumbnail and reported size', async () => {
    // Stored 80×40, red left, blue right; orientation 6 turns it 90° clockwise: red on top.
    const stored = await rawImage(80, 40, [RED, BLUE])
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95, chromaSubsampling: '4:4:4' })
      .toBuffer();
    const decoded = await decodeImageBuffer(stored, SQUASH);
    expect([decoded.metadata.width, decoded.metadata.height]).toEqual([40, 80]);
    const thumbnail = await sharp(decoded.thumbnail).metadata();
    expect([thumbnail.width, thumbnail.height]).toEqual([32, 64]);
    expectNear(meanColour(decoded.rgb, 0, 32, 0, 12), RED);
    expectNear(meanColour(decoded.rgb, 0, 32, 20, 32), BLUE);
  });

  it('rejects non-images, saying what they look like', async () => {
    const html = await mediaFailure(
      decodeImageBuffer(Buffer.from('<html><body>404 Not Found</body></html>'), CROP),
    );
    expect(html).toMatchObject({ code: 'UNSUPPORTED_FORMAT', stage: 'decode' });
    expect(html.message).toMatch(/^Not an image, or a format Photoseek cannot read.*HTML/);
    expect(await mediaFailure(decodeImageBuffer(new Uint8Array(0), CROP))).toMatchObject({
      code: 'EMPTY_FILE',
    });
  });

  it('refuses images over the pixel limit from their header', async () => {
    const jpeg = await bandsJpeg(300, 200, [RED]);
    const error = await mediaFailure(decodeImageBuffer(jpeg, { ...CROP, maxPixels: 50_000 }));
    expect(error).toMatchObject({ code: 'TOO_MANY_PIXELS', stage: 'decode' });
    expect(error.message).toBe('300×200 pixels is over the 0.05-megapixel limit.');
    await expect(decodeImageBuffer(jpeg, { ...CROP, maxPixels: 60_000 })).resolves.toBeDefined();
  });

  it('accepts a cut-off photo but rejects one with almost nothing left', async () => {
    const jpeg = await rawImage(256, 256, [RED, GREEN, BLUE]).jpeg({ quality: 90 }).toBuffer();
    const mostly = await decodeImageBuffer(jpeg.subarray(0, Math.floor(jpeg.length * 0.8)), SQUASH);
    // The top of the picture survived: the left band is still red.
    expectNear(meanColour(mostly.rgb, 0, 8, 0, 8), RED, 20);
    const scanStart = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const error = await mediaFailure(decodeImageBuffer(jpeg.subarray(0, scanStart + 40), CROP));
    expect(error).toMatchObject({ code: 'CORRUPT', stage: 'decode' });
    expect(error.message).toMatch(/only about \d+ % of it could be read/);
  });

  it('stops with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await decodeImageBuffer(await bandsJpeg(64, 64, [RED]), {
      ...CROP,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(toErrorData(error).code).toBe('CANCELLED');
    expect(isPermanentMediaError(error)).toBe(false);
  });
});

describe('isPermanentMediaError', () => {
  it('is true for content problems and false for transient I/O and foreign errors', () => {
    for (const code of [
      'UNSUPPORTED_FORMAT',
      'CORRUPT',
      'TOO_MANY_PIXELS',
      'NO_RAW_PREVIEW',
    ] as const)
      expect(isPermanentMediaError(new MediaError('decode', code, 'x')), code).toBe(true);
    expect(isPermanentMediaError(new MediaError('read', 'READ_FAILED', 'EBUSY'))).toBe(false);
    expect(isPermanentMediaError(new Error('EMFILE'))).toBe(false);
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

  it('decodes a file by its content whatever its name, also through a symlink', async () => {
    const png = await rawImage(40, 30, [GREEN]).png().toBuffer();
    await writeFile(path.join(dir, 'holiday.jpg'), png);
    await symlink(path.join(dir, 'holiday.jpg'), path.join(dir, 'link'));
    for (const name of ['holiday.jpg', 'link']) {
      expect((await decodeImage(path.join(dir, name), CROP)).metadata).toMatchObject({
        format: 'png',
        width: 40,
      });
    }
  });

  it('turns file-system problems into read-stage MediaErrors with stable codes', async () => {
    await writeFile(path.join(dir, 'empty.jpg'), '');
    await symlink(path.join(dir, 'empty.jpg'), path.join(dir, 'to-empty.jpg'));
    await symlink(path.join(dir, 'nowhere.jpg'), path.join(dir, 'dangling.jpg'));
    await mkdir(path.join(dir, 'folder.jpg'));
    // Sparse: over the limit on paper, nothing on disk, and never read.
    await writeFile(path.join(dir, 'huge.jpg'), await bandsJpeg(8, 8, [RED]));
    await truncate(path.join(dir, 'huge.jpg'), MAX_FILE_BYTES + 1);
    const expected = {
      'missing.jpg': 'NOT_FOUND',
      'dangling.jpg': 'NOT_FOUND',
      'empty.jpg': 'EMPTY_FILE',
      'to-empty.jpg': 'EMPTY_FILE',
      'folder.jpg': 'NOT_A_FILE',
      'huge.jpg': 'FILE_TOO_LARGE',
    };
    for (const [name, code] of Object.entries(expected)) {
      const error = await mediaFailure(decodeImage(path.join(dir, name), CROP));
      expect(error, name).toMatchObject({ code, stage: 'read' });
    }
  });

  it.skipIf(process.getuid?.() === 0)('reports unreadable files as PERMISSION_DENIED', async () => {
    const file = path.join(dir, 'secret.jpg');
    await writeFile(file, await bandsJpeg(10, 10, [RED]));
    await chmod(file, 0o000);
    const error = await mediaFailure(decodeImage(file, CROP));
    expect(error).toMatchObject({ code: 'PERMISSION_DENIED', stage: 'read' });
    expect(isPermanentMediaError(error)).toBe(true);
  });
});
