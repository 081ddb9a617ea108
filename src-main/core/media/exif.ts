import exifr from 'exifr';
import { cr3Tags } from './cr3-metadata';
import type { GpsPosition } from '../../shared/types';

/** What Photoseek keeps from a file's EXIF block. Every field is null when absent or implausible. */
export interface ExifInfo {
  /** Capture time, ms since the epoch; see [Note: Capture time]. */
  takenAt: number | null;
  /** "Make Model" without the make repeated, e.g. "Canon EOS 1300D", "Apple iPhone 7". */
  camera: string | null;
  gps: GpsPosition | null;
  /** EXIF orientation 1–8 as stored; the decoder applies it to raw previews that lack their own. */
  orientation: number | null;
}

const EMPTY_EXIF: ExifInfo = Object.freeze({
  takenAt: null,
  camera: null,
  gps: null,
  orientation: null,
});

const PICK = [
  'Make',
  'Model',
  'Orientation',
  'DateTimeOriginal',
  'CreateDate',
  'OffsetTimeOriginal',
  'OffsetTimeDigitized',
  'OffsetTime',
  'SubSecTimeOriginal',
  'SubSecTimeDigitized',
  'GPSLatitude',
  'GPSLatitudeRef',
  'GPSLongitude',
  'GPSLongitudeRef',
];

const OPTIONS = {
  pick: PICK,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  sanitize: true,
  mergeOutput: true,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
};

type Tags = Record<string, unknown>;

/**
 * [Note: EXIF is untrusted] EXIF is written by thousands of firmwares and editors and is often
 * wrong or malformed (dates of 0000:00:00, GPS 0/0, offsets pointing outside the file, values of
 * the wrong type). Reading it never fails a file: exifr errors become "no metadata", and each
 * field is validated on its own, so one bad tag does not hide the good ones.
 *
 * Sources, first that yields tags wins: the EXIF block sharp already extracted while reading the
 * header (the only route for WebP, which exifr cannot parse), then exifr on the whole file
 * (JPEG, TIFF and raw, HEIC, AVIF, PNG eXIf), then Canon CR3's own boxes (cr3-metadata.ts).
 * [Note: XMP as a fallback] A file whose EXIF gives no capture time or camera (an export, a
 * scan, a PNG from an editor) often still says so in its embedded XMP; XMP is read only then, so
 * the camera's own EXIF wins where both exist and most files pay nothing for it.
 */
export async function readExif(
  file: Uint8Array | string,
  exifBlock?: Uint8Array,
): Promise<ExifInfo> {
  let tags: Tags | null = null;
  if (exifBlock && exifBlock.length > 8) tags = await parseTags(stripExifHeader(exifBlock));
  tags ??= await parseTags(file);
  if (!tags && typeof file !== 'string') tags = cr3Tags(file);
  const info = tags ? exifFromTags(tags) : EMPTY_EXIF;
  if (info.takenAt !== null && info.camera !== null) return info;
  const xmp = await parseXmpTags(file);
  return xmp ? withXmpFallback(info, exifFromTags(xmp)) : info;
}

function withXmpFallback(exif: ExifInfo, xmp: ExifInfo): ExifInfo {
  return { ...exif, takenAt: exif.takenAt ?? xmp.takenAt, camera: exif.camera ?? xmp.camera };
}

/** sharp and JPEG APP1 prefix the TIFF structure with "Exif\0\0"; exifr wants the TIFF header first. */
function stripExifHeader(block: Uint8Array): Uint8Array {
  const isExif =
    block[0] === 0x45 &&
    block[1] === 0x78 &&
    block[2] === 0x69 &&
    block[3] === 0x66 &&
    block[4] === 0 &&
    block[5] === 0;
  return isExif ? block.subarray(6) : block;
}

/** XMP date and camera properties, under the names their EXIF counterparts have. */
const XMP_OPTIONS = { ...OPTIONS, pick: undefined, tiff: false, xmp: true };
const XMP_KEYS = ['Make', 'Model', 'DateTimeOriginal', 'CreateDate', 'DateCreated'];

async function parseXmpTags(input: Uint8Array | string): Promise<Tags | null> {
  const output = await parseTags(input, XMP_OPTIONS);
  if (!output) return null;
  const tags: Tags = {};
  for (const key of XMP_KEYS) if (key in output) tags[key] = output[key];
  // photoshop:DateCreated is the date an image was made when nothing else says.
  tags['CreateDate'] ??= tags['DateCreated'];
  return Object.keys(tags).length > 0 ? tags : null;
}

/** exifr on bytes, or on a file it reads in chunks (a file too large to hold). */
async function parseTags(
  input: Uint8Array | string,
  options: object = OPTIONS,
): Promise<Tags | null> {
  try {
    // exifr wants a Buffer or ArrayBuffer view it can wrap; a Uint8Array subarray is fine.
    const source =
      typeof input === 'string'
        ? input
        : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const output: unknown = await exifr.parse(source, options);
    if (output === null || typeof output !== 'object') return null;
    const tags = { ...(output as Tags) };
    delete tags['errors']; // exifr's silently collected parse errors, not tags
    return Object.keys(tags).length > 0 ? tags : null;
  } catch {
    return null;
  }
}

