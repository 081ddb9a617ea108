import os from 'node:os';
import { HeicThreads } from './heic-threads';
import type { DecodedPixels } from './pixels';

/**
 * [Note: HEIC through WebAssembly] sharp's prebuilt libvips reads HEIF containers but cannot decode
 * HEVC (patents), so HEIC/HEIF photos (iPhones since 2017) are decoded by libheif compiled to
 * WebAssembly (libheif-js); AVIF (AV1) stays with sharp. libheif applies the container's rotation
 * and mirror boxes (irot/imir) itself, which is where HEIF records orientation, so the decoded
 * pixels are already upright and EXIF orientation must not be applied a second time. The primary
 * image is decoded (the one a collection names as its picture); colour profiles (Display P3 on
 * iPhones) are not converted, a slight desaturation we accept.
 *
 * [Note: HEIC decode threads] A 12 MP iPhone HEIC is 48 HEVC tiles of 512 × 512 that one
 * WebAssembly thread decodes in ≈ 1 s; that, not sharp, bounds HEIC indexing. Measured on the
 * shared 2-core VM (heic-iphone7.heic, 4032 × 3024, load 5.5, median of 3):
 * - heic-decode (libheif-js's JavaScript wrapper, RGBA) took 2.35 s; libheif's C API called
 *   directly (decodePrimaryImage) 1.05 s for RGB, 1.25 s for RGBA: the wrapper copies the picture
 *   through embind and then again, and the alpha channel is a quarter more bytes for nothing.
 *   Decoding to YCbCr instead of RGB saves nothing (1.34 s): HEVC itself is the cost.
 * - It ran on the calling thread, so the indexer's two decodes at a time took turns on one core.
 *   Decodes now run on up to two worker threads, each with its own libheif instance (≈ 60 MB of
 *   WebAssembly heap after a 12 MP image, released when a thread has been idle for 15 s); the
 *   file's bytes go in as a copy, the pixels come back transferred.
 * - Not taken: the HEIC's own thumbnail item. iPhones store 320 × 240 (heic-iphone7, heic-iphone,
 *   heic-maybebroken; 240 × 160 in heic-single), less than the working image needs for the model
 *   (shorter edge 2 × 224) and for the 384 px thumbnail ([Note: Decode once]), so it could not
 *   give a correct model input; libheif would rotate it upright (it applies the irot to the
 *   thumbnail item: 240 × 320 with the primary's irot set to 90°). Nor the grid's tiles decoded in
 *   parallel: with two images at a time both cores are already busy, and one image's latency (a
 *   dropped query photo) would gain at most the same 2 × for tile assembly and transforms of our
 *   own. npm has no faster build: libheif-js 1.23.2 is the newest; imgkit decodes HEIC on macOS
 *   only; @saschazar/wasm-heif is an older libheif.
 */
const threads = new HeicThreads(Math.max(1, Math.min(2, os.availableParallelism())));

/**
 * The primary image of a HEIC file, upright RGB, decoded on a decode thread, with the share of it
 * that could be read.
 */
export async function decodeHeic(
  bytes: Uint8Array,
): Promise<DecodedPixels & { readFraction: number }> {
  const image = await threads.decode(bytes);
  return { ...image, channels: 3 };
}
