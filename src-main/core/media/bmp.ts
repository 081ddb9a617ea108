import { decode as decodeBmpData } from 'bmp-ts';
import type { RgbaImage } from './pixels';
import { MediaError } from './media-error';

/**
 * [Note: BMP through bmp-ts] sharp's prebuilt libvips has no BMP loader, so BMP (Windows
 * screenshots, old scanners and cameras, Paint) is decoded by bmp-ts, a maintained pure-TypeScript
 * decoder: 1/4/8-bit palettes, RLE4/RLE8, 16/24/32-bit and bit fields, bottom-up and top-down. Its
 * alpha bytes are not trustworthy (it writes 0, "transparent", for formats without alpha), so
 * BMPs are read as opaque: alpha is set to 255. It decodes into one RGBA buffer of the
 * full size, so the pixel count is checked from the header first.
 */
export function bmpSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 26) throw damaged('its header is cut short');
  const headerSize = view.getUint32(14, true);
  const width = headerSize === 12 ? view.getUint16(18, true) : view.getInt32(18, true);
  const height = headerSize === 12 ? view.getUint16(20, true) : Math.abs(view.getInt32(22, true));
  if (width <= 0 || height <= 0) throw damaged('its header gives no size');
  return { width, height };
}

export function decodeBmp(bytes: Uint8Array): RgbaImage {
  let image;
  try {
    image = decodeBmpData(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw damaged(detail.startsWith('The value of "offset"') ? 'its pixels are cut short' : detail);
  }
  const { width, height, data } = image;
  if (data.length !== width * height * 4) throw damaged('its pixels do not match its size');
  // ABGR, the layout every bit depth of bmp-ts writes (its RGBA option is not applied to palettes),
  // to opaque RGBA in place.
  for (let at = 0; at < data.length; at += 4) {
    const [blue, green, red] = [data[at + 1]!, data[at + 2]!, data[at + 3]!];
    data[at] = red;
    data[at + 1] = green;
    data[at + 2] = blue;
    data[at + 3] = 255;
  }
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function damaged(detail: string): MediaError {
  return new MediaError('decode', 'CORRUPT', `The BMP image is damaged (${detail}).`);
}
