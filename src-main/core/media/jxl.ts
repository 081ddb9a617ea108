import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import decodeJxlWasm, { init as initJxlDecoder } from '@jsquash/jxl/decode.js';
import type { RgbaImage } from './pixels';
import { MediaError } from './media-error';

/**
 * [Note: JPEG XL through WebAssembly] sharp's prebuilt libvips has no JPEG XL loader; libjxl
 * compiled to WebAssembly (@jsquash/jxl, from Squoosh) decodes it to 8-bit RGBA on the calling
 * thread, like HEIC ([Note: HEIC through WebAssembly]). Its heap grows to the largest image
 * decoded and never shrinks, and decoding allocates the full RGBA image, so the size is read from
 * the codestream's SizeHeader first and checked against the pixel limit. EXIF in a JPEG XL
 * container is not read (exifr has no JPEG XL parser): such photos have no capture time or camera.
 */
let decoder: Promise<unknown> | undefined;

/** The decoder, compiled from the package's .wasm file on first use (no fetch in Node). */
function ready(): Promise<unknown> {
  decoder ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmBinary = await readFile(require.resolve('@jsquash/jxl/codec/dec/jxl_dec.wasm'));
    return initJxlDecoder({ wasmBinary } as Parameters<typeof initJxlDecoder>[0]);
  })();
  return decoder;
}

/** Decodes a JPEG XL file; a container's codestream is taken out first (the decoder wants it bare). */
export async function decodeJxl(bytes: Uint8Array): Promise<RgbaImage> {
  await ready();
  const codestream = jxlCodestream(bytes);
  if (!codestream) {
    throw new MediaError('decode', 'CORRUPT', 'The JPEG XL image is damaged (no image data).');
  }
  // A copy: an ArrayBuffer of exactly the codestream (Buffer#slice would share the whole pool).
  const copy = new Uint8Array(codestream).buffer;
  let image;
  try {
    image = await decodeJxlWasm(copy);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new MediaError('decode', 'CORRUPT', `The JPEG XL image is damaged (${detail}).`, {
      cause: error,
    });
  }
  const { width, height } = image;
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  if (data.length !== width * height * 4) {
    throw new MediaError('decode', 'CORRUPT', 'The JPEG XL image is damaged (its size is wrong).');
  }
  return { width, height, data };
}

const CONTAINER_SIGNATURE = 12;
const RATIOS: ReadonlyArray<readonly [number, number]> = [
  [1, 1],
  [12, 10],
  [4, 3],
  [3, 2],
  [16, 9],
  [5, 4],
  [2, 1],
];

/**
 * Width and height from a JPEG XL file's SizeHeader (ISO/IEC 18181-1, A.2): found in a bare
 * codestream (FF 0A) or in the container's jxlc / first jxlp box. Hand-written because no npm
 * package reads it; every offset is bounds-checked. Throws CORRUPT when no size can be read.
 */
export function jxlSize(bytes: Uint8Array): { width: number; height: number } {
  const codestream = jxlCodestream(bytes);
  if (!codestream || codestream.length < 3) {
    throw new MediaError('decode', 'CORRUPT', 'The JPEG XL image is damaged (no image header).');
  }
  const bits = new BitReader(codestream.subarray(2));
  const small = bits.read(1) === 1;
  const dimension = () =>
    small ? (bits.read(5) + 1) * 8 : bits.read([9, 13, 18, 30][bits.read(2)]!) + 1;
  const height = dimension();
  const ratio = bits.read(3);
  const width =
    ratio === 0
      ? dimension()
      : Math.floor((height * RATIOS[ratio - 1]![0]) / RATIOS[ratio - 1]![1]);
  return { width, height };
}

/**
 * The codestream of a JPEG XL file: the file itself when bare (FF 0A), else the container's jxlc
 * box or its jxlp boxes joined in order (each starts with a 4-byte index); null when none.
 */
export function jxlCodestream(bytes: Uint8Array): Uint8Array | null {
  if (bytes[0] === 0xff && bytes[1] === 0x0a) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  for (let at = CONTAINER_SIGNATURE; at + 8 <= bytes.length;) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    let header = 8;
    if (size === 1 && at + 16 <= bytes.length) {
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = bytes.length - at;
    if (size < header) break;
    const data = bytes.subarray(at + header, Math.min(bytes.length, at + size));
    if (type === 'jxlc') return data;
    if (type === 'jxlp') parts.push(data.subarray(4));
    at += size;
  }
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Least-significant-bit-first reader, as JPEG XL packs its headers. */
class BitReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  read(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++, this.position++) {
      const byte = this.bytes[this.position >> 3];
      if (byte === undefined) {
        throw new MediaError(
          'decode',
          'CORRUPT',
          'The JPEG XL image is damaged (header cut short).',
        );
      }
      value += ((byte >> (this.position & 7)) & 1) * 2 ** i;
    }
    return value;
  }
}
