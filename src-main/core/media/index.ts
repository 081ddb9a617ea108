/**
 * Media layer: image files → format, metadata, the model's RGB input and a thumbnail.
 * Plain Node; sharp for decoding, heic-decode (WebAssembly) for HEIC, exifr for EXIF.
 */
export { decodeImage, readImageFormat } from './files';
export type { DecodeFileOptions } from './files';
export {
  decodeImageBytes,
  DEFAULT_LIMIT_INPUT_PIXELS,
  DEFAULT_MIN_DECODED_FRACTION,
} from './decode';
export type { DecodedImage, DecodeOptions, ModelInputRequest } from './decode';
export { isMediaError, isPermanentMediaError, MediaError } from './errors';
export type { MediaErrorCode } from './errors';
export { DEFAULT_MAX_FILE_BYTES, readImageFile } from './read';
export { readExif } from './exif';
export type { ExifInfo } from './exif';
export { describeContent, sniffFormat } from './sniff';
