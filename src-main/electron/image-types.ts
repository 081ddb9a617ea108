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
