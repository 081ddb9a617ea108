import { describe, expect, it } from 'vitest';
import { decodeImageBytes } from '../../../src-main/core/media';
import { extractRawPreview } from '../../../src-main/core/media/raw-preview';
import { readTiff, TAG, tagNumber } from '../../../src-main/core/media/tiff';
import { bandsJpeg, buildTiff, ftyp } from './synthetic-files';
import type { Rgb } from './synthetic-files';

const RED: Rgb = [220, 30, 30];
const BLUE: Rgb = [20, 40, 220];
const SQUASH = { input: { size: 32, resize: 'squash' as const }, thumbnailSize: 64 };

/** A DNG-shaped file: IFD0 with a 160×120 thumbnail, a SubIFD with a larger preview, raw data in another SubIFD. */
async function fakeDng(orientation: number): Promise<{ file: Buffer; preview: Buffer }> {
  const thumb = await bandsJpeg(160, 120, [BLUE]);
  const preview = await bandsJpeg(640, 480, [RED, BLUE]);
  const rawData = Buffer.alloc(4096, 7);
  const file = buildTiff(
    [
      [
        { tag: TAG.NewSubfileType, type: 4, value: [1] },
        { tag: TAG.Make, type: 2, value: 'Photoseek Camera Works' },
        { tag: TAG.Orientation, type: 3, value: [orientation] },
        { tag: TAG.JpegInterchangeFormat, type: 4, blobOffset: 0 },
        { tag: TAG.JpegInterchangeFormatLength, type: 4, blobLength: 0 },
        { tag: TAG.SubIFDs, type: 4, value: [0, 0] }, // patched below
        { tag: TAG.DngVersion, type: 7, value: Buffer.from([1, 4, 0, 0]) },
      ],
      [
        { tag: TAG.NewSubfileType, type: 4, value: [1] },
        { tag: TAG.Compression, type: 3, value: [7] },
        { tag: TAG.StripOffsets, type: 4, blobOffset: 1 },
        { tag: TAG.StripByteCounts, type: 4, blobLength: 1 },
      ],
      [
        { tag: TAG.NewSubfileType, type: 4, value: [0] },
        { tag: TAG.Compression, type: 3, value: [1] },
        { tag: TAG.StripOffsets, type: 4, blobOffset: 2 },
        { tag: TAG.StripByteCounts, type: 4, blobLength: 2 },
      ],
    ],
    [thumb, preview, rawData],
  );
  // Point SubIFDs (two LONGs, stored out of line) at IFD1 and IFD2.
  const tiff = readTiff(file)!;
  const entry = tiff.ifds[0]!.entries.get(TAG.SubIFDs)!;
  const ifd1 = 8 + 2 + 7 * 12 + 4;
  const ifd2 = ifd1 + 2 + 4 * 12 + 4;
  file.writeUInt32LE(ifd1, entry.valueOffset);
  file.writeUInt32LE(ifd2, entry.valueOffset + 4);
  return { file, preview };
}

describe('TIFF reader', () => {
  it('walks IFD0 and its SubIFDs and reads numbers', async () => {
    const { file } = await fakeDng(6);
    const tiff = readTiff(file)!;
    expect(tiff.ifds).toHaveLength(3);
    expect(tagNumber(tiff, tiff.ifds[0]!, TAG.Orientation)).toBe(6);
    expect(tagNumber(tiff, tiff.ifds[1]!, TAG.Compression)).toBe(7);
  });

  it('survives truncation at every length without throwing', async () => {
    const { file } = await fakeDng(1);
    for (let length = 0; length < 600; length += 7)
      expect(() => readTiff(file.subarray(0, length))).not.toThrow();
  });
});

describe('camera raw via embedded preview ([Note: Camera raw via preview])', () => {
  it('picks the largest embedded JPEG of a DNG and applies the raw orientation', async () => {
    const { file } = await fakeDng(6);
    const preview = await extractRawPreview(file);
    expect(preview).toMatchObject({ width: 640, height: 480, orientation: 6 });

    const decoded = await decodeImageBytes(file, SQUASH);
    expect(decoded.format).toBe('raw');
    expect(decoded.decoder).toBe('raw-preview');
    expect(decoded.orientation).toBe(6);
    // Rotated 90° clockwise: displayed 480×640, the red left half is now on top.
    expect({ width: decoded.metadata.width, height: decoded.metadata.height }).toEqual({
      width: 480,
      height: 640,
    });
    const top = decoded.rgb.subarray(0, 32 * 8 * 3);
    const bottom = decoded.rgb.subarray(32 * 24 * 3);
    const mean = (bytes: Uint8Array, c: number) =>
      bytes.reduce((s, v, i) => (i % 3 === c ? s + v : s), 0) / (bytes.length / 3);
    expect(mean(top, 0)).toBeGreaterThan(180);
    expect(mean(bottom, 2)).toBeGreaterThan(180);
  });

  it('reads the camera make from the raw itself', async () => {
    const { file } = await fakeDng(1);
    expect((await decodeImageBytes(file, SQUASH)).metadata.camera).toBe('Photoseek Camera Works');
  });

  it('finds a Panasonic RW2 JpgFromRaw preview', async () => {
    const preview = await bandsJpeg(300, 200, [RED]);
    const rw2 = buildTiff(
      [
        [
          { tag: TAG.Make, type: 2, value: 'Panasonic' },
          { tag: TAG.PanasonicJpgFromRaw, type: 7, value: preview },
        ],
      ],
      [],
      {
        magic: [0x49, 0x49, 0x55, 0x00],
      },
    );
    const decoded = await decodeImageBytes(rw2, SQUASH);
    expect(decoded).toMatchObject({
      format: 'raw',
      decoder: 'raw-preview',
      metadata: { width: 300, height: 200 },
    });
  });

  it('finds the JPEG of a Fujifilm RAF through its header', async () => {
    const jpeg = await bandsJpeg(320, 240, [BLUE]);
    const header = Buffer.alloc(256);
    header.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
    header.writeUInt32BE(256, 84);
    header.writeUInt32BE(jpeg.length, 88);
    const decoded = await decodeImageBytes(
      Buffer.concat([header, jpeg, Buffer.alloc(1000, 3)]),
      SQUASH,
    );
    expect(decoded).toMatchObject({ format: 'raw', metadata: { width: 320, height: 240 } });
  });

  it('scans formats it cannot parse (Canon CR3) for the largest JPEG', async () => {
    const small = await bandsJpeg(160, 120, [RED]);
    const large = await bandsJpeg(400, 300, [BLUE]);
    const cr3 = Buffer.concat([
      ftyp('crx', ['crx', 'isom']),
      Buffer.alloc(500, 1),
      small,
      Buffer.alloc(300, 2),
      large,
      Buffer.alloc(2000, 5),
    ]);
    const decoded = await decodeImageBytes(cr3, SQUASH);
    expect(decoded).toMatchObject({ format: 'raw', metadata: { width: 400, height: 300 } });
  });

  it('fails as UNSUPPORTED_FORMAT when a raw carries no readable preview', async () => {
    const bare = buildTiff(
      [
        [
          { tag: TAG.DngVersion, type: 7, value: Buffer.from([1, 4, 0, 0]) },
          { tag: TAG.Make, type: 2, value: 'X' },
        ],
      ],
      [],
    );
    await expect(decodeImageBytes(bare, SQUASH)).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      stage: 'decode',
    });
  });

  it('ignores JPEG markers that are not decodable images', async () => {
    const junk = Buffer.concat([
      ftyp('crx', ['crx']),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.alloc(100, 9),
    ]);
    expect(await extractRawPreview(junk)).toBeNull();
  });
});
