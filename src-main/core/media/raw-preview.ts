import sharp from 'sharp';
import { readTiff, TAG, tagNumber, tagNumbers } from './tiff';

/**
 * [Note: Camera raw via preview] Photoseek does not demosaic raw sensor data (no maintained
 * raw decoder installs from npm without native builds). Every camera raw format embeds a JPEG
 * rendering made by the camera, usually full size or close to it, and that is what a person sees in
 * a file browser; it is more than enough for a 224 px model input and a grid thumbnail. We pick the
 * largest embedded JPEG that sharp can read:
 *
 * - TIFF-structured raws (DNG, CR2, NEF, ARW, PEF, ORF, RW2 …): JPEGInterchangeFormat(+Length),
 *   JPEG-compressed single strips, and Panasonic's JpgFromRaw, in IFD0, IFD1, every SubIFD and the
 *   Exif IFD.
 * - Fujifilm RAF: the JPEG offset and length in its fixed header.
 * - Anything else (Canon CR3 …), or when the structure yields nothing: a scan for JPEG start
 *   markers, each candidate checked by reading its header.
 *
 * The preview's pixels are stored in sensor orientation; the raw's IFD0 Orientation (or the EXIF
 * orientation the caller read) is applied to them.
 */
export interface RawPreview {
  jpeg: Uint8Array;
  width: number;
  height: number;
  /** Orientation recorded by the raw file for its preview (1–8), or null if it records none. */
  orientation: number | null;
}

interface Candidate {
  start: number;
  end: number;
}

const MAX_SCANNED = 128;
const MAX_CHECKED = 24;

function isJpegStart(bytes: Uint8Array, at: number): boolean {
  return (
    at >= 0 &&
    at + 3 < bytes.length &&
    bytes[at] === 0xff &&
    bytes[at + 1] === 0xd8 &&
    bytes[at + 2] === 0xff
  );
}

function tiffCandidates(bytes: Uint8Array): {
  candidates: Candidate[];
  orientation: number | null;
} {
  const tiff = readTiff(bytes);
  if (!tiff) return { candidates: [], orientation: null };
  const candidates: Candidate[] = [];
  const add = (start: number | null | undefined, length: number | null | undefined) => {
    if (
      start === null ||
      start === undefined ||
      length === null ||
      length === undefined ||
      length < 128
    )
      return;
    if (isJpegStart(bytes, start))
      candidates.push({ start, end: Math.min(start + length, bytes.length) });
  };
  for (const ifd of tiff.ifds) {
    add(
      tagNumber(tiff, ifd, TAG.JpegInterchangeFormat),
      tagNumber(tiff, ifd, TAG.JpegInterchangeFormatLength),
    );
    const compression = tagNumber(tiff, ifd, TAG.Compression);
    if (compression === 6 || compression === 7) {
      const offsets = tagNumbers(tiff, ifd, TAG.StripOffsets);
      const counts = tagNumbers(tiff, ifd, TAG.StripByteCounts);
      if (offsets.length === 1 && counts.length === 1) add(offsets[0], counts[0]);
    }
    const jpgFromRaw = ifd.entries.get(TAG.PanasonicJpgFromRaw);
    if (jpgFromRaw) add(jpgFromRaw.valueOffset, jpgFromRaw.count);
  }
  const ifd0 = tiff.ifds[0];
  const orientation = ifd0 ? tagNumber(tiff, ifd0, TAG.Orientation) : null;
  return {
    candidates,
    orientation: orientation !== null && orientation >= 1 && orientation <= 8 ? orientation : null,
  };
}

function rafCandidates(bytes: Uint8Array): Candidate[] {
  if (bytes.length < 92) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = view.getUint32(84, false);
  const length = view.getUint32(88, false);
  return isJpegStart(bytes, start) ? [{ start, end: Math.min(start + length, bytes.length) }] : [];
}

function scannedCandidates(bytes: Uint8Array): Candidate[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const marker = Buffer.from([0xff, 0xd8, 0xff]);
  const starts: number[] = [];
  let at = buffer.indexOf(marker, 0);
  while (at >= 0 && starts.length < MAX_SCANNED) {
    const next = buffer[at + 3] ?? 0;
    // A real SOI is followed by an APPn, DQT, DHT, SOFn or COM marker.
    if (
      (next >= 0xe0 && next <= 0xef) ||
      next === 0xdb ||
      next === 0xc4 ||
      (next >= 0xc0 && next <= 0xc2) ||
      next === 0xfe
    ) {
      starts.push(at);
    }
    at = buffer.indexOf(marker, at + 3);
  }
  return starts.map((start) => ({ start, end: bytes.length }));
}

/** The largest readable embedded JPEG of a camera raw file, or null when it has none. */
export async function extractRawPreview(
  bytes: Uint8Array,
  fallbackOrientation: number | null = null,
): Promise<RawPreview | null> {
  const fromTiff = tiffCandidates(bytes);
  let candidates = [...fromTiff.candidates, ...rafCandidates(bytes)];
  let best = await largest(bytes, candidates);
  if (!best) {
    candidates = scannedCandidates(bytes);
    best = await largest(bytes, candidates);
  }
  if (!best) return null;
  return { ...best, orientation: fromTiff.orientation ?? fallbackOrientation };
}

async function largest(
  bytes: Uint8Array,
  candidates: Candidate[],
): Promise<Omit<RawPreview, 'orientation'> | null> {
  // Check the biggest spans first; structured candidates come with exact lengths.
  const ordered = [...new Map(candidates.map((c) => [c.start, c])).values()].sort(
    (a, b) => b.end - b.start - (a.end - a.start),
  );
  let best: Omit<RawPreview, 'orientation'> | null = null;
  for (const candidate of ordered.slice(0, MAX_CHECKED)) {
    const jpeg = bytes.subarray(candidate.start, candidate.end);
    try {
      const meta = await sharp(jpeg, { failOn: 'none' }).metadata();
      if (meta.format !== 'jpeg' || !meta.width || !meta.height) continue;
      if (!best || meta.width * meta.height > best.width * best.height) {
        best = { jpeg, width: meta.width, height: meta.height };
      }
    } catch {
      // Lossless-JPEG raw data (SOF3), a thumbnail cut short, a false marker: not a preview.
    }
  }
  return best;
}
