import sharp from 'sharp';

/** Edge, in pixels, of a stored fingerprint: FINGERPRINT_SIDE² grey bytes. */
export const FINGERPRINT_SIDE = 24;
/** Edge of the compared views (each a SIDE² vector). */
const SIDE = 12;
/** Values in one view of a fingerprint (its whole-picture view is what candidates compare). */
export const FINGERPRINT_DIM = SIDE * SIDE;

/**
 * [Note: Image fingerprint] What the model's vectors miss, the pixels tell: two shots of one
 * t-shirt in two colours on one hanger are at MobileNetV2 cosine 0.918, above its weakest true
 * crops (0.786), and the synthetic colour model sees only the mean colour. So each photo also
 * gets a fingerprint, model-free: its thumbnail shrunk to FINGERPRINT_SIDE² grey pixels (576
 * bytes, stored once per photo: fingerprint-store.ts). Two fingerprints are compared as the best
 * normalised cross-correlation of SIDE² views: the whole of one against the whole of the other
 * and against each of VIEWS.length − 1 crops of it (scales 0.9 and 0.8 per axis, three offsets
 * each), in both directions. Zero mean and unit norm make it blind to brightness and contrast,
 * grey to saturation and colour casts, the tiny size to JPEG artefacts, blur and resizing, and
 * the crops to crops. Measured on the generated set (test/fixtures/duplicate-library.ts, 210
 * photos, 22k pairs): every true pair at ≥ 0.954, every false pair at ≤ 0.942, where the whole
 * against the whole gave true crops 0.75 and false pairs 0.94; 32² with 4 scales separated no
 * better, and a colour version added noise (near-grey photos' chroma flips under brightness).
 */
export async function fingerprintOf(image: Buffer): Promise<Uint8Array> {
  const pixels = await sharp(image)
    .resize(FINGERPRINT_SIDE, FINGERPRINT_SIDE, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer();
  return new Uint8Array(pixels.buffer, pixels.byteOffset, FINGERPRINT_SIDE * FINGERPRINT_SIDE);
}

/** Crop windows [left, top, width, height] as fractions; the first is the whole picture. */
const VIEWS: readonly (readonly [number, number, number, number])[] = (() => {
  const spans = [
    [1, [0]],
    [0.9, [0, 0.05, 0.1]],
    [0.8, [0, 0.1, 0.2]],
  ] as const;
  const windows: [number, number, number, number][] = [];
  for (const [width, lefts] of spans)
    for (const [height, tops] of spans)
      for (const left of lefts) for (const top of tops) windows.push([left, top, width, height]);
  return windows;
})();

/**
 * Each view's samples as bilinear weights of the fingerprint's pixels: VIEWS × SIDE² samples ×
 * 4 (pixel index, weight) pairs, the same for every photo.
 */
const SAMPLES = (() => {
  const pixel = new Uint16Array(VIEWS.length * FINGERPRINT_DIM * 4);
  const weight = new Float32Array(VIEWS.length * FINGERPRINT_DIM * 4);
  const edge = FINGERPRINT_SIDE;
  for (const [v, [left, top, width, height]] of VIEWS.entries()) {
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const fx = (left + ((x + 0.5) / SIDE) * width) * edge - 0.5;
        const fy = (top + ((y + 0.5) / SIDE) * height) * edge - 0.5;
        const x0 = Math.max(0, Math.min(edge - 2, Math.floor(fx)));
        const y0 = Math.max(0, Math.min(edge - 2, Math.floor(fy)));
        const ax = Math.min(1, Math.max(0, fx - x0));
        const ay = Math.min(1, Math.max(0, fy - y0));
        const at = ((v * SIDE + y) * SIDE + x) * 4;
        const corners = [
          [y0 * edge + x0, (1 - ax) * (1 - ay)],
          [y0 * edge + x0 + 1, ax * (1 - ay)],
          [(y0 + 1) * edge + x0, (1 - ax) * ay],
          [(y0 + 1) * edge + x0 + 1, ax * ay],
        ] as const;
        for (const [k, [index, share]] of corners.entries()) {
          pixel[at + k] = index;
          weight[at + k] = share;
        }
      }
    }
  }
  return { pixel, weight };
})();

