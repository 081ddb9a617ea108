import { open } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import type { ImageFormat } from '../../shared/types';
import { fsErrorToMediaError, MediaError } from './media-error';

/**
 * [Note: Metadata blocks are bounded] Decoders trust the sizes a file gives its metadata: libvips
 * and exifr inflate a PNG's colour profile (iCCP) whole, and a 3 MB PNG whose iCCP inflates to
 * 3 GB took 6 GB of memory; a TIFF or WebP can declare a colour profile, XMP or IPTC block as large
 * as the file itself, which sharp then copies. Real blocks are small: colour profiles are under
 * 1 MB (the largest common ones, device links, a few MB), EXIF fits JPEG's 64 KB segment, XMP and
 * text a few hundred KB even with AI-generation workflows embedded. So before any decoder sees the
 * bytes, every metadata block is measured against MAX_METADATA_BYTES:
 * - PNG: the offending ancillary chunk (iCCP, zTXt, iTXt, eXIf) is left out and the picture is
 *   decoded without it, as the PNG specification allows for every ancillary chunk (without its
 *   profile the image is read as sRGB). Compressed chunks are inflated with an output limit, so
 *   measuring one costs at most MAX_METADATA_BYTES.
 * - TIFF (the first directory) and WebP: the file is refused with a message naming the block; the
 *   bytes cannot be re-cut without a second copy of a possibly large file.
 * HEIF and AVIF keep their profile in an ISO box that libheif bounds by the file's size, and
 * files are only read whole up to the in-memory limit ([Note: Bounded memory]).
 */
export const MAX_METADATA_BYTES = 16 * 1024 ** 2;

const PNG_SIGNATURE_BYTES = 8;
const PNG_CHUNK_OVERHEAD = 12; // length, type, CRC
/** The PNG chunks that hold metadata whose size a decoder trusts. */
const PNG_BOUNDED_CHUNKS = new Set(['iCCP', 'zTXt', 'iTXt', 'eXIf']);

/**
 * `bytes` with every oversized metadata block left out (PNG) or a MediaError naming it (TIFF,
 * WebP). Returns `bytes` itself when every block is within bounds, which is nearly always.
 */
export function boundMetadataBlocks(
  bytes: Uint8Array,
  format: ImageFormat,
  limit = MAX_METADATA_BYTES,
): Uint8Array {
  switch (format) {
    case 'png':
      return withoutOversizedPngChunks(bytes, limit);
    case 'tiff':
      checkTiffDirectory(bytes, limit);
      return bytes;
    case 'webp':
      checkWebpChunks(bytes, limit);
      return bytes;
    default:
      return bytes;
  }
}

function withoutOversizedPngChunks(bytes: Uint8Array, limit: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dropped: Array<[number, number]> = [];
  let offset = PNG_SIGNATURE_BYTES;
  while (offset + PNG_CHUNK_OVERHEAD <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = Math.min(bytes.length, offset + PNG_CHUNK_OVERHEAD + length);
    if (PNG_BOUNDED_CHUNKS.has(type)) {
      const data = bytes.subarray(offset + 8, Math.min(end, offset + 8 + length));
      if (pngChunkExceeds(type, data, limit)) dropped.push([offset, end]);
    }
    if (type === 'IEND') break;
    offset = end;
  }
  if (dropped.length === 0) return bytes;
  const kept: Uint8Array[] = [];
  let from = 0;
  for (const [start, end] of dropped) {
    kept.push(bytes.subarray(from, start));
    from = end;
  }
  kept.push(bytes.subarray(from));
  return Buffer.concat(kept);
}

function pngChunkExceeds(type: string, data: Uint8Array, limit: number): boolean {
  if (data.length > limit) return true;
  const stream = compressedPart(type, data);
  if (stream === null) return false;
  try {
    inflateSync(stream, { maxOutputLength: limit });
    return false;
  } catch (error) {
    // A stream that is merely damaged is the decoder's business; only the size is ours.
    return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
  }
}

