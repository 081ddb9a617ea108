/**
 * Media layer: image bytes → format, metadata, the model's RGB input and a thumbnail, from one
 * decode. sharp decodes, libheif-js (WebAssembly, on decode threads) covers HEIC, bmp-ts BMP,
 * @jsquash/jxl (WebAssembly) JPEG XL; exifr reads EXIF.
 */
export { decodeImage, decodeImageBuffer, DEFAULT_MAX_PIXELS } from './decode';
export type { DecodedImage, DecodeOptions, ModelInputShape } from './decode';
export { isPermanentMediaError, MediaError } from './media-error';
export type { MediaErrorCode, MediaStage } from './media-error';
export { looksLikeImage, readImageFormat, sniffImageFormat } from './sniff';
