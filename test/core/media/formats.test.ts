import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import encodeJxl, { init as initJxlEncoder } from '@jsquash/jxl/encode.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImageBuffer, sniffImageFormat } from '../../../src-main/core/media';
import type { DecodeOptions } from '../../../src-main/core/media';
import { jxlSize } from '../../../src-main/core/media/jxl';
import { heifContentProblem } from '../../../src-main/core/media/iso-media';
import { bandsJpeg, bandsRaw, buildTiff, ftyp } from './synthetic-files';
import type { Rgb } from './synthetic-files';
import { mediaFailure } from './media-failure';

const RED: Rgb = [220, 30, 30];
const GREEN: Rgb = [30, 200, 40];
const BLUE: Rgb = [20, 40, 220];
const SQUASH: DecodeOptions = { input: { size: 32, resize: 'squash' }, thumbnailSize: 64 };

/** Mean colour of columns [x0, x1) of the 32×32 model input. */
function meanColour(rgb: Uint8Array, x0: number, x1: number): Rgb {
  const sum = [0, 0, 0];
  for (let y = 0; y < 32; y++)
    for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) sum[c]! += rgb[(y * 32 + x) * 3 + c]!;
  return sum.map((s) => Math.round(s / ((x1 - x0) * 32))) as Rgb;
}

function expectNear(actual: Rgb, expected: Rgb, tolerance = 12): void {
  for (let c = 0; c < 3; c++) {
    expect(Math.abs(actual[c]! - expected[c]!), `${actual} vs ${expected}`).toBeLessThanOrEqual(
      tolerance,
    );
  }
}

