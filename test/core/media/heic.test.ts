import { readFile } from 'node:fs/promises';
import decodeWithHeicDecode from 'heic-decode';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageBuffer, MediaError } from '../../../src-main/core/media';
import type { DecodedImage, DecodeOptions } from '../../../src-main/core/media';
import { decodeHeic } from '../../../src-main/core/media/heic';
import { hasShared, sharedPath } from '../../fixtures/shared-data';

/**
 * HEIC decoding ([Note: HEIC decode threads]) on real iPhone and libheif sample files, against
 * heic-decode (libheif-js's own JavaScript wrapper, the decoder Photoseek used before) as the
 * reference for pixels, orientation and colour.
 */
const CLIP_LIKE: DecodeOptions = {
  input: { size: 224, resize: 'shortest-edge-crop' },
  thumbnailSize: 384,
};
const fixture = (name: string) => sharedPath('data', 'formats', 'exifr', 'test', 'fixtures', name);
const MINUTE = 60_000;

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** The RGB bytes of an RGBA buffer. */
function dropAlpha(rgba: Uint8ClampedArray): Uint8Array {
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) rgb.set(rgba.subarray(i, i + 3), j);
  return rgb;
}

/** A copy of a HEIC file whose first irot box (rotation, anticlockwise) says `quarterTurns`. */
function withRotation(bytes: Buffer, quarterTurns: 1 | 2 | 3): Buffer {
  const copy = Buffer.from(bytes);
  const irot = copy.indexOf('irot');
  expect(irot, 'the file has an irot box').toBeGreaterThan(0);
  copy[irot + 4] = quarterTurns;
  return copy;
}

async function thumbnailPixels(decoded: DecodedImage, rotate = 0) {
  return sharp(decoded.thumbnail).rotate(rotate).raw().toBuffer({ resolveWithObject: true });
}

describe.skipIf(!hasShared('data', 'formats', 'exifr', 'test', 'fixtures', 'heic-iphone7.heic'))(
  'HEIC decoding (real files)',
  () => {
    it(
      'gives the pixels of libheif-js’s own wrapper, byte for byte, for iPhone and libheif files',
      async () => {
        for (const name of ['heic-iphone7.heic', 'heic-single.heic', 'heic-collection.heic']) {
          const bytes = await readFile(fixture(name));
          const [ours, reference] = await Promise.all([
            decodeHeic(bytes),
            decodeWithHeicDecode({ buffer: bytes }),
          ]);
          expect([ours.width, ours.height, ours.channels], name).toEqual([
            reference.width,
            reference.height,
            3,
          ]);
          expect(Buffer.from(ours.data).equals(dropAlpha(reference.data)), name).toBe(true);
        }
      },
      10 * MINUTE,
    );

    it(
      'decodes several HEICs at once, more than there are decode threads, each to its own pixels',
      async () => {
        const names = ['heic-single.heic', 'heic-iphone.heic', 'heic-collection.heic'];
        const files = await Promise.all(names.map((name) => readFile(fixture(name))));
        const alone = [];
        for (const bytes of files) alone.push(await decodeHeic(bytes));
        const together = await Promise.all([...files, ...files].map((bytes) => decodeHeic(bytes)));
        for (const [index, image] of together.entries()) {
          const expected = alone[index % files.length]!;
          expect([image.width, image.height]).toEqual([expected.width, expected.height]);
          expect(Buffer.from(image.data).equals(expected.data), names[index % files.length]).toBe(
            true,
          );
        }
      },
      10 * MINUTE,
    );

    it(
      'applies the HEIF rotation box: model input and thumbnail of a turned file stay upright',
      async () => {
        const bytes = await readFile(fixture('heic-iphone7.heic'));
        const upright = await decodeImageBuffer(bytes, CLIP_LIKE);
        expect(upright.metadata).toMatchObject({ width: 4032, height: 3024 });
        // irot 1 = a quarter turn anticlockwise, as a phone held the other way records it.
        const turned = await decodeImageBuffer(withRotation(bytes, 1), CLIP_LIKE);
        expect(turned.metadata).toMatchObject({ format: 'heic', width: 3024, height: 4032 });
        const { data: turnedInput } = await sharp(turned.rgb, {
          raw: { width: 224, height: 224, channels: 3 },
        })
          .rotate(90)
          .raw()
          .toBuffer({ resolveWithObject: true });
        // Turned back, the centre crop is the upright one's (resampled in the other direction).
        expect(meanAbsDiff(turnedInput, upright.rgb)).toBeLessThan(2);
        const back = await thumbnailPixels(turned, 90);
        const reference = await thumbnailPixels(upright);
        expect([back.info.width, back.info.height]).toEqual([384, 288]);
        expect(meanAbsDiff(back.data, reference.data)).toBeLessThan(3);
      },
      10 * MINUTE,
    );

    it(
      'reads what it can of a cut-short HEIC, and fails one with too little left as damaged',
      async () => {
        const bytes = await readFile(fixture('heic-iphone7.heic'));
        // The last 3 of 48 tiles missing: a partial photo, still searchable.
        const partial = await decodeImageBuffer(bytes.subarray(0, 1_700_000), CLIP_LIKE);
        expect(partial.metadata).toMatchObject({ format: 'heic', width: 4032, height: 3024 });
        for (const [cut, reason] of [
          // 11 of 48 tiles read (the sky's tiles come first, and small).
          [100_000, /^The image is damaged: only about 23 % of it could be read\.$/],
          [3_000, /^The image is damaged and cannot be decoded \(.+\)\.$/],
        ] as const) {
          const error = await decodeImageBuffer(bytes.subarray(0, cut), CLIP_LIKE).catch(
            (caught: unknown) => caught,
          );
          expect(error, `${cut} bytes`).toBeInstanceOf(MediaError);
          expect(error, `${cut} bytes`).toMatchObject({ stage: 'decode', code: 'CORRUPT' });
          expect((error as MediaError).message, `${cut} bytes`).toMatch(reason);
        }
        // The threads are still there for the next file.
        const next = await decodeImageBuffer(
          await readFile(fixture('heic-single.heic')),
          CLIP_LIKE,
        );
        expect(next.metadata).toMatchObject({ format: 'heic', width: 1440, height: 960 });
      },
      10 * MINUTE,
    );
  },
);