/** The zlib stream inside a compressed PNG chunk, or null when the chunk is not compressed. */
function compressedPart(type: string, data: Uint8Array): Uint8Array | null {
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 0) return null;
  switch (type) {
    case 'iCCP':
    case 'zTXt':
      return data.subarray(keywordEnd + 2); // NUL, compression method
    case 'iTXt': {
      if (data[keywordEnd + 1] !== 1) return null; // compression flag
      const languageEnd = data.indexOf(0, keywordEnd + 3);
      const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
      return translatedEnd < 0 ? null : data.subarray(translatedEnd + 1);
    }
    default:
      return null;
  }
}

const TIFF_METADATA_TAGS = new Map([
  [0x8773, 'colour profile'],
  [0x02bc, 'XMP block'],
  [0x83bb, 'IPTC block'],
  [0x8649, 'Photoshop block'],
]);
const TIFF_TYPE_BYTES = new Map([
  [1, 1],
  [2, 1],
  [3, 2],
  [4, 4],
  [5, 8],
  [6, 1],
  [7, 1],
  [8, 2],
  [9, 4],
  [10, 8],
  [11, 4],
  [12, 8],
  [13, 4],
]);

/** Refuses a TIFF whose first directory declares a metadata block over `limit`. */
function checkTiffDirectory(bytes: Uint8Array, limit: number): void {
  if (bytes.length < 8) return;
  const littleEndian = bytes[0] === 0x49;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(2, littleEndian) !== 42) return; // BigTIFF: scanners, no such blocks
  const directory = view.getUint32(4, littleEndian);
  if (directory < 8 || directory + 2 > bytes.length) return;
  const entries = view.getUint16(directory, littleEndian);
  for (let i = 0; i < entries && directory + 2 + (i + 1) * 12 <= bytes.length; i++) {
    const entry = directory + 2 + i * 12;
    const name = TIFF_METADATA_TAGS.get(view.getUint16(entry, littleEndian));
    if (!name) continue;
    const unit = TIFF_TYPE_BYTES.get(view.getUint16(entry + 2, littleEndian)) ?? 1;
    const size = view.getUint32(entry + 4, littleEndian) * unit;
    if (size > limit) throw oversized(name, size, limit);
  }
}

/**
 * checkTiffDirectory for a TIFF too large to hold ([Note: Bounded memory]): its first directory,
 * wherever it lies in the file, is read on its own and checked in a minimal TIFF of header and
 * directory.
 */
export async function checkStreamedTiff(
  filePath: string,
  head: Uint8Array,
  limit = MAX_METADATA_BYTES,
): Promise<void> {
  if (head.length < 8) return;
  const littleEndian = head[0] === 0x49;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (view.getUint16(2, littleEndian) !== 42) return;
  const directory = view.getUint32(4, littleEndian);
  const file = await open(filePath, 'r').catch((error: unknown) => {
    throw fsErrorToMediaError(error);
  });
  try {
    const count = Buffer.alloc(2);
    await file.read(count, 0, 2, directory);
    const entries = littleEndian ? count.readUInt16LE(0) : count.readUInt16BE(0);
    const minimal = Buffer.alloc(8 + 2 + entries * 12);
    minimal.set(head.subarray(0, 4), 0);
    if (littleEndian) minimal.writeUInt32LE(8, 4);
    else minimal.writeUInt32BE(8, 4);
    await file.read(minimal, 8, 2 + entries * 12, directory);
    checkTiffDirectory(minimal, limit);
  } finally {
    await file.close();
  }
}

const WEBP_METADATA_CHUNKS = new Map([
  ['ICCP', 'colour profile'],
  ['EXIF', 'EXIF block'],
  ['XMP ', 'XMP block'],
]);

/** Refuses a WebP with a metadata chunk over `limit`. */
function checkWebpChunks(bytes: Uint8Array, limit: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12; // "RIFF", size, "WEBP"
  while (offset + 8 <= bytes.length) {
    const type = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    const name = WEBP_METADATA_CHUNKS.get(type);
    if (name && size > limit) throw oversized(name, size, limit);
    offset += 8 + size + (size % 2);
  }
}

function oversized(name: string, size: number, limit: number): MediaError {
  const megabytes = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;
  return new MediaError(
    'decode',
    'METADATA_TOO_LARGE',
    `The file declares a ${megabytes(size)} ${name}; real ones stay far below ${megabytes(limit)}, so Photoseek does not read this file.`,
  );
}
