/**
 * [Note: Camera raw via preview] Photoseek does not demosaic sensor data: no maintained raw
 * decoder installs from npm without native builds. Every camera raw embeds a JPEG rendered by the
 * camera, usually full size or close to it (what file browsers show), which is plenty for a 224 px
 * model input and a grid thumbnail. We take the largest one.
 *
 * Where the preview sits differs per format: SubIFDs (DNG, NEF), IFD0 strips (CR2),
 * JPEGInterchangeFormat (ARW), a Panasonic tag (RW2), maker notes (ORF), a fixed header (RAF),
 * ISO boxes (CR3). exifr's thumbnail() reads only IFD1 (a 160 px thumbnail in CR2, absent in DNG
 * and NEF), so instead of one parser per format the file is scanned for JPEG start markers and
 * each candidate's header is read up to its frame header (SOF). Only 8-bit baseline, extended or
 * progressive frames count: the raw sensor data of CR2 and DNG is itself "lossless JPEG" (SOF3)
 * and must not be mistaken for a picture. The decoder stops at the JPEG's end marker, so the
 * preview is handed over as everything from its start marker on.
 */
export interface RawPreview {
  /** The embedded JPEG (and whatever follows it in the file). */
  jpeg: Uint8Array;
  width: number;
  height: number;
}

const START_OF_IMAGE = Buffer.from([0xff, 0xd8, 0xff]);
/** Bounds the work on a hostile file made of start markers. */
const MAX_CANDIDATES = 1000;
const MARKER_DQT = 0xdb;
const MARKER_SOS = 0xda;
const MARKER_EOI = 0xd9;
/** Baseline, extended sequential and progressive Huffman frames: what sharp decodes as a picture. */
const PICTURE_FRAMES = new Set([0xc0, 0xc1, 0xc2]);

/** The largest embedded picture JPEG of a camera raw file, or null when it has none. */
export function findRawPreview(bytes: Uint8Array): RawPreview | null {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let best: RawPreview | null = null;
  let candidates = 0;
  for (
    let start = file.indexOf(START_OF_IMAGE);
    start >= 0 && candidates < MAX_CANDIDATES;
    start = file.indexOf(START_OF_IMAGE, start + 2), candidates++
  ) {
    const frame = readFrameSize(file, start);
    if (frame && (!best || frame.width * frame.height > best.width * best.height)) {
      best = { jpeg: bytes.subarray(start), ...frame };
    }
  }
  return best;
}

/**
 * Walks the marker segments after the start marker at `start` up to the first scan. Null unless
 * an 8-bit picture frame with a real size and a quantisation table come before it, which random
 * bytes that happen to look like a start marker practically never have.
 */
function readFrameSize(file: Buffer, start: number): { width: number; height: number } | null {
  let at = start + 2;
  let sawQuantTable = false;
  let frame: { width: number; height: number } | null = null;
  while (at + 4 <= file.length) {
    if (file[at] !== 0xff) return null;
    const marker = file[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === MARKER_SOS) return sawQuantTable ? frame : null;
    if (marker === MARKER_EOI) return null;
    const length = file.readUInt16BE(at + 2);
    if (length < 2) return null;
    if (marker === MARKER_DQT) sawQuantTable = true;
    if (isFrameHeader(marker)) {
      if (frame || !PICTURE_FRAMES.has(marker) || at + 9 > file.length) return null;
      const precision = file[at + 4];
      const height = file.readUInt16BE(at + 5);
      const width = file.readUInt16BE(at + 7);
      if (precision !== 8 || width === 0 || height === 0) return null;
      frame = { width, height };
    }
    at += 2 + length;
  }
  return null;
}

/** SOF0–SOF15, which share their range with DHT (C4), JPG (C8) and DAC (CC). */
function isFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}
