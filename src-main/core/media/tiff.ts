/**
 * A minimal, bounds-checked TIFF directory reader: just enough to tell a camera raw from a plain
 * TIFF and to find the JPEG previews a raw file carries. Every offset comes from untrusted bytes,
 * so each read is checked and a malformed file yields fewer entries, never an exception or a loop.
 */

export interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  /** Offset of the entry's value bytes (inline in the entry when they fit in 4 bytes). */
  valueOffset: number;
}

export interface TiffIfd {
  /** Offset of the directory itself. */
  offset: number;
  entries: Map<number, TiffEntry>;
}

export interface TiffFile {
  littleEndian: boolean;
  /** IFD0, IFD1 … followed by every SubIFD and the Exif IFD, each once. */
  ifds: TiffIfd[];
  view: DataView;
}

export const TAG = {
  NewSubfileType: 0x00fe,
  Compression: 0x0103,
  Make: 0x010f,
  Model: 0x0110,
  StripOffsets: 0x0111,
  Orientation: 0x0112,
  StripByteCounts: 0x0117,
  SubIFDs: 0x014a,
  JpegInterchangeFormat: 0x0201,
  JpegInterchangeFormatLength: 0x0202,
  /** Panasonic RW2 full-size JPEG preview, stored as an UNDEFINED blob. */
  PanasonicJpgFromRaw: 0x002e,
  ExifIfd: 0x8769,
  DngVersion: 0xc612,
} as const;

const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};

const MAX_IFDS = 64;
const MAX_ENTRIES = 1000;

/**
 * Where the TIFF structure starts and which byte order it uses, for classic TIFF ("II*\0",
 * "MM\0*") and the raw variants that only change the magic number (Olympus ORF "IIRO"/"IIRS"/"MMOR",
 * Panasonic RW2 "IIU\0").
 */
export function tiffByteOrder(bytes: Uint8Array): { littleEndian: boolean } | null {
  if (bytes.length < 8) return null;
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0x49 && b1 === 0x49) {
    if (
      (b2 === 0x2a && b3 === 0x00) ||
      (b2 === 0x52 && (b3 === 0x4f || b3 === 0x53)) ||
      (b2 === 0x55 && b3 === 0x00)
    ) {
      return { littleEndian: true };
    }
  }
  if (b0 === 0x4d && b1 === 0x4d) {
    if ((b2 === 0x00 && b3 === 0x2a) || (b2 === 0x4f && b3 === 0x52))
      return { littleEndian: false };
  }
  return null;
}

export function readTiff(bytes: Uint8Array): TiffFile | null {
  const order = tiffByteOrder(bytes);
  if (!order) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = order.littleEndian;
  const seen = new Set<number>();
  const ifds: TiffIfd[] = [];
  const queue: number[] = [view.getUint32(4, le)];

  while (queue.length > 0 && ifds.length < MAX_IFDS) {
    const offset = queue.shift()!;
    if (offset < 8 || offset + 2 > view.byteLength || seen.has(offset)) continue;
    seen.add(offset);
    const count = view.getUint16(offset, le);
    if (count === 0 || count > MAX_ENTRIES || offset + 2 + count * 12 > view.byteLength) continue;
    const entries = new Map<number, TiffEntry>();
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      const tag = view.getUint16(at, le);
      const type = view.getUint16(at + 2, le);
      const valueCount = view.getUint32(at + 4, le);
      const size = (TYPE_SIZES[type] ?? 0) * valueCount;
      const valueOffset = size <= 4 ? at + 8 : view.getUint32(at + 8, le);
      entries.set(tag, { tag, type, count: valueCount, valueOffset });
    }
    const ifd: TiffIfd = { offset, entries };
    ifds.push(ifd);
    const file: TiffFile = { littleEndian: le, ifds, view };
    const nextAt = offset + 2 + count * 12;
    if (nextAt + 4 <= view.byteLength) queue.push(view.getUint32(nextAt, le));
    queue.push(...tagNumbers(file, ifd, TAG.SubIFDs), ...tagNumbers(file, ifd, TAG.ExifIfd));
  }
  return { littleEndian: le, ifds, view };
}

/** The integer values of a SHORT/LONG (or IFD-typed) tag; [] when absent or out of bounds. */
export function tagNumbers(file: TiffFile, ifd: TiffIfd, tag: number): number[] {
  const entry = ifd.entries.get(tag);
  if (!entry) return [];
  const size =
    entry.type === 3 || entry.type === 8
      ? 2
      : entry.type === 4 || entry.type === 9 || entry.type === 13
        ? 4
        : 0;
  if (size === 0) return [];
  const count = Math.min(entry.count, 256);
  if (entry.valueOffset + count * size > file.view.byteLength) return [];
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = entry.valueOffset + i * size;
    values.push(
      size === 2
        ? file.view.getUint16(at, file.littleEndian)
        : file.view.getUint32(at, file.littleEndian),
    );
  }
  return values;
}

export function tagNumber(file: TiffFile, ifd: TiffIfd, tag: number): number | null {
  return tagNumbers(file, ifd, tag)[0] ?? null;
}

/** An ASCII tag's value, trimmed, or null. */
export function tagString(file: TiffFile, ifd: TiffIfd, tag: number): string | null {
  const entry = ifd.entries.get(tag);
  if (!entry || entry.type !== 2) return null;
  const end = Math.min(entry.valueOffset + Math.min(entry.count, 256), file.view.byteLength);
  let text = '';
  for (let at = entry.valueOffset; at < end; at++) {
    const code = file.view.getUint8(at);
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed : null;
}
