import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ImageFormat } from '../../shared/types';
import { isoBrands } from './iso-media';
import { fsErrorToMediaError, MediaError } from './media-error';

/**
 * [Note: Format by content] A file's format comes from its first bytes, never from its name:
 * photos arrive renamed ("IMG_1234.jpg" that is really a PNG, a HEIC exported as ".jpg", files
 * without an extension) and text or HTML files masquerade as images. Only content recognised here
 * is ever handed to a decoder, which also keeps SVG, PDF and video away from sharp.
 *
 * Camera raws: CR3 (ftyp "crx "), CRW ("HEAPCCDR" after a little-endian header), RAF
 * ("FUJIFILMCCD-RAW"), ORF ("IIRO"/"IIRS"/"MMOR") and RW2 ("IIU\0") have their own magic. DNG, CR2, NEF, ARW, PEF … are TIFF files, told apart from a plain
 * TIFF by IFD0, the first image directory:
 * - CR2 writes "CR" right after the TIFF header;
 * - DNG has a DNGVersion tag;
 * - IFD0 holds raw sensor data (PhotometricInterpretation CFA or LinearRaw: PEF and kin);
 * - IFD0 is only a reduced-resolution image (NewSubfileType bit 0: NEF, DNG), which a plain TIFF's
 *   first directory never is, since readers show IFD0 as the image;
 * - IFD0 has a camera Make and SubIFDs (ARW and other camera TIFFs keep the raw in a SubIFD).
 * A camera TIFF matching none of these is decoded as a TIFF (its first directory), and so is one
 * called a raw that has no embedded preview while its first directory is an ordinary picture
 * (isTiffPicture: an RGB TIFF from a scanner or an editor that kept the camera's tags).
 *
 * BMP is told by "BM" and a known DIB header size; JPEG XL by its codestream signature (FF 0A) or
 * its container's first box ("JXL ").
 */

/** How many leading bytes readImageFormat reads: every signature, and IFD0 of a TIFF-based raw. */
export const SNIFF_BYTES = 64 * 1024;

const TAG_NEW_SUBFILE_TYPE = 0x00fe;
const TAG_SAMPLES_PER_PIXEL = 0x0115;
const TAG_PHOTOMETRIC = 0x0106;
const TAG_MAKE = 0x010f;
const TAG_SUB_IFDS = 0x014a;
const TAG_DNG_VERSION = 0xc612;
const PHOTOMETRIC_CFA = 32803;
const PHOTOMETRIC_LINEAR_RAW = 34892;
/** White-is-zero, black-is-zero, RGB, palette, YCbCr: what a TIFF reader shows as a picture. */
const PICTURE_PHOTOMETRICS = new Set([0, 1, 2, 3, 6]);
const BMP_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);
const JXL_CONTAINER = '\0\0\0\x0cJXL \r\n\x87\n';

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set([
  'heic',
  'heix',
  'heim',
  'heis',
  'hevc',
  'hevx',
  'hevm',
  'hevs',
  'mif1',
  'msf1',
  'mif2',
  'miaf',
]);

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** The image format of a file from its first bytes (give at least SNIFF_BYTES when there are), or null. */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (ascii(head, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(head, 4, 8) === 'ftyp') return isoMediaFormat(head);
  if (ascii(head, 0, 15) === 'FUJIFILMCCD-RAW') return 'raw';
  if (ascii(head, 0, 2) === 'II' && ascii(head, 6, 14) === 'HEAPCCDR') return 'raw'; // Canon CRW
  if (isBmp(head)) return 'bmp';
  if ((head[0] === 0xff && head[1] === 0x0a) || ascii(head, 0, 12) === JXL_CONTAINER) return 'jxl';
  switch (ascii(head, 0, 4)) {
    case 'IIRO':
    case 'IIRS':
    case 'MMOR':
    case 'IIU\0':
      return 'raw';
    case 'II*\0':
      return isTiffRaw(head, true) ? 'raw' : 'tiff';
    case 'MM\0*':
      return isTiffRaw(head, false) ? 'raw' : 'tiff';
    case 'II+\0':
    case 'MM\0+':
      return 'tiff'; // BigTIFF: scanners and microscopes, never cameras
    default:
      return null;
  }
}

/** HEIF, AVIF or CR3 by the ftyp box's major and compatible brands; null for video and the rest. */
function isoMediaFormat(head: Uint8Array): ImageFormat | null {
  const brands = isoBrands(head);
  if (brands.includes('crx ')) return 'raw';
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return 'heic';
  return null;
}

function isTiffRaw(head: Uint8Array, littleEndian: boolean): boolean {
  if (ascii(head, 8, 10) === 'CR') return true;
  const ifd0 = readIfd0(head, littleEndian);
  const photometric = ifd0.get(TAG_PHOTOMETRIC);
  return (
    ifd0.has(TAG_DNG_VERSION) ||
    photometric === PHOTOMETRIC_CFA ||
    photometric === PHOTOMETRIC_LINEAR_RAW ||
    ((ifd0.get(TAG_NEW_SUBFILE_TYPE) ?? 0) & 1) === 1 ||
    (ifd0.has(TAG_MAKE) && ifd0.has(TAG_SUB_IFDS))
  );
}

