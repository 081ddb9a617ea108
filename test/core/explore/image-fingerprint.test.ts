import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAME_SHOT_MATCH } from '../../../src-main/core/explore/duplicate-threshold';
import {
  fingerprintOf,
  fingerprintViews,
  imageMatch,
} from '../../../src-main/core/explore/image-fingerprint';
import { hasShared, sharedPath } from '../../fixtures/shared-data';

const TEST_SPLIT = ['data', 'photos-cc0', 'test'] as const;

/** The image match of two encoded images, through the fingerprint as stored. */
async function match(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([fingerprintOf(a), fingerprintOf(b)]);
  return imageMatch(fingerprintViews(x), fingerprintViews(y));
}

describe.skipIf(!hasShared(...TEST_SPLIT))('image fingerprint on real photos', () => {
  let dress: Buffer;
  let shoe: Buffer;

  beforeAll(async () => {
    dress = await readFile(
      sharedPath(...TEST_SPLIT, 'dress', '06a00c0f-5f9a-410d-a7da-3881a9df3a71.jpg'),
    );
    shoe = await readFile(
      sharedPath(...TEST_SPLIT, 'shoes', '07d88b75-85a4-407b-aa73-12294a2ff9a8.jpg'),
    );
  });

  it('is 24 × 24 grey bytes', async () => {
    expect((await fingerprintOf(dress)).length).toBe(576);
  });

  it('puts edits of one photo at or above the same-shot match, another photo below', async () => {
    const { width = 1, height = 1 } = await sharp(dress).metadata();
    const edits = await Promise.all([
      sharp(dress).modulate({ brightness: 1.25 }).jpeg().toBuffer(),
      sharp(dress).jpeg({ quality: 30 }).toBuffer(),
      sharp(dress).blur(1.5).jpeg().toBuffer(),
      sharp(dress)
        .resize({ width: Math.round(width / 2) })
        .jpeg()
        .toBuffer(),
      sharp(dress)
        .extract({
          left: Math.round(width * 0.05),
          top: Math.round(height * 0.05),
          width: Math.round(width * 0.9),
          height: Math.round(height * 0.9),
        })
        .jpeg()
        .toBuffer(),
    ]);
    for (const edit of edits)
      expect(await match(dress, edit)).toBeGreaterThanOrEqual(SAME_SHOT_MATCH);
    expect(await match(dress, shoe)).toBeLessThan(SAME_SHOT_MATCH);
    // Symmetric: the crop views are tried in both directions.
    expect(await match(shoe, dress)).toBeCloseTo(await match(dress, shoe), 6);
  });

  it('gives a flat picture no pattern: match 0 with anything', async () => {
    const flat = await sharp({
      create: { width: 64, height: 64, channels: 3, background: '#808080' },
    })
      .jpeg()
      .toBuffer();
    expect(await match(flat, dress)).toBe(0);
  });
});
