import type { ImageFormat } from '../../shared/types';
import { readTiff, TAG, tagString, tiffByteOrder } from './tiff';

/**
 * [Note: Format by content] A file's format comes from its first bytes, never from its name:
 * photos arrive renamed ("IMG_1234.jpg" that is really a PNG, a HEIC exported as ".jpg", files
 * with no extension at all) and text or HTML files masquerade as images. Only content recognised
 * here is ever handed to a decoder, which also keeps SVG, PDF and video away from sharp.
 *
 * The one place the extension is consulted is inside the TIFF family: Nikon NEF, Sony ARW, Pentax
 * PEF … are TIFF files whose structure carries no reliable "I am a raw" marker. Content decides
 * that it is a TIFF container; a camera-raw extension then decides that it is a raw, so we use
 * its full-size embedded preview instead of decoding its first directory (often a 160 px
 * thumbnail) as a plain TIFF. DNG (DNGVersion tag), CR2 ("CR" marker), ORF, RW2, RAF and CR3
 * carry their own markers and need no extension.
 */

/** Extensions (lower case, no dot) of TIFF-structured camera raw formats without their own magic. */
export const RAW_TIFF_EXTENSIONS: ReadonlySet<string> = new Set([
  'nef',
  'nrw',
  'arw',
  'srf',
  'sr2',
  'pef',
  'srw',
  'erf',
  '3fr',
  'fff',
  'iiq',
  'mef',
  'mos',
  'k25',
  'kdc',
  'dcr',
  'raw',
  'rwl',
  'dng',
  'cr2',
  'orf',
  'rw2',
]);

/** How many leading bytes `sniffFormat` needs at least (TIFF-family detection reads further when given more). */
export const SNIFF_BYTES = 64;

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < Math.min(end, bytes.length); i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2', 'miaf']);

/** ISO-BMFF (HEIF/AVIF/CR3) classification by the ftyp box's major and compatible brands. */
function sniffIsoBmff(bytes: Uint8Array): ImageFormat | null {
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const major = ascii(bytes, 8, 12);
  const brands = [major];
  const end = Math.min(boxSize, bytes.length, 256);
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, at + 4));
  if (major === 'crx ') return 'raw';
  if (AVIF_BRANDS.has(major)) return 'avif';
  if (HEIC_BRANDS.has(major)) return 'heic';
  if (GENERIC_HEIF_BRANDS.has(major)) {
    if (brands.some((b) => HEIC_BRANDS.has(b))) return 'heic';
    if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
    return 'heic';
  }
  // Some encoders put a video brand first and the image brand among the compatible ones.
  if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
  if (brands.some((b) => HEIC_BRANDS.has(b))) return 'heic';
  return null;
}

function isTiffRaw(bytes: Uint8Array, extension: string | undefined): boolean {
  // ORF ("IIRO", "IIRS", "MMOR") and RW2 ("IIU\0") change the TIFF magic number itself.
  if (bytes[2] !== 0x2a && bytes[3] !== 0x2a) return true;
  // CR2: "CR" at offset 8 of a little-endian TIFF.
  if (bytes[8] === 0x43 && bytes[9] === 0x52) return true;
  const tiff = readTiff(bytes);
  if (tiff?.ifds.some((ifd) => ifd.entries.has(TAG.DngVersion))) return true;
  if (extension !== undefined && RAW_TIFF_EXTENSIONS.has(extension)) {
    // A renamed scanner TIFF without camera make is still a TIFF.
    const ifd0 = tiff?.ifds[0];
    return tiff !== null && ifd0 !== undefined && tagString(tiff, ifd0, TAG.Make) !== null;
  }
  return false;
}

/**
 * The image format of `bytes` (the whole file, or at least its first `SNIFF_BYTES`), or null when
 * it is nothing Photoseek decodes. `extension` (any case, with or without the dot) only
 * separates camera raws from plain TIFFs; see [Note: Format by content].
 */
export function sniffFormat(bytes: Uint8Array, extension?: string): ImageFormat | null {
  if (bytes.length < 12) {
    // The smallest valid images we read are larger than this; a 1×1 GIF is 26 bytes.
    return null;
  }
  const b = bytes;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b[0] === 0x89 && ascii(b, 1, 8) === 'PNG\r\n\x1a\n') return 'png';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  const gif = ascii(b, 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return 'gif';
  if (ascii(b, 4, 8) === 'ftyp') return sniffIsoBmff(b);
  if (ascii(b, 0, 15) === 'FUJIFILMCCD-RAW') return 'raw';
  if (tiffByteOrder(b)) {
    const ext = extension?.replace(/^\./, '').toLowerCase();
    return isTiffRaw(b, ext) ? 'raw' : 'tiff';
  }
  return null;
}

/** A short, human description of content that is not an image, for failure messages. */
export function describeContent(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'it is empty';
  const head = bytes.subarray(0, 512);
  let printable = 0;
  for (const byte of head)
    if (byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127) || byte >= 0xc2)
      printable++;
  const text = ascii(head, 0, head.length).trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html'))
    return 'it is a web page (HTML)';
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg')))
    return 'it is an SVG drawing, which Photoseek does not index';
  if (text.startsWith('%pdf')) return 'it is a PDF document';
  if (ascii(bytes, 4, 8) === 'ftyp') return 'it is a video or another ISO media file';
  if (
    ascii(bytes, 4, 8) === 'jP  ' ||
    (bytes[0] === 0xff && bytes[1] === 0x4f && bytes[2] === 0xff && bytes[3] === 0x51)
  ) {
    return 'it is JPEG 2000, which Photoseek cannot decode';
  }
  if (printable / head.length > 0.95) return 'it is text';
  return 'its content is not an image format Photoseek reads';
}
