import type { ImageFormat } from '../shared/types';

/** The Content-Type of an original by its format (sniffed from its bytes when it was indexed). */
export const IMAGE_CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
  heic: 'image/heic',
  bmp: 'image/bmp',
  jxl: 'image/jxl',
  raw: 'application/octet-stream',
};

/** The contract's limit for `search.imageBytes`, also the most main reads of a chosen or copied image. */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

/** What the Choose image… dialog offers: the extensions of the formats the core decodes. */
export const IMAGE_FILE_EXTENSIONS: readonly string[] = [
  'jpg',
  'jpeg',
  'png',
  'webp',
  'avif',
  'gif',
  'tif',
  'tiff',
  'heic',
  'heif',
  'bmp',
  'jxl',
  'dng',
  'cr2',
  'cr3',
  'crw',
  'nef',
  'arw',
  'orf',
  'rw2',
  'raf',
];
