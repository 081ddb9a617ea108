import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import type { ImageFormat, PhotoMetadata } from '../../shared/types';
import type { ImageInputSpec } from '../embed/model-spec';
import { MediaError, throwIfAborted } from './errors';
import { readExif } from './exif';
import type { ExifInfo } from './exif';
import { decodeHeic } from './heic';
import { applyOrientation, swapsAxes } from './orientation';
import { extractRawPreview } from './raw-preview';
import { describeContent, sniffFormat } from './sniff';

/**
 * [Note: Decode once] Every image is decoded exactly once per indexing pass. sharp reads the file
 * with shrink-on-load (JPEG DCT scaling, so a 24 MP photo is never fully expanded), applies the
 * EXIF orientation, converts to 8-bit sRGB (CMYK, 16-bit, greyscale and embedded ICC profiles
 * included), flattens transparency onto white and resizes to a small *working image*. Both outputs
 * are cut from that working image in memory:
 *
 *   file ─ decode, orient, sRGB, shrink ─► working RGB ─┬─► model input (size × size RGB, HWC)
 *                                                       └─► thumbnail (JPEG)  
 *
 * The working image is the smallest that serves both: its shorter edge is at least the model size
 * (so the centre crop is cut at full resolution, as CLIP's processor does) and its longer edge at
 * least the thumbnail size. When the model input is the binding constraint the crop needs no second
 * resampling at all. Resampling uses the cubic kernel, the counterpart of the bicubic filter the
 * CLIP/SigLIP processors were trained with; the thumbnail gets lanczos3 for sharpness.
 *
 * Transparent pixels are composited onto white because that is how people see logos, screenshots
 * and stickers; the reference processors drop alpha instead (keeping whatever colour the
 * transparent pixels hold, often black). Photos are opaque, so this only affects graphics.
 */

export type ModelInputRequest = Pick<ImageInputSpec, 'size' | 'resize'>;

export interface DecodeOptions {
  /** The model's image input (size and resize mode); the decoder produces `rgb` for it. */
  input: ModelInputRequest;
  /** The JPEG thumbnail fits inside thumbnailSize × thumbnailSize, never enlarged. */
  thumbnailSize: number;
  /** JPEG quality of the thumbnail, 1–100 (default 80). */
  thumbnailQuality?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The file's extension; only separates camera raws from plain TIFFs ([Note: Format by content]). */
  extension?: string | undefined;
  /** Images announcing more pixels are refused before decoding. Default: sharp's 268 MP. */
  limitInputPixels?: number | undefined;
  /** See [Note: Partial images]. Default 0.25. */
  minDecodedFraction?: number | undefined;
  /** Names the image in error messages (its path, "the dropped image" …). */
  label?: string | undefined;
}

export interface DecodedImage {
  format: ImageFormat;
  /** Size after orientation (as displayed), capture time, camera and position. */
  metadata: PhotoMetadata;
  /** input.size × input.size × 3 bytes, RGB, row-major (HWC): the input of embed/preprocess toPixelTensor. */
  rgb: Uint8Array;
  /** JPEG, oriented, sRGB, fitting inside thumbnailSize². */
  thumbnail: Buffer;
  thumbnailWidth: number;
  thumbnailHeight: number;
  /**
   * The EXIF orientation (1–8) that was applied to `rgb` and `thumbnail`; null when the file has
   * none, and for HEIF/AVIF, whose rotation boxes the decoder applies itself.
   */
  orientation: number | null;
  /** True when the file is damaged and only part of it could be decoded ([Note: Partial images]). */
  partial: boolean;
  /** Which decoder produced the pixels. */
  decoder: 'sharp' | 'heic' | 'raw-preview';
}

