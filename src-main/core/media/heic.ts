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
 * [Note: HEIC decode threads] A 12 MP iPhone HEIC is 48 HEVC tiles of 512 × 512 that libheif's
 * WebAssembly build (libde265 inside) decodes in ≈ 0.9–1.0 s of CPU; everything else of an
 * indexer decode (hash, resize, thumbnail) is a few per cent of that. The decode used to run on
 * the calling thread, so the indexer's two decodes at a time took turns on one core (the 1.19
 * img/s baseline of bench/lib/targets.ts). It now runs on up to two worker threads, each with its
 * own libheif instance (≈ 60 MB of WebAssembly heap after a 12 MP image, released after 15 s
 * idle); the file's bytes go in as a copy, the pixels come back transferred. That buys up to the
 * number of free cores, and nothing per image: measured back to back on the shared 2-core VM
 * (heic-iphone7.heic; 6 copies, 2 at a time, 3 rounds), the whole decode stage used 0.98 CPU-s per
 * image before and 0.99 after; a single decode 0.82–1.15 CPU-s through heic-decode (libheif-js's
 * JavaScript wrapper), 0.82–1.11 through the C API (decodePrimaryImage). The C API is used for
 * what the wrapper hides: RGB instead of RGBA (a quarter fewer bytes), the primary image rather
 * than the first top-level one, and the decoding warnings that measure a cut-short file.
 *
 * Measured and not taken:
 * - The HEIC's own thumbnail item: iPhones store 320 × 240 (heic-iphone7, heic-iphone,
 *   heic-maybebroken; 240 × 160 in heic-single; none in heic-empty), less than the working image
 *   needs for the model (shorter edge 2 × 224) and for the 384 px thumbnail ([Note: Decode once]),
 *   so it cannot give a correct model input. (libheif would turn it upright: it applies the irot
 *   to the thumbnail item too, 240 × 320 with the primary's irot set to 90°.) Decoding it takes
 *   ≈ 15 ms.
 * - The grid's tiles decoded in parallel for one image: with two images at a time the two threads
 *   already fill two cores, so only a single image's latency (a dropped query photo) would gain.
 * - Another build from npm: libheif-js 1.23.2 is the newest; imgkit's native HEIC decode exists on
 *   macOS only; @saschazar/wasm-heif 2.0.0 (2021) took 1.69 CPU-s for its first decode of
 *   heic-iphone7 and failed its second ("memory access out of bounds"). Decoding to YCbCr
 *   instead of RGB saves nothing (HEVC itself is the cost). What would cut it is libde265 built
 *   with WebAssembly SIMD (libheif's emscripten script configures it --disable-sse) or a native
 *   libheif, neither of which npm ships for every desktop platform.
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