/** A BMP written the way Windows writes one: BITMAPINFOHEADER, rows padded to 4 bytes. */
function bmp(
  width: number,
  height: number,
  colours: Rgb[],
  { bits = 24, topDown = false }: { bits?: 8 | 24 | 32; topDown?: boolean } = {},
): Buffer {
  const pixels = bandsRaw(width, height, colours);
  const palette = bits === 8 ? colours : [];
  const rowBytes = Math.ceil((width * bits) / 32) * 4;
  const dataOffset = 14 + 40 + palette.length * 4;
  const out = Buffer.alloc(dataOffset + rowBytes * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(dataOffset, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(topDown ? -height : height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(bits, 28);
  out.writeUInt32LE(palette.length, 46);
  palette.forEach(([r, g, b], i) => out.set([b, g, r, 0], 54 + i * 4));
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixels.subarray((y * width + x) * 3, (y * width + x) * 3 + 3);
      if (bits === 8) out[row + x] = colours.findIndex((c) => c[0] === r && c[1] === g);
      else out.set(bits === 24 ? [b!, g!, r!] : [b!, g!, r!, 0], row + x * (bits / 8));
    }
  }
  return out;
}

describe('BMP', () => {
  it.each([
    ['24-bit bottom-up', { bits: 24 as const }],
    ['8-bit palette', { bits: 8 as const }],
    ['32-bit top-down', { bits: 32 as const, topDown: true }],
  ])('decodes %s BMPs with their colours, opaque', async (_name, options) => {
    const file = bmp(90, 60, [RED, GREEN, BLUE], options);
    expect(sniffImageFormat(file)).toBe('bmp');
    const decoded = await decodeImageBuffer(file, SQUASH);
    expect(decoded.metadata).toMatchObject({ format: 'bmp', width: 90, height: 60 });
    expectNear(meanColour(decoded.rgb, 2, 8), RED);
    expectNear(meanColour(decoded.rgb, 13, 19), GREEN);
    expectNear(meanColour(decoded.rgb, 24, 30), BLUE);
  });

  it('refuses a BMP announcing too many pixels before allocating them, and a cut-short one', async () => {
    const giant = bmp(4, 4, [RED]);
    giant.writeInt32LE(20_000, 18);
    giant.writeInt32LE(20_000, 22);
    expect(await mediaFailure(decodeImageBuffer(giant, SQUASH))).toMatchObject({
      code: 'TOO_MANY_PIXELS',
    });
    const cut = bmp(200, 200, [GREEN]).subarray(0, 3000);
    const error = await mediaFailure(decodeImageBuffer(cut, SQUASH));
    expect(error).toMatchObject({ stage: 'decode', code: 'CORRUPT' });
    expect(error.message).toMatch(/^The BMP image is damaged/);
  });
});

describe('JPEG XL', () => {
  let codestream: Uint8Array;
  beforeAll(async () => {
    const require = createRequire(import.meta.url);
    const wasmBinary = await readFile(require.resolve('@jsquash/jxl/codec/enc/jxl_enc.wasm'));
    await initJxlEncoder({ wasmBinary } as Parameters<typeof initJxlEncoder>[0]);
    const rgba = new Uint8ClampedArray(120 * 90 * 4);
    const rgb = bandsRaw(120, 90, [RED, GREEN, BLUE]);
    for (let i = 0; i < 120 * 90; i++) rgba.set([...rgb.subarray(i * 3, i * 3 + 3), 255], i * 4);
    const encoded = await encodeJxl(
      { data: rgba, width: 120, height: 90 } as Parameters<typeof encodeJxl>[0],
      {
        quality: 95,
      },
    );
    codestream = new Uint8Array(encoded);
  }, 60_000);

  it('decodes a JPEG XL codestream through WebAssembly, with its colours', async () => {
    expect(sniffImageFormat(codestream)).toBe('jxl');
    expect(jxlSize(codestream)).toEqual({ width: 120, height: 90 });
    const decoded = await decodeImageBuffer(codestream, SQUASH);
    expect(decoded.metadata).toMatchObject({ format: 'jxl', width: 120, height: 90 });
    expectNear(meanColour(decoded.rgb, 2, 8), RED, 16);
    expectNear(meanColour(decoded.rgb, 24, 30), BLUE, 16);
  });

  it('reads the size from a container file, and refuses one announcing too many pixels', async () => {
    const box = (type: string, data: Uint8Array) => {
      const header = Buffer.alloc(8);
      header.writeUInt32BE(8 + data.length);
      header.write(type, 4, 'latin1');
      return Buffer.concat([header, data]);
    };
    const container = Buffer.concat([
      box('JXL ', Buffer.from([0x0d, 0x0a, 0x87, 0x0a])),
      box('ftyp', Buffer.from('jxl \0\0\0\0jxl ', 'latin1')),
      box('jxlc', codestream),
    ]);
    expect(sniffImageFormat(container)).toBe('jxl');
    expect(jxlSize(container)).toEqual({ width: 120, height: 90 });
    expect((await decodeImageBuffer(container, SQUASH)).metadata.format).toBe('jxl');
    // SizeHeader: not small, height selector 3 (30 bits) = 19,999 → 20,000; ratio 1 (1:1).
    const bits = [0, 1, 1, ...bitsOf(19_999, 30), 1, 0, 0];
    const giant = Buffer.alloc(16);
    giant.set([0xff, 0x0a]);
    bits.forEach((bit, i) => (giant[2 + (i >> 3)]! |= bit << (i & 7)));
    expect(jxlSize(giant)).toEqual({ width: 20_000, height: 20_000 });
    expect(await mediaFailure(decodeImageBuffer(giant, SQUASH))).toMatchObject({
      code: 'TOO_MANY_PIXELS',
    });
  });
});

function bitsOf(value: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor(value / 2 ** i) % 2);
}

