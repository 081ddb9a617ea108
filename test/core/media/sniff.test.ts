import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageFormat, sniffImageFormat } from '../../../src-main/core/media';
import { describeContent } from '../../../src-main/core/media/sniff';
import { hasShared, sharedPath } from '../../fixtures/shared-data';
import { buildTiff, ftyp } from './synthetic-files';

const TAG = { subfileType: 0xfe, photometric: 0x106, make: 0x10f, subIfds: 0x14a, dng: 0xc612 };

const padded = (head: number[] | Buffer, length = 64): Buffer => {
  const out = Buffer.alloc(Math.max(length, head.length));
  out.set(head);
  return out;
};

describe('sniffImageFormat (magic bytes)', () => {
  it('recognises the common signatures', () => {
    expect(sniffImageFormat(padded([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImageFormat(padded([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(sniffImageFormat(padded(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')))).toBe(
      'webp',
    );
    expect(sniffImageFormat(padded(Buffer.from('GIF89a', 'latin1')))).toBe('gif');
    expect(sniffImageFormat(padded(Buffer.from('GIF87a', 'latin1')))).toBe('gif');
    expect(sniffImageFormat(buildTiff([[{ tag: 0x100, type: 3, value: [1] }]], []))).toBe('tiff');
    expect(sniffImageFormat(padded([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
  });

  it('tells HEIC from AVIF by the ftyp brands, including generic mif1 files', () => {
    expect(sniffImageFormat(ftyp('heic', ['mif1', 'heic']))).toBe('heic');
    expect(sniffImageFormat(ftyp('heix', ['mif1']))).toBe('heic');
    expect(sniffImageFormat(ftyp('msf1', ['hevc']))).toBe('heic');
    expect(sniffImageFormat(ftyp('mif1', ['heic', 'miaf']))).toBe('heic');
    expect(sniffImageFormat(ftyp('avif', ['mif1', 'miaf']))).toBe('avif');
    expect(sniffImageFormat(ftyp('avis', ['msf1']))).toBe('avif');
    expect(sniffImageFormat(ftyp('mif1', ['avif', 'miaf']))).toBe('avif');
  });

  it('rejects videos and other ISO media files', () => {
    expect(sniffImageFormat(ftyp('isom', ['iso2', 'mp41']))).toBeNull();
    expect(sniffImageFormat(ftyp('qt', ['qt']))).toBeNull();
  });

  it('recognises camera raws with their own magic', () => {
    expect(sniffImageFormat(ftyp('crx', ['crx', 'isom']))).toBe('raw'); // Canon CR3
    expect(sniffImageFormat(padded(Buffer.from('FUJIFILMCCD-RAW 0201FF383501', 'latin1')))).toBe(
      'raw',
    );
    expect(sniffImageFormat(padded([0x49, 0x49, 0x52, 0x4f, 8, 0, 0, 0]))).toBe('raw'); // ORF
    expect(sniffImageFormat(padded([0x4d, 0x4d, 0x4f, 0x52, 0, 0, 0, 8]))).toBe('raw'); // ORF
    expect(sniffImageFormat(padded([0x49, 0x49, 0x55, 0x00, 8, 0, 0, 0]))).toBe('raw'); // RW2
  });

  it('tells TIFF-based raws from plain TIFFs by their first directory, not their name', () => {
    const make = { tag: TAG.make, type: 2, value: 'NIKON CORPORATION' } as const;
    const cr2 = buildTiff([[make]], [], {
      headerExtra: Buffer.from('CR\x02\x00\x00\x00\x00\x00', 'latin1'),
    });
    const dng = buildTiff([[{ tag: TAG.dng, type: 7, value: Buffer.from([1, 4, 0, 0]) }]], []);
    const nef = buildTiff([[make, { tag: TAG.subfileType, type: 4, value: [1] }]], []);
    const pef = buildTiff([[make, { tag: TAG.photometric, type: 3, value: [32803] }]], []);
    const arw = buildTiff(
      [[make, { tag: TAG.subIfds, type: 4, ifdOffset: 1 }], [{ tag: 0x100, type: 3, value: [1] }]],
      [],
    );
    for (const [name, bytes] of Object.entries({ cr2, dng, nef, pef, arw })) {
      expect(sniffImageFormat(bytes), name).toBe('raw');
    }
    const cameraTiff = buildTiff([[make, { tag: TAG.photometric, type: 3, value: [2] }]], []);
    const scan = buildTiff([[{ tag: 0x100, type: 3, value: [10] }]], []);
    expect(sniffImageFormat(cameraTiff)).toBe('tiff');
    expect(sniffImageFormat(scan)).toBe('tiff');
  });

  it('returns null for short, empty, text, SVG and random content', () => {
    expect(sniffImageFormat(new Uint8Array(0))).toBeNull();
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffImageFormat(Buffer.from('hello world, this is not an image'))).toBeNull();
    expect(
      sniffImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>')),
    ).toBeNull();
  });

  it('never throws on malformed TIFF directories', () => {
    // IFD0 offset far outside the bytes, and an entry count running past the end.
    expect(sniffImageFormat(padded([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f], 32))).toBe(
      'tiff',
    );
    expect(sniffImageFormat(padded([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0, 0xff, 0xff], 20))).toBe(
      'tiff',
    );
  });
});

describe('describeContent', () => {
  it('says what a non-image is, for failure messages', () => {
    expect(describeContent(Buffer.from('<!DOCTYPE html><html></html>'))).toMatch(/HTML/);
    expect(describeContent(Buffer.from('<svg></svg>'))).toMatch(/SVG/);
    expect(describeContent(Buffer.from('%PDF-1.7\n'))).toMatch(/PDF/);
    expect(describeContent(Buffer.from('just some words\n'.repeat(10)))).toBe('text');
    expect(describeContent(ftyp('isom', ['mp41']))).toMatch(/video/);
    expect(describeContent(Buffer.from([0, 1, 2, 3, 200, 201, 7, 8]))).toBeNull();
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

  it('reads the head of a file, following symlinks; empty files are not images', async () => {
    const jpeg = path.join(dir, 'photo');
    const head = Buffer.from([0xff, 0xd8, 0xff, 0xdb]);
    await writeFile(jpeg, Buffer.concat([head, Buffer.alloc(200_000)]));
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
    await expect(readImageFormat(dir)).rejects.toMatchObject({ code: 'NOT_A_FILE', stage: 'read' });
  });
});

describe.skipIf(!hasShared('data', 'broken', 'manifest.csv'))(
  'readImageFormat on the shared broken files',
  () => {
    it('identifies renamed and extension-less images and rejects impostors', async () => {
      const expected: Record<string, string | null> = {
        'png_named.jpg': 'png',
        'jpeg_named.png': 'jpeg',
        'jpeg_upper.JPG': 'jpeg',
        no_extension: 'jpeg',
        'large_12000x9000.png': 'png',
        'bomb_header_100000x100000.png': 'png',
        'random_bytes.jpg': null,
        'text_as.jpg': null,
        'html_as.png': null,
        'zero_bytes.jpg': null,
      };
      const manifest = await readFile(sharedPath('data', 'broken', 'manifest.csv'), 'utf8');
      const names = manifest.split('\n').map((line) => line.split(',')[0]!);
      for (const [name, format] of Object.entries(expected)) {
        expect(names, name).toContain(name);
        expect(await readImageFormat(sharedPath('data', 'broken', name)), name).toBe(format);
      }
    });
  },
);