function isBmp(head: Uint8Array): boolean {
  if (ascii(head, 0, 2) !== 'BM' || head.length < 18) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return BMP_HEADER_SIZES.has(view.getUint32(14, true));
}

/**
 * True when a TIFF-based file's first directory is a full-size ordinary picture (not sensor data,
 * not a reduced-resolution preview): such a file decodes as a TIFF.
 */
export function isTiffPicture(head: Uint8Array): boolean {
  const magic = ascii(head, 0, 4);
  if (magic !== 'II*\0' && magic !== 'MM\0*') return false;
  const ifd0 = readIfd0(head, magic === 'II*\0');
  const samples = ifd0.get(TAG_SAMPLES_PER_PIXEL) ?? 1;
  return (
    PICTURE_PHOTOMETRICS.has(ifd0.get(TAG_PHOTOMETRIC) ?? -1) &&
    ((ifd0.get(TAG_NEW_SUBFILE_TYPE) ?? 0) & 1) === 0 &&
    samples >= 1 &&
    samples <= 4
  );
}

/**
 * IFD0's tags → their first SHORT or LONG value (0 for other types), when IFD0 lies within
 * `head`; bounds-checked because every offset comes from untrusted bytes. Hand-written because it
 * is a dozen lines and must be synchronous; exifr reads whole blocks asynchronously.
 */
function readIfd0(head: Uint8Array, littleEndian: boolean): Map<number, number> {
  const tags = new Map<number, number>();
  if (head.length < 8) return tags;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const offset = view.getUint32(4, littleEndian);
  if (offset < 8 || offset + 2 > head.length) return tags;
  const count = view.getUint16(offset, littleEndian);
  for (let i = 0; i < count && offset + 2 + (i + 1) * 12 <= head.length; i++) {
    const entry = offset + 2 + i * 12;
    const type = view.getUint16(entry + 2, littleEndian);
    const value =
      type === 3
        ? view.getUint16(entry + 8, littleEndian)
        : type === 4
          ? view.getUint32(entry + 8, littleEndian)
          : 0;
    tags.set(view.getUint16(entry, littleEndian), value);
  }
  return tags;
}

/**
 * The format of a file from its first SNIFF_BYTES, or null when it is not an image Photoseek
 * reads (an empty file included). Opened non-blocking, so a FIFO named .jpg cannot hang the
 * scanner. Read-stage MediaError when the file cannot be read.
 */
export async function readImageFormat(filePath: string): Promise<ImageFormat | null> {
  return sniffImageFormat(await readHead(filePath));
}

/**
 * True when a file's first bytes are an image, one Photoseek reads or one it names but cannot
 * decode (unreadableImageFormat): either way the file must end indexed or listed as a failure.
 */
export async function looksLikeImage(filePath: string): Promise<boolean> {
  const head = await readHead(filePath);
  return sniffImageFormat(head) !== null || unreadableImageFormat(head) !== null;
}

async function readHead(filePath: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(filePath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fsErrorToMediaError(error);
  }
  try {
    if (!(await handle.stat()).isFile()) {
      throw new MediaError('read', 'NOT_A_FILE', 'This is not a regular file.');
    }
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return head.subarray(0, bytesRead);
  } catch (error) {
    throw error instanceof MediaError ? error : fsErrorToMediaError(error);
  } finally {
    await handle.close();
  }
}

/** What content that is not an image looks like, for the UNSUPPORTED_FORMAT message; null if unclear. */
export function describeContent(bytes: Uint8Array): string | null {
  const head = bytes.subarray(0, 512);
  const text = ascii(head, 0, head.length).trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'an HTML web page';
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) {
    return 'an SVG drawing';
  }
  if (text.startsWith('%pdf')) return 'a PDF document';
  if (ascii(head, 4, 8) === 'ftyp') return 'a video or another ISO media file';
  const printable = head.filter((byte) => byte === 9 || byte === 10 || byte === 13 || byte >= 32);
  return head.length > 0 && printable.length / head.length > 0.95 ? 'text' : null;
}

/**
 * The name of an image format Photoseek recognises but cannot decode (no maintained decoder
 * installs from npm), for a message that names it; null for everything else.
 */
export function unreadableImageFormat(head: Uint8Array): string | null {
  if (ascii(head, 4, 8) === 'jP  ' || ascii(head, 0, 4) === '\xff\x4f\xff\x51') return 'JPEG 2000';
  if (ascii(head, 0, 4) === '8BPS') return 'Photoshop (PSD)';
  if (ascii(head, 0, 3) === 'II\xbc') return 'JPEG XR';
  if (ascii(head, 0, 4) === '\x76\x2f\x31\x01') return 'OpenEXR';
  if (ascii(head, 0, 10) === '#?RADIANCE' || ascii(head, 0, 6) === '#?RGBE') return 'Radiance HDR';
  if (ascii(head, 0, 4) === 'qoif') return 'QOI';
  return null;
}