describe('files other decoders would misname', () => {
  it('reads a Canon CRW through its embedded JPEG', async () => {
    const preview = await bandsJpeg(300, 200, [RED, BLUE]);
    const header = Buffer.alloc(26);
    header.write('II', 0, 'latin1');
    header.writeUInt32LE(26, 2);
    header.write('HEAPCCDR', 6, 'latin1');
    const crw = Buffer.concat([header, Buffer.alloc(512, 0x11), preview, Buffer.alloc(1024)]);
    expect(sniffImageFormat(crw)).toBe('raw');
    const decoded = await decodeImageBuffer(crw, SQUASH);
    expect(decoded.metadata).toMatchObject({ format: 'raw', width: 300, height: 200 });
    expectNear(meanColour(decoded.rgb, 2, 12), RED);
  });

  it('decodes an RGB TIFF that kept a camera make and SubIFDs as a TIFF, not a raw', async () => {
    const pixels = bandsRaw(64, 48, [GREEN, BLUE]);
    const tiff = buildTiff(
      [
        [
          { tag: 0x100, type: 3, value: [64] },
          { tag: 0x101, type: 3, value: [48] },
          { tag: 0x102, type: 3, value: [8, 8, 8] },
          { tag: 0x103, type: 3, value: [1] },
          { tag: 0x106, type: 3, value: [2] },
          { tag: 0x10f, type: 2, value: 'Canon' },
          { tag: 0x111, type: 4, blobOffset: 0 },
          { tag: 0x115, type: 3, value: [3] },
          { tag: 0x116, type: 3, value: [48] },
          { tag: 0x117, type: 4, blobLength: 0 },
          { tag: 0x14a, type: 4, ifdOffset: 1 },
        ],
        [{ tag: 0xfe, type: 4, value: [1] }],
      ],
      [pixels],
    );
    expect(sniffImageFormat(tiff)).toBe('raw'); // by its tags it could be one …
    const decoded = await decodeImageBuffer(tiff, SQUASH); // … but its IFD0 is the picture
    expect(decoded.metadata).toMatchObject({ format: 'tiff', width: 64, height: 48 });
    expectNear(meanColour(decoded.rgb, 2, 12), GREEN);
    expectNear(meanColour(decoded.rgb, 20, 30), BLUE);
  });

  it('names JPEG 2000, PSD and other image formats it cannot read', async () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [Buffer.from('\0\0\0\x0cjP  \r\n\x87\n\0\0\0\x14ftypjp2 ', 'latin1'), /JPEG 2000/],
      [Buffer.from('\xff\x4f\xff\x51\0\x2f', 'latin1'), /JPEG 2000/],
      [Buffer.from('8BPS\0\x01\0\0\0\0\0\0\0\x03', 'latin1'), /Photoshop \(PSD\)/],
      [Buffer.from('qoif\0\0\0\x10\0\0\0\x10\x03\0', 'latin1'), /QOI/],
    ];
    for (const [bytes, name] of cases) {
      const error = await mediaFailure(
        decodeImageBuffer(Buffer.concat([bytes, Buffer.alloc(64)]), SQUASH),
      );
      expect(error).toMatchObject({ stage: 'decode', code: 'UNSUPPORTED_FORMAT' });
      expect(error.message).toMatch(name);
      expect(error.message).toMatch(/a format Photoseek cannot read yet\.$/);
    }
  });

  it('says an AVIF animation or a JPEG 2000 HEIF is what it is, not a decoder variant', async () => {
    const moov = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from('moovmvhd\0\0\0\0')]);
    const animation = Buffer.concat([ftyp('avis', ['avis', 'msf1', 'iso8'], 0), moov]);
    const animationError = await mediaFailure(decodeImageBuffer(animation, SQUASH));
    expect(animationError).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect(animationError.message).toBe(
      'This AVIF file is an animation (an image sequence) with no still picture; Photoseek reads still images only.',
    );
    const infe = Buffer.concat([
      Buffer.from([0, 0, 0, 21]),
      Buffer.from('infe', 'latin1'),
      Buffer.from([2, 0, 0, 0, 0, 1, 0, 0]),
      Buffer.from('j2k1\0', 'latin1'),
    ]);
    const j2k = Buffer.concat([ftyp('j2ki', ['mif1', 'j2ki'], 0), infe]);
    expect(heifContentProblem(j2k)).toBe(
      'This HEIF image is compressed with JPEG 2000, which Photoseek cannot decode.',
    );
    const j2kError = await mediaFailure(decodeImageBuffer(j2k, SQUASH));
    expect(j2kError).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect(j2kError.message).toMatch(/compressed with JPEG 2000/);
  });
});
