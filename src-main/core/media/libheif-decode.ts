/** Upright RGB pixels, 3 bytes a pixel, row-major, no padding. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
  /** What was read of the picture: 1 − the share of its grid's tiles that failed to decode. */
  readFraction: number;
}

/**
 * The part of libheif-js's WebAssembly module (its C API, as emscripten exports it) that
 * decodePrimaryImage calls. Pointers are numbers into HEAPU8; functions returning a heif_error take
 * the address to write it to (12 bytes: code, subcode, message pointer) as their first argument.
 */
export interface Libheif {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _heif_context_alloc(): number;
  _heif_context_free(context: number): void;
  _heif_context_read_from_memory_without_copy(
    error: number,
    context: number,
    data: number,
    size: number,
    options: number,
  ): void;
  _heif_context_get_primary_image_handle(error: number, context: number, handle: number): void;
  _heif_image_handle_release(handle: number): void;
  _heif_decode_image(
    error: number,
    handle: number,
    image: number,
    colorspace: number,
    chroma: number,
    options: number,
  ): void;
  _heif_image_get_width(image: number, channel: number): number;
  _heif_image_get_height(image: number, channel: number): number;
  _heif_image_get_plane_readonly(image: number, channel: number, stride: number): number;
  _heif_image_release(image: number): void;
  _heif_image_get_decoding_warnings(
    image: number,
    first: number,
    warnings: number,
    maxWarnings: number,
  ): number;
  _heif_image_handle_get_image_tiling(
    error: number,
    handle: number,
    transformed: number,
    tiling: number,
  ): void;
}

/**
 * Decodes the primary image of a HEIF file to upright RGB with libheif's C API: libheif applies
 * the image's transformations (irot, imir, clap) and converts its colour (nclx matrix and range)
 * as for any decode, so the pixels are those libheif-js's own wrapper gives, without its copies
 * ([Note: HEIC decode threads] in heic.ts). Throws an Error named 'HeifError' with libheif's
 * message for what libheif refuses; anything else thrown comes from the WebAssembly runtime.
 *
 * A grid tile libheif cannot decode (a file cut short) is no error: libheif records a warning for
 * it and leaves it a flat colour (green, YCbCr zero), so the tiles' count and the warnings' give
 * readFraction ([Note: Partial images] in decode.ts).
 *
 * Self-contained but for throwIfHeifError (no imports, no other outer names, no inner functions,
 * which bundlers may wrap in helpers of their own): the decode threads run the two's source text.
 */
export function decodePrimaryImage(libheif: Libheif, bytes: Uint8Array): RgbImage {
  const COLORSPACE_RGB = 1;
  const CHROMA_INTERLEAVED_RGB = 10;
  const CHANNEL_INTERLEAVED = 10;
  const error = libheif._malloc(16);
  const out = libheif._malloc(4);
  // struct heif_image_tiling: int version, uint32 num_columns, num_rows, … (72 bytes)
  const tiling = libheif._malloc(128);
  const input = libheif._malloc(bytes.length);
  const context = libheif._heif_context_alloc();
  let handle = 0;
  let image = 0;
  try {
    libheif.HEAPU8.set(bytes, input);
    libheif._heif_context_read_from_memory_without_copy(error, context, input, bytes.length, 0);
    throwIfHeifError(libheif, error, 'reading the file');
    libheif._heif_context_get_primary_image_handle(error, context, out);
    throwIfHeifError(libheif, error, 'finding the primary image');
    handle = libheif.HEAP32[out >> 2]!;
    libheif._heif_decode_image(error, handle, out, COLORSPACE_RGB, CHROMA_INTERLEAVED_RGB, 0);
    throwIfHeifError(libheif, error, 'decoding the primary image');
    image = libheif.HEAP32[out >> 2]!;
    libheif._heif_image_handle_get_image_tiling(error, handle, 1, tiling);
    throwIfHeifError(libheif, error, 'reading the image grid');
    const tiles = libheif.HEAP32[(tiling + 4) >> 2]! * libheif.HEAP32[(tiling + 8) >> 2]!;
    const failedTiles = libheif._heif_image_get_decoding_warnings(image, 0, 0, 0);
    const readFraction = Math.max(0, 1 - failedTiles / Math.max(1, tiles));
    const width = libheif._heif_image_get_width(image, CHANNEL_INTERLEAVED);
    const height = libheif._heif_image_get_height(image, CHANNEL_INTERLEAVED);
    const plane = libheif._heif_image_get_plane_readonly(image, CHANNEL_INTERLEAVED, out);
    const stride = libheif.HEAP32[out >> 2]!;
    const row = width * 3;
    if (!(width > 0 && height > 0 && plane !== 0 && stride >= row)) {
      throw Object.assign(new Error(`libheif returned no ${width}×${height} RGB plane`), {
        name: 'HeifError',
      });
    }
    const data = new Uint8Array(row * height);
    for (let y = 0; y < height; y++) {
      const from = plane + y * stride;
      data.set(libheif.HEAPU8.subarray(from, from + row), y * row);
    }
    return { width, height, data, readFraction };
  } finally {
    if (image) libheif._heif_image_release(image);
    if (handle) libheif._heif_image_handle_release(handle);
    libheif._heif_context_free(context);
    libheif._free(input);
    libheif._free(tiling);
    libheif._free(out);
    libheif._free(error);
  }
}

/** Throws the heif_error at `error`, if its code is not 0, as an Error named 'HeifError'. */
export function throwIfHeifError(libheif: Libheif, error: number, step: string): void {
  const code = libheif.HEAP32[error >> 2]!;
  if (code === 0) return;
  const text = libheif.HEAP32[(error + 8) >> 2]!;
  const end = text === 0 ? 0 : libheif.HEAPU8.indexOf(0, text);
  const message = end > text ? new TextDecoder().decode(libheif.HEAPU8.subarray(text, end)) : '';
  throw Object.assign(new Error(`${step}: ${message || `libheif error ${code}`}`), {
    name: 'HeifError',
  });
}
