import sharp from 'sharp';

/**
 * Builders for files the shared data does not have: camera raws (no raw samples are licensed for
 * ../shared), ISO-BMFF headers and flat-colour images whose expected pixels are known exactly.
 */

export type Rgb = [number, number, number];

/** A width × height JPEG split into vertical bands of the given colours (left to right). */
export async function bandsJpeg(
  width: number,
  height: number,
  colours: Rgb[],
  quality = 95,
): Promise<Buffer> {
  return sharp(bandsRaw(width, height, colours), { raw: { width, height, channels: 3 } })
    .jpeg({ quality, chromaSubsampling: '4:4:4' })
    .toBuffer();
}

export function bandsRaw(width: number, height: number, colours: Rgb[]): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour =
        colours[Math.min(colours.length - 1, Math.floor((x * colours.length) / width))]!;
      data.set(colour, (y * width + x) * 3);
    }
  }
  return data;
}

export interface TiffEntrySpec {
  tag: number;
  /** 2 ASCII, 3 SHORT, 4 LONG, 7 UNDEFINED. */
  type: 2 | 3 | 4 | 7;
  /** Numbers, a string (ASCII), or bytes (UNDEFINED, stored out of line). */
  value?: number[] | string | Uint8Array;
  /** The value is the offset of blob i. */
  blobOffset?: number;
  /** The value is the length of blob i. */
  blobLength?: number;
  /** The value is the offset of IFD i (SubIFDs, Exif IFD). */
  ifdOffset?: number;
}

/**
 * A little-endian TIFF: header "II*\0" (or `magic`), IFD0 … IFDn laid out in order, IFD0 → IFD1
 * chained when `chain` is set, then out-of-line values, then the blobs.
 */
export function buildTiff(
  ifds: TiffEntrySpec[][],
  blobs: Uint8Array[],
  options: {
    magic?: [number, number, number, number];
    chain?: boolean;
    headerExtra?: Uint8Array;
  } = {},
): Buffer {
  const headerSize = 8 + (options.headerExtra?.length ?? 0);
  const ifdOffsets: number[] = [];
  let at = headerSize;
  for (const ifd of ifds) {
    ifdOffsets.push(at);
    at += 2 + ifd.length * 12 + 4;
  }
  // Out-of-line values.
  const extra: { offset: number; bytes: Uint8Array }[] = [];
  const valueBytes = (entry: TiffEntrySpec): Uint8Array | null => {
    if (typeof entry.value === 'string') return Buffer.from(`${entry.value}\0`, 'ascii');
    if (entry.value instanceof Uint8Array) return entry.value;
    if (Array.isArray(entry.value)) {
      const size = entry.type === 3 ? 2 : 4;
      const bytes = Buffer.alloc(entry.value.length * size);
      entry.value.forEach((v, i) =>
        size === 2 ? bytes.writeUInt16LE(v, i * 2) : bytes.writeUInt32LE(v, i * 4),
      );
      return bytes;
    }
    return null;
  };
  const outOfLine = new Map<TiffEntrySpec, number>();
  for (const ifd of ifds) {
    for (const entry of ifd) {
      const bytes = valueBytes(entry);
      if (bytes && bytes.length > 4) {
        outOfLine.set(entry, at);
        extra.push({ offset: at, bytes });
        at += bytes.length + (bytes.length % 2);
      }
    }
  }
  const blobOffsets: number[] = [];
  for (const blob of blobs) {
    blobOffsets.push(at);
    at += blob.length;
  }
  const out = Buffer.alloc(at);
  const [m0, m1, m2, m3] = options.magic ?? [0x49, 0x49, 0x2a, 0x00];
  out.set([m0, m1, m2, m3]);
  out.writeUInt32LE(ifdOffsets[0] ?? 0, 4);
  if (options.headerExtra) out.set(options.headerExtra, 8);
  ifds.forEach((ifd, index) => {
    const base = ifdOffsets[index]!;
    const sorted = [...ifd].sort((a, b) => a.tag - b.tag);
    out.writeUInt16LE(sorted.length, base);
    sorted.forEach((entry, i) => {
      const p = base + 2 + i * 12;
      out.writeUInt16LE(entry.tag, p);
      out.writeUInt16LE(entry.type, p + 2);
      let count = 1;
      let inline: Uint8Array;
      if (entry.blobOffset !== undefined) inline = u32(blobOffsets[entry.blobOffset]!);
      else if (entry.blobLength !== undefined) inline = u32(blobs[entry.blobLength]!.length);
      else if (entry.ifdOffset !== undefined) inline = u32(ifdOffsets[entry.ifdOffset]!);
      else {
        const bytes = valueBytes(entry)!;
        count =
          typeof entry.value === 'string' || entry.value instanceof Uint8Array
            ? bytes.length
            : (entry.value as number[]).length;
        inline = outOfLine.has(entry) ? u32(outOfLine.get(entry)!) : bytes;
      }
      out.writeUInt32LE(count, p + 4);
      out.set(inline, p + 8);
    });
    const next = options.chain && index + 1 < ifds.length ? ifdOffsets[index + 1]! : 0;
    out.writeUInt32LE(next, base + 2 + sorted.length * 12);
  });
  for (const { offset, bytes } of extra) out.set(bytes, offset);
  blobs.forEach((blob, i) => out.set(blob, blobOffsets[i]!));
  return out;
}

function u32(value: number): Uint8Array {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

/** An ISO-BMFF file start: ftyp box with the given major and compatible brands, then padding. */
export function ftyp(major: string, compatible: string[], padding = 64): Buffer {
  const size = 16 + compatible.length * 4;
  const box = Buffer.alloc(size + padding);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'ascii');
  box.write(major.padEnd(4, ' '), 8, 'ascii');
  compatible.forEach((brand, i) => box.write(brand.padEnd(4, ' '), 16 + i * 4, 'ascii'));
  return box;
}