/** sharp's own default: 0x3FFF × 0x3FFF ≈ 268 MP, enough for a 108 MP phone photo and large panoramas. */
export const DEFAULT_LIMIT_INPUT_PIXELS = 0x3fff * 0x3fff;
export const DEFAULT_MIN_DECODED_FRACTION = 0.25;
/** The working image's longer edge never exceeds this (extreme panoramas), unless the thumbnail asks for more. */
const MAX_WORKING_EDGE = 4096;
const WHITE = { r: 255, g: 255, b: 255 };

interface Source {
  /** What sharp opens: the file bytes, an embedded preview, or raw RGBA from libheif. */
  input: Uint8Array;
  raw?: { width: number; height: number; channels: 4 };
  /** How to orient: sharp's autoOrient (EXIF inside the input), an explicit orientation, or none. */
  orient: 'auto' | number | null;
  /** Display size after orientation. */
  width: number;
  height: number;
  orientation: number | null;
  exifBlock: Uint8Array | undefined;
  decoder: DecodedImage['decoder'];
  /** The format as the decoder saw it (HEIF containers: HEVC → heic, AV1 → avif). */
  format: ImageFormat;
  /** Which display edge holds the end of the stored pixel data (see [Note: Partial images]). */
  lastEdge: Edge;
}

export type Edge = 'top' | 'bottom' | 'left' | 'right';

/** Where the last stored rows end up after orienting: decoders stop at the bottom of the stored image. */
export function lastStoredEdge(orientation: number | null | undefined): Edge {
  switch (orientation) {
    case 3:
    case 4:
      return 'top';
    case 5:
    case 8:
      return 'right';
    case 6:
    case 7:
      return 'left';
    default:
      return 'bottom';
  }
}

/**
 * Decodes image bytes into metadata, the model input and a thumbnail. Throws MediaError
 * (decode stage) for unsupported, oversized and corrupt content, AbortError when cancelled.
 */
export async function decodeImageBytes(
  bytes: Uint8Array,
  options: DecodeOptions,
): Promise<DecodedImage> {
  const { signal, label = 'the image' } = options;
  configureSharp();
  const limit = options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS;
  throwIfAborted(signal);
  if (bytes.length === 0)
    throw new MediaError('EMPTY_FILE', 'read', `The file is empty (0 bytes): ${label}`);

  const sniffed = sniffFormat(bytes, options.extension);
  if (sniffed === null) {
    throw new MediaError(
      'UNSUPPORTED_FORMAT',
      'decode',
      `Not an image Photoseek can read (${describeContent(bytes)}): ${label}`,
    );
  }

  const source = await openSource(bytes, sniffed, limit, label);
  const format = source.format;
  throwIfAborted(signal);
  const exifPromise: Promise<ExifInfo> = readExif(bytes, source.exifBlock);

  const working = await decodeWorking(source, options, limit, label);
  throwIfAborted(signal);

  const [rgb, thumbnail, exif] = await Promise.all([
    cutModelInput(working, options.input, source),
    encodeThumbnail(working, options.thumbnailSize, options.thumbnailQuality ?? 80),
    exifPromise,
  ]);
  throwIfAborted(signal);

  return {
    format,
    metadata: {
      width: source.width,
      height: source.height,
      format,
      takenAt: exif.takenAt,
      camera: exif.camera,
      gps: exif.gps,
    },
    rgb,
    thumbnail: thumbnail.data,
    thumbnailWidth: thumbnail.width,
    thumbnailHeight: thumbnail.height,
    orientation: source.orientation,
    partial: working.partial,
    decoder: source.decoder,
  };
}

function tooManyPixels(width: number, height: number, limit: number, label: string): MediaError {
  return new MediaError(
    'TOO_MANY_PIXELS',
    'decode',
    `The image is ${width} × ${height} pixels (${Math.round((width * height) / 1e6)} MP), more than the ${Math.round(limit / 1e6)} MP Photoseek decodes: ${label}`,
  );
}

