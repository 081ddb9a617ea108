import sharp from 'sharp';
import type { Metadata, OutputInfo, Sharp } from 'sharp';
import type { ImageFormat, PhotoMetadata } from '../../shared/types';
import type { ImageInputSpec } from '../models/model-spec';
import { readExif } from './exif';
import type { ExifInfo } from './exif';
import { bmpSize, decodeBmp } from './bmp';
import { decodeHeic } from './heic';
import type { DecodedPixels, RgbaImage } from './pixels';
import { decodeJxl, jxlSize } from './jxl';
import { MediaError, throwIfAborted } from './media-error';
import { applyOrientation, swapsAxes } from './orientation';
import { findRawPreview } from './raw-preview';
import { boundMetadataBlocks, checkStreamedTiff } from './metadata-blocks';
import { openImageFile } from './read-file';
import { heifContentProblem } from './iso-media';
import { describeContent, isTiffPicture, sniffImageFormat, unreadableImageFormat } from './sniff';

/**
 * [Note: Decode once] Every image is decoded exactly once. sharp reads it with shrink-on-load
 * (JPEG DCT scaling: a 24 MP photo is never fully expanded), applies the EXIF orientation,
 * converts to 8-bit sRGB (CMYK, 16-bit, greyscale and embedded ICC profiles included), flattens
 * transparency and resizes to a small *working image*. Both outputs are cut from it in memory:
 *
 *   file ─ decode, orient, sRGB, shrink ─► working RGB ─┬─► model input (size × size RGB, HWC)
 *                                                       └─► thumbnail (JPEG)
 *
 * The working image serves both: its shorter edge is at least MODEL_OVERSAMPLING (2) times the
 * model's resize edge and its longer edge at least the thumbnail size, never enlarged. The model
 * input is then one resample of an image at twice its resolution or of the decoded original (any
 * photo under ~450 px on its shorter edge), which makes it the model's own processor's input
 * within rounding: against an independent Pillow-style resize of the full original
 * (test/fixtures/reference-resize.ts), cosine ≥ 0.9995 on real photos from 400 px to 18 MP; cutting
 * it from a working image sized for the thumbnail alone (the earlier design) gave 0.994–0.999 on
 * 12 MP photos (test/core/media/reference.test.ts). Resampling uses the model's filter (cubic,
 * i.e. Catmull-Rom, for bicubic; linear for bilinear); the thumbnail gets lanczos3.
 * Measured on a (smooth, upscaled) 12 MP JPEG with one libvips thread: 22 ms for both outputs
 * this way, 38 ms decoding twice (once per output), 19 ms for the model input alone, 57 ms for a
 * full decode without shrink-on-load.
 *
 * Extreme panoramas are capped by pixel count (WORKING_PIXEL_BUDGET) rather than by edge: a
 * 20000×16 strip keeps all its 16 rows, a 100000×1000 one is shrunk so the working image stays
 * a few megabytes.
 *
 * [Note: Transparency] Transparent pixels are composited onto white: that is how people see logos,
 * screenshots and stickers in a photo grid, and it keeps the thumbnail and the model input alike.
 * CLIP's reference processor drops alpha instead, keeping whatever colour transparent pixels hold
 * (often black). Photos are opaque, so this only affects graphics.
 */

/** The part of a model's image input the decoder needs (a whole ImageInputSpec fits). */
export type ModelInputShape = Pick<ImageInputSpec, 'size' | 'resize'> &
  Partial<Pick<ImageInputSpec, 'resizeShortEdge' | 'resample'>>;

