import { describe, expect, it } from 'vitest';
import { decodeImageBuffer, MediaError } from '../../../src-main/core/media';
import type { DecodeOptions } from '../../../src-main/core/media';
import { findRawPreview } from '../../../src-main/core/media/raw-preview';
import { bandsJpeg, buildTiff, ftyp } from './synthetic-files';
import type { Rgb } from './synthetic-files';

const RED: Rgb = [220, 30, 30];
const BLUE: Rgb = [20, 40, 220];
const SQUASH: DecodeOptions = { input: { size: 32, resize: 'squash' }, thumbnailSize: 64 };

const TAG = {
  subfileType: 0xfe,
  compression: 0x103,
  make: 0x10f,
  model: 0x110,
  stripOffsets: 0x111,
  orientation: 0x112,
  stripByteCounts: 0x117,
  subIfds: 0x14a,
  jpegOffset: 0x201,
  jpegLength: 0x202,
  dngVersion: 0xc612,
};

/**
 * The head of a lossless-JPEG stream (SOF3, 14-bit) as raw sensor data is stored in CR2 and DNG:
 * larger than any preview, and not a picture.
 */
function losslessJpegHead(): Buffer {
  const dqt = Buffer.concat([Buffer.from([0xff, 0xdb, 0x00, 0x43, 0x00]), Buffer.alloc(64, 1)]);
  const sof3 = Buffer.from([0xff, 0xc3, 0, 11, 14, 0x0b, 0xb8, 0x0f, 0xa0, 1, 1, 0x11, 0]);
  const sos = Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0, 1, 0, 0]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), dqt, sof3, sos, Buffer.alloc(4096, 0x55)]);
}

/**
 * A DNG laid out like Adobe's converter writes one: IFD0 is a small thumbnail with the camera's
 * make, model and orientation; a SubIFD holds the JPEG preview; the sensor data follows.
 */
async function fakeDng(orientation: number): Promise<Buffer> {
  const thumbnail = await bandsJpeg(160, 120, [BLUE]);
  const preview = await bandsJpeg(640, 480, [RED, BLUE]);
  return buildTiff(
    [
      [
        { tag: TAG.subfileType, type: 4, value: [1] },
        { tag: TAG.make, type: 2, value: 'Photoseek' },
        { tag: TAG.model, type: 2, value: 'Photoseek Model 1' },
        { tag: TAG.orientation, type: 3, value: [orientation] },
        { tag: TAG.jpegOffset, type: 4, blobOffset: 0 },
        { tag: TAG.jpegLength, type: 4, blobLength: 0 },
        { tag: TAG.subIfds, type: 4, ifdOffset: 1 },
        { tag: TAG.dngVersion, type: 7, value: Buffer.from([1, 4, 0, 0]) },
      ],
      [
        { tag: TAG.subfileType, type: 4, value: [1] },
        { tag: TAG.compression, type: 3, value: [7] },
        { tag: TAG.stripOffsets, type: 4, blobOffset: 1 },
        { tag: TAG.stripByteCounts, type: 4, blobLength: 1 },
      ],
    ],
    [thumbnail, preview, losslessJpegHead()],
  );
}

function mean(rgb: Uint8Array, channel: number, from: number, to: number): number {
  let sum = 0;
  for (let i = from * 3 + channel; i < to * 3; i += 3) sum += rgb[i]!;
  return sum / (to - from);
}

describe('findRawPreview ([Note: Camera raw via preview])', () => {
  it('picks the largest picture JPEG, skipping lossless sensor data', async () => {
    const preview = findRawPreview(await fakeDng(1));
    expect(preview).toMatchObject({ width: 640, height: 480 });
    expect([...preview!.jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('finds nothing in a file whose only JPEG markers are not pictures', () => {
    const junk = Buffer.concat([
      ftyp('crx', ['crx']),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02, 0x13, 0x37]),
      losslessJpegHead(),
      Buffer.from([0xff, 0xd8, 0xff]),
    ]);
    expect(findRawPreview(junk)).toBeNull();
  });
});

describe('decoding camera raws', () => {
  it('decodes a DNG through its preview, turned as the raw says, with its camera', async () => {
    const decoded = await decodeImageBuffer(await fakeDng(6), SQUASH);
    // 640×480 turned 90° clockwise: 480×640, and the red left half is now on top.
    expect(decoded.metadata).toMatchObject({
      format: 'raw',
      width: 480,
      height: 640,
      camera: 'Photoseek Model 1',
    });
    expect(mean(decoded.rgb, 0, 0, 32 * 8)).toBeGreaterThan(180);
    expect(mean(decoded.rgb, 2, 32 * 24, 32 * 32)).toBeGreaterThan(180);
  });

  it('finds the previews of RW2, RAF and CR3 files', async () => {
    const rw2Preview = await bandsJpeg(300, 200, [RED]);
    const rw2 = buildTiff([[{ tag: 0x2e, type: 7, value: rw2Preview }]], [], {
      magic: [0x49, 0x49, 0x55, 0x00],
    });
    const rafHeader = Buffer.alloc(256);
    rafHeader.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
    const raf = Buffer.concat([rafHeader, await bandsJpeg(320, 240, [BLUE]), Buffer.alloc(999, 3)]);
    const cr3 = Buffer.concat([
      ftyp('crx', ['crx', 'isom']),
      await bandsJpeg(160, 120, [RED]),
      Buffer.alloc(300, 2),
      await bandsJpeg(400, 300, [BLUE]),
      losslessJpegHead(),
    ]);
    const expected = { rw2: [300, 200], raf: [320, 240], cr3: [400, 300] };
    for (const [name, bytes] of Object.entries({ rw2, raf, cr3 })) {
      const { metadata } = await decodeImageBuffer(bytes, SQUASH);
      expect([metadata.format, metadata.width, metadata.height], name).toEqual([
        'raw',
        ...expected[name as keyof typeof expected],
      ]);
    }
  });

  it('fails with NO_RAW_PREVIEW when a raw carries no embedded JPEG', async () => {
    const bare = buildTiff(
      [[{ tag: TAG.dngVersion, type: 7, value: Buffer.from([1, 4, 0, 0]) }]],
      [losslessJpegHead()],
    );
    const error = await decodeImageBuffer(bare, SQUASH).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({ code: 'NO_RAW_PREVIEW', stage: 'decode' });
  });
});