/** Maps a sharp/libvips error to a decode-stage MediaError with a message for people. */
export function sharpErrorToMediaError(
  error: unknown,
  label: string,
  format: ImageFormat | null,
): MediaError {
  const detail = error instanceof Error ? error.message.split('\n')[0]!.trim() : String(error);
  if (/exceeds pixel limit/i.test(detail)) {
    return new MediaError(
      'TOO_MANY_PIXELS',
      'decode',
      `The image has more pixels than Photoseek decodes: ${label}`,
      { cause: error },
    );
  }
  if (/unsupported image format|not been built in|not a known file format/i.test(detail)) {
    const what = format ? `this ${format.toUpperCase()} variant` : 'this format';
    return new MediaError(
      'UNSUPPORTED_FORMAT',
      'decode',
      `Photoseek cannot decode ${what}: ${label}`,
      { cause: error },
    );
  }
  return new MediaError(
    'CORRUPT',
    'decode',
    `The image is damaged and cannot be decoded (${detail}): ${label}`,
    { cause: error },
  );
}

async function openSource(
  bytes: Uint8Array,
  format: ImageFormat,
  limit: number,
  label: string,
): Promise<Source> {
  if (format === 'raw') {
    const exif = await readExif(bytes);
    const preview = await extractRawPreview(bytes, exif.orientation);
    if (!preview) {
      throw new MediaError(
        'UNSUPPORTED_FORMAT',
        'decode',
        `This camera raw file has no embedded preview Photoseek can decode: ${label}`,
      );
    }
    if (preview.width * preview.height > limit)
      throw tooManyPixels(preview.width, preview.height, limit, label);
    const swap = swapsAxes(preview.orientation);
    return {
      input: preview.jpeg,
      orient: preview.orientation,
      width: swap ? preview.height : preview.width,
      height: swap ? preview.width : preview.height,
      orientation: preview.orientation,
      exifBlock: undefined,
      decoder: 'raw-preview',
      format,
      lastEdge: lastStoredEdge(preview.orientation),
    };
  }

  let meta: Metadata;
  try {
    // Header only: no pixels are allocated, so the limit is checked below with a message naming the size.
    meta = await sharp(bytes, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch (error) {
    throw sharpErrorToMediaError(error, label, format);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) {
    throw new MediaError('CORRUPT', 'decode', `The image header gives no size: ${label}`);
  }
  if (width * height > limit) throw tooManyPixels(width, height, limit, label);

  if (meta.format === 'heif' && meta.compression === 'hevc') {
    let rgba;
    try {
      rgba = await decodeHeic(bytes);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new MediaError(
        'CORRUPT',
        'decode',
        `The HEIC image is damaged and cannot be decoded (${detail}): ${label}`,
        { cause: error },
      );
    }
    return {
      input: rgba.data,
      raw: { width: rgba.width, height: rgba.height, channels: 4 },
      orient: null,
      width: rgba.width,
      height: rgba.height,
      orientation: null,
      exifBlock: meta.exif,
      decoder: 'heic',
      format: 'heic',
      lastEdge: 'bottom',
    };
  }

  // HEIF/AVIF orientation lives in irot/imir boxes, applied by libheif; EXIF orientation there is ignored.
  const orientation = meta.format === 'heif' ? null : (meta.orientation ?? null);
  const swap = swapsAxes(orientation);
  return {
    input: bytes,
    orient: meta.format === 'heif' ? null : 'auto',
    width: swap ? height : width,
    height: swap ? width : height,
    orientation,
    exifBlock: meta.exif,
    decoder: 'sharp',
    format: meta.format === 'heif' ? (meta.compression === 'av1' ? 'avif' : 'heic') : format,
    lastEdge: lastStoredEdge(orientation),
  };
}

interface Working {
  data: Buffer;
  width: number;
  height: number;
  partial: boolean;
}

/** The working image's size: see [Note: Decode once]. */
export function workingSize(
  width: number,
  height: number,
  modelSize: number,
  thumbnailSize: number,
): { width: number; height: number } {
  const shorter = Math.min(width, height);
  const longer = Math.max(width, height);
  let scale = Math.max(modelSize / shorter, thumbnailSize / longer);
  scale = Math.min(scale, Math.max(MAX_WORKING_EDGE, thumbnailSize) / longer, 1);
  // floor, as CLIP's processor sizes its resize (see modelResizeSize): when the model input is the
  // binding constraint the working image is then exactly the resize target and needs no second pass.
  const edge = (value: number) => Math.max(1, Math.floor(value * scale + 1e-6));
  return { width: edge(width), height: edge(height) };
}

function workingPipeline(
  source: Source,
  failOn: 'truncated' | 'none',
  limit: number,
  size: { width: number; height: number },
): Sharp {
  let image = sharp(source.input, {
    failOn,
    limitInputPixels: source.raw ? false : limit,
    ...(source.raw ? { raw: source.raw } : {}),
  });
  if (source.orient === 'auto') image = image.autoOrient();
  else if (typeof source.orient === 'number') image = applyOrientation(image, source.orient);
  if (size.width !== source.width || size.height !== source.height) {
    image = image.resize(size.width, size.height, { fit: 'fill', kernel: 'cubic' });
  }
  return image.flatten({ background: WHITE }).toColourspace('srgb').raw({ depth: 'uchar' });
}

/**
 * [Note: Partial images] A photo cut short by an interrupted copy or a failing card still shows
 * most of the picture, and users expect it to be searchable rather than rejected. The first
 * decode is strict about truncation (sharp failOn 'truncated'; the harmless "extraneous bytes"
 * class of warnings is allowed). When it fails, a lenient decode (failOn 'none') is tried: decoders
 * fill what they could not read with one flat colour (libjpeg grey 128, libpng black), so the
 * widest flat band along any edge of the result measures the missing part. At least
 * `minDecodedFraction` (default 25 %) of the picture must be real, otherwise the file fails as
 * CORRUPT: a file holding only its headers would otherwise become a grey rectangle that "matches"
 * every grey query. Images accepted this way are flagged `partial`.
 */
async function decodeWorking(
  source: Source,
  options: DecodeOptions,
  limit: number,
  label: string,
): Promise<Working> {
  const size = workingSize(source.width, source.height, options.input.size, options.thumbnailSize);
  try {
    const { data, info } = await workingPipeline(source, 'truncated', limit, size).toBuffer({
      resolveWithObject: true,
    });
    return checkWorking(data, info.width, info.height, info.channels, false, label);
  } catch (strictError) {
    if (strictError instanceof MediaError) throw strictError;
    const strict = sharpErrorToMediaError(strictError, label, source.format);
    if (strict.code !== 'CORRUPT' || source.raw) throw strict;
    throwIfAborted(options.signal);
    let lenient;
    try {
      lenient = await workingPipeline(source, 'none', limit, size).toBuffer({
        resolveWithObject: true,
      });
    } catch {
      throw strict;
    }
    const { data, info } = lenient;
    const fraction = decodedFraction(data, info.width, info.height, info.channels, source.lastEdge);
    const minimum = options.minDecodedFraction ?? DEFAULT_MIN_DECODED_FRACTION;
    if (fraction < minimum) {
      throw new MediaError(
        'CORRUPT',
        'decode',
        `The image is damaged: only about ${Math.round(fraction * 100)} % of it could be read: ${label}`,
        { cause: strictError },
      );
    }
    return checkWorking(data, info.width, info.height, info.channels, true, label);
  }
}

function checkWorking(
  data: Buffer,
  width: number,
  height: number,
  channels: number,
  partial: boolean,
  label: string,
): Working {
  if (channels !== 3 || data.length !== width * height * 3) {
    throw new MediaError(
      'CORRUPT',
      'decode',
      `The decoder returned ${channels} channels instead of RGB: ${label}`,
    );
  }
  return { data, width, height, partial };
}

/**
 * 1 − (band of identical pixels along `edge`) / (image extent across that edge): how much of the
 * picture the decoder really produced. Pure; exported for tests.
 */
export function decodedFraction(
  data: Uint8Array,
  width: number,
  height: number,
  channels: number,
  edge: Edge = 'bottom',
): number {
  const vertical = edge === 'top' || edge === 'bottom';
  const lines = vertical ? height : width;
  const length = vertical ? width : height;
  const at = (line: number, i: number) => {
    const x = vertical ? i : edge === 'left' ? line : width - 1 - line;
    const y = vertical ? (edge === 'top' ? line : height - 1 - line) : i;
    return (y * width + x) * channels;
  };
  const ref = at(0, 0);
  let flat = 0;
  for (; flat < lines; flat++) {
    for (let i = 0; i < length; i++) {
      const p = at(flat, i);
      for (let c = 0; c < channels; c++) if (data[p + c] !== data[ref + c]) return 1 - flat / lines;
    }
  }
  return 0;
}

/**
 * The CLIP processor's resize for "shortest-edge-crop": the shorter edge becomes `size`, the longer
 * one floor(size × long / short) (transformers' get_resize_output_image_size); the crop then starts
 * at floor((edge − size) / 2). Matching this to the pixel keeps our input aligned with the one the
 * model was evaluated with.
 */
export function modelResizeSize(
  width: number,
  height: number,
  size: number,
): { width: number; height: number } {
  if (width <= height)
    return { width: size, height: Math.max(size, Math.floor((size * height) / width + 1e-6)) };
  return { width: Math.max(size, Math.floor((size * width) / height + 1e-6)), height: size };
}

/** Beyond this aspect ratio the exact resize-then-crop would build a huge strip; crop first instead. */
const MAX_EXACT_ASPECT = 4;

async function cutModelInput(
  working: Working,
  request: ModelInputRequest,
  display: { width: number; height: number },
): Promise<Uint8Array> {
  const { size, resize } = request;
  let image = sharp(working.data, {
    raw: { width: working.width, height: working.height, channels: 3 },
  });
  if (resize === 'squash') {
    image = image.resize(size, size, { fit: 'fill', kernel: 'cubic' });
  } else if (
    Math.max(display.width, display.height) / Math.min(display.width, display.height) <=
    MAX_EXACT_ASPECT
  ) {
    const target = modelResizeSize(display.width, display.height, size);
    if (target.width !== working.width || target.height !== working.height) {
      image = image.resize(target.width, target.height, { fit: 'fill', kernel: 'cubic' });
    }
    image = image.extract({
      left: Math.floor((target.width - size) / 2),
      top: Math.floor((target.height - size) / 2),
      width: size,
      height: size,
    });
  } else {
    const side = Math.min(working.width, working.height);
    image = image
      .extract({
        left: Math.floor((working.width - side) / 2),
        top: Math.floor((working.height - side) / 2),
        width: side,
        height: side,
      })
      .resize(size, size, { fit: 'fill', kernel: 'cubic' });
  }
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || info.channels !== 3) {
    throw new Error(
      `model input came out ${info.width}×${info.height}×${info.channels}, expected ${size}×${size}×3`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

async function encodeThumbnail(
  working: Working,
  size: number,
  quality: number,
): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(working.data, {
    raw: { width: working.width, height: working.height, channels: 3 },
  })
    .resize(size, size, { fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' })
    .jpeg({ quality })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

let sharpConfigured = false;

/**
 * [Note: sharp globals] sharp's operation cache keeps recently opened files and their pixels
 * (up to 50 MB / 20 files by default) for reuse. The indexer opens each file once, so the cache
 * only costs memory; it is switched off process-wide before the first decode. Thread use is left
 * at sharp's defaults (libuv pool of 4, libvips threads = cores); the indexer bounds how many
 * decodes run at once.
 */
function configureSharp(): void {
  if (sharpConfigured) return;
  sharpConfigured = true;
  sharp.cache(false);
}