export interface DecodeOptions {
  /** The model's image input; `rgb` is produced for its size and resize mode. */
  input: ModelInputShape;
  /** Longest edge, in pixels, of the JPEG thumbnail (smaller images are not enlarged). */
  thumbnailSize: number;
  /** Images announcing more pixels are refused before any pixel is allocated (DEFAULT_MAX_PIXELS). */
  maxPixels?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface DecodedImage {
  /** input.size × input.size × 3 bytes, RGB, row-major (HWC), resized and cropped per input.resize. */
  rgb: Uint8Array;
  /** JPEG, upright, sRGB, longest edge thumbnailSize (or the image's own when smaller). */
  thumbnail: Buffer;
  /** Size after orientation (as displayed), format, capture time, camera, position. */
  metadata: PhotoMetadata;
}

/** 120 MP: above the 108 MP of the largest phone sensors, far below what would exhaust memory. */
export const DEFAULT_MAX_PIXELS = 120_000_000;
/**
 * Formats decoded whole into one RGBA buffer by WebAssembly or JavaScript (HEIC, JPEG XL, BMP)
 * stop at 64 MP: 256 MB of pixels, above the 48 MP of phones' largest HEIF mode; libvips
 * formats stream and keep DEFAULT_MAX_PIXELS ([Note: Bounded memory]).
 */
const WHOLE_DECODE_MAX_PIXELS = 64_000_000;
const WORKING_PIXEL_BUDGET = 4_000_000;
const THUMBNAIL_QUALITY = 80;
const WHITE = { r: 255, g: 255, b: 255 };
/** See [Note: Partial images]. */
const MIN_DECODED_FRACTION = 0.25;

/**
 * Reads and decodes an image file ([Note: Decode once], [Note: Media failures]) within the
 * process's memory budget ([Note: Bounded memory]).
 */
export async function decodeImage(filePath: string, options: DecodeOptions): Promise<DecodedImage> {
  disableSharpCache();
  const opened = await openImageFile(filePath, options.signal);
  try {
    if (opened.kind === 'bytes') return await decodeImageBuffer(opened.bytes, options);
    const { path, format, head } = opened;
    if (format === 'tiff') await checkStreamedTiff(path, head);
    return await decodeSource(await openStreamed(path, format, options), options);
  } finally {
    opened.release();
  }
}

/**
 * Decodes image bytes that are not a file (a dragged-in image) exactly like decodeImage.
 * Throws MediaError for empty, unsupported, oversized and corrupt content, AbortError when
 * cancelled.
 */
export async function decodeImageBuffer(
  bytes: Uint8Array,
  options: DecodeOptions,
): Promise<DecodedImage> {
  const { signal, maxPixels = DEFAULT_MAX_PIXELS } = options;
  throwIfAborted(signal);
  disableSharpCache();
  if (bytes.length === 0)
    throw new MediaError('read', 'EMPTY_FILE', 'The file is empty (0 bytes).');
  const sniffed = sniffImageFormat(bytes);
  if (sniffed === null) {
    const unreadable = unreadableImageFormat(bytes);
    if (unreadable) {
      throw new MediaError(
        'decode',
        'UNSUPPORTED_FORMAT',
        `This is a ${unreadable} image, a format Photoseek cannot read yet.`,
      );
    }
    const looksLike = describeContent(bytes);
    throw new MediaError(
      'decode',
      'UNSUPPORTED_FORMAT',
      `Not an image, or a format Photoseek cannot read${looksLike ? ` (this is ${looksLike})` : ''}.`,
    );
  }

  const bounded = boundMetadataBlocks(bytes, sniffed);
  return decodeSource(await openSource(bounded, sniffed, maxPixels), options);
}

async function decodeSource(source: Source, options: DecodeOptions): Promise<DecodedImage> {
  const { signal, maxPixels = DEFAULT_MAX_PIXELS } = options;
  throwIfAborted(signal);
  const working = await decodeWorking(source, options, maxPixels);
  throwIfAborted(signal);
  const [rgb, thumbnail, { takenAt, camera, gps }] = await Promise.all([
    cutModelInput(working, options.input, source),
    encodeThumbnail(working, options.thumbnailSize),
    source.exif,
  ]);
  const { width, height, format } = source;
  return { rgb, thumbnail, metadata: { width, height, format, takenAt, camera, gps } };
}

/** What the working decode reads, and what is known about it from headers alone. */
interface Source {
  /** The file bytes, a raw's embedded preview, decoded pixels, or a streamed file's path. */
  input: Uint8Array | string;
  raw?: { width: number; height: number; channels: 3 | 4 };
  /** sharp's autoOrient (EXIF inside `input`), or an EXIF orientation recorded elsewhere. */
  orient: 'auto' | number;
  /** Display size, after orientation. */
  width: number;
  height: number;
  format: ImageFormat;
  /** The display edge where the stored pixel rows end ([Note: Partial images]). */
  lastEdge: Edge;
  /** Read alongside the pixel decode; never rejects ([Note: EXIF is untrusted]). */
  exif: Promise<ExifInfo>;
}

async function openSource(
  bytes: Uint8Array,
  sniffed: ImageFormat,
  maxPixels: number,
): Promise<Source> {
  const wholeLimit = Math.min(maxPixels, WHOLE_DECODE_MAX_PIXELS);
  switch (sniffed) {
    case 'raw':
      return openRawPreview(bytes, maxPixels);
    case 'bmp':
      checkPixelCount(bmpSize(bytes), wholeLimit);
      return decodedPixels('bmp', rgba(decodeBmp(bytes)), readExif(bytes));
    case 'jxl':
      checkPixelCount(jxlSize(bytes), wholeLimit);
      return decodedPixels('jxl', rgba(await decodeJxl(bytes)), readExif(bytes));
    default:
      return openWithSharp(bytes, sniffed, maxPixels);
  }
}

async function openWithSharp(
  bytes: Uint8Array,
  sniffed: ImageFormat,
  maxPixels: number,
): Promise<Source> {
  const meta = await readHeader(bytes, maxPixels, sniffed);
  const exif = readExif(bytes, meta.exif);
  // sharp reads HEIF containers but cannot decode HEVC ([Note: HEIC through WebAssembly]).
  if (meta.format === 'heif' && meta.compression === 'hevc') {
    checkPixelCount(meta, Math.min(maxPixels, WHOLE_DECODE_MAX_PIXELS));
    const rgb = await decodeHeic(bytes).catch((error: unknown) => {
      throw corrupt(error);
    });
    if (rgb.readFraction < MIN_DECODED_FRACTION) throw tooLittleRead(rgb.readFraction);
    return decodedPixels('heic', rgb, exif);
  }
  // libvips reads a PNG's orientation only from an eXIf chunk before the pixels; exifr finds one
  // after them too, where many editors write it.
  const pngOrientation =
    sniffed === 'png' && meta.orientation === undefined ? (await exif).orientation : null;
  if (pngOrientation !== null && pngOrientation > 1) {
    const swap = swapsAxes(pngOrientation);
    return {
      exif,
      input: bytes,
      orient: pngOrientation,
      width: swap ? meta.height : meta.width,
      height: swap ? meta.width : meta.height,
      format: 'png',
      lastEdge: lastStoredEdge(pngOrientation),
    };
  }
  return {
    exif,
    input: bytes,
    orient: 'auto',
    width: meta.autoOrient.width,
    height: meta.autoOrient.height,
    format: meta.format === 'heif' ? (meta.compression === 'av1' ? 'avif' : 'heic') : sniffed,
    lastEdge: lastStoredEdge(meta.orientation),
  };
}

function rgba(image: RgbaImage): DecodedPixels {
  return { ...image, channels: 4 };
}

/** Pixels a WebAssembly or JavaScript decoder produced, already upright. */
function decodedPixels(
  format: ImageFormat,
  pixels: DecodedPixels,
  exif: Promise<ExifInfo>,
): Source {
  const { width, height, channels } = pixels;
  return {
    exif,
    input: pixels.data,
    raw: { width, height, channels },
    orient: 1,
    width,
    height,
    format,
    lastEdge: 'bottom',
  };
}

/** A file too large to hold, decoded by libvips from disk ([Note: Bounded memory]). */
async function openStreamed(
  filePath: string,
  format: ImageFormat,
  options: DecodeOptions,
): Promise<Source> {
  const meta = await readHeader(filePath, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  return {
    exif: readExif(filePath, meta.exif),
    input: filePath,
    orient: 'auto',
    width: meta.autoOrient.width,
    height: meta.autoOrient.height,
    format,
    lastEdge: lastStoredEdge(meta.orientation),
  };
}

/** A raw's embedded JPEG, turned the way the raw file says ([Note: Camera raw via preview]). */
async function openRawPreview(bytes: Uint8Array, maxPixels: number): Promise<Source> {
  const preview = findRawPreview(bytes);
  if (!preview && isTiffPicture(bytes)) return openWithSharp(bytes, 'tiff', maxPixels);
  if (!preview) {
    throw new MediaError(
      'decode',
      'NO_RAW_PREVIEW',
      'This camera raw file has no embedded JPEG preview, and Photoseek does not develop raw sensor data.',
    );
  }
  const meta = await readHeader(preview.jpeg, maxPixels);
  // A preview rarely has EXIF of its own; the raw's IFD0 then records the orientation.
  const exif = readExif(bytes, meta.exif);
  const orientation = meta.orientation ?? (await exif).orientation ?? 1;
  const swap = swapsAxes(orientation);
  return {
    input: preview.jpeg,
    orient: orientation,
    width: swap ? meta.height : meta.width,
    height: swap ? meta.width : meta.height,
    format: 'raw',
    lastEdge: lastStoredEdge(orientation),
    exif,
  };
}

/** Header only: no pixels are allocated, and the pixel limit is checked with a clear message. */
async function readHeader(
  input: Uint8Array | string,
  maxPixels: number,
  sniffed?: ImageFormat,
): Promise<Metadata> {
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch (error) {
    throw sharpErrorToMediaError(error, typeof input === 'string' ? undefined : input, sniffed);
  }
  if (!(meta.width > 0 && meta.height > 0)) {
    throw new MediaError('decode', 'CORRUPT', 'The image is damaged: its header gives no size.');
  }
  checkPixelCount(meta, maxPixels);
  return meta;
}

function checkPixelCount(size: { width: number; height: number }, maxPixels: number): void {
  if (size.width * size.height <= maxPixels) return;
  throw new MediaError(
    'decode',
    'TOO_MANY_PIXELS',
    `${size.width}×${size.height} pixels is over the ${Number((maxPixels / 1e6).toFixed(2))}-megapixel limit.`,
  );
}

function corrupt(error: unknown): MediaError {
  const firstLine = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  const detail = firstLine.replace(/[\s:]+$/, '');
  return new MediaError(
    'decode',
    'CORRUPT',
    `The image is damaged and cannot be decoded (${detail}).`,
    {
      cause: error,
    },
  );
}

/**
 * A sharp/libvips error as a decode-stage MediaError. For HEIF and AVIF, whose containers hold
 * many kinds of content, the file's own boxes say what it is (heifContentProblem) when it fails.
 */
function sharpErrorToMediaError(
  error: unknown,
  bytes?: Uint8Array,
  sniffed?: ImageFormat,
): MediaError {
  const detail = error instanceof Error ? error.message : String(error);
  const heifProblem =
    bytes && (sniffed === 'heic' || sniffed === 'avif') ? heifContentProblem(bytes) : null;
  if (heifProblem) {
    return new MediaError('decode', 'UNSUPPORTED_FORMAT', heifProblem, { cause: error });
  }
  if (/unsupported image format|not been built in/i.test(detail)) {
    return new MediaError(
      'decode',
      'UNSUPPORTED_FORMAT',
      'Not an image, or a kind of image Photoseek cannot read.',
      { cause: error },
    );
  }
  return corrupt(error);
}

export type Edge = 'top' | 'bottom' | 'left' | 'right';

/** Where the last stored rows end up after orienting: decoders stop at the bottom of the stored image. */
export function lastStoredEdge(orientation: number | undefined): Edge {
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

interface Working {
  data: Buffer;
  width: number;
  height: number;
}

/** How much larger than the model's resize the working image stays ([Note: Decode once]). */
const MODEL_OVERSAMPLING = 2;

/**
 * The working image's size for a display size: see [Note: Decode once]. `modelEdge` is the edge
 * the model's processor resizes to (the shorter edge, or both for a squash).
 */
export function workingSize(
  width: number,
  height: number,
  modelEdge: number,
  thumbnailSize: number,
): { width: number; height: number } {
  const wanted = Math.max(
    (MODEL_OVERSAMPLING * modelEdge) / Math.min(width, height),
    thumbnailSize / Math.max(width, height),
  );
  const scale = Math.min(1, wanted, Math.sqrt(WORKING_PIXEL_BUDGET / (width * height)));
  const edge = (length: number) => Math.max(1, Math.floor(length * scale + 1e-6));
  return { width: edge(width), height: edge(height) };
}

function workingPipeline(
  source: Source,
  size: { width: number; height: number },
  failOn: 'truncated' | 'none',
  maxPixels: number,
): Sharp {
  const image = source.raw
    ? sharp(source.input, { raw: source.raw })
    : sharp(source.input, { failOn, limitInputPixels: maxPixels });
  const upright =
    source.orient === 'auto' ? image.autoOrient() : applyOrientation(image, source.orient);
  return upright
    .resize(size.width, size.height, { fit: 'fill', kernel: 'cubic' })
    .flatten({ background: WHITE })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' });
}

/**
 * [Note: Partial images] A photo cut short by an interrupted copy or a failing card still shows
 * most of the picture, and people expect it to be searchable rather than rejected. The first
 * decode is strict about truncation (failOn 'truncated'; harmless warnings such as "extraneous
 * bytes" pass). When it fails, a lenient decode (failOn 'none') follows: decoders fill what they
 * could not read with one flat colour (libjpeg grey, libpng black), so the flat band along the
 * edge where the stored rows end measures the missing part. libheif decodes what it can of a HEIC
 * without being asked and counts the grid tiles it could not read, which measures it directly. At least MIN_DECODED_FRACTION of the
 * picture must be real, or the file fails as CORRUPT: a file holding little more than its headers
 * would otherwise become a grey rectangle that "matches" every grey query.
 */
async function decodeWorking(
  source: Source,
  options: DecodeOptions,
  maxPixels: number,
): Promise<Working> {
  const size = workingSize(
    source.width,
    source.height,
    options.input.resize === 'squash' ? options.input.size : shortEdgeOf(options.input),
    options.thumbnailSize,
  );
  const decode = (failOn: 'truncated' | 'none') =>
    workingPipeline(source, size, failOn, maxPixels).toBuffer({ resolveWithObject: true });
  const strict = await decode('truncated').catch((error: unknown) => sharpErrorToMediaError(error));
  if (!(strict instanceof MediaError)) return checkedWorking(strict);
  if (strict.code !== 'CORRUPT' || source.raw) throw strict;
  throwIfAborted(options.signal);
  const lenient = await decode('none').catch(() => {
    throw strict;
  });
  const working = checkedWorking(lenient);
  const fraction = decodedFraction(working, source.lastEdge);
  if (fraction < MIN_DECODED_FRACTION) throw tooLittleRead(fraction, strict);
  return working;
}

function tooLittleRead(fraction: number, cause?: MediaError): MediaError {
  return new MediaError(
    'decode',
    'CORRUPT',
    `The image is damaged: only about ${Math.round(fraction * 100)} % of it could be read.`,
    cause ? { cause } : undefined,
  );
}

function checkedWorking({ data, info }: { data: Buffer; info: OutputInfo }): Working {
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new Error(`working image came out with ${info.channels} channels, expected RGB`);
  }
  return { data, width: info.width, height: info.height };
}

/**
 * 1 − (flat band along `edge`) / (extent across that edge): the share of the picture the decoder
 * really produced. The band is the run of rows (or columns) from `edge` inward that all hold the
 * colour of the edge's first pixel.
 */
export function decodedFraction(image: Working, edge: Edge): number {
  const { data, width, height } = image;
  const vertical = edge === 'top' || edge === 'bottom';
  const lines = vertical ? height : width;
  const length = vertical ? width : height;
  const offset = (line: number, i: number) => {
    const x = vertical ? i : edge === 'left' ? line : width - 1 - line;
    const y = vertical ? (edge === 'top' ? line : height - 1 - line) : i;
    return (y * width + x) * 3;
  };
  const first = offset(0, 0);
  for (let line = 0; line < lines; line++) {
    for (let i = 0; i < length; i++) {
      const at = offset(line, i);
      for (let c = 0; c < 3; c++) if (data[at + c] !== data[first + c]) return 1 - line / lines;
    }
  }
  return 0;
}

/**
 * CLIP's resize for "shortest-edge-crop" (transformers' get_resize_output_image_size): the shorter
 * edge becomes `size`, the longer floor(size × long / short). The crop then starts at
 * floor((edge − size) / 2). Matching this to the pixel keeps the input aligned with the one the
 * model was trained and evaluated with; sharp's own "cover" rounds differently for some shapes.
 */
export function modelResizeSize(
  width: number,
  height: number,
  size: number,
): { width: number; height: number } {
  const longer = (long: number, short: number) => Math.floor((size * long) / short + 1e-6);
  return width <= height
    ? { width: size, height: longer(height, width) }
    : { width: longer(width, height), height: size };
}

/** Beyond this aspect ratio the exact resize would build a huge strip; the centre is cut first. */
const MAX_EXACT_ASPECT = 4;

/** The shorter edge before the centre crop ("shortest-edge-crop"): resizeShortEdge, else size. */
function shortEdgeOf(input: ModelInputShape): number {
  return input.resizeShortEdge ?? input.size;
}

async function cutModelInput(
  working: Working,
  input: ModelInputShape,
  display: { width: number; height: number },
): Promise<Uint8Array> {
  const { size } = input;
  const kernel = input.resample === 'bilinear' ? 'linear' : 'cubic';
  const image = sharp(working.data, {
    raw: { width: working.width, height: working.height, channels: 3 },
  });
  const cut =
    input.resize === 'squash'
      ? image.resize(size, size, { fit: 'fill', kernel })
      : centreCrop(image, working, display, { size, shortEdge: shortEdgeOf(input), kernel });
  const { data, info } = await cut.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || info.channels !== 3) {
    throw new Error(
      `model input came out ${info.width}×${info.height}×${info.channels}, expected ${size}×${size}×3`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function centreCrop(
  image: Sharp,
  working: Working,
  display: { width: number; height: number },
  { size, shortEdge, kernel }: { size: number; shortEdge: number; kernel: 'cubic' | 'linear' },
): Sharp {
  const centre = (outer: number, inner: number) => Math.floor((outer - inner) / 2);
  const crop = (outer: { width: number; height: number }) => ({
    left: centre(outer.width, size),
    top: centre(outer.height, size),
    width: size,
    height: size,
  });
  const shorter = Math.min(working.width, working.height);
  if (
    Math.max(display.width, display.height) / Math.min(display.width, display.height) >
    MAX_EXACT_ASPECT
  ) {
    return image
      .extract({
        left: centre(working.width, shorter),
        top: centre(working.height, shorter),
        width: shorter,
        height: shorter,
      })
      .resize(shortEdge, shortEdge, { fit: 'fill', kernel })
      .extract(crop({ width: shortEdge, height: shortEdge }));
  }
  const target = modelResizeSize(display.width, display.height, shortEdge);
  const resized =
    target.width === working.width && target.height === working.height
      ? image
      : image.resize(target.width, target.height, { fit: 'fill', kernel });
  return resized.extract(crop(target));
}

async function encodeThumbnail(working: Working, size: number): Promise<Buffer> {
  return sharp(working.data, { raw: { width: working.width, height: working.height, channels: 3 } })
    .resize(size, size, { fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' })
    .jpeg({ quality: THUMBNAIL_QUALITY })
    .toBuffer();
}

let sharpCacheDisabled = false;

/**
 * [Note: sharp cache] sharp's operation cache keeps recently opened inputs and their pixels (up to
 * 50 MB) for reuse. Indexing opens each image once, so the cache only costs memory; it is switched
 * off process-wide before the first decode. Threads stay at sharp's defaults; the indexer bounds
 * how many decodes run at once.
 */
function disableSharpCache(): void {
  if (sharpCacheDisabled) return;
  sharpCacheDisabled = true;
  sharp.cache(false);
}
