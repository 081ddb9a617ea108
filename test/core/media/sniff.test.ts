import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError, readImageFormat } from '../../../src-main/core/media';
import { describeContent, sniffFormat } from '../../../src-main/core/media/sniff';
import { hasShared, sharedPath } from '../../fixtures/shared-data';
import { buildTiff, ftyp } from './synthetic-files';

const pad = (head: number[] | Buffer, length = 64): Buffer => {
  const out = Buffer.alloc(Math.max(length, head.length));
  out.set(head);
  return out;
};

describe('sniffFormat (magic bytes)', () => {
  it('recognises the common signatures regardless of any extension', () => {
    expect(sniffFormat(pad([0xff, 0xd8, 0xff, 0xe0]), '.png')).toBe('jpeg');
    expect(sniffFormat(pad([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), '.jpg')).toBe('png');
    expect(sniffFormat(pad(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')))).toBe('webp');
    expect(sniffFormat(pad(Buffer.from('GIF89a', 'latin1')))).toBe('gif');
    expect(sniffFormat(pad(Buffer.from('GIF87a', 'latin1')))).toBe('gif');
    expect(sniffFormat(buildTiff([[{ tag: 0x100, type: 3, value: [1] }]], []))).toBe('tiff');
    expect(sniffFormat(pad([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
  });

  it('tells HEIC from AVIF by the ftyp brands, including generic mif1 files', () => {
    expect(sniffFormat(ftyp('heic', ['mif1', 'heic']))).toBe('heic');
    expect(sniffFormat(ftyp('heix', ['mif1']))).toBe('heic');
    expect(sniffFormat(ftyp('avif', ['mif1', 'miaf']))).toBe('avif');
    expect(sniffFormat(ftyp('mif1', ['avif', 'miaf']))).toBe('avif');
    expect(sniffFormat(ftyp('mif1', ['heic', 'miaf']))).toBe('heic');
    expect(sniffFormat(ftyp('msf1', ['hevc']))).toBe('heic');
  });

  it('rejects videos and other ISO media files', () => {
    expect(sniffFormat(ftyp('isom', ['iso2', 'mp41']))).toBeNull();
    expect(sniffFormat(ftyp('qt', ['qt']))).toBeNull();
  });

  it('recognises camera raws by their own markers', () => {
    expect(sniffFormat(ftyp('crx', ['crx', 'isom']))).toBe('raw'); // Canon CR3
    expect(sniffFormat(pad(Buffer.from('FUJIFILMCCD-RAW 0201FF383501', 'latin1')))).toBe('raw');
    expect(sniffFormat(pad([0x49, 0x49, 0x52, 0x4f, 8, 0, 0, 0]))).toBe('raw'); // Olympus ORF
    expect(sniffFormat(pad([0x49, 0x49, 0x55, 0x00, 8, 0, 0, 0]))).toBe('raw'); // Panasonic RW2
    const cr2 = buildTiff([[{ tag: 0x10f, type: 2, value: 'Canon' }]], [], {
      headerExtra: Buffer.from('CR\x02\x00\x00\x00\x00\x00', 'latin1'),
    });
    expect(sniffFormat(cr2)).toBe('raw');
    const dng = buildTiff([[{ tag: 0xc612, type: 7, value: Buffer.from([1, 4, 0, 0]) }]], []);
    expect(sniffFormat(dng, '.tif')).toBe('raw');
  });

  it('uses a raw extension only to tell a camera TIFF (with a Make) from a plain TIFF', () => {
    const nef = buildTiff(
      [
        [
          { tag: 0x10f, type: 2, value: 'NIKON CORPORATION' },
          { tag: 0xfe, type: 4, value: [1] },
        ],
      ],
      [],
    );
    expect(sniffFormat(nef, '.NEF')).toBe('raw');
    expect(sniffFormat(nef, 'arw')).toBe('raw');
    expect(sniffFormat(nef, '.tif')).toBe('tiff');
    expect(sniffFormat(nef)).toBe('tiff');
    const scan = buildTiff([[{ tag: 0x100, type: 3, value: [10] }]], []);
    expect(sniffFormat(scan, '.nef')).toBe('tiff');
  });

  it('returns null for too-short, empty, text and random content', () => {
    expect(sniffFormat(new Uint8Array(0))).toBeNull();
    expect(sniffFormat(Buffer.from([0xff, 0xd8, 0xff]))).toBeNull();
    expect(sniffFormat(Buffer.from('hello world, this is not an image', 'utf8'))).toBeNull();
    expect(
      sniffFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>', 'utf8')),
    ).toBeNull();
  });

  it('never throws on malformed TIFF structures', () => {
    const broken = pad([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f], 32);
    expect(sniffFormat(broken, '.nef')).toBe('tiff');
    const loop = Buffer.alloc(32);
    loop.set([
      0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0, 1, 0, 0x4a, 0x01, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0, 8, 0, 0,
      0,
    ]);
    expect(() => sniffFormat(loop, '.dng')).not.toThrow();
  });
});

describe('describeContent', () => {
  it('says what a non-image is, for failure messages', () => {
    expect(describeContent(new Uint8Array(0))).toMatch(/empty/);
    expect(describeContent(Buffer.from('<!DOCTYPE html><html></html>'))).toMatch(/HTML/);
    expect(describeContent(Buffer.from('<svg></svg>'))).toMatch(/SVG/);
    expect(describeContent(Buffer.from('%PDF-1.7\n'))).toMatch(/PDF/);
    expect(describeContent(Buffer.from('just some words\n'.repeat(10)))).toMatch(/text/);
    expect(describeContent(ftyp('isom', ['mp41']))).toMatch(/video/);
  });
});

describe('readImageFormat', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'photoseek-sniff-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads only the head of the file and follows symlinks', async () => {
    const jpeg = path.join(dir, 'photo');
    await writeFile(
      jpeg,
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xdb]), Buffer.alloc(200_000)]),
    );
    await symlink(jpeg, path.join(dir, 'link.png'));
    expect(await readImageFormat(jpeg)).toBe('jpeg');
    expect(await readImageFormat(path.join(dir, 'link.png'))).toBe('jpeg');
    await writeFile(path.join(dir, 'empty.jpg'), '');
    expect(await readImageFormat(path.join(dir, 'empty.jpg'))).toBeNull();
  });

  it('fails with read-stage MediaErrors for missing files and folders', async () => {
    await expect(readImageFormat(path.join(dir, 'nope.jpg'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      stage: 'read',
    });
    const error = await readImageFormat(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).stage).toBe('read');
  });
});

describe.skipIf(!hasShared('data', 'broken', 'manifest.csv'))(
  'readImageFormat on the shared broken files',
  () => {
    it('identifies renamed and extension-less images and rejects impostors', async () => {
      const manifest = await readFile(sharedPath('data', 'broken', 'manifest.csv'), 'utf8');
      const rows = manifest
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(','));
      const expected: Record<string, string | null> = {
        'png_named.jpg': 'png',
        'jpeg_named.png': 'jpeg',
        'jpeg_upper.JPG': 'jpeg',
        no_extension: 'jpeg',
        'one_pixel.jpg': 'jpeg',
        'large_12000x9000.png': 'png',
        'bomb_header_100000x100000.png': 'png',
        'random_bytes.jpg': null,
        'text_as.jpg': null,
        'html_as.png': null,
        'zero_bytes.jpg': null,
        'zero_bytes.png': null,
      };
      for (const [name] of rows) {
        if (!name || !(name in expected)) continue;
        expect(await readImageFormat(sharedPath('data', 'broken', name)), name).toBe(
          expected[name],
        );
      }
    });
  },
);
