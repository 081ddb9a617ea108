import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeImage,
  decodeImageBuffer,
  isPermanentMediaError,
} from '../../../src-main/core/media';
import type { DecodeOptions } from '../../../src-main/core/media';
import { ByteBudget } from '../../../src-main/core/media/byte-budget';
import {
  boundMetadataBlocks,
  MAX_METADATA_BYTES,
} from '../../../src-main/core/media/metadata-blocks';
import { IN_MEMORY_BYTES } from '../../../src-main/core/media/read-file';
import { pngBomb, writeTiffWithHugeProfile } from '../../fixtures/hostile-images';
import { mediaFailure } from './media-failure';

const OPTIONS: DecodeOptions = { input: { size: 32, resize: 'squash' }, thumbnailSize: 64 };
/** pngBomb's picture colour. */
const BOMB_COLOUR = [200, 90, 40];

function pngChunkTypes(bytes: Uint8Array): string[] {
  const types: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 12 <= bytes.length; at += 12 + view.getUint32(at)) {
    types.push(String.fromCharCode(...bytes.subarray(at + 4, at + 8)));
  }
  return types;
}

function expectColour(rgb: Uint8Array, expected: number[]): void {
  for (let c = 0; c < 3; c++) expect(Math.abs(rgb[c]! - expected[c]!)).toBeLessThanOrEqual(3);
}

describe('metadata blocks are bounded', () => {
  const over = MAX_METADATA_BYTES * 4;

  it.each(['iCCP', 'zTXt', 'iTXt'] as const)(
    'a PNG whose %s inflates past the limit decodes without that chunk',
    async (chunk) => {
      const bomb = await pngBomb({ chunk, inflatedBytes: over });
      expect(bomb.length).toBeLessThan(over / 500); // a real bomb: tiny on disk
      const bounded = boundMetadataBlocks(bomb, 'png');
      expect(pngChunkTypes(bomb)).toContain(chunk);
      expect(pngChunkTypes(bounded)).toEqual(pngChunkTypes(bomb).filter((type) => type !== chunk));
      const decoded = await decodeImageBuffer(bomb, OPTIONS);
      expect(decoded.metadata).toMatchObject({ format: 'png', width: 64, height: 64 });
      expectColour(decoded.rgb, BOMB_COLOUR);
    },
  );

  it('leaves a PNG with ordinary metadata exactly as it is', async () => {
    const small = await pngBomb({ chunk: 'iCCP', inflatedBytes: 600_000 });
    expect(boundMetadataBlocks(small, 'png')).toBe(small);
    const profiled = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } },
    })
      .withIccProfile('p3')
      .png()
      .toBuffer();
    expect(pngChunkTypes(profiled)).toContain('iCCP');
    expect(boundMetadataBlocks(profiled, 'png')).toBe(profiled);
  });

  it('drops an eXIf chunk larger than the limit', async () => {
    const bomb = await pngBomb({ chunk: 'eXIf', inflatedBytes: MAX_METADATA_BYTES + 1 });
    expect(pngChunkTypes(boundMetadataBlocks(bomb, 'png'))).not.toContain('eXIf');
    expectColour((await decodeImageBuffer(bomb, OPTIONS)).rgb, BOMB_COLOUR);
  });

  it('refuses a TIFF that declares a huge colour profile, in memory or streamed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'photoseek-tiff-profile-'));
    try {
      const inMemory = path.join(dir, 'profile-20mb.tif');
      const streamed = path.join(dir, 'profile-300mb.tif');
      await writeTiffWithHugeProfile(inMemory, 20 * 1024 ** 2);
      await writeTiffWithHugeProfile(streamed, IN_MEMORY_BYTES + 32 * 1024 ** 2);
      for (const file of [inMemory, streamed]) {
        const error = await mediaFailure(decodeImage(file, OPTIONS));
        expect(error).toMatchObject({ stage: 'decode', code: 'METADATA_TOO_LARGE' });
        expect(error.message).toMatch(/declares a \d+ MB colour profile/);
        expect(isPermanentMediaError(error)).toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a WebP with an oversized metadata chunk', () => {
    const header = Buffer.from('RIFF\0\0\0\0WEBPICCP', 'latin1');
    const size = Buffer.alloc(4);
    size.writeUInt32LE(MAX_METADATA_BYTES + 2);
    const webp = Buffer.concat([header, size, Buffer.alloc(64)]);
    expect(() => boundMetadataBlocks(webp, 'webp')).toThrow(/colour profile/);
  });
});

describe('files too large to hold', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'photoseek-streamed-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes a TIFF over the in-memory limit straight from disk', async () => {
    const file = path.join(dir, 'scan.tif');
    // 9,500 × 9,500 × 3 bytes uncompressed: just over IN_MEMORY_BYTES.
    await sharp({
      create: { width: 9500, height: 9500, channels: 3, background: { r: 20, g: 160, b: 90 } },
    })
      .tiff({ compression: 'none' })
      .toFile(file);
    const decoded = await decodeImage(file, OPTIONS);
    expect(decoded.metadata).toMatchObject({ format: 'tiff', width: 9500, height: 9500 });
    expectColour(decoded.rgb, [20, 160, 90]);
  });

  it('refuses other formats over the in-memory limit, naming the format', async () => {
    const file = path.join(dir, 'giant.png');
    await writeFile(file, await pngBomb({ chunk: 'zTXt', inflatedBytes: 1000 }));
    await truncate(file, IN_MEMORY_BYTES + 1); // sparse
    const error = await mediaFailure(decodeImage(file, OPTIONS));
    expect(error).toMatchObject({ stage: 'read', code: 'FILE_TOO_LARGE' });
    expect(error.message).toMatch(/over the 256 MiB Photoseek reads for a PNG file/);
  });
});

describe('ByteBudget', () => {
  it('grants in order, lets an oversized request through alone, and releases once', async () => {
    const budget = new ByteBudget(100);
    const order: string[] = [];
    const first = await budget.acquire(60);
    const big = budget.acquire(500).then((release) => (order.push('big'), release));
    const small = budget.acquire(10).then((release) => (order.push('small'), release));
    await Promise.resolve();
    expect(order).toEqual([]); // the small one waits behind the big one, which waits for room
    first();
    first(); // a second release gives nothing back twice
    const releaseBig = await big;
    await Promise.resolve();
    expect(order).toEqual(['big']);
    releaseBig();
    (await small)();
    expect(order).toEqual(['big', 'small']);
    const whole = await budget.acquire(100);
    whole();
  });
});