/** Every view of a fingerprint, each zero-mean and unit-norm: VIEWS × FINGERPRINT_DIM values. */
export function fingerprintViews(fingerprint: Uint8Array): Float32Array {
  const views = new Float32Array(VIEWS.length * FINGERPRINT_DIM);
  for (let v = 0; v < VIEWS.length; v++) writeView(fingerprint, v, views, v * FINGERPRINT_DIM);
  return views;
}

/** The whole-picture view alone (zero mean, unit norm), written at `at`: what candidates compare. */
export function writeWholeView(fingerprint: Uint8Array, into: Float32Array, at: number): void {
  writeView(fingerprint, 0, into, at);
}

/** How alike two photos' pixels are, from their `fingerprintViews`: in [-1, 1]. */
export function imageMatch(viewsA: Float32Array, viewsB: Float32Array): number {
  return Math.max(bestView(viewsA, viewsB, 0), bestView(viewsB, viewsA, 0));
}

/**
 * The image match of each pair (indices into `fingerprints`; NaN where either has none), with
 * the views of each photo made at most twice and never all kept: one pass compares the views of
 * each pair's first photo with the second's whole picture, the other the reverse.
 */
export function imageMatches(
  pairs: readonly { a: number; b: number }[],
  fingerprints: readonly (Uint8Array | null)[],
  wholes: Float32Array,
): Float32Array {
  const matches = new Float32Array(pairs.length).fill(Number.NaN);
  for (const [from, to] of [
    ['a', 'b'],
    ['b', 'a'],
  ] as const) {
    const order = pairs.map((_, i) => i).sort((x, y) => pairs[x]![from] - pairs[y]![from]);
    let views: Float32Array | null = null;
    let viewsOf = -1;
    for (const i of order) {
      const pair = pairs[i]!;
      const source = fingerprints[pair[from]];
      if (!source || !fingerprints[pair[to]]) continue;
      if (viewsOf !== pair[from]) {
        views = fingerprintViews(source);
        viewsOf = pair[from];
      }
      const match = bestView(views!, wholes, pair[to] * FINGERPRINT_DIM);
      matches[i] = Number.isNaN(matches[i]!) ? match : Math.max(matches[i]!, match);
    }
  }
  return matches;
}

/** The best correlation of any of `views` with the whole view at `wholeAt` of `wholes`. */
function bestView(views: Float32Array, wholes: Float32Array, wholeAt: number): number {
  let best = -1;
  for (let v = 0; v < VIEWS.length; v++)
    best = Math.max(best, dotAt(views, v * FINGERPRINT_DIM, wholes, wholeAt));
  return best;
}

function writeView(fingerprint: Uint8Array, view: number, into: Float32Array, at: number): void {
  const { pixel, weight } = SAMPLES;
  const first = view * FINGERPRINT_DIM;
  let sum = 0;
  for (let s = 0; s < FINGERPRINT_DIM; s++) {
    const from = (first + s) * 4;
    const value =
      fingerprint[pixel[from]!]! * weight[from]! +
      fingerprint[pixel[from + 1]!]! * weight[from + 1]! +
      fingerprint[pixel[from + 2]!]! * weight[from + 2]! +
      fingerprint[pixel[from + 3]!]! * weight[from + 3]!;
    into[at + s] = value;
    sum += value;
  }
  normalise(into, at, sum / FINGERPRINT_DIM);
}

/** Sum of squared deviations (grey levels²) below which a view is flat. */
const FLAT = 1e-3;

function normalise(values: Float32Array, start: number, mean: number): void {
  let squares = 0;
  for (let i = start; i < start + FINGERPRINT_DIM; i++) {
    values[i]! -= mean;
    squares += values[i]! * values[i]!;
  }
  // A flat picture (one colour) has no pattern to compare: all zeros, similarity 0 to anything.
  // Float rounding of the bilinear samples leaves it ~1e-10, not 0: below FLAT it is flat.
  const scale = squares > FLAT ? 1 / Math.sqrt(squares) : 0;
  for (let i = start; i < start + FINGERPRINT_DIM; i++) values[i]! *= scale;
}

function dotAt(x: Float32Array, xAt: number, y: Float32Array, yAt: number): number {
  let sum = 0;
  for (let d = 0; d < FINGERPRINT_DIM; d++) sum += x[xAt + d]! * y[yAt + d]!;
  return sum;
}
