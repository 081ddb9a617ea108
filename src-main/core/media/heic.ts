import decodeHeicWasm from 'heic-decode';

/**
 * [Note: HEIC through WebAssembly] sharp's prebuilt libvips reads HEIF containers but cannot decode
 * HEVC (patents), so HEIC/HEIF photos (iPhones since 2017) are decoded by libheif compiled to
 * WebAssembly (heic-decode). It is slower than native (≈ 1 s for 12 MP) and runs on the calling
 * thread, which is acceptable because the core already lives in its own process; AVIF (AV1) stays
 * with sharp. libheif applies the container's rotation and mirror boxes (irot/imir) itself, which is
 * where HEIF records orientation, so the decoded pixels are already upright and EXIF orientation
 * must not be applied a second time. The first top-level image of a collection is decoded; colour
 * profiles (Display P3 on iPhones) are not converted, a slight desaturation we accept.
 */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export async function decodeHeic(bytes: Uint8Array): Promise<RgbaImage> {
  const image = await decodeHeicWasm({ buffer: bytes });
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  if (image.width <= 0 || image.height <= 0 || data.length !== image.width * image.height * 4) {
    throw new Error(`libheif returned ${data.length} bytes for ${image.width}×${image.height}`);
  }
  return { width: image.width, height: image.height, data };
}