/** Pure: validated ExifInfo from exifr's raw (untranslated, unrevived) tags. */
export function exifFromTags(tags: Tags): ExifInfo {
  const orientation =
    typeof tags['Orientation'] === 'number' && tags['Orientation'] >= 1 && tags['Orientation'] <= 8
      ? tags['Orientation']
      : null;
  return {
    takenAt:
      parseExifDate(
        tags['DateTimeOriginal'],
        tags['OffsetTimeOriginal'] ?? tags['OffsetTime'],
        tags['SubSecTimeOriginal'],
      ) ??
      parseExifDate(
        tags['CreateDate'],
        tags['OffsetTimeDigitized'] ?? tags['OffsetTime'],
        tags['SubSecTimeDigitized'],
      ),
    camera: cameraName(tags['Make'], tags['Model']),
    gps: gpsPosition(
      tags['GPSLatitude'],
      tags['GPSLatitudeRef'],
      tags['GPSLongitude'],
      tags['GPSLongitudeRef'],
    ),
    orientation,
  };
}

/**
 * Printable text of an EXIF string, or null. A NUL ends the string, as in C (firmwares leave
 * junk after it: "ION230\0F", GoPro's padded fields); other control characters become spaces.
 */
function cleanText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value
    .split('\0', 1)[0]!
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 0 && text.length <= 128 ? text : null;
}

/**
 * "Make Model" with the make not repeated: ("Canon", "Canon EOS 5D") → "Canon EOS 5D",
 * ("NIKON CORPORATION", "NIKON D750") → "NIKON D750", ("Apple", "iPhone 7") → "Apple iPhone 7".
 */
export function cameraName(make: unknown, model: unknown): string | null {
  const m = cleanText(make);
  const mo = cleanText(model);
  if (!m) return mo;
  if (!mo) return m;
  const brand = m.split(' ')[0]!.toLowerCase();
  if (mo.toLowerCase().startsWith(brand)) return mo;
  return `${m} ${mo}`;
}

/**
 * [Note: Capture time] EXIF DateTimeOriginal is a wall-clock time without a zone
 * ("2019:10:20 18:34:30"). When the file also records its UTC offset (OffsetTimeOriginal, EXIF
 * 2.31, written by phones since about 2018) the result is the exact instant. When it does not,
 * the wall-clock time is stored *as if it were UTC* ("floating time"): the photo keeps the date and
 * hour printed on it whatever the machine's time zone, and a date filter such as "June 2019" means
 * the same on every machine. Interpreting it in the machine's zone instead would move a photo
 * across midnight when the laptop travels. Callers format floating times with timeZone 'UTC'.
 *
 * Accepted: years 1800–2200, real calendar dates; "0000:00:00 00:00:00" and other placeholders
 * give null (the library may then fall back to the file's own dates).
 */
export function parseExifDate(
  value: unknown,
  offset?: unknown,
  subSeconds?: unknown,
): number | null {
  const text = cleanText(value);
  if (!text) return null;
  const match =
    /^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text,
    );
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction, inlineZone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (
    year < 1800 ||
    year > 2200 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  )
    return null;
  const millis = millisFrom(
    fraction ?? (typeof subSeconds === 'number' ? String(subSeconds) : cleanText(subSeconds)),
  );
  const wall = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis);
  if (new Date(wall).getUTCDate() !== day) return null; // 31 April, 30 February …
  const zone = parseOffsetMinutes(inlineZone ?? offset);
  return zone === null ? wall : wall - zone * 60_000;
}

function millisFrom(digits: string | null | undefined): number {
  if (!digits || !/^\d+$/.test(digits)) return 0;
  return Number(digits.slice(0, 3).padEnd(3, '0'));
}

/** "+02:00", "-0530", "Z" → minutes east of UTC; null when absent or malformed. */
export function parseOffsetMinutes(value: unknown): number | null {
  const text = cleanText(value);
  if (!text) return null;
  if (text === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes > 14 * 60) return null;
  return match[1] === '-' ? -minutes : minutes;
}

function degrees(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (!Array.isArray(value) || value.length === 0 || value.length > 3) return null;
  const [d = 0, m = 0, s = 0] = value as unknown[];
  if (typeof d !== 'number' || typeof m !== 'number' || typeof s !== 'number') return null;
  if (![d, m, s].every(Number.isFinite) || m < 0 || m >= 60 || s < 0 || s >= 60 || d < 0)
    return null;
  return d + m / 60 + s / 3600;
}

/**
 * Signed decimal degrees from the GPS IFD. Rejects out-of-range values and exactly (0, 0), which
 * cameras write when they had no fix.
 */
export function gpsPosition(
  lat: unknown,
  latRef: unknown,
  lon: unknown,
  lonRef: unknown,
): GpsPosition | null {
  const latAbs = degrees(lat);
  const lonAbs = degrees(lon);
  if (latAbs === null || lonAbs === null) return null;
  const latitude = cleanText(latRef)?.toUpperCase().startsWith('S') ? -latAbs : latAbs;
  const longitude = cleanText(lonRef)?.toUpperCase().startsWith('W') ? -lonAbs : lonAbs;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  if (latitude === 0 && longitude === 0) return null;
  return { latitude, longitude };
}
