/**
 * [Note: CR3 metadata] Canon CR3 is an ISO-media file that exifr cannot parse: its EXIF sits in
 * boxes inside the moov box's Canon uuid box, each a complete little TIFF: CMT1 holds IFD0
 * (Make, Model, Orientation), CMT2 the Exif IFD (DateTimeOriginal, OffsetTimeOriginal,
 * SubSecTimeOriginal). The boxes are found by their names, and their first directory read here;
 * every offset is bounds-checked. The tags come out under exifr's names, for exifFromTags.
 */
const SEARCH_BYTES = 1024 * 1024;
const IFD0_TAGS = new Map([
  [0x010f, 'Make'],
  [0x0110, 'Model'],
  [0x0112, 'Orientation'],
]);
const EXIF_TAGS = new Map([
  [0x9003, 'DateTimeOriginal'],
  [0x9004, 'CreateDate'],
  [0x9011, 'OffsetTimeOriginal'],
  [0x9291, 'SubSecTimeOriginal'],
]);

/** Make, model, orientation and capture time of a CR3 file, or null when it is not one. */
export function cr3Tags(bytes: Uint8Array): Record<string, unknown> | null {
  if (String.fromCharCode(...bytes.subarray(4, 12)) !== 'ftypcrx ') return null;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, SEARCH_BYTES));
  const tags = { ...boxTags(head, 'CMT1', IFD0_TAGS), ...boxTags(head, 'CMT2', EXIF_TAGS) };
  return Object.keys(tags).length > 0 ? tags : null;
}

function boxTags(
  head: Buffer,
  name: string,
  wanted: ReadonlyMap<number, string>,
): Record<string, unknown> {
  const at = head.indexOf(name);
  if (at < 4) return {};
  const size = head.readUInt32BE(at - 4);
  const tiff = head.subarray(at + 4, Math.min(head.length, at - 4 + size));
  return readFirstDirectory(tiff, wanted);
}

/** The wanted ASCII and SHORT entries of a TIFF's first directory. */
function readFirstDirectory(
  tiff: Buffer,
  wanted: ReadonlyMap<number, string>,
): Record<string, unknown> {
  const tags: Record<string, unknown> = {};
  if (tiff.length < 8) return tags;
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const directory = u32(4);
  if (directory + 2 > tiff.length) return tags;
  for (let i = 0; i < u16(directory); i++) {
    const entry = directory + 2 + i * 12;
    if (entry + 12 > tiff.length) break;
    const name = wanted.get(u16(entry));
    if (!name) continue;
    const type = u16(entry + 2);
    const count = u32(entry + 4);
    if (type === 3) tags[name] = u16(entry + 8);
    else if (type === 2) {
      const start = count <= 4 ? entry + 8 : u32(entry + 8);
      if (start + count <= tiff.length) tags[name] = tiff.toString('latin1', start, start + count);
    }
  }
  return tags;
}
