import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageBuffer } from '../../../src-main/core/media';
import type { DecodeOptions } from '../../../src-main/core/media';
import { cameraName } from '../../../src-main/core/media/exif';
import { bandsJpeg, bandsRaw, buildTiff } from './synthetic-files';
import type { Rgb } from './synthetic-files';

const RED: Rgb = [220, 30, 30];
const BLUE: Rgb = [20, 40, 220];
const SQUASH: DecodeOptions = { input: { size: 32, resize: 'squash' }, thumbnailSize: 64 };

function pngChunk(type: string, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(data.length);
  header.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(header.subarray(4))) >>> 0);
  return Buffer.concat([header, data, crc]);
}

function xmpPacket(properties: string): string {
  return (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" ' +
    `xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" ${properties}/>` +
    '</rdf:RDF></x:xmpmeta>'
  );
}

describe('camera names end at the NUL', () => {
  it('drops what firmwares leave after the terminator', () => {
    expect(cameraName('ION', 'ION230\0F')).toBe('ION230');
    expect(cameraName('GoPro\0\0\0\0', 'HERO7 Black\0\0HD7.01.01.90.00')).toBe('GoPro HERO7 Black');
    expect(cameraName('\0junk', 'X100V')).toBe('X100V');
  });
});

describe('XMP fills in what EXIF lacks', () => {
  it('reads capture time and camera from XMP alone', async () => {
    const jpeg = await sharp(await bandsJpeg(16, 16, [RED]))
      .withXmp(
        xmpPacket(
          'exif:DateTimeOriginal="2019-10-20T18:34:30+02:00" tiff:Make="Canon" tiff:Model="Canon EOS R5"',
        ),
      )
      .jpeg()
      .toBuffer();
    const { metadata } = await decodeImageBuffer(jpeg, SQUASH);
    expect(metadata.takenAt).toBe(Date.UTC(2019, 9, 20, 16, 34, 30));
    expect(metadata.camera).toBe('Canon EOS R5');
  });

  it('falls back to xmp:CreateDate and photoshop:DateCreated, and lets EXIF win', async () => {
    const dateOnly = await sharp(await bandsJpeg(16, 16, [RED]))
      .withXmp(xmpPacket('photoshop:DateCreated="2004-07-01"'))
      .jpeg()
      .toBuffer();
    expect((await decodeImageBuffer(dateOnly, SQUASH)).metadata.takenAt).toBe(Date.UTC(2004, 6, 1));
    const both = await sharp(await bandsJpeg(16, 16, [RED]))
      .withExif({ IFD0: { Make: 'FUJIFILM', Model: 'X-T4' } })
      .withXmp(xmpPacket('xmp:CreateDate="2001-01-01T00:00:00" tiff:Model="Edited Model"'))
      .jpeg()
      .toBuffer();
    const { metadata } = await decodeImageBuffer(both, SQUASH);
    expect(metadata.camera).toBe('FUJIFILM X-T4');
    expect(metadata.takenAt).toBe(Date.UTC(2001, 0, 1));
  });
});

describe('Canon CR3', () => {
  it('reads camera, orientation and capture time from the CMT boxes', async () => {
    const cmt1 = buildTiff(
      [
        [
          { tag: 0x10f, type: 2, value: 'Canon' },
          { tag: 0x110, type: 2, value: 'Canon EOS R6' },
          { tag: 0x112, type: 3, value: [1] },
        ],
      ],
      [],
    );
    const cmt2 = buildTiff(
      [
        [
          { tag: 0x9003, type: 2, value: '2021:03:14 15:09:26' },
          { tag: 0x9011, type: 2, value: '+01:00' },
        ],
      ],
      [],
    );
    const box = (type: string, data: Buffer) => {
      const header = Buffer.alloc(8);
      header.writeUInt32BE(8 + data.length);
      header.write(type, 4, 'latin1');
      return Buffer.concat([header, data]);
    };
    const ftyp = box('ftyp', Buffer.from('crx \0\0\0\x01crx isom', 'latin1'));
    const uuid = box(
      'uuid',
      Buffer.concat([Buffer.alloc(16, 0x85), box('CMT1', cmt1), box('CMT2', cmt2)]),
    );
    const preview = await bandsJpeg(300, 200, [RED, BLUE]);
    const cr3 = Buffer.concat([ftyp, box('moov', uuid), box('mdat', preview)]);
    const { metadata } = await decodeImageBuffer(cr3, SQUASH);
    expect(metadata).toMatchObject({ format: 'raw', width: 300, height: 200 });
    expect(metadata.camera).toBe('Canon EOS R6');
    expect(metadata.takenAt).toBe(Date.UTC(2021, 2, 14, 14, 9, 26));
  });
});

describe('PNG orientation', () => {
  it('applies an eXIf orientation written after the pixels', async () => {
    // 40 × 20: red left half, blue right half; orientation 6 turns it 90° clockwise.
    const png = await sharp(bandsRaw(40, 20, [RED, BLUE]), {
      raw: { width: 40, height: 20, channels: 3 },
    })
      .png()
      .toBuffer();
    const exif = pngChunk('eXIf', buildTiff([[{ tag: 0x112, type: 3, value: [6] }]], []));
    const iend = png.length - 12;
    const oriented = Buffer.concat([png.subarray(0, iend), exif, png.subarray(iend)]);
    const { metadata, rgb } = await decodeImageBuffer(oriented, SQUASH);
    expect(metadata).toMatchObject({ format: 'png', width: 20, height: 40 });
    // Upright, the red half is on top.
    expect(rgb[(4 * 32 + 16) * 3]!).toBeGreaterThan(180);
    expect(rgb[(28 * 32 + 16) * 3 + 2]!).toBeGreaterThan(180);
  });
});
