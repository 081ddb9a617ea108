/**
 * What a HEIF-family file (HEIC, AVIF, and their kin) holds, read from its boxes, for messages a
 * photographer understands when decoding fails: an animation with no still picture, or a still
 * compressed with a codec Photoseek has no decoder for. Hand-written: a few box headers, all
 * bounds-checked; no npm package reads them without decoding.
 */

/** Item types (ISO/IEC 23008-12) that carry coded pixels, by the name people know them by. */
const CODECS: ReadonlyMap<string, string> = new Map([
  ['hvc1', 'HEVC'],
  ['av01', 'AV1'],
  ['j2k1', 'JPEG 2000'],
  ['jpeg', 'JPEG'],
  ['avc1', 'H.264'],
  ['vvc1', 'H.266 (VVC)'],
  ['unci', 'uncompressed pixels'],
]);
/** What sharp (AV1) and libheif-js (HEVC) decode; the rest fails in this build. */
const DECODED_CODECS = new Set(['hvc1', 'av01']);
const SEQUENCE_BRANDS = new Set(['avis', 'msf1', 'hevs', 'hevm']);
const STILL_BRANDS = new Set(['avif', 'heic', 'heix', 'mif1', 'mif2', 'miaf']);

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));
}

/** The ftyp box's major and compatible brands. */
export function isoBrands(head: Uint8Array): string[] {
  if (head.length < 16 || ascii(head, 4, 8) !== 'ftyp') return [];
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const boxSize = view.getUint32(0);
  const brands = [ascii(head, 8, 12)];
  for (let at = 16; at + 4 <= Math.min(boxSize, head.length, 256); at += 4) {
    brands.push(ascii(head, at, at + 4));
  }
  return brands;
}

/** The item types declared by the item-info entries ('infe', version 2 or 3) in `head`. */
export function heifItemTypes(head: Uint8Array): Set<string> {
  const types = new Set<string>();
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  for (let at = bytes.indexOf('infe'); at >= 0; at = bytes.indexOf('infe', at + 4)) {
    const version = bytes[at + 4];
    if (version !== 2 && version !== 3) continue;
    const typeAt = at + 8 + (version === 2 ? 2 : 4) + 2; // item_ID, protection index
    if (typeAt + 4 <= bytes.length) types.add(ascii(bytes, typeAt, typeAt + 4));
  }
  return types;
}

/** Why a HEIF-family file that failed to decode cannot be read, or null when nothing stands out. */
export function heifContentProblem(head: Uint8Array): string | null {
  const brands = isoBrands(head);
  const types = heifItemTypes(head);
  const coded = [...types].filter((type) => CODECS.has(type));
  const isAvif = brands.some((brand) => brand === 'avif' || brand === 'avis');
  const kind = isAvif ? 'AVIF' : 'HEIF';
  if (coded.length === 0 && brands.some((brand) => SEQUENCE_BRANDS.has(brand))) {
    const still = brands.some((brand) => STILL_BRANDS.has(brand));
    return still
      ? `This ${kind} file holds an animation whose still picture could not be found.`
      : `This ${kind} file is an animation (an image sequence) with no still picture; Photoseek reads still images only.`;
  }
  const unsupported = coded.filter((type) => !DECODED_CODECS.has(type));
  if (unsupported.length > 0 && unsupported.length === coded.length) {
    return `This ${kind} image is compressed with ${CODECS.get(unsupported[0]!)}, which Photoseek cannot decode.`;
  }
  return null;
}
