/** Decoded pixels, row-major, `channels` bytes a pixel (RGB or RGBA), no padding, upright. */
export interface DecodedPixels {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
}

/** RGBA pixels, as the JavaScript and WebAssembly decoders of BMP and JPEG XL give them. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}
